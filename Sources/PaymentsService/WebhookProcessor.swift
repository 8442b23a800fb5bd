import Foundation
public import Logging
public import MentorLinkCore

/// `POST /webhooks/stripe` and `POST /webhooks/upi`: verify the signature on the raw body, read the event, and let
/// the store process it once. Answers: 200 (granted, duplicate or ignored), 400 (bad signature, unreadable event,
/// or a refused payment — unknown, or amount/currency mismatch; refusals are audited). Nothing changes on a 400
/// except the audit entry and the event's record.
public struct WebhookProcessor: Sendable {
    let store: any PaymentsStore
    let configuration: PaymentsConfiguration
    let logger: Logger

    /// Creates the processor.
    public init(store: any PaymentsStore, configuration: PaymentsConfiguration, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    /// A webhook's answer.
    public struct Reply: Sendable, Equatable {
        public var status: Int
        public var body: String
    }

    /// Handles a Stripe delivery (`headers` keys lower-cased).
    public func stripe(headers: [String: String], body: [UInt8], requestId: String? = nil) async -> Reply {
        do throws(WebhookSignature.Failure) {
            try WebhookSignature.verifyStripe(
                header: headers["stripe-signature"], body: body, secrets: configuration.stripeWebhookSecrets, now: configuration.now(),
                tolerance: configuration.webhookTolerance)
        } catch { return Reply(status: 400, body: #"{"error":"signature_\#(error)"}"#) }
        guard let event = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let id = event["id"] as? String,
            let type = event["type"] as? String
        else { return Reply(status: 400, body: #"{"error":"unreadable_event"}"#) }
        let object = (event["data"] as? [String: Any])?["object"] as? [String: Any] ?? [:]
        return await process(Self.stripeEvent(id: id, type: type, object: object), requestId: requestId)
    }

    /// An exact integer of a JSON value: `nil` for fractions and out-of-range numbers (NSNumber's `int64Value`
    /// would silently wrap 1e30 or 2^64-1 into another amount).
    static func integer(_ value: Any?) -> Int64? { value as? Int64 }

    /// The provider-neutral event of a Stripe event's object.
    static func stripeEvent(id: String, type: String, object: [String: Any]) -> ProviderEvent {
        func int(_ key: String) -> Int64? { integer(object[key]) }
        let currency = object["currency"] as? String
        switch type {
        case "payment_intent.succeeded":
            return ProviderEvent(
                provider: .stripe, eventId: id, type: type, succeeded: true, providerRef: object["id"] as? String,
                chargeRef: object["latest_charge"] as? String, amount: int("amount"), currency: currency)
        case "charge.refunded":
            // A charge: its refunded total so far (our refunds and those made in the dashboard).
            return ProviderEvent(
                provider: .stripe, eventId: id, type: type, succeeded: false, providerRef: object["payment_intent"] as? String,
                chargeRef: object["id"] as? String, amount: int("amount"), currency: currency,
                action: int("amount_refunded").map { .refundedTotal($0) } ?? ProviderEventAction.none)
        case "refund.created", "refund.updated", "refund.failed", "charge.refund.updated":
            let status = object["status"] as? String ?? ""
            let ours = ((object["metadata"] as? [String: Any])?["refund_id"] as? String).flatMap(UUID.init(uuidString:))
            let action: ProviderEventAction =
                if let refund = object["id"] as? String, let amount = int("amount"), ["succeeded", "failed", "canceled"].contains(status) {
                    .refund(id: refund, amount: amount, ours: ours, succeeded: status == "succeeded")
                } else { .none }
            return ProviderEvent(
                provider: .stripe, eventId: id, type: type, succeeded: false, providerRef: object["payment_intent"] as? String,
                chargeRef: object["charge"] as? String, amount: int("amount"), currency: currency, action: action)
        case "charge.dispute.created", "charge.dispute.closed":
            let action: ProviderEventAction =
                if let dispute = object["id"] as? String, let amount = int("amount") {
                    type == "charge.dispute.created"
                        ? .disputeOpened(id: dispute, amount: amount) : .disputeClosed(id: dispute, won: object["status"] as? String == "won")
                } else { .none }
            return ProviderEvent(
                provider: .stripe, eventId: id, type: type, succeeded: false, providerRef: object["payment_intent"] as? String,
                chargeRef: object["charge"] as? String, amount: int("amount"), currency: currency, action: action)
        default:
            return ProviderEvent(
                provider: .stripe, eventId: id, type: type, succeeded: false, providerRef: object["id"] as? String, chargeRef: nil, amount: nil,
                currency: currency, action: ProviderEventAction.none)
        }
    }

    /// Handles a UPI gateway delivery (Razorpay's format; `headers` keys lower-cased).
    public func upi(headers: [String: String], body: [UInt8], requestId: String? = nil) async -> Reply {
        do throws(WebhookSignature.Failure) {
            try WebhookSignature.verifyRazorpay(header: headers["x-razorpay-signature"], body: body, secrets: configuration.upiWebhookSecrets)
        } catch { return Reply(status: 400, body: #"{"error":"signature_\#(error)"}"#) }
        guard let event = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let type = event["event"] as? String else {
            return Reply(status: 400, body: #"{"error":"unreadable_event"}"#)
        }
        let payload = event["payload"] as? [String: Any] ?? [:]
        func entity(_ name: String) -> [String: Any]? { (payload[name] as? [String: Any])?["entity"] as? [String: Any] }
        let payment = entity("payment") ?? [:]
        // Deduplicated on the signed payload's own ids (the refund's or the payment's id with the event type), never on
        // the unsigned X-Razorpay-Event-Id header, which a replay can change at will.
        switch type {
        case "payment.captured":
            guard let paymentId = payment["id"] as? String else { return Reply(status: 400, body: #"{"error":"unreadable_event"}"#) }
            return await process(
                ProviderEvent(
                    provider: .upi, eventId: "\(paymentId):\(type)", type: type, succeeded: true, providerRef: payment["order_id"] as? String,
                    chargeRef: paymentId, amount: Self.integer(payment["amount"]), currency: payment["currency"] as? String), requestId: requestId)
        case "refund.processed", "refund.failed":
            guard let refund = entity("refund"), let refundId = refund["id"] as? String, let amount = Self.integer(refund["amount"]) else {
                return Reply(status: 400, body: #"{"error":"unreadable_event"}"#)
            }
            let notes = refund["notes"] as? [String: Any]
            let ours = ((notes?["refund_id"] as? String) ?? (refund["receipt"] as? String)).flatMap(UUID.init(uuidString:))
            return await process(
                ProviderEvent(
                    provider: .upi, eventId: "\(refundId):\(type)", type: type, succeeded: false, providerRef: nil,
                    chargeRef: refund["payment_id"] as? String, amount: amount, currency: refund["currency"] as? String,
                    action: .refund(id: refundId, amount: amount, ours: ours, succeeded: type == "refund.processed")), requestId: requestId)
        default:
            let subject = (entity("refund")?["id"] as? String) ?? (payment["id"] as? String)
            guard let subject else { return Reply(status: 200, body: #"{"received":true,"outcome":"ignored"}"#) }
            return await process(
                ProviderEvent(
                    provider: .upi, eventId: "\(subject):\(type)", type: type, succeeded: false, providerRef: payment["order_id"] as? String,
                    chargeRef: payment["id"] as? String, amount: nil, currency: nil, action: ProviderEventAction.none), requestId: requestId)
        }
    }

    func process(_ event: ProviderEvent, requestId: String?) async -> Reply {
        do {
            switch try await store.process(event, requestId: requestId) {
            case .granted(let paymentId, let credits):
                logger.info("payments.granted", metadata: ["payment": .string(paymentId.uuidString), "credits": .string("\(credits)")])
                return Reply(status: 200, body: #"{"received":true,"outcome":"granted"}"#)
            case .debited(let paymentId, let credits):
                logger.info("payments.debited", metadata: ["payment": .string(paymentId.uuidString), "credits": .string("\(credits)")])
                return Reply(status: 200, body: #"{"received":true,"outcome":"debited"}"#)
            case .settled: return Reply(status: 200, body: #"{"received":true,"outcome":"settled"}"#)
            case .duplicate: return Reply(status: 200, body: #"{"received":true,"outcome":"duplicate"}"#)
            case .ignored: return Reply(status: 200, body: #"{"received":true,"outcome":"ignored"}"#)
            case .refused(let why):
                logger.warning("payments.webhook_refused", metadata: ["event": .string(event.eventId), "why": .string(why)])
                return Reply(status: 400, body: #"{"error":"refused"}"#)
            }
        } catch {
            // The transaction rolled back, the event id with it: the provider's retry will be processed.
            logger.error("payments.webhook_failed", metadata: ["event": .string(event.eventId), "error": .string("\(error)")])
            return Reply(status: 500, body: #"{"error":"retry"}"#)
        }
    }
}
