import ArgumentParser
import Foundation
import IdentityService
import Logging
import MentorLinkCore
import PaymentsService
import PostgresAdapter

/// `mentorlink seed search|booking|webhooks`: benchmark data, straight into the database (see `scripts/bench`);
/// `mentorlink seed demo`: the demo accounts and mentors `scripts/run` seeds (SeedCommand+Demo.swift).
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed benchmark data (search: mentors; booking: mentors, mentees and a request file) or the demo (demo: accounts and mentors).")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case search, booking, webhooks, demo }

    @Argument(help: "search, booking, webhooks or demo") var kind: Kind

    @Option(help: "Mentors to create.") var mentors: Int = 100_000

    @Option(help: "Booking: mentees to create (each gets an access token).") var mentees: Int = 64

    @Option(help: "Booking: hourly slots per mentor to request, starting tomorrow 00:00 UTC.") var slots: Int = 24

    @Option(help: "Booking: how many different mentees ask for each slot (1 = no conflicts).") var contention: Int = 1

    @Option(help: "Booking: the price of the mentors' 60-minute session (mentees get enough credits for every request).") var price: Int = 0

    @Option(help: "Webhooks: how many paid top-ups to deliver.") var payments: Int = 1000

    @Option(help: "Where to write the requests (TOKEN<TAB>BODY per line) for `mentorlink load --scenario lines`.") var out: String =
        "booking-requests.txt"

    func run() async throws {
        let config = AppConfiguration.fromEnvironment()
        if kind == .demo, Self.printSeededDemo(config: config) { return }
        let logger = config.makeLogger("mentorlink.seed")
        let pool = PostgresPool(socketPath: config.postgresSocket, username: config.postgresUser, database: config.postgresDatabase, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.run() }
            defer { group.cancelAll() }
            let seeder = BenchmarkSeeder(pool: pool, logger: logger)
            switch kind {
            case .search:
                try await seeder.seedSearch(mentors: mentors)
                print("seeded \(mentors) mentors")
            case .booking: try await seedBooking(seeder, config: config, pool: pool, logger: logger)
            case .webhooks: try await seedWebhooks(seeder, config: config, pool: pool, logger: logger)
            case .demo: try await seedDemo(config: config, pool: pool, logger: logger)
            }
        }
    }

    /// Mentors open around the clock (through the real `availability.set` path is not needed: the rules are
    /// written by the store), mentees with tokens, and the request file.
    func seedBooking(_ seeder: BenchmarkSeeder, config: AppConfiguration, pool: PostgresPool, logger: Logger) async throws {
        guard !config.jwtKeys.isEmpty else { throw ConfigurationError("MENTORLINK_JWT_KEYS is not set") }
        let store = PostgresBookingStore(pool: pool, logger: logger)
        let mentorIds = try await seeder.users(mentors, role: "mentor", prefix: "bm")
        let menteeIds = try await seeder.users(mentees, role: "mentee", prefix: "be")
        let everyDay = Weekday.allCases.map { WeeklyWindow(day: $0, start: ClockTime(minutes: 0), end: ClockTime(minutes: 1440)) }
        for id in mentorIds {
            if price > 0 {
                _ = try await store.saveProfile(
                    mentorId: id,
                    input: ProfileInput(
                        headline: "Bench", bio: "", skills: [], topics: [], tags: [], yearsExperience: 1, languages: [], timeZone: "UTC",
                        sessionTypes: [SessionType(kind: .oneOnOne, minutes: 60, priceCredits: price)]), now: .now, freeRuns: FreeRunPolicy())
            }
            try await store.saveAvailability(
                mentorId: id, rules: AvailabilityRules(timeZone: "UTC", weekly: everyDay), now: .now, audit: nil, freeRuns: FreeRunPolicy())
        }
        if price > 0 {
            let payments = PostgresPaymentsStore(pool: pool, logger: logger)
            let needed = (slots * mentors * contention / max(1, mentees) + 1) * price
            for id in menteeIds {
                _ = try await payments.adjust(
                    userId: id, credits: needed, reason: "benchmark funding", audit: AuditEntry(actorId: nil, action: "bench.fund"))
            }
        }
        let tokens = await AccessTokens(configuration: IdentityConfiguration(signingKeys: config.jwtKeys, allowedOrigins: []))
        var menteeTokens: [String] = []
        for id in menteeIds {
            let user = User(id: id, email: "bench@example.com", name: "Bench", roles: [.mentee])
            menteeTokens.append(try await tokens.issue(for: user, sessionId: UUID(), now: Date()).token)
        }
        let tomorrow = (Int(Date().timeIntervalSince1970) / 86_400 + 1) * 86_400
        var lines: [String] = []
        var turn = 0
        for slot in 0..<slots {
            for mentor in mentorIds {
                let start = Instant(Date(timeIntervalSince1970: TimeInterval(tomorrow + slot * 3600)))
                for _ in 0..<contention {
                    let body =
                        #"{"jsonrpc":"2.0","id":1,"method":"booking.create","params":{"mentorId":"\#(mentor)","start":"\#(start)","minutes":60}}"#
                    lines.append("\(menteeTokens[turn % menteeTokens.count])\t\(body)")
                    turn += 1
                }
            }
        }
        try lines.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
        print("seeded \(mentorIds.count) mentors, \(menteeIds.count) mentees; \(lines.count) requests in \(out)")
    }

    /// Paid Stripe top-ups waiting for their webhook, and the signed `payment_intent.succeeded` deliveries
    /// (`Stripe-Signature<TAB>BODY` per line; sign shortly before sending: the tolerance is 5 minutes).
    func seedWebhooks(_ seeder: BenchmarkSeeder, config: AppConfiguration, pool: PostgresPool, logger: Logger) async throws {
        guard let secret = config.providers.stripeWebhookSecrets.first else { throw ConfigurationError("STRIPE_WEBHOOK_SECRET is not set") }
        let store = PostgresPaymentsStore(pool: pool, logger: logger)
        let users = try await seeder.users(max(1, mentees), role: "mentee", prefix: "bw")
        var lines: [String] = []
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<payments {
            let user = users[index % users.count]
            let (payment, _) = try await store.createPayment(
                NewPayment(
                    userId: user, provider: .stripe, credits: 10, amount: 1000, currency: "usd", idempotencyKey: "bench-\(index)-\(UUID())",
                    audit: AuditEntry(actorId: user, action: "payment.create")))
            let intent = "pi_bench_\(UUID().uuidString.lowercased().prefix(12))"
            _ = try await store.attachProvider(paymentId: payment.paymentId, providerRef: intent, clientSecret: nil, upiLink: nil)
            let body =
                #"{"data":{"object":{"amount":1000,"currency":"usd","id":"\#(intent)"}},"id":"evt_\#(intent)","type":"payment_intent.succeeded"}"#
            lines.append("\(WebhookSignature.stripeHeader(body: Array(body.utf8), secret: secret, timestamp: now))\t\(body)")
        }
        try lines.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
        print("seeded \(payments) payments; \(lines.count) webhook deliveries in \(out)")
    }
}
