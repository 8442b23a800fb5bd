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

    /// The environment variable in which the supervisor passes its pid to the processes it starts.
    static let supervisorVariable = "MENTORLINK_SUPERVISOR_PID"

    /// `services` with a watch on the supervisor in front when `supervised` (its end shuts the group down). The
    /// supervisor's pid comes from the environment it set, so a child whose supervisor died while it was starting
    /// exits at once instead of watching init.
    static func guarding(
        _ services: [ServiceGroupConfiguration.ServiceConfiguration], if supervised: Bool, logger: Logger
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard supervised else { return services }
        let parent = ProcessInfo.processInfo.environment[supervisorVariable].flatMap(Int32.init) ?? getppid()
        return [.init(service: ParentWatch(parent: parent, logger: logger), successTerminationBehavior: .gracefullyShutdownGroup)] + services
    }
}
