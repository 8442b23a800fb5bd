public import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// What the discovery, booking, feedback and payments handler tests share: one ``InMemoryMarketplace`` with its four
/// stores, a hand-moved clock, users made directly in it, and the services a test mounts, called through the
/// dispatcher (the in-memory twin of the live tests' `BookingHarness`).
public struct MarketplaceHarness: Sendable {
    /// The stores the services are given.
    public struct Stores: Sendable {
        public let bookings: InMemoryBookingStore
        public let directory: InMemoryMentorDirectory
        public let reviews: InMemoryReviewStore
        public let payments: InMemoryPaymentsStore
        /// One key for every service's cursors.
        public let cursors: CursorCodec
        /// The harness's clock.
        public let clock: TestClock
    }

    /// Monday 2027-05-03 06:00 UTC, as in the live booking tests.
    public static let start = Instant(iso8601: "2027-05-03T06:00:00Z") ?? .now

    public let database: InMemoryMarketplace
    public let stores: Stores
    public let clock: TestClock
    public let dispatcher: RPCDispatcher

    /// A harness at `start` with the services `services` makes from the stores.
    public init(start: Instant = MarketplaceHarness.start, services: (Stores) -> [any RPCService]) {
        let clock = TestClock(start)
        let database = InMemoryMarketplace(now: { clock.now })
        let stores = Stores(
            bookings: InMemoryBookingStore(database: database), directory: InMemoryMentorDirectory(database: database),
            reviews: InMemoryReviewStore(database: database), payments: InMemoryPaymentsStore(database: database), cursors: .random(), clock: clock)
        var registry = MethodRegistry()
        for service in services(stores) { service.register(into: &registry) }
        self.database = database
        self.stores = stores
        self.clock = clock
        self.dispatcher = RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "0"))
    }

    /// A user made directly in the database.
    public func user(_ role: Role, name: String = "Test User") -> Caller { Caller(id: database.addUser(name: name, roles: [role]), roles: [role]) }

    /// Calls `method` as `caller` (anonymously when `nil`).
    public func call(_ method: String, _ params: String = "{}", as caller: Caller? = nil) async throws -> Outcome {
        try await dispatcher.call(method, params, as: caller)
    }

    /// Calls and requires success; returns the result.
    @discardableResult public func ok(_ method: String, _ params: String = "{}", as caller: Caller? = nil) async throws -> [String: Any] {
        let outcome = try await call(method, params, as: caller)
        guard let result = outcome.result else {
            throw TestingError.callFailed(method, outcome.error.map { "\($0.reason ?? "") \($0.message)" } ?? "no result")
        }
        return result
    }

    /// The reason a call fails with (`nil` when it succeeds).
    public func reason(_ method: String, _ params: String = "{}", as caller: Caller? = nil) async throws -> String? {
        try await call(method, params, as: caller).reason
    }

    /// A mentor with a profile (1:1 session types of `minutes` at `price`) and every-day availability 09:00–17:00
    /// in `timeZone` (changed by `rules`), saved straight into the stores.
    public func mentor(
        name: String = "Mentor", skills: [String] = ["Swift"], topics: [String] = ["Career"], minutes: [Int] = [30, 60], timeZone: String = "UTC",
        price: Int = 0, rules configure: (inout AvailabilityRules) -> Void = { _ in }
    ) async throws -> Caller {
        let mentor = user(.mentor, name: name)
        let input = ProfileInput(
            headline: "Mentor of things", bio: "I help.", skills: skills, topics: topics, tags: [], yearsExperience: 5, languages: ["en"],
            timeZone: timeZone, sessionTypes: minutes.map { SessionType(kind: .oneOnOne, minutes: $0, priceCredits: price) })
        _ = try await stores.directory.saveProfile(mentorId: mentor.id, input: input, now: clock.now, freeRuns: FreeRunPolicy())
        var rules = AvailabilityRules(
            timeZone: timeZone,
            weekly: Weekday.allCases.map { WeeklyWindow(day: $0, start: ClockTime(minutes: 9 * 60), end: ClockTime(minutes: 17 * 60)) })
        configure(&rules)
        try await stores.bookings.saveAvailability(mentorId: mentor.id, rules: rules, now: clock.now, audit: nil, freeRuns: FreeRunPolicy())
        return mentor
    }

    /// Gives a user credits (support's adjustment).
    public func fund(_ caller: Caller, _ credits: Int) throws { try database.fund(caller.id, credits) }

    /// A user's wallet.
    public func wallet(_ caller: Caller) -> Wallet { database.wallet(caller.id) }
}
