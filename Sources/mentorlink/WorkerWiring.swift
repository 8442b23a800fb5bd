import AuditService
import BookingService
import DiscoveryService
import FeedbackService
import Foundation
import IdentityService
import JSONRPC
import Logging
import MentorLinkCore
import OperationsService
import PaymentsService
import PostgresAdapter
import ProviderAdapter
import RealtimeService
import RecordingService
import RedisAdapter
import SFUAdapter
import Server
import ServiceSupport

/// The wiring of a worker: which service gets which adapter and configuration, the middleware and the webhooks. The
/// one place that sees both the services and the adapters.
struct WorkerWiring {
    let registry: MethodRegistry
    let authenticator: IdentityAuthenticator
    let middleware: [any RPCMiddleware]
    let webhooks: [Webhook]
    let uploads: UploadEndpoint
    /// Stops a room's recording once the room stayed empty (a service the worker runs).
    let emptyRooms: EmptyRooms
    /// Janus, when `MENTORLINK_JANUS_URL` is set: `/readyz` asks it too.
    let sfuHealth: (any HealthCheck)?
    /// Destroys Janus's rooms whose session is over (with Janus only; worker 0 runs it).
    let sfuJanitor: SFURoomJanitor?

    static func make(config: AppConfiguration, adapters: Adapters, logger: Logger) async throws -> WorkerWiring {
        guard !config.jwtKeys.isEmpty else {
            throw ConfigurationError(
                "MENTORLINK_JWT_KEYS is not set (kid:base64 of 32+ random bytes); scripts/run writes one into <run dir>/secrets.env")
        }
        var identityConfiguration = IdentityConfiguration(signingKeys: config.jwtKeys, allowedOrigins: config.allowedOrigins)
        identityConfiguration.rateRules = identityConfiguration.rateRules.mapValues { rule in
            RateRule(count: rule.count * config.rateLimitScale, period: rule.period, burst: rule.burst * config.rateLimitScale)
        }
        // Page cursors are sealed with a key derived from the signing key, the same in every worker.
        let cursors = identityConfiguration.cursors
        let tokens = await AccessTokens(configuration: identityConfiguration)
        let revocations = RedisRevocationList(client: adapters.redis)
        let limiter = RedisRateLimiter(client: adapters.redis)
        let authenticator = IdentityAuthenticator(tokens: tokens, revocations: revocations, configuration: identityConfiguration, logger: logger)
        let store = adapters.identityStore
        var registry = MethodRegistry()
        registry.mount(SystemService(version: MentorLinkVersion.current, gitCommit: config.gitCommit))
        registry.mount(
            try await IdentityService(
                store: store, revocations: revocations, limiter: limiter, tokens: tokens, configuration: identityConfiguration,
                authenticator: authenticator, logger: logger))
        registry.mount(AuditService(log: store, cursors: cursors))
        let booking = adapters.bookingStore
        var bookingConfiguration = config.bookingConfiguration
        bookingConfiguration.cursors = cursors
        registry.mount(
            BookingService(
                store: booking, configuration: bookingConfiguration, availability: AvailabilityPublisher(bus: adapters.bus, logger: logger)))
        var discoveryConfiguration = DiscoveryConfiguration()
        discoveryConfiguration.sessionMinutes = bookingConfiguration.sessionMinutes
        discoveryConfiguration.freeRuns = bookingConfiguration.freeRuns
        discoveryConfiguration.cursors = cursors
        registry.mount(DiscoveryService(directory: booking, configuration: discoveryConfiguration))
        registry.mount(FeedbackService(store: booking, cursors: cursors))
        let payments = adapters.paymentsStore
        var paymentsConfiguration = PaymentsConfiguration()
        paymentsConfiguration.stripeWebhookSecrets = config.providers.stripeWebhookSecrets
        paymentsConfiguration.upiWebhookSecrets = config.providers.upiWebhookSecrets
        // A no-show may be reported for as long as the escrow waits before it is released.
        paymentsConfiguration.noShowReportWindow = bookingConfiguration.completionGrace
        paymentsConfiguration.platformFee = bookingConfiguration.platformFee
        let stripe = StripeClient(apiBase: config.providers.stripeAPIBase, secretKey: config.providers.stripeSecretKey)
        let upi = RazorpayClient(apiBase: config.providers.upiAPIBase, keyId: config.providers.upiKeyId, keySecret: config.providers.upiKeySecret)
        let subscriptions = Subscriptions(bus: adapters.bus)
        registry.mount(
            RealtimeService(
                subscriptions: subscriptions,
                store: PostgresNotificationStore(pool: adapters.postgres, logger: Logger(label: "mentorlink.notifications")), cursors: cursors))
        let roomStore = PostgresRoomStore(pool: adapters.postgres, logger: Logger(label: "mentorlink.rooms"))
        let recordingStore = PostgresRecordingStore(pool: adapters.postgres, logger: Logger(label: "mentorlink.recordings"))
        let recordingConfiguration = config.recordingConfiguration
        let staging = try UploadStaging(root: config.uploadStagingRoot)
        // Group sessions beyond the mesh go on Janus when it is configured; without it every room is a mesh.
        let janus: JanusGateway?
        do { janus = try JanusConfiguration.fromEnvironment(config.environment).map { JanusGateway(configuration: $0) } } catch {
            throw ConfigurationError("\(error); scripts/run writes the Janus secrets into <run dir>/secrets.env")
        }
        var roomsConfiguration = RoomsConfiguration()
        roomsConfiguration.sfuAllGroups = config.sfuAllGroups
        roomsConfiguration.meshCap = config.meshCap
        roomsConfiguration.turnSecret = config.turnSecret
        if !config.turnURLs.isEmpty { roomsConfiguration.turnURLs = config.turnURLs }
        // Janus records an SFU room while its recording runs: the fallback for a participant whose upload never completes.
        let recordingSwitch = janus.map { janus in
            SFURecordingSwitch(
                sfu: janus, rooms: roomStore, configuration: roomsConfiguration,
                isRecording: {
                    try await recordingStore.recordings(roomId: $0, participantId: nil, before: nil, limit: 1).first?.state == .recording
                },
                logger: Logger(label: "mentorlink.sfu-recording"))
        }
        let recordings = RecordingService(
            store: recordingStore, rooms: roomStore, objects: try adapters.objects(config), bus: adapters.bus, audit: store,
            cursors: cursors,
            configuration: recordingConfiguration, staging: staging,
            recordingChanged: { roomId, recording in await recordingSwitch?.recordingChanged(roomId: roomId, recording: recording) })
        registry.mount(recordings)
        let presence = RedisPresence(client: adapters.redis)
        // The recording stops when the last participant leaves: once the room's presence (every worker's) stayed
        // empty for the grace, so that a reload does not stop it.
        let emptyRooms = EmptyRooms(presence: presence, grace: recordingConfiguration.emptyRoomGrace) { roomId in
            do { try await recordings.stopBecauseEmpty(roomId: roomId) } catch {
                logger.warning(
                    "recording.empty_stop_failed", metadata: ["room": .string(roomId.uuidString.lowercased()), "error": .string("\(error)")])
            }
        }
        let sfuJanitor = janus.map {
            SFURoomJanitor(
                sfu: $0, rooms: roomStore, configuration: roomsConfiguration, isRecording: recordingSwitch?.isRecording,
                logger: Logger(label: "mentorlink.sfu-janitor"))
        }
        registry.mount(
            RoomsService(
                rooms: roomStore, presence: presence, bus: adapters.bus, subscriptions: subscriptions, configuration: roomsConfiguration,
                emptyRooms: emptyRooms, sfu: janus, recordingSwitch: recordingSwitch))
        let tus = TusUploads(store: recordingStore, rooms: roomStore, staging: staging, configuration: recordingConfiguration)
        let uploads = UploadEndpoint(maxBodyBytes: recordingConfiguration.maxChunkBytes) { request in
            let answer = await tus.handle(
                TusRequest(
                    method: request.method, uploadId: request.uploadId, headers: request.headers, body: request.body, principal: request.principal,
                    clientAddress: request.clientAddress, requestId: request.requestId))
            return UploadEndpoint.Response(status: answer.status, headers: answer.headers, body: answer.body)
        }
        registry.mount(WalletService(store: payments, cursors: cursors))
        registry.mount(PaymentsService(store: payments, gateways: [.stripe: stripe, .upi: upi], configuration: paymentsConfiguration))
        registry.mount(PayoutsService(store: payments, gateway: stripe, configuration: paymentsConfiguration))
        registry.mount(
            DeadLetterService(
                store: PostgresDeadLetterStore(pool: adapters.postgres, logger: Logger(label: "mentorlink.dead-letters")), cursors: cursors))
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
        return WorkerWiring(
            registry: registry, authenticator: authenticator,
            middleware: [RateLimitMiddleware(limiter: limiter, rules: identityConfiguration.rateRules, logger: logger)], webhooks: webhooks,
            uploads: uploads, emptyRooms: emptyRooms, sfuHealth: janus, sfuJanitor: sfuJanitor)
    }
}
