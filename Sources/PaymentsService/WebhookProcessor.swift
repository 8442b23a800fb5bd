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
        } catch {
            return Reply(status: 400, body: #"{"error":"signature_\#(error)"}"#)
        }
        guard let event = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let id = event["id"] as? String,
            let type = event["type"] as? String
        else { return Reply(status: 400, body: #"{"error":"unreadable_event"}"#) }
        let object = (event["data"] as? [String: Any])?["object"] as? [String: Any] ?? [:]
        return await process(ProviderEvent(
            provider: .stripe, eventId: id, type: type, succeeded: type == "payment_intent.succeeded", providerRef: object["id"] as? String,
            chargeRef: object["latest_charge"] as? String, amount: (object["amount"] as? NSNumber)?.int64Value, currency: object["currency"] as? String),
            requestId: requestId)
    }

    /// Handles a UPI gateway delivery (Razorpay's format; `headers` keys lower-cased).
    public func upi(headers: [String: String], body: [UInt8], requestId: String? = nil) async -> Reply {
        do throws(WebhookSignature.Failure) {
            try WebhookSignature.verifyRazorpay(header: headers["x-razorpay-signature"], body: body, secrets: configuration.upiWebhookSecrets)
        } catch {
            return Reply(status: 400, body: #"{"error":"signature_\#(error)"}"#)
        }
        guard let event = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let type = event["event"] as? String else {
            return Reply(status: 400, body: #"{"error":"unreadable_event"}"#)
        }
        let payment = ((event["payload"] as? [String: Any])?["payment"] as? [String: Any])?["entity"] as? [String: Any] ?? [:]
        guard let id = headers["x-razorpay-event-id"] ?? (payment["id"] as? String).map({ "\($0):\(type)" }) else {
            return Reply(status: 400, body: #"{"error":"unreadable_event"}"#)
        }
        return await process(ProviderEvent(
            provider: .upi, eventId: id, type: type, succeeded: type == "payment.captured", providerRef: payment["order_id"] as? String,
            chargeRef: payment["id"] as? String, amount: (payment["amount"] as? NSNumber)?.int64Value, currency: payment["currency"] as? String),
            requestId: requestId)
    }

    func process(_ event: ProviderEvent, requestId: String?) async -> Reply {
        do {
            switch try await store.process(event, requestId: requestId) {
            case .granted(let paymentId, let credits):
                logger.info("payments.granted", metadata: ["payment": .string(paymentId.uuidString), "credits": .string("\(credits)")])
                return Reply(status: 200, body: #"{"received":true,"outcome":"granted"}"#)
            case .duplicate:
                return Reply(status: 200, body: #"{"received":true,"outcome":"duplicate"}"#)
            case .ignored:
                return Reply(status: 200, body: #"{"received":true,"outcome":"ignored"}"#)
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
