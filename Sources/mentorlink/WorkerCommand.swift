import ArgumentParser
import AuditService
import BookingService
import Foundation
import JSONRPC
import KafkaAdapter
import Logging
import MentorLinkCore
import PostgresAdapter
import RealtimeService
import RedisAdapter
import Server
import ServiceLifecycle
import UnixSignals

/// `mentorlink worker --index K`: one worker process on `<run dir>/worker-K.sock`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Serve JSON-RPC on one Unix socket.")

    @Option(help: "Worker index K; the socket is <run dir>/worker-K.sock.") var index: Int = 0

    @Option(help: "Socket path (overrides the index-derived path).") var socket: String?

    @Flag(help: "Started by `mentorlink serve`: exit when the supervisor is gone.") var supervised = false

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        var logger = config.makeLogger("mentorlink.worker")
        logger[metadataKey: "worker.index"] = .string("\(index)")
        let adapters = try Adapters(config: config, logger: logger)
        let metrics = WorkerMetrics()
        let services = try await WorkerWiring.make(config: config, adapters: adapters, logger: logger)
        // While PostgreSQL is down, calls are answered unavailable at once rather than waiting for the pool.
        let monitor = DependencyMonitor(checks: [adapters.postgres.reachability], logger: logger)
        let dispatcher = RPCDispatcher(
            registry: services.registry, info: OpenRPCInfo(title: "MentorLink", version: MentorLinkVersion.current), limits: config.limits,
            middleware: services.middleware, observer: { metrics.record($0) }, errorLogDescription: PostgresAdapterError.logDescription(of:),
            translateError: { DependencyOutage.dependency(of: $0).map(RPCError.unavailable) }, admission: { monitor.refusal(for: $0) })
        let server = WorkerServer(
            configuration: WorkerConfiguration(
                socketPath: socket ?? config.socketPath(worker: index), index: index, limits: config.limits, allowedOrigins: config.allowedOrigins,
                gitCommit: config.gitCommit, socketGroup: config.socketGroup), dispatcher: dispatcher, metrics: metrics,
            authenticator: services.authenticator, healthChecks: adapters.healthChecks + (services.sfuHealth.map { [$0] } ?? []),
            webhooks: services.webhooks, uploads: services.uploads,
            logger: logger)
        let application = try server.makeApplication()
        let bookings = adapters.bookingStore
        let release = EscrowReleaseService(store: bookings, configuration: config.bookingConfiguration, logger: logger)
        let reminders = ReminderService(store: bookings, configuration: config.bookingConfiguration, logger: logger)
        let sealer = AuditSealer(log: adapters.identityStore, logger: logger)
        // One worker sweeps Janus's rooms (any could; one is enough).
        let sfuJanitor: [any Service] = index == 0 ? services.sfuJanitor.map { [$0] } ?? [] : []
        let running = ParentWatch.guarding(
            (adapters.services + [monitor, release, reminders, sealer, services.emptyRooms] + sfuJanitor + [application, server.sessions]).map {
                ServiceGroupConfiguration.ServiceConfiguration(service: $0)
            }, if: supervised, logger: logger)
        let group = ServiceGroup(configuration: .init(services: running, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("worker.starting", metadata: ["socket": .string(server.configuration.socketPath)])
        try await group.run()
    }
}
