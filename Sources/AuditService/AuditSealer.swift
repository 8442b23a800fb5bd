public import Logging
public import MentorLinkCore
public import ServiceLifecycle
import ServiceSupport

/// Chains the audit entries committed since its last run (``MentorLinkCore/AuditLog/sealAudit(limit:wait:)``) every
/// ``interval`` until shutdown. Every worker runs one; when another worker's sealer holds the log's lock, this run
/// skips. The interval bounds how long an entry waits for its place in the chain (while it waits it can be deleted
/// without the chain showing it, never altered), and `audit.list` and `audit.verify` seal first (waiting for the lock), so they show every committed entry.
public struct AuditSealer: Service {
    let log: any AuditLog
    /// Time between runs: 200 ms by default.
    public let interval: Duration
    /// Entries chained by one run at most (one transaction).
    public let batchSize: Int
    let logger: Logger

    /// A sealer over `log`.
    public init(log: any AuditLog, interval: Duration = .milliseconds(200), batchSize: Int = 5_000, logger: Logger) {
        self.log = log
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public func run() async throws {
        await PeriodicJob(name: "audit.seal", interval: interval, logger: logger, doneLevel: .debug) {
            try await log.sealAudit(limit: batchSize, wait: false)
        }.run()
    }
}
