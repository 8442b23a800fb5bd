import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import ServiceSupport
import Testing

/// Top-ups, refunds, wallets, payouts and escrow disputes through the handlers on the in-memory stores and fake
/// providers (the service-logic half of the live `PaymentsInputTests`, `RefundPathTests`, `EscrowTests` …).
@Suite struct PaymentsTests {
    @Test func aTopUpIsCreatedOnceAndGrantsOnce() async throws {
        let f = PaymentsFixture()
        let user = f.h.user(.mentee)
        let params = #"{"provider":"stripe","credits":12,"idempotencyKey":"top-1"}"#
        let first = try await f.h.ok("payments.createTopUp", params, as: user)
        let again = try await f.h.ok("payments.createTopUp", params, as: user)
        #expect(first["paymentId"] as? String == again["paymentId"] as? String)
        #expect(first["amount"] as? Int == 1200 && first["currency"] as? String == "usd" && first["status"] as? String == "pending")
        #expect((first["clientSecret"] as? String)?.hasPrefix("pi_") == true)
        #expect(f.stripe.calls == ["createPayment"])
        #expect(
            try await f.h.reason("payments.createTopUp", #"{"provider":"stripe","credits":13,"idempotencyKey":"top-1"}"#, as: user)
                == "idempotency_mismatch")
        let bad = try await f.h.call("payments.createTopUp", #"{"provider":"stripe","credits":0,"idempotencyKey":"top-2"}"#, as: user)
        #expect(bad.reason == "invalid_params" && bad.invalidFields == ["credits"])
        #expect(try await f.h.call("payments.createTopUp", #"{"provider":"stripe","credits":1}"#, as: user).error?.code == -32602)
        #expect(try await f.h.reason("payments.createTopUp", params) == "unauthenticated")
        let upi = try await f.h.ok("payments.createTopUp", #"{"provider":"upi","credits":2,"idempotencyKey":"top-3"}"#, as: user)
        #expect((upi["upiLink"] as? String)?.hasPrefix("upi://pay?") == true && upi["amount"] as? Int == 18000)
        // Credits come from the provider's event, once.
        _ = try await f.paidTopUp(user, credits: 5)
        #expect(f.h.wallet(user).available == 5)
        let id = try #require(first["paymentId"] as? String)
        #expect(try await f.h.reason("payments.get", #"{"paymentId":"\#(id)"}"#, as: f.h.user(.mentee)) == "forbidden")
        #expect(try await f.h.reason("payments.get", #"{"paymentId":"\#(id)"}"#, as: f.h.user(.admin)) == nil)
        #expect(try await f.h.reason("payments.get", #"{"paymentId":"\#(UUID())"}"#, as: user) == "not_found")
    }

    @Test func refundsFollowTheProvider() async throws {
        let f = PaymentsFixture()
        let (user, admin) = (f.h.user(.mentee), f.h.user(.admin))
        let paid = try await f.paidTopUp(user, credits: 10)
        #expect(try await f.h.reason("payments.refund", #"{"paymentId":"\#(paid)","credits":3}"#, as: user) == "forbidden")
        #expect(try await f.h.call("payments.refund", #"{"paymentId":"\#(paid)","credits":0}"#, as: admin).invalidFields == ["credits"])
        #expect(try await f.h.reason("payments.refund", #"{"paymentId":"\#(paid)","credits":11}"#, as: admin) == "invalid_state")
        let refunded = try await f.h.ok("payments.refund", #"{"paymentId":"\#(paid)","credits":3}"#, as: admin)
        #expect(refunded["refundedCredits"] as? Int == 3 && refunded["status"] as? String == "partially_refunded")
        #expect(f.h.wallet(user).available == 7)
        // A final refusal gives the credits back; an unknown outcome leaves the refund pending.
        f.stripe.answerRefunds(.failure(GatewayError(status: 400, message: "charge_disputed")))
        #expect(try await f.h.reason("payments.refund", #"{"paymentId":"\#(paid)","credits":2}"#, as: admin) == "provider_error")
        #expect(f.h.wallet(user).available == 7)
        f.stripe.answerRefunds(.failure(GatewayError(status: 503, message: "down")))
        #expect(try await f.h.reason("payments.refund", #"{"paymentId":"\#(paid)","credits":2}"#, as: admin) == "provider_pending")
        #expect(f.h.wallet(user).available == 5)
        // Spent credits cannot be refunded.
        try f.h.fund(user, -5)
        f.stripe.answerRefunds(.success(.succeeded))
        #expect(try await f.h.reason("payments.refund", #"{"paymentId":"\#(paid)","credits":1}"#, as: admin) == "insufficient_credits")
        #expect(try await f.h.reason("payments.refund", #"{"paymentId":"\#(UUID())"}"#, as: admin) == "not_found")
        #expect(try await f.h.reason("payments.settleRefund", #"{"refundId":"\#(UUID())"}"#, as: admin) == "not_found")
        #expect(try await f.h.ok("payments.reconcile", as: admin)["ok"] as? Bool == true)
    }

    @Test func aPendingRefundIsSettledByTheProvidersRecord() async throws {
        let f = PaymentsFixture()
        let (user, admin) = (f.h.user(.mentee), f.h.user(.admin))
        let paid = try await f.paidTopUp(user, credits: 4)
        f.stripe.answerRefunds(.success(.pending))
        #expect(try await f.h.reason("payments.refund", #"{"paymentId":"\#(paid)"}"#, as: admin) == "provider_pending")
        let paymentId = try #require(UUID(uuidString: paid))
        let refund = try #require(f.h.database.pendingRefunds(paymentId: paymentId).first)
        f.stripe.failLookups(true)
        #expect(try await f.h.reason("payments.settleRefund", #"{"refundId":"\#(refund)"}"#, as: admin) == "provider_pending")
        f.stripe.failLookups(false)
        f.stripe.setRefund(idempotencyKey: refund.uuidString, GatewayRefund(reference: "re_1", status: .failed))
        let settled = try await f.h.ok("payments.settleRefund", #"{"refundId":"\#(refund)"}"#, as: admin)
        #expect(settled["status"] as? String == "failed")
        #expect(f.h.wallet(user).available == 4)
        // Settled: returned as it is.
        #expect(try await f.h.ok("payments.settleRefund", #"{"refundId":"\#(refund)"}"#, as: admin)["status"] as? String == "failed")
        #expect(try await f.h.stores.payments.reconcile().ok)
    }

    @Test func extremeAdjustmentsRefundsAndPayoutsAreInvalidParams() async throws {
        let f = PaymentsFixture()
        let (admin, user, mentor) = (f.h.user(.admin), f.h.user(.mentee), f.h.user(.mentor))
        for credits in ["0", "1000001", "-1000001"] {
            let outcome = try await f.h.call("admin.adjustCredits", #"{"userId":"\#(user.id)","credits":\#(credits),"reason":"support"}"#, as: admin)
            #expect(outcome.reason == "invalid_params" && outcome.invalidFields == ["credits"])
        }
        #expect(
            try await f.h.call("admin.adjustCredits", #"{"userId":"\#(user.id)","credits":5,"reason":"x"}"#, as: admin).invalidFields == ["reason"])
        #expect(
            try await f.h.call("admin.adjustCredits", #"{"userId":"\#(user.id)","credits":99999999999999999999,"reason":"support"}"#, as: admin)
                .error?.code == -32602)
        #expect(try await f.h.reason("admin.adjustCredits", #"{"userId":"\#(user.id)","credits":5,"reason":"support"}"#, as: user) == "forbidden")
        let adjusted = try await f.h.ok("admin.adjustCredits", #"{"userId":"\#(user.id)","credits":5,"reason":"support"}"#, as: admin)
        #expect(adjusted["available"] as? Int == 5)
        #expect(
            try await f.h.reason("admin.adjustCredits", #"{"userId":"\#(user.id)","credits":-6,"reason":"support"}"#, as: admin)
                == "insufficient_credits")
        for credits in ["0", "1000001"] {
            #expect(try await f.h.call("payouts.request", #"{"credits":\#(credits)}"#, as: mentor).invalidFields == ["credits"])
        }
        #expect(try await f.h.reason("payouts.request", #"{"credits":1}"#, as: user) == "forbidden")
        #expect(try await f.h.reason("payouts.request", #"{"credits":1}"#, as: mentor) == "insufficient_credits")
    }

    @Test func walletHistoryPagesNewestFirst() async throws {
        let f = PaymentsFixture()
        let user = f.h.user(.mentee)
        for credits in 1...5 { try f.h.fund(user, credits) }
        var amounts: [Int] = []
        var cursor: String?
        repeat {
            let page = try await f.h.ok("wallet.history", #"{"limit":2\#(cursor.map { #","cursor":"\#($0)""# } ?? "")}"#, as: user)
            amounts += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["amount"] as? Int }
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        #expect(amounts == [5, 4, 3, 2, 1])
        #expect(try await f.h.reason("wallet.history", #"{"limit":201}"#, as: user) == "invalid_params")
        #expect(try await f.h.reason("wallet.get", as: nil) == "unauthenticated")
        #expect((try await f.h.ok("wallet.get", as: user)["available"] as? Int) == 15)
    }
}
