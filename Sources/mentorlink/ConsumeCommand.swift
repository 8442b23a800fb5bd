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

/// `mentorlink consume notifications|email`: the in-app notifications consumer, or the email consumer (a Maildir
/// spool under `<run dir>/maildir`). A message that keeps failing is retried, then parked in `dead_letters`
/// (`admin.deadLetters.list`, `admin.deadLetters.replay`); offsets are never committed past an unhandled one.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consume", abstract: "Run an event consumer (notifications or email).")

    enum Name: String, ExpressibleByArgument, CaseIterable { case notifications, email }

    @Argument(help: "notifications or email") var name: Name

    @Option(help: "Topic prefix, as given to the relay.") var topicPrefix = "mentorlink."

    @Flag(help: "Started by `mentorlink serve`: exit when the supervisor is gone.") var supervised = false

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.consume")
        let adapters = try Adapters(config: config, logger: logger)
        let consumer = try KafkaConsumer(
            brokers: config.kafkaBrokers, groupId: "mentorlink-\(name.rawValue)", topics: NotificationConsumer.aggregates.map { topicPrefix + $0 },
            logger: logger)
        let store = PostgresNotificationStore(pool: adapters.postgres, logger: logger)
        let deadLetters = PostgresDeadLetterStore(pool: adapters.postgres, logger: logger)
        /// The handler run over the Kafka consumer, with the dead letters in PostgreSQL.
        func consuming(_ handler: some EventHandler) -> any Service {
            EventConsumer(
                handler: handler, source: consumer, deadLetters: deadLetters, describeError: PostgresAdapterError.logDescription(of:),
                isOutage: { DependencyOutage.dependency(of: $0) != nil }, logger: logger)
        }
        let loop: any Service
        switch name {
        case .notifications: loop = consuming(NotificationConsumer(store: store, bus: adapters.bus, logger: logger))
        case .email:
            let origin = config.allowedOrigins.sorted().first ?? "http://127.0.0.1:8080"
            let mailer: any Mailer
            if let url = config.smtpURL {
                guard let smtp = SMTPMailer(url: url) else { throw ConfigurationError("SMTP_URL must look like smtp://host:port") }
                mailer = smtp
            } else {
                mailer = try MaildirMailer(root: "\(config.runDirectory)/maildir")
            }
            loop = consuming(EmailConsumer(store: store, mailer: mailer, unsubscribeBase: "\(origin)/unsubscribe", logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: ParentWatch.guarding(
                    [
                        .init(service: adapters.postgres), .init(service: adapters.redis),
                        .init(service: loop, successTerminationBehavior: .gracefullyShutdownGroup),
                    ], if: supervised, logger: logger), gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
