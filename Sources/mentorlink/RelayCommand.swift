import ArgumentParser
import EventPipeline
import KafkaAdapter
import Logging
import PostgresAdapter
import RedisAdapter
import ServiceLifecycle
import UnixSignals

/// `mentorlink relay`: publishes the outbox to Kafka until SIGTERM/SIGINT.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "relay", abstract: "Publish the outbox to Kafka.")

    @Option(help: "Topic prefix; the topic is <prefix><aggregate>.")
    var topicPrefix = "mentorlink."

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.relay")
        let backing = try Backing(config: config, logger: logger)
        let relay = OutboxRelay(outbox: PostgresOutbox(pool: backing.postgres, logger: logger), producer: backing.kafka, topicPrefix: topicPrefix, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: backing.postgres), .init(service: backing.kafka), .init(service: relay, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// `mentorlink consume notifications`: the in-app notifications consumer.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consume", abstract: "Run an event consumer (notifications).")

    enum Name: String, ExpressibleByArgument, CaseIterable { case notifications }

    @Argument(help: "notifications")
    var name: Name

    @Option(help: "Topic prefix, as given to the relay.")
    var topicPrefix = "mentorlink."

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.consume")
        let backing = try Backing(config: config, logger: logger)
        let consumer = try KafkaConsumer(
            brokers: config.kafkaBrokers, groupId: "mentorlink-\(name.rawValue)",
            topics: NotificationConsumer.aggregates.map { topicPrefix + $0 }, logger: logger)
        let handler = NotificationConsumer(
            store: PostgresNotificationStore(pool: backing.postgres, logger: logger), bus: backing.bus, logger: logger)
        let loop = ConsumerLoop(consumer: consumer, handler: handler)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: backing.postgres), .init(service: backing.redis),
                .init(service: loop, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Runs a consumer until shutdown, then closes it.
struct ConsumerLoop: Service {
    let consumer: KafkaConsumer
    let handler: NotificationConsumer

    func run() async throws {
        await withGracefulShutdownHandler {
            await handler.run(consumer)
        } onGracefulShutdown: {
            consumer.close()
        }
    }
}
