import BookingService
import Logging
import MentorLinkCore
import ServiceLifecycle

/// Releases the escrow of finished sessions to their mentors every `interval`, in every worker: the store claims
/// rows with SKIP LOCKED and posts each release once, so running it in many processes pays once.
struct EscrowReleaseJob: Service {
    let store: any BookingStore
    let grace: Duration
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            do {
                var released = 0
                while true {
                    let batch = try await store.releaseDueEscrows(now: .now, grace: grace, limit: 200)
                    released += batch
                    if batch < 200 { break }
                }
                if released > 0 { logger.info("escrow.released", metadata: ["bookings": .string("\(released)")]) }
            } catch {
                logger.warning("escrow.release_failed", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Whether the task was cancelled or its service group is shutting down.
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
