import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// Refunds and disputes made on the provider's side reach the ledger through signed webhooks: the credits are
/// debited, and what was already spent becomes a debt that the next top-up pays first. Replays change nothing.
@Suite(.timeLimit(.minutes(2))) struct DisputeAndProviderRefundTests {
    static let stripeSecret = "whsec_dispute"
    static let upiSecret = "upi_dispute"

    func processor(_ harness: PaymentsHarness) -> WebhookProcessor {
        var configuration = PaymentsConfiguration()
        configuration.stripeWebhookSecrets = [Self.stripeSecret]
        configuration.upiWebhookSecrets = [Self.upiSecret]
        return WebhookProcessor(store: harness.base.payments, configuration: configuration, logger: TestEnvironment.logger)
    }

    func stripe(_ processor: WebhookProcessor, _ json: String) async -> WebhookProcessor.Reply {
        let body = Array(json.utf8)
        let header = WebhookSignature.stripeHeader(body: body, secret: Self.stripeSecret, timestamp: Int64(Date().timeIntervalSince1970))
        return await processor.stripe(headers: ["stripe-signature": header], body: body)
    }

    func upi(_ processor: WebhookProcessor, _ json: String, eventId: String) async -> WebhookProcessor.Reply {
        let body = Array(json.utf8)
        return await processor.upi(
            headers: ["x-razorpay-signature": WebhookSignature.hex(body: body, secret: Self.upiSecret), "x-razorpay-event-id": eventId], body: body)
    }

    func payment(_ harness: PaymentsHarness, _ id: String) async throws -> Payment {
        let uuid = try #require(UUID(uuidString: id))
        return try #require(try await harness.base.payments.payment(id: uuid))
    }

    @Test func aStripeRefundMadeInTheDashboardDebitsTheCredits() async throws {
        try await PaymentsHarness.with { harness in
            let processor = processor(harness)
            let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 10)
            let paid = try await payment(harness, paymentId)
            let intent = try #require(paid.providerRef)
            // 4 credits' worth refunded at Stripe ($4.00).
            let event =
                #"{"id":"evt_r1","type":"charge.refunded","data":{"object":{"id":"ch_x","object":"charge","payment_intent":"\#(intent)","amount":1000,"amount_refunded":400,"currency":"usd"}}}"#
            #expect(await stripe(processor, event).status == 200)
            #expect(try await harness.base.wallet(mentee).available == 6)
            #expect(try await payment(harness, paymentId).refundedCredits == 4)
            // The same event again, or a later one with the same total: nothing more.
            #expect(await stripe(processor, event).status == 200)
            let again = event.replacingOccurrences(of: "evt_r1", with: "evt_r2")
            #expect(await stripe(processor, again).status == 200)
            #expect(try await harness.base.wallet(mentee).available == 6)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    @Test func aDisputeOfSpentCreditsLeavesADebtTheNextTopUpPays() async throws {
        try await PaymentsHarness.with { harness in
            let processor = processor(harness)
            let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 10)
            let intent = try #require(try await payment(harness, paymentId).providerRef)
            // 7 of the 10 credits are spent.
            _ = try await harness.base.payments.adjust(
                userId: mentee.id, credits: -7, reason: "spent", audit: AuditEntry(actorId: nil, action: "test"))
            let dispute =
                #"{"id":"evt_d1","type":"charge.dispute.created","data":{"object":{"id":"dp_1","object":"dispute","charge":"ch_x","payment_intent":"\#(intent)","amount":1000,"currency":"usd","status":"needs_response"}}}"#
            #expect(await stripe(processor, dispute).status == 200)
            let wallet = try await harness.base.wallet(mentee)
            #expect(wallet.available == 0)
            #expect(wallet.debt == 7)
            #expect(try await payment(harness, paymentId).status == "disputed")
            // Credits under dispute are not refundable again.
            let admin = try await harness.base.user(.admin)
            #expect(try await harness.call("payments.refund", #"{"paymentId":"\#(paymentId)"}"#, as: admin).reason == "invalid_state")
            // The next top-up pays the debt first.
            let (_, _) = try await RefundPathTests.paid(harness, credits: 10, user: mentee)
            let after = try await harness.base.wallet(mentee)
            #expect(after.available == 3 && after.debt == 0, "\(after)")
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }

    @Test func aRazorpayRefundProcessedAtTheGatewayDebitsOnce() async throws {
        try await PaymentsHarness.with { harness in
            let processor = processor(harness)
            let (mentee, paymentId) = try await RefundPathTests.paid(harness, credits: 5, provider: .upi)
            let charge = try #require(try await payment(harness, paymentId).providerChargeRef)
            let event =
                #"{"entity":"event","event":"refund.processed","payload":{"refund":{"entity":{"id":"rfnd_1","entity":"refund","amount":18000,"currency":"INR","payment_id":"\#(charge)","status":"processed"}}}}"#
            #expect(await upi(processor, event, eventId: "evt_u1").status == 200)
            #expect(try await harness.base.wallet(mentee).available == 3)
            // Replayed under a new (unsigned) event id: still once.
            #expect(await upi(processor, event, eventId: "evt_u2").status == 200)
            #expect(try await harness.base.wallet(mentee).available == 3)
            #expect(try await harness.base.payments.reconcile().ok)
        }
    }
}
