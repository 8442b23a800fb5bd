import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals

/// `mentorlink serve --workers N`: starts N workers, restarts any that dies, drains on SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Supervise N worker processes.")

    @Option(help: "Number of workers (default: MENTORLINK_WORKERS or the number of cores).")
    var workers: Int?

    @Option(help: "Seconds a worker gets to drain before it is killed.")
    var drainSeconds: Int = 10

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.supervisor")
        let supervisor = Supervisor(
            count: max(1, workers ?? config.workers),
            drainDeadline: .seconds(drainSeconds),
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(services: [supervisor], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
        logger.info("supervisor.stopped")
    }
}
