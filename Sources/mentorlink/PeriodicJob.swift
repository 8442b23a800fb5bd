import Logging
import ServiceLifecycle

/// Runs `work` every `interval` until shutdown (each worker runs the escrow release and the reminders this way; the
/// store makes them safe to run in several processes at once). `work` returns how much it did, for the log.
struct PeriodicJob: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Int

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let done = try await work()
                if done > 0 { logger.info("\(name).done", metadata: ["count": .string("\(done)")]) }
            } catch {
                logger.warning("\(name).failed", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
