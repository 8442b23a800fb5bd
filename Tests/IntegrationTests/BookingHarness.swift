import BookingService
import DiscoveryService
import FeedbackService
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// The discovery and booking services over a fresh, migrated PostgreSQL database, called in-process through the
/// dispatcher with a given caller and a hand-moved clock.
struct BookingHarness: Sendable {
    let dispatcher: RPCDispatcher
    let pool: PostgresPool
    let clock: TestClock
    let bookings: PostgresBookingStore
    let payments: PostgresPaymentsStore

    /// Monday 2027-05-03 06:00 UTC: far enough from any DST change for the plain tests.
    static let start = Instant(iso8601: "2027-05-03T06:00:00Z")!

    static func with(_ body: (BookingHarness) async throws -> Void) async throws {
        try await TestEnvironment.withFreshDatabase(migrated: true) { pool in
            let clock = TestClock(start)
            var configuration = BookingConfiguration()
            configuration.now = { clock.now }
            let store = PostgresBookingStore(pool: pool, logger: TestEnvironment.logger)
            let payments = PostgresPaymentsStore(pool: pool, logger: TestEnvironment.logger)
            var registry = MethodRegistry()
            registry.mount(WalletService(store: payments))
            registry.mount(BookingService(store: store, configuration: configuration))
            var discovery = DiscoveryConfiguration()
            discovery.now = { clock.now }
            discovery.cursors = configuration.cursors
            registry.mount(DiscoveryService(directory: store, configuration: discovery))
            registry.mount(FeedbackService(store: store, cursors: configuration.cursors, now: { clock.now }))
            let dispatcher = RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "0"))
            try await body(BookingHarness(dispatcher: dispatcher, pool: pool, clock: clock, bookings: store, payments: payments))
        }
    }

    /// A user made directly in the database (the identity service is tested on its own).
    struct User: Sendable {
        var id: UUID
        var role: RPCRole
        var principal: Principal { Principal(userId: id.uuidString, roles: [role]) }
    }

    func user(_ role: RPCRole, name: String = "Test User") async throws -> User { try await Self.insertUser(role, name: name, on: pool.client) }

    static func insertUser(_ role: RPCRole, name: String, on client: PostgresClient) async throws -> User {
        let email = "\(role.rawValue)-\(UUID().uuidString.prefix(12).lowercased())@example.com"
        let rows = try await client.query(
            "INSERT INTO users (email, name, password_hash, roles) VALUES (\(email), \(name), 'x', \([role.rawValue])) RETURNING id",
            logger: TestEnvironment.logger)
        for try await id in rows.decode(UUID.self) { return User(id: id, role: role) }
        throw PostgresAdapterError.unexpectedEmptyResult
    }

    /// Calls a method as `user` (or anonymously).
    func call(_ method: String, _ params: String = "{}", as user: User? = nil) async throws -> Outcome {
        let context = RPCContext(
            requestId: "t-\(UUID().uuidString.prefix(6))", logger: TestEnvironment.logger, principal: user?.principal, clientAddress: "10.0.0.1",
            transport: .http, credentials: RequestCredentials(bearer: nil, cookies: [:], origin: nil))
        return try await dispatcher.call(method, params, context: context)
    }

    /// Calls and requires success.
    @discardableResult func ok(
        _ method: String, _ params: String = "{}", as user: User? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let outcome = try await call(method, params, as: user)
        return try #require(outcome.result, "\(method) failed: \(String(describing: outcome.error))", sourceLocation: sourceLocation)
    }

    /// A mentor with a profile and weekday-and-weekend availability 09:00–17:00 in `timeZone`.
    func mentor(
        name: String = "Mentor", skills: [String] = ["Swift"], minutes: [Int] = [30, 60], timeZone: String = "UTC", extra: String = "", price: Int = 0
    ) async throws -> User {
        let mentor = try await user(.mentor, name: name)
        let types = minutes.map { #"{"kind":"one_on_one","minutes":\#($0),"priceCredits":\#(price)}"# }.joined(separator: ",")
        let skillList = skills.map { "\"\($0)\"" }.joined(separator: ",")
        try await ok(
            "mentors.updateProfile",
            #"{"headline":"Mentor of things","bio":"I help.","skills":[\#(skillList)],"topics":["Career"],"tags":[],"yearsExperience":5,"languages":["en"],"timeZone":"\#(timeZone)","sessionTypes":[\#(types)]}"#,
            as: mentor)
        let weekly = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { #"{"day":"\#($0)","start":"09:00","end":"17:00"}"# }.joined(
            separator: ",")
        try await ok("availability.set", #"{"timeZone":"\#(timeZone)","weekly":[\#(weekly)]\#(extra)}"#, as: mentor)
        return mentor
    }

    /// Gives a user credits (support's adjustment).
    func fund(_ user: User, _ credits: Int) async throws {
        _ = try await payments.adjust(userId: user.id, credits: credits, reason: "test funding", audit: AuditEntry(actorId: nil, action: "test.fund"))
    }

    /// A user's wallet.
    func wallet(_ user: User) async throws -> Wallet { try await payments.wallet(userId: user.id) }

    /// Counts rows for a query returning one integer.
    func count(_ query: PostgresQuery) async throws -> Int { try await pool.count(query) }

    /// Pairs of active 1:1/group bookings of one mentor that overlap (must always be 0).
    func overlaps() async throws -> Int {
        try await count(
            """
            SELECT count(*)::int FROM bookings a JOIN bookings b ON a.mentor_id = b.mentor_id AND a.id < b.id
            WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed')
              AND a.kind IN ('one_on_one', 'group') AND b.kind IN ('one_on_one', 'group')
              AND (a.status = 'confirmed' OR a.hold_expires_at > now() - interval '100 years')
              AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
            """)
    }

    /// Group sessions whose seat count is over capacity or disagrees with their confirmed seats (must be 0).
    func overfilledGroups() async throws -> Int {
        try await count(
            """
            SELECT count(*)::int FROM bookings g
            WHERE g.kind = 'group' AND g.status = 'confirmed' AND (g.seats_taken > g.capacity OR g.seats_taken <>
                (SELECT count(*) FROM bookings s WHERE s.parent_id = g.id AND s.kind = 'group_seat' AND s.status = 'confirmed'))
            """)
    }
}
