import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import ServiceSupport
import Testing

/// Payouts (request, approve once, provider failures) and escrow disputes (no-show reports, an admin's resolution).
@Suite struct PayoutAndEscrowTests {
    /// A mentor with `earned` credits of earnings from a finished session's released escrow.
    func earning(_ f: PaymentsFixture, _ earned: Int) async throws -> Caller {
        let mentor = try await f.h.mentor(price: earned)
        let mentee = f.h.user(.mentee)
        try f.h.fund(mentee, earned)
        try await f.h.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: mentee)
        f.h.clock.advance(minutes: 6 * 60)
        _ = try await f.h.stores.bookings.releaseDueEscrows(now: f.h.clock.now, grace: .seconds(3600), limit: 10, fees: PlatformFeePolicy(percent: 0))
        return mentor
    }

    @Test func aPayoutIsApprovedOnce() async throws {
        let f = PaymentsFixture()
        let mentor = try await earning(f, 10)
        let admin = f.h.user(.admin)
        #expect(f.h.wallet(mentor).earnings == 10)
        #expect(try await f.h.reason("payouts.request", #"{"credits":11}"#, as: mentor) == "insufficient_credits")
        let payout = try await f.h.ok("payouts.request", #"{"credits":6}"#, as: mentor)
        let id = try #require(payout["payoutId"] as? String)
        #expect(f.h.wallet(mentor).earnings == 4)
        #expect(try await f.h.reason("payouts.approve", #"{"payoutId":"\#(id)"}"#, as: mentor) == "forbidden")
        let paid = try await f.h.ok("payouts.approve", #"{"payoutId":"\#(id)"}"#, as: admin)
        #expect(paid["status"] as? String == "paid" && (paid["transferRef"] as? String)?.hasPrefix("tr_") == true)
        #expect(try await f.h.reason("payouts.approve", #"{"payoutId":"\#(id)"}"#, as: admin) == "invalid_state")
        #expect(try await f.h.reason("payouts.settle", #"{"payoutId":"\#(id)"}"#, as: admin) == "invalid_state")
        #expect(try await f.h.reason("payouts.approve", #"{"payoutId":"\#(UUID())"}"#, as: admin) == "not_found")
        #expect(f.transfers.transferCount == 1)
        #expect((try await f.h.ok("payouts.list", as: mentor)["items"] as? [Any])?.count == 1)
        #expect((try await f.h.ok("payouts.list", as: f.h.user(.mentor))["items"] as? [Any])?.isEmpty == true)
        #expect((try await f.h.ok("payouts.list", as: admin)["items"] as? [Any])?.count == 1)
        #expect(try await f.h.stores.payments.reconcile().ok)
    }

    @Test func aRefusedTransferGivesTheEarningsBackAndALostAnswerIsSettledLater() async throws {
        let f = PaymentsFixture()
        let mentor = try await earning(f, 10)
        let admin = f.h.user(.admin)
        let refused = try #require(try await f.h.ok("payouts.request", #"{"credits":4}"#, as: mentor)["payoutId"] as? String)
        f.transfers.failTransfers(GatewayError(status: 400, message: "account_closed"))
        #expect(try await f.h.reason("payouts.approve", #"{"payoutId":"\#(refused)"}"#, as: admin) == "provider_error")
        #expect(f.h.wallet(mentor).earnings == 10)
        let lost = try #require(try await f.h.ok("payouts.request", #"{"credits":4}"#, as: mentor)["payoutId"] as? String)
        f.transfers.failTransfers(GatewayError(status: 503, message: "timeout"))
        f.transfers.failLookups(true)
        #expect(try await f.h.reason("payouts.approve", #"{"payoutId":"\#(lost)"}"#, as: admin) == "provider_pending")
        #expect(try await f.h.reason("payouts.settle", #"{"payoutId":"\#(lost)"}"#, as: admin) == "provider_pending")
        f.transfers.failLookups(false)
        f.transfers.failTransfers(nil)
        let settled = try await f.h.ok("payouts.settle", #"{"payoutId":"\#(lost)"}"#, as: admin)
        #expect(settled["status"] as? String == "paid")
        #expect(f.transfers.transferCount == 1)
    }

    @Test func aNoShowReportHoldsTheEscrowForAnAdmin() async throws {
        let f = PaymentsFixture()
        let mentor = try await f.h.mentor(price: 10)
        let (mentee, other, admin) = (f.h.user(.mentee), f.h.user(.mentee), f.h.user(.admin))
        try f.h.fund(mentee, 10)
        let booked = try await f.h.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: mentee)
        let id = try #require((booked["booking"] as? [String: Any])?["id"] as? String)
        #expect(try await f.h.reason("booking.reportNoShow", #"{"bookingId":"\#(id)"}"#, as: mentee) == "invalid_state")
        f.h.clock.advance(minutes: 4 * 60 + 30)
        #expect(try await f.h.reason("booking.reportNoShow", #"{"bookingId":"\#(id)"}"#, as: other) == "forbidden")
        #expect(try await f.h.reason("booking.reportNoShow", #"{"bookingId":"\#(UUID())"}"#, as: mentee) == "not_found")
        #expect(try await f.h.call("booking.reportNoShow", #"{"bookingId":"\#(id)","reason":"a\u0007b"}"#, as: mentee).invalidFields == ["reason"])
        let reported = try await f.h.ok("booking.reportNoShow", #"{"bookingId":"\#(id)","reason":"never came"}"#, as: mentee)
        #expect(reported["escrowState"] as? String == "disputed")
        // The release job leaves it alone.
        f.h.clock.advance(minutes: 3 * 60)
        #expect(try await f.h.stores.bookings.releaseDueEscrows(now: f.h.clock.now, grace: .seconds(3600), limit: 10) == 0)
        let bad = try await f.h.call("admin.resolveEscrow", #"{"bookingId":"\#(id)","decision":"split","reason":"x"}"#, as: admin)
        #expect(Set(bad.invalidFields) == ["decision", "reason"])
        #expect(
            try await f.h.reason("admin.resolveEscrow", #"{"bookingId":"\#(id)","decision":"refund","reason":"no show"}"#, as: mentee) == "forbidden")
        let resolved = try await f.h.ok("admin.resolveEscrow", #"{"bookingId":"\#(id)","decision":"refund","reason":"no show confirmed"}"#, as: admin)
        #expect(resolved["escrowState"] as? String == "refunded")
        #expect(f.h.wallet(mentee).available == 10)
        #expect(
            try await f.h.reason("admin.resolveEscrow", #"{"bookingId":"\#(id)","decision":"release","reason":"changed mind"}"#, as: admin)
                == "invalid_state")
    }

    @Test func aFrozenEscrowIsReleasedOnlyToAMentorWhoCanEarn() async throws {
        let f = PaymentsFixture()
        let mentor = try await f.h.mentor(price: 10)
        let (mentee, admin) = (f.h.user(.mentee), f.h.user(.admin))
        try f.h.fund(mentee, 10)
        let booked = try await f.h.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"2027-05-03T10:00:00Z","minutes":60}"#, as: mentee)
        let id = try #require((booked["booking"] as? [String: Any])?["id"] as? String)
        f.h.database.updateUser(mentor.id, disabled: true)
        #expect(
            try await f.h.reason("admin.resolveEscrow", #"{"bookingId":"\#(id)","decision":"release","reason":"paid anyway"}"#, as: admin)
                == "invalid_state")
        f.h.database.updateUser(mentor.id, disabled: false)
        #expect(
            try await f.h.reason("admin.resolveEscrow", #"{"bookingId":"\#(id)","decision":"release","reason":"paid anyway"}"#, as: admin)
                == "invalid_state")
        f.h.database.updateUser(mentor.id, disabled: true)
        f.h.database.updateUser(mentor.id, disabled: false)
        #expect(f.h.wallet(mentee).escrow == 10)
    }

    @Test func reconcileFindsACorruptedBalance() async throws {
        let f = PaymentsFixture()
        let (user, admin) = (f.h.user(.mentee), f.h.user(.admin))
        _ = try await f.paidTopUp(user, credits: 3)
        #expect(try await f.h.ok("payments.reconcile", as: admin)["ok"] as? Bool == true)
        f.h.database.corruptBalance(user.id, .available, by: 1)
        let report = try await f.h.ok("payments.reconcile", as: admin)
        #expect(report["ok"] as? Bool == false && (report["mismatchedAccounts"] as? [Any])?.count == 1)
        #expect(try await f.h.reason("payments.reconcile", as: user) == "forbidden")
    }
}
