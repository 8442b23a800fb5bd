import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals

/// `mentorlink serve --workers N [--events]`: starts N workers (and with `--events` the outbox relay and both
/// consumers), restarts any that dies, drains on SIGTERM/SIGINT, and reports restarts on `<run dir>/supervisor.sock`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Supervise N worker processes (and the event processes).")

    @Option(help: "Number of workers (default: MENTORLINK_WORKERS or the number of cores).") var workers: Int?

    @Flag(help: "Also supervise the outbox relay and the notifications and email consumers.") var events = false

    @Option(help: "Seconds a worker gets to drain before it is killed.") var drainSeconds: Int = 10

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.supervisor")
        let programs = (0..<max(1, workers ?? config.workers)).map(SupervisedProgram.worker) + (events ? SupervisedProgram.events : [])
        let metrics = SupervisorMetrics(programs: programs.map(\.name))
        let supervisor = Supervisor(programs: programs, drainDeadline: .seconds(drainSeconds), metrics: metrics, logger: logger)
        let endpoint = try SupervisorEndpoint.make(socketPath: "\(config.runDirectory)/supervisor.sock", metrics: metrics, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: endpoint, failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: supervisor, successTerminationBehavior: .gracefullyShutdownGroup),
                ], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("supervisor.stopped")
    }
}
