import Logging
import ServiceLifecycle

/// Runs `work` every `interval` until the task is cancelled or the service group shuts down gracefully; a failed
/// run is logged and the next one comes at the next interval. `work` returns how much it did, for the log.
struct PeriodicJob: Sendable {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Int

    func run() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let done = try await work()
                if done > 0 { logger.info("\(name).done", metadata: ["count": .string("\(done)")]) }
            } catch { logger.warning("\(name).failed", metadata: ["error": .string("\(error)")]) }
            try? await Task.sleep(for: interval)
        }
    }
}
