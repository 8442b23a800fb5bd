import ArgumentParser
import EventPipeline
import Foundation
import KafkaAdapter
import Logging
import MailAdapter
import MediaPipeline
import MentorLinkCore
import PostgresAdapter
import RecordingService
import RedisAdapter
import ServiceLifecycle
import UnixSignals

/// `mentorlink consume notifications|email|media`: the in-app notifications consumer, the email consumer (a Maildir
/// spool under `<run dir>/maildir`), or the media consumer (recordings' transcoding, with the janitor that processes
/// overdue finalizing recordings and applies the retention). A message that keeps failing is retried, then parked in `dead_letters`
/// (`admin.deadLetters.list`, `admin.deadLetters.replay`); offsets are never committed past an unhandled one.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consume", abstract: "Run an event consumer (notifications, email or media).")

    enum Name: String, ExpressibleByArgument, CaseIterable { case notifications, email, media }

    @Argument(help: "notifications, email or media") var name: Name

    @Option(help: "Topic prefix, as given to the relay.") var topicPrefix = "mentorlink."

    @Flag(help: "Started by `mentorlink serve`: exit when the supervisor is gone.") var supervised = false

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        let logger = config.makeLogger("mentorlink.consume")
        let adapters = try Adapters(config: config, logger: logger)
        let consumer = try KafkaConsumer(
            brokers: config.kafkaBrokers, groupId: "mentorlink-\(name.rawValue)",
            topics: (name == .media ? MediaConsumer.aggregates : NotificationConsumer.aggregates).map { topicPrefix + $0 },
            logger: logger)
        let store = PostgresNotificationStore(pool: adapters.postgres, logger: logger)
        let deadLetters = PostgresDeadLetterStore(pool: adapters.postgres, logger: logger)
        // A recording's notifications go to its room's participants.
        let rooms = PostgresRoomStore(pool: adapters.postgres, logger: logger)
        /// The handler run over the Kafka consumer, with the dead letters in PostgreSQL.
        func consuming(_ handler: some EventHandler) -> any Service {
            EventConsumer(
                handler: handler, source: consumer, deadLetters: deadLetters, describeError: PostgresAdapterError.logDescription(of:),
                isOutage: { DependencyOutage.dependency(of: $0) != nil }, logger: logger)
        }
        let loop: any Service
        var extra: [any Service] = []
        switch name {
        case .media:
            let recordings = PostgresRecordingStore(pool: adapters.postgres, logger: logger)
            let objects = try adapters.objects(config)
            let janusRecordings = config.environment["MENTORLINK_JANUS_RECORDINGS_DIR"].flatMap { $0.isEmpty ? nil : JanusRecordings(directory: $0) }
            let processor = RecordingProcessor(
                store: recordings, objects: objects, bus: adapters.bus, transcoder: Transcoder(logger: logger),
                stagedFile: { "\(config.uploadStagingRoot)/\($0.uuidString.lowercased()).part" }, workRoot: "\(config.runDirectory)/media-work",
                // Janus's own recordings of SFU rooms, on this host: the fallback for uploads that never completed.
                janus: janusRecordings,
                logger: logger)
            loop = consuming(MediaConsumer(processor: processor, logger: logger))
            extra = [
                RecordingJanitor(
                    store: recordings, objects: objects, retention: .seconds(86_400 * config.recordingRetentionDays),
                    stagingRoot: config.uploadStagingRoot, finalizeWithin: config.recordingConfiguration.finalizeWithin,
                    janusRecordings: janusRecordings?.directory, logger: logger)
            ]
        case .notifications: loop = consuming(NotificationConsumer(store: store, bus: adapters.bus, rooms: rooms, logger: logger))
        case .email:
            let origin = config.allowedOrigins.sorted().first ?? "http://127.0.0.1:8080"
            let mailer: any Mailer
            if let url = config.smtpURL {
                guard let smtp = SMTPMailer(url: url) else { throw ConfigurationError("SMTP_URL must look like smtp://host:port") }
                mailer = smtp
            } else {
                mailer = try MaildirMailer(root: "\(config.runDirectory)/maildir")
            }
            loop = consuming(EmailConsumer(store: store, mailer: mailer, unsubscribeBase: "\(origin)/unsubscribe", rooms: rooms, logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: ParentWatch.guarding(
                    [
                        .init(service: adapters.postgres), .init(service: adapters.redis), .init(service: adapters.subscriber),
                        .init(service: adapters.bus), .init(service: loop, successTerminationBehavior: .gracefullyShutdownGroup),
                    ] + extra.map { .init(service: $0) }, if: supervised, logger: logger), gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
