import OperationsService
import AuditService
import BookingService
import Foundation
import PaymentsService
import RealtimeService
import ServiceSupport
import ProviderAdapter
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
    let bus: RedisEventBus

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
        bus = RedisEventBus(client: redis, subscriber: subscriber, logger: logger)
    }

    /// In start order; the `ServiceGroup` shuts them down in reverse.
    var services: [any Service] { [postgres, redis, subscriber, kafka, bus] }

    var healthChecks: [any HealthCheck] { [postgres, redis, kafka] }

    var identityStore: PostgresIdentityStore { PostgresIdentityStore(pool: postgres, logger: Logger(label: "mentorlink.identity")) }

    var bookingStore: PostgresBookingStore {
        PostgresBookingStore(pool: postgres, logger: Logger(label: "mentorlink.booking"))
    }

    var paymentsStore: PostgresPaymentsStore {
        PostgresPaymentsStore(pool: postgres, logger: Logger(label: "mentorlink.payments"))
    }
}

/// The services every worker mounts, and the cross-cutting pieces they need.
struct Services {
    let registry: MethodRegistry
    let authenticator: IdentityAuthenticator
    let middleware: [any RPCMiddleware]
    let webhooks: [Webhook]

    static func make(config: AppConfiguration, backing: Backing, logger: Logger) async throws -> Services {
        guard !config.jwtKeys.isEmpty else { throw ConfigurationError("MENTORLINK_JWT_KEYS is not set (kid:base64 of 32+ random bytes); scripts/run writes one into <run dir>/secrets.env") }
        var identityConfiguration = IdentityConfiguration(signingKeys: config.jwtKeys, allowedOrigins: config.allowedOrigins)
        identityConfiguration.rateRules = identityConfiguration.rateRules.mapValues { rule in
            RateRule(count: rule.count * config.rateLimitScale, period: rule.period, burst: rule.burst * config.rateLimitScale)
        }
        // Page cursors are sealed with a key derived from the signing key, the same in every worker.
        let cursors = identityConfiguration.cursors
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
        registry.mount(AuditService(log: store, cursors: cursors))
        let booking = backing.bookingStore
        var bookingConfiguration = config.bookingConfiguration
        bookingConfiguration.cursors = cursors
        registry.mount(BookingService(
            store: booking, configuration: bookingConfiguration, availability: AvailabilityPublisher(bus: backing.bus, logger: logger)))
        let payments = backing.paymentsStore
        var paymentsConfiguration = PaymentsConfiguration()
        paymentsConfiguration.stripeWebhookSecrets = config.providers.stripeWebhookSecrets
        paymentsConfiguration.upiWebhookSecrets = config.providers.upiWebhookSecrets
        // A no-show may be reported for as long as the escrow waits before it is released.
        paymentsConfiguration.noShowReportWindow = bookingConfiguration.completionGrace
        paymentsConfiguration.platformFee = bookingConfiguration.platformFee
        let stripe = StripeClient(apiBase: config.providers.stripeAPIBase, secretKey: config.providers.stripeSecretKey)
        let upi = RazorpayClient(apiBase: config.providers.upiAPIBase, keyId: config.providers.upiKeyId, keySecret: config.providers.upiKeySecret)
        let subscriptions = Subscriptions(bus: backing.bus)
        registry.mount(RealtimeService(
            subscriptions: subscriptions,
            store: PostgresNotificationStore(pool: backing.postgres, logger: Logger(label: "mentorlink.notifications")), cursors: cursors))
        var roomsConfiguration = RoomsConfiguration()
        roomsConfiguration.turnSecret = config.turnSecret
        if !config.turnURLs.isEmpty { roomsConfiguration.turnURLs = config.turnURLs }
        registry.mount(RoomsService(
            rooms: PostgresRoomStore(pool: backing.postgres, logger: Logger(label: "mentorlink.rooms")), presence: RedisPresence(client: backing.redis),
            bus: backing.bus, subscriptions: subscriptions, configuration: roomsConfiguration))
        registry.mount(WalletService(store: payments, cursors: cursors))
        registry.mount(PaymentsService(store: payments, gateways: [.stripe: stripe, .upi: upi], configuration: paymentsConfiguration))
        registry.mount(PayoutsService(store: payments, gateway: stripe, configuration: paymentsConfiguration))
        registry.mount(DeadLetterService(store: PostgresDeadLetterStore(pool: backing.postgres, logger: Logger(label: "mentorlink.dead-letters")), cursors: cursors))
        let processor = WebhookProcessor(store: payments, configuration: paymentsConfiguration, logger: logger)
        let webhooks = [
            Webhook(name: "stripe") { headers, body, requestId in
                let reply = await processor.stripe(headers: headers, body: body, requestId: requestId)
                return (reply.status, reply.body)
            },
            Webhook(name: "upi") { headers, body, requestId in
                let reply = await processor.upi(headers: headers, body: body, requestId: requestId)
                return (reply.status, reply.body)
            },
        ]
        return Services(
            registry: registry,
            authenticator: authenticator,
            middleware: [RateLimitMiddleware(limiter: limiter, rules: identityConfiguration.rateRules, logger: logger)],
            webhooks: webhooks
        )
    }
}

/// A configuration problem found at start-up.
struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
