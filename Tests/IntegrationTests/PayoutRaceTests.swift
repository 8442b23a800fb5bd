import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// `payouts.approve` claims the payout under its row lock before the provider is called; an answer that is not
/// final (409, a timeout) is settled by the provider's record, never taken as a refusal.
@Suite(.timeLimit(.minutes(2))) struct PayoutRaceTests {
    func requested(_ harness: PaymentsHarness, credits: Int) async throws -> (BookingHarness.User, String) {
        let mentor = try await harness.base.user(.mentor)
        try await harness.earn(mentor, credits)
        let payout = try await harness.call("payouts.request", #"{"credits":\#(credits)}"#, as: mentor)
        return (mentor, try #require(payout.result?["payoutId"] as? String, "\(String(describing: payout.error))"))
    }

    /// A double click: the second approval arrives while the first transfer is in flight.
    @Test func aDoubleClickPaysOnce() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let (mentor, payoutId) = try await requested(harness, credits: 20)
            harness.provider.configure { $0.hold = true }
            let first = Task { try await harness.call("payouts.approve", #"{"payoutId":"\#(payoutId)"}"#, as: admin) }
            await harness.provider.waitUntilEntered()
            let second = try await harness.call("payouts.approve", #"{"payoutId":"\#(payoutId)"}"#, as: admin)
            harness.provider.release()
            let firstOutcome = try await first.value
            #expect(firstOutcome.result?["status"] as? String == "paid", "\(String(describing: firstOutcome.error))")
            #expect(second.reason == "invalid_state", "\(String(describing: second.error))")
            #expect(harness.provider.transfersMade == 1)
            // The mentor was paid once: the earnings are not given back as well.
            #expect(try await harness.base.wallet(mentor).earnings == 0)
            #expect(try await harness.base.count("SELECT count(*)::int FROM payouts WHERE status = 'paid'") == 1)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    /// The provider made the transfer but the answer was lost (a timeout): its record settles it as paid.
    @Test func aTimeoutAfterTheTransferIsSettledByTheProvidersRecord() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let (mentor, payoutId) = try await requested(harness, credits: 15)
            harness.provider.configure { $0.failAfterMaking = GatewayError(status: 0, message: "timed out") }
            let approved = try await harness.call("payouts.approve", #"{"payoutId":"\#(payoutId)"}"#, as: admin)
            #expect(approved.result?["status"] as? String == "paid", "\(String(describing: approved.error))")
            #expect((approved.result?["transferRef"] as? String)?.hasPrefix("tr_") == true)
            #expect(try await harness.base.wallet(mentor).earnings == 0)
            #expect(harness.provider.transfersMade == 1)
        }
    }

    /// A 409 is not a refusal: the payout stays processing (earnings not given back) until the provider's record
    /// says; `payouts.settle` then finishes it without a second transfer.
    @Test func aConflictIsUnknownNotARefusal() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let (mentor, payoutId) = try await requested(harness, credits: 12)
            harness.provider.configure { $0.refuseWith = GatewayError(status: 409, message: "idempotency_key_in_use") }
            let approved = try await harness.call("payouts.approve", #"{"payoutId":"\#(payoutId)"}"#, as: admin)
            #expect(approved.reason == "provider_pending", "\(String(describing: approved.error))")
            #expect(try await harness.base.count("SELECT count(*)::int FROM payouts WHERE status = 'processing'") == 1)
            #expect(try await harness.base.wallet(mentor).earnings == 0)
            // Approving again is refused (it is claimed); settling asks the provider, which now answers.
            #expect(try await harness.call("payouts.approve", #"{"payoutId":"\#(payoutId)"}"#, as: admin).reason == "invalid_state")
            harness.provider.configure { $0.refuseWith = nil }
            let settled = try await harness.call("payouts.settle", #"{"payoutId":"\#(payoutId)"}"#, as: admin)
            #expect(settled.result?["status"] as? String == "paid", "\(String(describing: settled.error))")
            #expect(harness.provider.transfersMade == 1)
            #expect(try await harness.call("payouts.settle", #"{"payoutId":"\#(payoutId)"}"#, as: admin).reason == "invalid_state")
            // A final refusal (400) fails the payout and gives the earnings back.
            let (other, otherId) = try await requested(harness, credits: 5)
            harness.provider.configure { $0.refuseWith = GatewayError(status: 400, message: "account_invalid") }
            #expect(try await harness.call("payouts.approve", #"{"payoutId":"\#(otherId)"}"#, as: admin).reason == "provider_error")
            #expect(try await harness.base.wallet(other).earnings == 5)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }
}
