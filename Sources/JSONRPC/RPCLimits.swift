/// The documented limits on what a worker accepts. Over a limit is a clear error, never a crash.
public struct RPCLimits: Sendable, Hashable {
    /// Largest request body in bytes (default 1 MiB).
    public var maxBodyBytes: Int
    /// Largest batch (default 100 elements).
    public var maxBatchLength: Int
    /// Deepest nesting of arrays/objects (default 32).
    public var maxDepth: Int
    /// Largest answer to one body, a whole batch counted together (default 4 MiB). A result that would go over is
    /// replaced by a `response_too_large` error, so no request can make a reply many times its own size.
    public var maxResponseBytes: Int
    /// Longest a call may take (the worker's default is 10 s, `MENTORLINK_CALL_DEADLINE_MS`; here `nil`): a call still running then is answered `unavailable` (retryable,
    /// `dependency: "deadline"`) and its handler cancelled, so a dependency that hangs makes calls fail fast instead
    /// of holding clients and connections. A write answered this way may still complete: retry it with its
    /// idempotency key. `nil` waits for ever.
    public var callDeadline: Duration?

    /// Creates limits; the defaults are the documented ones.
    public init(
        maxBodyBytes: Int = 1 << 20, maxBatchLength: Int = 100, maxDepth: Int = 32, maxResponseBytes: Int = 4 << 20, callDeadline: Duration? = nil
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchLength = maxBatchLength
        self.maxDepth = maxDepth
        self.maxResponseBytes = maxResponseBytes
        self.callDeadline = callDeadline
    }
}
