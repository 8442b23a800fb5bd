import Foundation
import KafkaAdapter
import Logging
import MentorLinkCore
import ObjectStorage
import PostgresAdapter
import RedisAdapter
import ServiceLifecycle

/// The adapters a process connects (the PostgreSQL pool, the Redis client and its subscriber, the Kafka producer, the
/// event bus over Redis), made from configuration, with the stores over them. Nothing here decides anything.
struct Adapters {
    let postgres: PostgresPool
    let redis: RedisClient
    let subscriber: RedisSubscriber
    let kafka: KafkaProducer
    let bus: RedisEventBus

    init(config: AppConfiguration, logger: Logger) throws {
        postgres = PostgresPool(socketPath: config.postgresSocket, username: config.postgresUser, database: config.postgresDatabase, logger: logger)
        let address = try RedisAddress(config.redisURL)
        redis = RedisClient(address: address, logger: logger)
        subscriber = RedisSubscriber(address: address, logger: logger)
        kafka = try KafkaProducer(brokers: config.kafkaBrokers, logger: logger)
        bus = RedisEventBus(client: redis, subscriber: subscriber, logger: logger)
    }

    /// In start order; the `ServiceGroup` shuts them down in reverse.
    var services: [any Service] { [postgres, redis, subscriber, kafka, bus] }

    var healthChecks: [any HealthCheck] { [postgres, redis, kafka] }

    var identityStore: PostgresIdentityStore { PostgresIdentityStore(pool: postgres, logger: Logger(label: "mentorlink.identity")) }

    var bookingStore: PostgresBookingStore { PostgresBookingStore(pool: postgres, logger: Logger(label: "mentorlink.booking")) }

    /// Where recordings' media live: S3 when `S3_ENDPOINT` is set (with `S3_BUCKET` and keys), else `<run dir>/objects`
    /// with links signed for nginx's `secure_link` by MEDIA_SECRET.
    func objects(_ config: AppConfiguration) throws -> any ObjectStore {
        if let s3 = try S3ObjectStore.fromEnvironment(config.environment) { return s3 }
        guard !config.mediaSecret.isEmpty else {
            throw ConfigurationError("MEDIA_SECRET is not set; scripts/run writes one into <run dir>/secrets.env")
        }
        return try DirectoryObjectStore(root: "\(config.runDirectory)/objects", urlPrefix: "/media", secret: config.mediaSecret)
    }

    var paymentsStore: PostgresPaymentsStore { PostgresPaymentsStore(pool: postgres, logger: Logger(label: "mentorlink.payments")) }
}
