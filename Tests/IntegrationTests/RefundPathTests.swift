import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// `payments.refund`: each refund is its own ledger transaction with a state; a refusal gives the credits back, an
/// unknown outcome (timeout) does not; a retry after a refusal debits again; reconcile checks `refunded_credits`.
@Suite(.timeLimit(.minutes(2))) struct RefundPathTests {
    /// A mentee with a granted Stripe top-up of `credits`.
    static func paid(
        _ harness: PaymentsHarness, credits: Int, provider: PaymentProviderName = .stripe, user: BookingHarness.User? = nil
    ) async throws -> (BookingHarness.User, String) {
        let mentee = if let user { user } else { try await harness.base.user(.mentee) }
        let created = try await harness.call(
            "payments.createTopUp", #"{"credits":\#(credits),"provider":"\#(provider.rawValue)","idempotencyKey":"key-\#(UUID().uuidString)"}"#,
            as: mentee)
        let payment = try #require(created.result, "\(String(describing: created.error))")
        let paymentId = try #require(payment["paymentId"] as? String)
        let outcome = try await harness.base.payments.process(
            ProviderEvent(
                provider: provider, eventId: "evt_\(UUID().uuidString)", type: provider == .stripe ? "payment_intent.succeeded" : "payment.captured",
                succeeded: true, providerRef: payment["providerRef"] as? String, chargeRef: "ch_\(paymentId.prefix(8))",
                amount: (payment["amount"] as? NSNumber)?.int64Value, currency: payment["currency"] as? String), requestId: nil)
        guard case .granted = outcome else { throw TestFailure("not granted: \(outcome)") }
        return (mentee, paymentId)
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func aRetryAfterARefusedRefundDebitsAgain() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let (mentee, paymentId) = try await Self.paid(harness, credits: 10)
            harness.provider.configure { $0.refuseWith = GatewayError(status: 400, message: "charge_disputed") }
            let refused = try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":4}"#, as: admin)
            #expect(refused.reason == "provider_error")
            #expect(try await harness.base.wallet(mentee).available == 10)
            harness.provider.configure { $0.refuseWith = nil }
            let retried = try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":4}"#, as: admin)
            #expect(retried.result?["refundedCredits"] as? Int == 4, "\(String(describing: retried.error))")
            // The provider refunded 4 credits' worth once, and the ledger took the 4 credits once.
            #expect(harness.provider.refundsMade == 1)
            #expect(try await harness.base.wallet(mentee).available == 6)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    @Test func aTimeoutAfterTheProviderRefundedKeepsTheCreditsDebited() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let (mentee, paymentId) = try await Self.paid(harness, credits: 10)
            harness.provider.configure { $0.failAfterMaking = GatewayError(status: 0, message: "timed out") }
            let unknown = try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":4}"#, as: admin)
            #expect(unknown.reason == "provider_pending", "\(String(describing: unknown.error))")
            #expect(harness.provider.refundsMade == 1)
            // The money went back at the provider; the credits must not come back too.
            #expect(try await harness.base.wallet(mentee).available == 6)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    @Test func reconcileComparesRefundedCreditsWithTheLedger() async throws {
        try await PaymentsHarness.with { harness in
            let admin = try await harness.base.user(.admin)
            let (_, paymentId) = try await Self.paid(harness, credits: 10)
            try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)","credits":3}"#, as: admin).result.map { _ in () }
            #expect(try await harness.base.payments.reconcile().ok)
            let id = try #require(UUID(uuidString: paymentId))
            try await harness.base.pool.client.query("UPDATE payments SET refunded_credits = 5 WHERE id = \(id)", logger: TestEnvironment.logger)
            #expect(try await !harness.base.payments.reconcile().ok)
        }
    }
}
