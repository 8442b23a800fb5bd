import Foundation
import Logging
import ServiceLifecycle

/// Ends a supervised worker when its supervisor is gone (the worker is re-parented), so a killed supervisor
/// never leaves orphans serving stale sockets. Returning from `run` shuts the worker's group down gracefully.
struct ParentWatch: Service {
    let parent: Int32
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if getppid() != parent {
                logger.warning("worker.orphaned", metadata: ["supervisor.pid": .string("\(parent)")])
                return
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
