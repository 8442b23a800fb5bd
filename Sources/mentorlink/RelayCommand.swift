import ArgumentParser
import EventPipeline
import KafkaAdapter
import Logging
import MailAdapter
import MentorLinkCore
import PostgresAdapter
import RedisAdapter
import ServiceLifecycle
import UnixSignals

/// `mentorlink relay`: publishes the outbox to Kafka until SIGTERM/SIGINT.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "relay", abstract: "Publish the outbox to Kafka.")

    @Option(help: "Topic prefix; the topic is <prefix><aggregate>.") var topicPrefix = "mentorlink."

    @Flag(help: "Started by `mentorlink serve`: exit when the supervisor is gone.") var supervised = false

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.relay")
        let adapters = try Adapters(config: config, logger: logger)
        let relay = OutboxRelay(
            outbox: PostgresOutbox(pool: adapters.postgres, logger: logger), sink: adapters.kafka, topicPrefix: topicPrefix, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: ParentWatch.guarding(
                    [
                        .init(service: adapters.postgres), .init(service: adapters.kafka),
                        .init(service: relay, successTerminationBehavior: .gracefullyShutdownGroup),
                    ], if: supervised, logger: logger), gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
