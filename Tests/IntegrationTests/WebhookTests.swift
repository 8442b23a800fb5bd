import Foundation
import JSONRPC
import Logging
import MentorLinkCore
import PaymentsService
import PostgresAdapter
import PostgresNIO
import Testing

/// Webhook processing over a real PostgreSQL: a success delivered 20 times at once grants once; unknown payments
/// and wrong amounts are refused and audited; a bad signature changes nothing.
@Suite(.timeLimit(.minutes(2))) struct WebhookTests {
    static let stripeSecret = "whsec_test_current"
    static let upiSecret = "upi_test_secret"

    func processor(_ harness: BookingHarness) -> WebhookProcessor {
        var configuration = PaymentsConfiguration()
        configuration.stripeWebhookSecrets = [Self.stripeSecret]
        configuration.upiWebhookSecrets = [Self.upiSecret]
        return WebhookProcessor(store: harness.payments, configuration: configuration, logger: TestEnvironment.logger)
    }

    /// A recorded Stripe payment of `credits` with its PaymentIntent id.
    func payment(
        _ harness: BookingHarness, _ user: BookingHarness.User, credits: Int, provider: PaymentProviderName = .stripe
    ) async throws -> Payment {
        let price = PaymentsConfiguration().price(credits, provider: provider)
        let (created, _) = try await harness.payments.createPayment(
            NewPayment(
                userId: user.id, provider: provider, credits: credits, amount: price.amount, currency: price.currency,
                idempotencyKey: UUID().uuidString, audit: AuditEntry(actorId: user.id, action: "payment.create")))
        let reference = provider == .stripe ? "pi_\(UUID().uuidString.prefix(8))" : "order_\(UUID().uuidString.prefix(8))"
        return try await harness.payments.attachProvider(paymentId: created.paymentId, providerRef: reference, clientSecret: nil, upiLink: nil)
    }

    func stripeEvent(id: String, intent: String, amount: Int64, currency: String = "usd") -> [UInt8] {
        Array(
            #"{"id":"\#(id)","type":"payment_intent.succeeded","data":{"object":{"id":"\#(intent)","amount":\#(amount),"currency":"\#(currency)","latest_charge":"ch_1"}}}"#
                .utf8)
    }

    func signed(_ body: [UInt8], secret: String = stripeSecret, at: Date = Date()) -> [String: String] {
        ["stripe-signature": WebhookSignature.stripeHeader(body: body, secret: secret, timestamp: Int64(at.timeIntervalSince1970))]
    }

    @Test func twentyConcurrentDeliveriesGrantOnce() async throws {
        try await BookingHarness.with { harness in
            let user = try await harness.user(.mentee)
            let paid = try await payment(harness, user, credits: 40)
            let processor = processor(harness)
            let body = stripeEvent(id: "evt_same", intent: paid.providerRef!, amount: paid.amount)
            let replies = await withTaskGroup(of: WebhookProcessor.Reply.self) { group in
                for _ in 0..<20 { group.addTask { await processor.stripe(headers: signed(body), body: body) } }
                return await group.reduce(into: [WebhookProcessor.Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 200 })
            #expect(replies.filter { $0.body.contains("granted") }.count == 1)
            #expect(try await harness.wallet(user).available == 40)
            // Another event id for the same payment grants nothing either.
            let other = stripeEvent(id: "evt_other", intent: paid.providerRef!, amount: paid.amount)
            #expect(await processor.stripe(headers: signed(other), body: other).body.contains("duplicate"))
            #expect(try await harness.wallet(user).available == 40)
            #expect(try await harness.payments.payment(id: paid.paymentId)?.status == "succeeded")
            #expect(try await harness.payments.reconcile().ok)
        }
    }

    @Test func refusedAndUnsignedEventsChangeNothing() async throws {
        try await BookingHarness.with { harness in
            let user = try await harness.user(.mentee)
            let paid = try await payment(harness, user, credits: 10)
            let processor = processor(harness)
            // Wrong amount: refused (400) and audited; unknown payment intent likewise.
            let wrong = stripeEvent(id: "evt_wrong", intent: paid.providerRef!, amount: paid.amount + 1)
            #expect(await processor.stripe(headers: signed(wrong), body: wrong).status == 400)
            let unknown = stripeEvent(id: "evt_unknown", intent: "pi_nobody", amount: 100)
            #expect(await processor.stripe(headers: signed(unknown), body: unknown).status == 400)
            #expect(try await harness.count("SELECT count(*)::int FROM audit_entries WHERE action = 'payment.webhook_refused'") == 2)
            // Bad signatures: 400, and not even the event is recorded.
            let good = stripeEvent(id: "evt_good", intent: paid.providerRef!, amount: paid.amount)
            #expect(await processor.stripe(headers: signed(good, secret: "whsec_wrong"), body: good).status == 400)
            #expect(await processor.stripe(headers: signed(good, at: Date().addingTimeInterval(-600)), body: good).status == 400)
            #expect(await processor.stripe(headers: signed(good), body: good + Array(" ".utf8)).status == 400)
            #expect(await processor.stripe(headers: [:], body: good).status == 400)
            #expect(try await harness.count("SELECT count(*)::int FROM provider_events WHERE event_id = 'evt_good'") == 0)
            #expect(try await harness.wallet(user).available == 0)
            // The genuine delivery still works afterwards.
            #expect(await processor.stripe(headers: signed(good), body: good).status == 200)
            #expect(try await harness.wallet(user).available == 10)
        }
    }

    @Test func upiCapturedPaymentGrantsOnce() async throws {
        try await BookingHarness.with { harness in
            let user = try await harness.user(.mentee)
            let paid = try await payment(harness, user, credits: 3, provider: .upi)
            let processor = processor(harness)
            let body = Array(
                #"{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_1","order_id":"\#(paid.providerRef!)","amount":\#(paid.amount),"currency":"INR","status":"captured"}}}}"#
                    .utf8)
            let headers = ["x-razorpay-signature": WebhookSignature.hex(body: body, secret: Self.upiSecret), "x-razorpay-event-id": "evt_upi_1"]
            #expect(await processor.upi(headers: headers, body: body).status == 200)
            #expect(await processor.upi(headers: headers, body: body).body.contains("duplicate"))
            var tampered = headers
            tampered["x-razorpay-signature"] = WebhookSignature.hex(body: body, secret: "other")
            #expect(await processor.upi(headers: tampered, body: body).status == 400)
            #expect(try await harness.wallet(user).available == 3)
            #expect(try await harness.payments.payment(id: paid.paymentId)?.providerChargeRef == "pay_1")
        }
    }

    /// The unsigned X-Razorpay-Event-Id is not what deduplicates: the same signed payload under new event ids is one
    /// event (the payment's id and the event type), processed once.
    @Test func upiReplaysUnderNewEventIdsAreOneEvent() async throws {
        try await BookingHarness.with { harness in
            let user = try await harness.user(.mentee)
            let paid = try await payment(harness, user, credits: 2, provider: .upi)
            let processor = processor(harness)
            let body = Array(
                #"{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_replay","order_id":"\#(paid.providerRef!)","amount":\#(paid.amount),"currency":"INR","status":"captured"}}}}"#
                    .utf8)
            let signature = WebhookSignature.hex(body: body, secret: Self.upiSecret)
            for index in 0..<5 {
                let reply = await processor.upi(headers: ["x-razorpay-signature": signature, "x-razorpay-event-id": "evt_new_\(index)"], body: body)
                #expect(reply.status == 200)
                #expect(reply.body.contains(index == 0 ? "granted" : "duplicate"))
            }
            #expect(try await harness.count("SELECT count(*)::int FROM provider_events WHERE provider = 'upi'") == 1)
            #expect(try await harness.wallet(user).available == 2)
        }
    }
}
