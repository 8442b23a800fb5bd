import Foundation
import IdentityService
import JSONRPC
import Logging
import MentorLinkClient
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import RealtimeService
import RedisAdapter
import Server
import ServiceLifecycle
import ServiceSupport
import Synchronization
import Testing

/// Two in-process workers (this build's code) on temporary Unix sockets, each with its own Redis connections, event
/// bus, subscriptions, identity, realtime and rooms services, as `mentorlink worker` wires them, over a fresh
/// migrated database and the test stack's Redis: socket-level tests across workers without restarting the stack.
struct RealtimeHarness: Sendable {
    struct Worker: Sendable {
        let endpoint: SocketConnection.Endpoint
        let bus: RedisEventBus
        let subscriptions: Subscriptions
        let sessions: WebSocketSessions
    }

    let pool: PostgresPool
    let tokens: AccessTokens
    let workers: [Worker]
    let redis: RedisClient

    static let key: [UInt8] = Array(repeating: 9, count: 32)

    static func with(
        rooms: RoomsConfiguration = RoomsConfiguration(), sfu: (any SFUGateway)? = nil,
        worker configure: @escaping @Sendable (inout WorkerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (RealtimeHarness) async throws -> Void
    ) async throws {
        try await TestEnvironment.withFreshDatabase(migrated: true) { pool in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ml-rt-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let redisPath = "\(try TestEnvironment.runDirectory())/redis.sock"
            let logger = TestEnvironment.logger
            var identity = IdentityConfiguration(signingKeys: [("rt", key)], allowedOrigins: [])
            identity.rateRules = identity.rateRules.mapValues { RateRule(count: $0.count * 100, period: $0.period, burst: $0.burst * 100) }
            let tokens = await AccessTokens(configuration: identity)
            let shared = RedisClient(address: .unix(path: redisPath), logger: logger)
            let (listening, signal) = AsyncStream<Void>.makeStream()
            var services: [any Service] = [shared]
            var workers: [Worker] = []
            for index in 0..<2 {
                let redis = RedisClient(address: .unix(path: redisPath), logger: logger)
                let subscriber = RedisSubscriber(address: .unix(path: redisPath), logger: logger)
                let bus = RedisEventBus(client: redis, subscriber: subscriber, logger: logger)
                let revocations = RedisRevocationList(client: redis)
                let limiter = RedisRateLimiter(client: redis)
                let store = PostgresIdentityStore(pool: pool, logger: logger)
                let authenticator = IdentityAuthenticator(tokens: tokens, revocations: revocations, configuration: identity, logger: logger)
                let subscriptions = Subscriptions(bus: bus)
                var registry = MethodRegistry()
                registry.mount(SystemService(version: "test", gitCommit: nil))
                registry.mount(
                    try await IdentityService(
                        store: store, revocations: revocations, limiter: limiter, tokens: tokens, configuration: identity,
                        authenticator: authenticator, logger: logger))
                registry.mount(RealtimeService(subscriptions: subscriptions, store: PostgresNotificationStore(pool: pool, logger: logger)))
                registry.mount(
                    RoomsService(
                        rooms: PostgresRoomStore(pool: pool, logger: logger), presence: RedisPresence(client: redis), bus: bus,
                        subscriptions: subscriptions, configuration: rooms, sfu: sfu))
                let path = "\(directory)/worker-\(index).sock"
                var configuration = WorkerConfiguration(socketPath: path, index: index)
                configure(&configuration)
                let metrics = WorkerMetrics()
                let server = WorkerServer(
                    configuration: configuration,
                    dispatcher: RPCDispatcher(
                        registry: registry, info: OpenRPCInfo(title: "t", version: "0"),
                        middleware: [RateLimitMiddleware(limiter: limiter, rules: identity.rateRules, logger: logger)]), metrics: metrics,
                    authenticator: authenticator, logger: logger)
                services += [redis, subscriber, bus, try server.makeApplication(onListening: { signal.yield() }), server.sessions]
                workers.append(Worker(endpoint: .unix(path), bus: bus, subscriptions: subscriptions, sessions: server.sessions))
            }
            let group = ServiceGroup(services: services, logger: logger)
            let harness = RealtimeHarness(pool: pool, tokens: tokens, workers: workers, redis: shared)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    defer { signal.finish() }  // a worker that fails to start ends the wait too
                    try await group.run()
                }
                // Cancelled, not shut down gracefully: the buses wait for their subscribers' streams, which end after them.
                defer { tasks.cancelAll() }
                // Up means both workers listen (the readiness signal), not that their socket files exist (from bind on).
                var up = 0
                for await _ in listening {
                    up += 1
                    if up == 2 { break }
                }
                try await body(harness)
            }
        }
    }

    /// Worker `index`'s socket.
    func socket(_ index: Int) -> SocketConnection.Endpoint { workers[index % workers.count].endpoint }

    /// A user made directly in the database with a bearer token of a new session.
    func user(_ role: RPCRole) async throws -> (id: UUID, token: String, session: UUID) {
        let user = try await BookingHarness.insertUser(role, name: "Realtime \(role.rawValue)", on: pool.client)
        let session = UUID()
        let (token, _) = try await tokens.issue(
            for: User(id: user.id, email: "x@example.com", name: "x", roles: [Role(rawValue: role.rawValue)!]), sessionId: session)
        return (user.id, token, session)
    }

    /// A confirmed 1:1 booking starting in `minutes` (written directly: the slot grid is not under test here).
    func booking(mentor: UUID, mentee: UUID, inMinutes minutes: Int) async throws -> UUID {
        let rows = try await pool.client.query(
            """
            INSERT INTO bookings (kind, mentor_id, mentee_id, starts_at, ends_at, blocked_from, blocked_until, status)
            VALUES ('one_on_one', \(mentor), \(mentee), now() + \(minutes) * interval '1 minute', now() + \(minutes + 60) * interval '1 minute',
                    now() + \(minutes) * interval '1 minute', now() + \(minutes + 60) * interval '1 minute', 'confirmed')
            RETURNING id
            """, logger: TestEnvironment.logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw TestEnvironment.Missing(what: "booking")
    }

    /// A confirmed group session starting in 5 minutes with `capacity` seats, one confirmed per mentee; the group's id and
    /// the seats' ids.
    func group(mentor: UUID, mentees: [UUID], capacity: Int = 5) async throws -> (id: UUID, seats: [UUID: UUID]) {
        let rows = try await pool.client.query(
            """
            WITH g AS (
                INSERT INTO bookings (kind, mentor_id, starts_at, ends_at, blocked_from, blocked_until, status, capacity, seats_taken, title)
                VALUES ('group', \(mentor), now() + interval '5 minutes', now() + interval '65 minutes', now() + interval '5 minutes',
                        now() + interval '65 minutes', 'confirmed', \(capacity), \(mentees.count), 'Clinic') RETURNING id, starts_at, ends_at)
            INSERT INTO bookings (kind, mentor_id, mentee_id, parent_id, starts_at, ends_at, blocked_from, blocked_until, status)
            SELECT 'group_seat', \(mentor), m, g.id, g.starts_at, g.ends_at, g.starts_at, g.ends_at, 'confirmed'
            FROM g, unnest(\(mentees)::uuid[]) m
            RETURNING parent_id, id, mentee_id
            """, logger: TestEnvironment.logger)
        var group: UUID?
        var seats: [UUID: UUID] = [:]
        for try await (parent, seat, mentee) in rows.decode((UUID, UUID, UUID).self) {
            group = parent
            seats[mentee] = seat
        }
        return (try #require(group), seats)
    }

    /// Runs blocking client code on its own thread.
    func clients<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T { try await TestEnvironment.offThePool(body) }

    /// From client code (on its own thread): runs async work and waits for it.
    func wait(_ body: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Task {
            do { try await body() } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

/// Reading pushes on a mock client.
extension RPCWebSocketClient {
    /// The next `subscription.ended` notification's params (events before it are skipped).
    func nextEnded() throws -> [String: Any] {
        while true {
            let params = try nextNotification()
            if params["event"] == nil, params["reason"] != nil { return params }
        }
    }

    /// The frames that arrive before the reply to a `system.ping` sent now: everything the worker had already pushed.
    func framesBeforeFence() throws -> [String] {
        try socket.send(text: #"{"jsonrpc":"2.0","id":"fence","method":"system.ping"}"#)
        var frames: [String] = []
        while true {
            guard case .text(let text) = try socket.receive() else { throw ClientError.protocolError("closed before the fence") }
            if text.contains(#""id":"fence""#) { return frames }
            frames.append(text)
        }
    }

    /// The next `subscription` event of `type` (earlier ones, such as one's own presence, are skipped).
    func nextEvent(_ type: String) throws -> [String: Any] {
        while true {
            let params = try nextNotification()
            if let event = params["event"] as? [String: Any], event["type"] as? String == type { return event }
        }
    }
}

/// The `error.data.reason` of a response object.
func rpcReason(_ response: [String: Any]) -> String? { ((response["error"] as? [String: Any])?["data"] as? [String: Any])?["reason"] as? String }
