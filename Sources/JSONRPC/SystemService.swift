/// The built-in `system.*` methods.
public struct SystemService: RPCService {
    /// The version string reported by `system.version`.
    public var version: String
    /// The git commit the binary was built from, when known.
    public var gitCommit: String?

    /// Creates the service.
    public init(version: String, gitCommit: String?) {
        self.version = version
        self.gitCommit = gitCommit
    }

    /// The result of `system.version`.
    public struct VersionInfo: Codable, Sendable, Hashable {
        public var version: String
        public var gitCommit: String?
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register("system.ping", summary: "Answers \"pong\".", access: .public, rateLimit: .none, instant: true) { (_: NoParams, _) in "pong"
        }
        let info = VersionInfo(version: version, gitCommit: gitCommit)
        registry.register("system.version", summary: "The server's version.", access: .public, rateLimit: .none, instant: true) { (_: NoParams, _) in
            info
        }
    }
}
