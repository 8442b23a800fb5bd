public import JSONRPC

/// Settings of one worker process; documented defaults, filled from the environment by the executable only.
public struct WorkerConfiguration: Sendable {
    /// The Unix socket to bind (`<run dir>/worker-K.sock`).
    public var socketPath: String
    /// This worker's index (K).
    public var index: Int
    /// Request limits.
    public var limits: RPCLimits
    /// Largest WebSocket message in bytes (default 64 KiB).
    public var maxWebSocketMessageBytes: Int
    /// Origins allowed for browser WebSocket upgrades and cookie-authenticated calls.
    public var allowedOrigins: Set<String>
    /// Version reported by `system.version` and the OpenRPC document.
    public var version: String
    /// Git commit the binary was built from, if known.
    public var gitCommit: String?
    /// Group given access to the socket (nginx's user when the stack runs as root), if any.
    public var socketGroup: String?
    /// Frames a WebSocket may have waiting to be written before it is closed as too slow (default 1,024).
    public var maxQueuedWebSocketMessages = 1024
    /// Bytes (of text) a WebSocket may have waiting to be written before it is closed as too slow with 1008
    /// (default 4 MiB). A single frame larger than this is still written when nothing else waits.
    public var maxQueuedWebSocketBytes = 4 * 1024 * 1024
    /// How often an authenticated WebSocket's credentials are checked again while it only listens (default 2 s): a
    /// revoked session (logout, password change, disabled account) or an expired access token closes the socket with
    /// 1008 within this interval plus the authenticator's revocation cache lifetime (2 s), on every worker.
    public var credentialRecheckInterval: Duration = .seconds(2)
    /// How long a listening WebSocket lives on while its credentials cannot be checked (the revocation list is
    /// away) before it is closed with 1011.
    public var credentialUncheckedGrace: Duration = .seconds(30)

    /// Creates a configuration with the documented defaults.
    public init(
        socketPath: String, index: Int = 0, limits: RPCLimits = RPCLimits(), maxWebSocketMessageBytes: Int = 64 * 1024,
        allowedOrigins: Set<String> = ["http://127.0.0.1:8080", "http://localhost:8080"], version: String = MentorLinkVersion.current,
        gitCommit: String? = nil, socketGroup: String? = nil
    ) {
        self.socketPath = socketPath
        self.index = index
        self.limits = limits
        self.maxWebSocketMessageBytes = maxWebSocketMessageBytes
        self.allowedOrigins = allowedOrigins
        self.version = version
        self.gitCommit = gitCommit
        self.socketGroup = socketGroup
    }
}

/// The version of this build.
public enum MentorLinkVersion {
    /// Semantic version of the server.
    public static let current = "0.1.0"
}
