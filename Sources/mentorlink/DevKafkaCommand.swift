import ArgumentParser
import Foundation
import KafkaAdapter
import Logging
import ServiceLifecycle
import UnixSignals

/// `mentorlink dev-kafka`: runs librdkafka's mock cluster and writes its bootstrap address to `<run dir>/kafka.bootstrap`.
///
/// SIGUSR1 takes its brokers down (connections closed, new ones refused) and SIGUSR2 brings them back with their log:
/// the broker outage of scripts/chaos. (The cluster lives in memory, so killing the process would lose the log, which
/// a real broker keeps on disk.)
struct DevKafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dev-kafka", abstract: "Run the embedded Kafka-protocol broker for development.")

    @Option(help: "Topics to create up front.") var topics: [String] = ["booking", "review", "payment", "notification", "identity", "recording"]

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.dev-kafka")
        let broker = try DevKafkaBroker(topics: topics)
        // Trapped before the bootstrap file says the broker is up (SIGUSR1's default action ends the process).
        let signals = await UnixSignalsSequence(trapping: .sigusr1, .sigusr2)
        let file = "\(config.runDirectory)/kafka.bootstrap"
        try FileManager.default.createDirectory(atPath: config.runDirectory, withIntermediateDirectories: true)
        try (broker.bootstrapServers + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        logger.info("dev_kafka.started", metadata: ["bootstrap": .string(broker.bootstrapServers), "file": .string(file)])
        let group = ServiceGroup(
            configuration: .init(
                services: [Idle(), Outages(broker: broker, signals: signals, logger: logger)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        try? FileManager.default.removeItem(atPath: file)
        withExtendedLifetime(broker) {}
    }

    /// Takes the brokers down on SIGUSR1 and up on SIGUSR2.
    struct Outages: Service {
        let broker: DevKafkaBroker
        let signals: UnixSignalsSequence
        let logger: Logger

        func run() async throws {
            for await signal in signals.cancelOnGracefulShutdown() {
                let up = signal == .sigusr2
                broker.setBrokersUp(up)
                logger.warning(up ? "dev_kafka.up" : "dev_kafka.down")
            }
        }
    }

    /// Waits for shutdown.
    struct Idle: Service { func run() async throws { try? await gracefulShutdown() } }
}
