import BookingService
import IdentityService
import JSONRPC
import KafkaAdapter
import Logging
import Server
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

    var identityStore: PostgresIdentityStore { PostgresIdentityStore(pool: postgres, logger: Logger(label: "mentorlink.identity")) }

    var bookingStore: PostgresBookingStore { PostgresBookingStore(pool: postgres, logger: Logger(label: "mentorlink.booking")) }
}

/// The services every worker mounts, and the cross-cutting pieces they need.
struct Services {
    let registry: MethodRegistry
    let authenticator: IdentityAuthenticator
    let middleware: [any RPCMiddleware]

    static func make(config: AppConfiguration, backing: Backing, logger: Logger) async throws -> Services {
        guard !config.jwtKeys.isEmpty else { throw ConfigurationError("MENTORLINK_JWT_KEYS is not set (kid:base64 of 32+ random bytes); scripts/run writes one into <run dir>/secrets.env") }
        var identityConfiguration = IdentityConfiguration(signingKeys: config.jwtKeys, allowedOrigins: config.allowedOrigins)
        identityConfiguration.rateRules = identityConfiguration.rateRules.mapValues { rule in
            RateRule(count: rule.count * config.rateLimitScale, period: rule.period, burst: rule.burst * config.rateLimitScale)
        }
        let tokens = await AccessTokens(configuration: identityConfiguration)
        let revocations = RedisRevocationList(client: backing.redis)
        let limiter = RedisRateLimiter(client: backing.redis)
        let authenticator = IdentityAuthenticator(tokens: tokens, revocations: revocations, configuration: identityConfiguration, logger: logger)
        let store = backing.identityStore
        var registry = MethodRegistry()
        registry.mount(SystemService(version: MentorLinkVersion.current, gitCommit: config.gitCommit))
        registry.mount(try await IdentityService(
            store: store, revocations: revocations, limiter: limiter, tokens: tokens,
            configuration: identityConfiguration, authenticator: authenticator, logger: logger))
        registry.mount(AuditService(store: store))
        let booking = backing.bookingStore
        let bookingConfiguration = BookingConfiguration()
        registry.mount(MentorsService(store: booking, configuration: bookingConfiguration))
        registry.mount(AvailabilityService(store: booking, configuration: bookingConfiguration))
        registry.mount(BookingService(store: booking, configuration: bookingConfiguration))
        registry.mount(FormsService(store: booking, configuration: bookingConfiguration))
        registry.mount(ReviewsService(store: booking, configuration: bookingConfiguration))
        return Services(
            registry: registry,
            authenticator: authenticator,
            middleware: [RateLimitMiddleware(limiter: limiter, rules: identityConfiguration.rateRules, logger: logger)]
        )
    }
}

/// A configuration problem found at start-up.
struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
