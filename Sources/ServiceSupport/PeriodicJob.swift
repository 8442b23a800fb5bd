public import Logging
import ServiceLifecycle

/// Runs `work` every `interval` until the task is cancelled or the service group shuts down gracefully; a failed
/// run is logged and the next one comes later (``wait(after:interval:)``). `work` returns how much it did, for the log.
public struct PeriodicJob: Sendable {
    let name: String
    let interval: Duration
    let logger: Logger
    let doneLevel: Logger.Level
    let work: @Sendable () async throws -> Int

    /// A job called `name`: its log events are `<name>.done` (at `doneLevel`) and `<name>.failed` (a warning).
    public init(
        name: String, interval: Duration, logger: Logger, doneLevel: Logger.Level = .info, work: @escaping @Sendable () async throws -> Int
    ) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.doneLevel = doneLevel
        self.work = work
    }

    /// Runs until cancelled or shut down.
    public func run() async {
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let done = try await work()
                failures = 0
                if done > 0 { logger.log(level: doneLevel, "\(name).done", metadata: ["count": .string("\(done)")]) }
            } catch {
                failures += 1
                logger.warning("\(name).failed", metadata: ["error": .string("\(error)"), "failures": .string("\(failures)")])
            }
            try? await Task.sleep(for: Self.wait(after: failures, interval: interval))
        }
    }

    /// The interval, doubled after each failure in a row up to 10 s (or the interval, if longer): a job that runs
    /// often does not flood the log while its database is away.
    static func wait(after failures: Int, interval: Duration) -> Duration {
        guard failures > 0 else { return interval }
        let ceiling = max(interval, .seconds(10))
        return min(ceiling, interval * (1 << min(failures, 16)))
    }
}
