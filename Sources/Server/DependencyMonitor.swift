public import JSONRPC
public import Logging
public import MentorLinkCore
public import ServiceLifecycle
import Synchronization

/// Probes the dependencies that nearly every call needs (PostgreSQL) twice a second and, while one is down, has the
/// dispatcher answer calls `unavailable` at once (``refusal(for:)``) instead of letting each wait out its deadline in
/// a connection pool that cannot connect. Two failed probes in a row (each given 2 s) mark a dependency down, one
/// good probe marks it up again; `system.*` and `rpc.*` are always served.
public final class DependencyMonitor: Service, Sendable {
    let checks: [any HealthCheck]
    let interval: Duration
    let probeTimeout: Duration
    let logger: Logger
    private let failures: Mutex<[String: Int]>

    /// A monitor over `checks`.
    public init(checks: [any HealthCheck], interval: Duration = .milliseconds(500), probeTimeout: Duration = .seconds(2), logger: Logger) {
        self.checks = checks
        self.interval = interval
        self.probeTimeout = probeTimeout
        self.logger = logger
        self.failures = Mutex(Dictionary(uniqueKeysWithValues: checks.map { ($0.name, 0) }))
    }

    /// The dependency that is down now, if any.
    public var down: String? { failures.withLock { failures in failures.filter { $0.value >= 2 }.keys.sorted().first } }

    /// `unavailable` for `method` while a dependency is down; `nil` otherwise.
    public func refusal(for method: String) -> RPCError? {
        guard !method.hasPrefix("system."), !method.hasPrefix("rpc."), let down else { return nil }
        return .unavailable(down)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for check in checks {
                let ok = (try? await withTimeout(probeTimeout) { try await check.check() }) != nil
                let (before, after) = failures.withLock { failures in
                    let before = failures[check.name, default: 0]
                    failures[check.name] = ok ? 0 : before + 1
                    return (before, failures[check.name, default: 0])
                }
                if before < 2 && after >= 2 { logger.warning("dependency.down", metadata: ["dependency": .string(check.name)]) }
                if before >= 2 && after == 0 { logger.notice("dependency.up", metadata: ["dependency": .string(check.name)]) }
            }
            try? await Task.sleep(for: interval)
        }
    }
}
