import Foundation
import JSONRPC
import Logging
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Testing

/// Credits and bookings together over a real PostgreSQL: escrow on booking, refund or release on cancellation by
/// policy, release on completion (once, with two processes racing), a wallet that can afford three of fifty
/// concurrent bookings, free sessions, and reconciliation catching a corrupted balance.
@Suite(.timeLimit(.minutes(2))) struct EscrowTests {
    func book(_ harness: BookingHarness, _ mentor: BookingHarness.User, _ mentee: BookingHarness.User, _ start: String) async throws -> Outcome {
        try await harness.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":60}"#, as: mentee)
    }

    @Test func fiftyConcurrentBookingsFromAWalletThatAffordsThree() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(minutes: [60], price: 10)
            let mentee = try await harness.user(.mentee)
            try await harness.fund(mentee, 30)
            // 50 different free slots: 8 a day from Monday.
            let starts = (0..<50).map { index in BookingHarness.start.adding(minutes: (index / 8) * 1440 + 180 + (index % 8) * 60).description }
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for start in starts {
                    // Fifty transactions queue on one mentor's row lock; on a loaded machine a wait can pass the 8 s
                    // lock_timeout, which answers `unavailable` (retryable, nothing written). A client retries it with
                    // the same idempotency key; the outcome that counts is the one it ends with.
                    group.addTask {
                        let key = UUID().uuidString
                        for attempt in 1...5 {
                            let outcome = try await harness.call(
                                "booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":60,"idempotencyKey":"\#(key)"}"#,
                                as: mentee)
                            if outcome.reason != "unavailable" || attempt == 5 { return outcome.reason ?? "ok" }
                            try await Task.sleep(for: .milliseconds(200 * attempt))
                        }
                        return "unreachable"
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 3, "\(outcomes)")
            #expect(outcomes.filter { $0 == "insufficient_credits" }.count == 47, "\(Set(outcomes))")
            #expect(try await harness.wallet(mentee) == Wallet(available: 0, escrow: 30, earnings: 0))
            #expect(try await harness.count("SELECT count(*)::int FROM bookings WHERE status = 'confirmed'") == 3)
            #expect(try await harness.payments.reconcile().ok)
        }
    }

    @Test func cancellationRefundsOrReleasesByPolicy() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(minutes: [60], price: 10)
            let mentee = try await harness.user(.mentee)
            try await harness.fund(mentee, 100)
            // Monday 06:00 now. Tomorrow's sessions are more than 24 h away; today's are not.
            let today = try #require(try await book(harness, mentor, mentee, "2027-05-03T10:00:00Z").object("booking")?["id"] as? String)
            let later = try #require(try await book(harness, mentor, mentee, "2027-05-05T10:00:00Z").object("booking")?["id"] as? String)
            let byMentor = try #require(try await book(harness, mentor, mentee, "2027-05-03T12:00:00Z").object("booking")?["id"] as? String)
            #expect(try await harness.wallet(mentee) == Wallet(available: 70, escrow: 30, earnings: 0))
            // Mentee, more than 24 h ahead: full refund.
            let early = try await harness.ok("booking.cancel", #"{"bookingId":"\#(later)"}"#, as: mentee)
            #expect((early["policy"] as? [String: Any])?["escrow"] as? String == "refunded")
            // Mentor: full refund whenever.
            try await harness.ok("booking.cancel", #"{"bookingId":"\#(byMentor)"}"#, as: mentor)
            #expect(try await harness.wallet(mentee) == Wallet(available: 90, escrow: 10, earnings: 0))
            // Mentee, less than 24 h ahead: no refund; the mentor is paid minus the 10% fee.
            let late = try await harness.ok("booking.cancel", #"{"bookingId":"\#(today)"}"#, as: mentee)
            #expect((late["policy"] as? [String: Any])?["escrow"] as? String == "released")
            #expect(try await harness.wallet(mentee) == Wallet(available: 90, escrow: 0, earnings: 0))
            #expect(try await harness.wallet(mentor) == Wallet(available: 0, escrow: 0, earnings: 9))
            #expect(try await harness.count("SELECT count(*)::int FROM outbox WHERE event_type IN ('escrow.refunded', 'escrow.released')") == 3)
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entries WHERE action LIKE 'ledger.escrow_%'") == 3)
            #expect(try await harness.payments.reconcile().ok)
        }
    }

    @Test func completionReleasesOnceWithTwoProcessesRacing() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(minutes: [60], price: 20)
            let mentee = try await harness.user(.mentee)
            try await harness.fund(mentee, 100)
            var ids: [String] = []
            for hour in 10...14 {
                ids.append(try #require(try await book(harness, mentor, mentee, "2027-05-03T\(hour):00:00Z").object("booking")?["id"] as? String))
            }
            // Rescheduling moves no credits.
            try await harness.ok("booking.reschedule", #"{"bookingId":"\#(ids[0])","start":"2027-05-03T16:00:00Z"}"#, as: mentee)
            #expect(try await harness.wallet(mentee) == Wallet(available: 0, escrow: 100, earnings: 0))
            // Nothing is due before the end plus the grace period.
            #expect(try await harness.bookings.releaseDueEscrows(now: harness.clock.now, grace: .seconds(3600), limit: 100) == 0)
            let later = Instant(iso8601: "2027-05-03T18:00:00Z")!
            // A second "process": its own pool to the same database.
            let socket = "\(try TestEnvironment.runDirectory())/pg/.s.PGSQL.5432"
            let database = try await harness.count("SELECT 0") == 0 ? try await currentDatabase(harness) : ""
            let otherPool = PostgresPool(socketPath: socket, username: "mentorlink", database: database, logger: TestEnvironment.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await otherPool.run() }
                defer { group.cancelAll() }
                let other = PostgresBookingStore(pool: otherPool, logger: TestEnvironment.logger)
                async let first = harness.bookings.releaseDueEscrows(now: later, grace: .seconds(3600), limit: 100)
                async let second = other.releaseDueEscrows(now: later, grace: .seconds(3600), limit: 100)
                let (a, b) = try await (first, second)
                // Four ended by 17:00; the one moved to 16:00–17:00 is due at 18:00 as well.
                #expect(a + b == 5, "released \(a) + \(b)")
            }
            #expect(try await harness.wallet(mentor) == Wallet(available: 0, escrow: 0, earnings: 90))
            #expect(try await harness.wallet(mentee) == Wallet(available: 0, escrow: 0, earnings: 0))
            #expect(try await harness.bookings.releaseDueEscrows(now: later, grace: .seconds(3600), limit: 100) == 0)
            #expect(try await harness.count("SELECT count(*)::int FROM ledger_transactions WHERE kind = 'escrow_release'") == 5)
            #expect(try await harness.payments.reconcile().ok)
        }
    }

    func currentDatabase(_ harness: BookingHarness) async throws -> String {
        for try await name in try await harness.pool.client.query("SELECT current_database()", logger: TestEnvironment.logger).decode(String.self) {
            return name
        }
        return ""
    }

    @Test func groupSeatsPayAndFreeSessionsMoveNothing() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor(minutes: [60], price: 0)
            let mentee = try await harness.user(.mentee)
            try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: mentee)
            #expect(try await harness.count("SELECT count(*)::int FROM ledger_transactions") == 0)
            let group = try await harness.ok(
                "sessions.createGroup", #"{"start":"2027-05-04T15:00:00Z","minutes":60,"capacity":5,"title":"Clinic","topic":"Go","priceCredits":5}"#,
                as: mentor)
            let groupId = try #require((group["booking"] as? [String: Any])?["id"] as? String)
            #expect(try await harness.call("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentee).reason == "insufficient_credits")
            #expect(try await harness.count("SELECT seats_taken FROM bookings WHERE kind = 'group'") == 0)
            try await harness.fund(mentee, 5)
            try await harness.ok("booking.join", #"{"groupSessionId":"\#(groupId)"}"#, as: mentee)
            #expect(try await harness.wallet(mentee) == Wallet(available: 0, escrow: 5, earnings: 0))
            try await harness.ok("booking.cancel", #"{"bookingId":"\#(groupId)"}"#, as: mentor)
            #expect(try await harness.wallet(mentee) == Wallet(available: 5, escrow: 0, earnings: 0))
            #expect(try await harness.payments.reconcile().ok)
        }
    }

    @Test func reconcileFindsACorruptedBalance() async throws {
        try await BookingHarness.with { harness in
            let mentee = try await harness.user(.mentee)
            try await harness.fund(mentee, 12)
            #expect(try await harness.payments.reconcile().ok)
            try await harness.pool.client.query(
                "UPDATE ledger_accounts SET balance = balance + 5 WHERE owner_id = \(mentee.id) AND kind = 'available'",
                logger: TestEnvironment.logger)
            let report = try await harness.payments.reconcile()
            #expect(!report.ok)
            #expect(report.mismatchedAccounts.count == 1)
            // The ledger itself refuses edits.
            await #expect(throws: (any Error).self) {
                try await harness.pool.client.query("UPDATE ledger_entries SET amount = amount + 1", logger: TestEnvironment.logger)
            }
            // An unbalanced transaction does not commit (the deferred trigger fails the COMMIT).
            await #expect(throws: (any Error).self) {
                try await harness.pool.client.withTransaction(logger: TestEnvironment.logger) { connection in
                    try await connection.query(
                        "SELECT ledger_post('bad', 'x', ARRAY['']::text[], ARRAY['revenue']::text[], ARRAY[5]::int8[], NULL)",
                        logger: TestEnvironment.logger)
                }
            }
            #expect(try await harness.count("SELECT count(*)::int FROM ledger_transactions WHERE kind = 'bad'") == 0)
        }
    }
}
