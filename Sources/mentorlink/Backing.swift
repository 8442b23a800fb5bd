import KafkaAdapter
import Logging
import MentorLinkCore
import PostgresAdapter
import RedisAdapter
import ServiceLifecycle

/// The backing services of a process (PostgreSQL, Redis, its subscriber, the Kafka producer), made from configuration.
struct Backing {
    let postgres: PostgresPool
    let redis: RedisClient
    let subscriber: RedisSubscriber
    let kafka: KafkaProducer

    init(config: AppConfiguration, logger: Logger) throws {
        postgres = PostgresPool(
            socketPath: config.postgresSocket,
            username: config.postgresUser,
            database: config.postgresDatabase,
            logger: logger
        )
        let address = try RedisAddress(config.redisURL)
        redis = RedisClient(address: address, logger: logger)
        subscriber = RedisSubscriber(address: address, logger: logger)
        kafka = try KafkaProducer(brokers: config.kafkaBrokers, logger: logger)
    }

    /// In start order; the `ServiceGroup` shuts them down in reverse.
    var services: [any Service] { [postgres, redis, subscriber, kafka] }

    var healthChecks: [any HealthCheck] { [postgres, redis, kafka] }
}
