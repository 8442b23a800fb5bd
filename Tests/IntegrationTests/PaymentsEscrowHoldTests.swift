import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// Escrow that must not reach the mentor: a disabled or demoted mentor's escrow is frozen (not released), and a
/// mentee's no-show report within the window after the session holds it (disputed) until an admin resolves it.
@Suite(.timeLimit(.minutes(2))) struct PaymentsEscrowHoldTests {
    func book(_ harness: PaymentsHarness, _ mentor: BookingHarness.User, _ mentee: BookingHarness.User, _ start: String) async throws -> String {
        let booked = try await harness.base.call("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":60}"#, as: mentee)
        return try #require(booked.object("booking")?["id"] as? String, "\(String(describing: booked.error))")
    }

    func release(_ harness: PaymentsHarness, at time: String) async throws -> Int {
        try await harness.base.bookings.releaseDueEscrows(now: try #require(Instant(iso8601: time)), grace: .seconds(3600), limit: 100)
    }

    @Test func aDisabledOrDemotedMentorsEscrowIsFrozen() async throws {
        try await PaymentsHarness.with { harness in
            let disabled = try await harness.base.mentor(name: "Disabled", minutes: [60], price: 10)
            let demoted = try await harness.base.mentor(name: "Demoted", minutes: [60], price: 10)
            let mentee = try await harness.base.user(.mentee)
            try await harness.base.fund(mentee, 30)
            _ = try await book(harness, disabled, mentee, "2027-05-03T10:00:00Z")
            _ = try await book(harness, demoted, mentee, "2027-05-03T12:00:00Z")
            try await harness.base.pool.client.query("UPDATE users SET disabled_at = now() WHERE id = \(disabled.id)", logger: TestEnvironment.logger)
            try await harness.base.pool.client.query(
                "UPDATE users SET roles = ARRAY['mentee'] WHERE id = \(demoted.id)", logger: TestEnvironment.logger)
            #expect(try await release(harness, at: "2027-05-04T00:00:00Z") == 0)
            #expect(try await harness.base.wallet(disabled).earnings == 0)
            #expect(try await harness.base.wallet(demoted).earnings == 0)
            #expect(try await harness.base.wallet(mentee).escrow == 20)
            #expect(try await harness.base.count("SELECT count(*)::int FROM bookings WHERE escrow_state = 'frozen'") == 2)
            // Re-enabled: the escrow is held again and releases as usual.
            try await harness.base.pool.client.query("UPDATE users SET disabled_at = NULL WHERE id = \(disabled.id)", logger: TestEnvironment.logger)
            #expect(try await release(harness, at: "2027-05-04T00:00:00Z") == 1)
            #expect(try await harness.base.wallet(disabled).earnings == 9)
            // The demoted mentor's escrow goes back to the mentee by an admin's audited decision.
            let admin = try await harness.base.user(.admin)
            let frozen = try #require(try await frozenBooking(harness))
            let resolved = try await harness.call(
                "admin.resolveEscrow", #"{"bookingId":"\#(frozen)","decision":"refund","reason":"mentor removed"}"#, as: admin)
            #expect(resolved.result?["escrowState"] as? String == "refunded", "\(String(describing: resolved.error))")
            #expect(try await harness.base.wallet(mentee) == Wallet(available: 20, escrow: 0, earnings: 0))
            #expect(try await harness.base.count("SELECT count(*)::int FROM audit_entries WHERE action = 'escrow.resolve'") == 1)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    func frozenBooking(_ harness: PaymentsHarness) async throws -> UUID? {
        for try await id in try await harness.base.pool.client.query(
            "SELECT id FROM bookings WHERE escrow_state = 'frozen'", logger: TestEnvironment.logger
        ).decode(UUID.self) { return id }
        return nil
    }

    @Test func aNoShowReportHoldsTheEscrowUntilAnAdminResolvesIt() async throws {
        try await PaymentsHarness.with { harness in
            let mentor = try await harness.base.mentor(minutes: [60], price: 10)
            let mentee = try await harness.base.user(.mentee)
            let other = try await harness.base.user(.mentee)
            let admin = try await harness.base.user(.admin)
            try await harness.base.fund(mentee, 30)
            let first = try await book(harness, mentor, mentee, "2027-05-03T10:00:00Z")
            let second = try await book(harness, mentor, mentee, "2027-05-03T12:00:00Z")
            let late = try await book(harness, mentor, mentee, "2027-05-03T14:00:00Z")
            // Before the session starts there is nothing to report; only the booking's mentee may report.
            #expect(try await harness.call("booking.reportNoShow", #"{"bookingId":"\#(first)"}"#, as: mentee).reason == "invalid_state")
            harness.base.clock.advance(minutes: 5 * 60 + 30)  // 11:30: the first session has ended.
            #expect(try await harness.call("booking.reportNoShow", #"{"bookingId":"\#(first)"}"#, as: other).reason == "forbidden")
            let reported = try await harness.call("booking.reportNoShow", #"{"bookingId":"\#(first)","reason":"The mentor never came"}"#, as: mentee)
            #expect(reported.result?["escrowState"] as? String == "disputed", "\(String(describing: reported.error))")
            #expect(try await harness.call("booking.reportNoShow", #"{"bookingId":"\#(first)"}"#, as: mentee).reason == "invalid_state")
            harness.base.clock.advance(minutes: 180)  // 14:30: the second ended 90 minutes ago, outside the 60-minute window.
            #expect(try await harness.call("booking.reportNoShow", #"{"bookingId":"\#(second)"}"#, as: mentee).reason == "invalid_state")
            // The release job passes the disputed one by and releases the other.
            #expect(try await release(harness, at: "2027-05-03T14:30:00Z") == 1)
            #expect(try await harness.base.wallet(mentor).earnings == 9)
            // An admin resolves: release (the session took place after all) or refund. Only admins; audited.
            #expect(
                try await harness.call(
                    "admin.resolveEscrow", #"{"bookingId":"\#(first)","decision":"refund","reason":"no-show confirmed"}"#, as: mentee
                ).reason == "forbidden")
            let refunded = try await harness.call(
                "admin.resolveEscrow", #"{"bookingId":"\#(first)","decision":"refund","reason":"no-show confirmed"}"#, as: admin)
            #expect(refunded.result?["escrowState"] as? String == "refunded", "\(String(describing: refunded.error))")
            #expect(
                try await harness.call("admin.resolveEscrow", #"{"bookingId":"\#(first)","decision":"release","reason":"again"}"#, as: admin).reason
                    == "invalid_state")
            #expect(
                try await harness.call("admin.resolveEscrow", #"{"bookingId":"\#(late)","decision":"release","reason":"not disputed"}"#, as: admin)
                    .reason == "invalid_state")
            #expect(try await harness.base.wallet(mentee) == Wallet(available: 10, escrow: 10, earnings: 0))
            #expect(try await harness.base.count("SELECT count(*)::int FROM audit_entries WHERE action IN ('escrow.no_show', 'escrow.resolve')") == 2)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }
}
