import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import Testing

/// Hostile numbers in payments params are `invalid_params` (or a refusal), never an arithmetic trap.
@Suite(.timeLimit(.minutes(2))) struct PaymentsInputTests {
    @Test func extremeCreditAdjustmentsAreInvalidParams() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let user = try await harness.base.user(.mentee)
            for credits in ["\(Int64.min)", "\(Int64.max)", "-1000001", "0"] {
                let outcome = try await harness.call(
                    "admin.adjustCredits", #"{"userId":"\#(user.id)","credits":\#(credits),"reason":"hostile"}"#, as: admin)
                #expect(outcome.reason == "invalid_params", "\(credits): \(String(describing: outcome.error))")
            }
            #expect(
                try await harness.call("admin.adjustCredits", #"{"userId":"\#(user.id)","credits":-1000000,"reason":"edge"}"#, as: admin).reason
                    == "insufficient_credits")
            #expect(try await harness.base.wallet(user) == Wallet(available: 0, escrow: 0, earnings: 0))
        }
    }

    @Test func extremeRefundAndPayoutCreditsAreRefused() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let mentor = try await harness.base.user(.mentor)
            let (_, paymentId) = try await RefundPathTests.paid(harness, credits: 3)
            for credits in ["\(Int64.min)", "\(Int64.max)", "-1", "0"] {
                let refund = try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":\#(credits)}"#, as: admin)
                #expect(["invalid_params", "invalid_state"].contains(refund.reason), "\(credits): \(String(describing: refund.error))")
                #expect(try await harness.call("payouts.request", #"{"credits":\#(credits)}"#, as: mentor).reason == "invalid_params")
            }
            for (credits, provider) in [("\(Int64.max)", "stripe"), ("\(Int64.min)", "upi")] {
                let topUp = try await harness.call(
                    "payments.createTopUp", #"{"credits":\#(credits),"provider":"\#(provider)","idempotencyKey":"hostile-key-1"}"#, as: mentor)
                #expect(topUp.reason == "invalid_params")
            }
            #expect(try await harness.call("wallet.history", #"{"cursor":"-9223372036854775808"}"#, as: mentor).reason == "invalid_params")
        }
    }
}
