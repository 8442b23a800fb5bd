import Foundation
import Logging
import ServiceLifecycle

/// Ends a supervised process when its supervisor is gone (the worker is re-parented), so a killed supervisor
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

    /// `services` with a watch on the current parent in front when `supervised` (its end shuts the group down).
    static func guarding(
        _ services: [ServiceGroupConfiguration.ServiceConfiguration], if supervised: Bool, logger: Logger
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard supervised else { return services }
        return [.init(service: ParentWatch(parent: getppid(), logger: logger), successTerminationBehavior: .gracefullyShutdownGroup)] + services
    }
}
