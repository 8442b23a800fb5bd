public import AsyncHTTPClient
public import Foundation
public import MentorLinkCore
import NIOCore
import NIOHTTP1

/// Stripe's REST API (the subset used): PaymentIntents, refunds, transfers. Form-encoded, `Authorization: Bearer`
/// with the secret key, an `Idempotency-Key` on every POST. `apiBase` is `https://api.stripe.com` in production and
/// `mentorlink dev-payments` locally (`STRIPE_API_BASE`).
public struct StripeClient: PaymentGateway, PayoutGateway {
    let apiBase: String
    let secretKey: String
    let http: ProviderHTTP

    /// A client over an HTTP client (`HTTPClient.shared` by default).
    public init(apiBase: String, secretKey: String, client: HTTPClient = .shared) {
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.secretKey = secretKey
        self.http = ProviderHTTP(client: client, timeout: .seconds(15))
    }

    func post(_ path: String, _ fields: [(String, String)], idempotencyKey: String) async throws -> [String: Any] {
        try await http.send(
            .POST, "\(apiBase)\(path)",
            headers: [
                ("Authorization", "Bearer \(secretKey)"), ("Idempotency-Key", idempotencyKey), ("Content-Type", "application/x-www-form-urlencoded"),
                ("Stripe-Version", "2024-06-20"),
            ], body: ProviderHTTP.form(fields))
    }

    public func createPayment(paymentId: UUID, userId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> GatewayPayment {
        let intent = try await post(
            "/v1/payment_intents",
            [
                ("amount", "\(amount)"), ("currency", currency), ("automatic_payment_methods[enabled]", "true"),
                ("metadata[payment_id]", paymentId.uuidString), ("metadata[user_id]", userId.uuidString),
            ], idempotencyKey: idempotencyKey)
        guard let id = intent["id"] as? String else { throw GatewayError(status: 502, message: "no payment intent id") }
        return GatewayPayment(reference: id, clientSecret: intent["client_secret"] as? String)
    }

    public func refund(payment: Payment, amount: Int64, idempotencyKey: String) async throws -> GatewayRefund {
        guard let intent = payment.providerRef else { throw GatewayError(status: 400, message: "payment has no payment intent") }
        let refund = try await post(
            "/v1/refunds", [("payment_intent", intent), ("amount", "\(amount)"), ("metadata[refund_id]", idempotencyKey)],
            idempotencyKey: idempotencyKey)
        guard let id = refund["id"] as? String else { throw GatewayError(status: 502, message: "no refund id") }
        return GatewayRefund(reference: id, status: GatewayRefund.status(refund["status"] as? String))
    }

    /// `GET /v1/refunds/:id`, or the payment intent's refunds (`GET /v1/refunds?payment_intent=`) by our refund id in
    /// their metadata.
    public func findRefund(payment: Payment, reference: String?, idempotencyKey: String) async throws -> GatewayRefund? {
        let headers = [("Authorization", "Bearer \(secretKey)"), ("Stripe-Version", "2024-06-20")]
        let refunds: [[String: Any]]
        if let reference {
            refunds = [try await http.send(.GET, "\(apiBase)/v1/refunds/\(Self.pathSafe(reference))", headers: headers, body: nil)]
        } else {
            guard let intent = payment.providerRef else { return nil }
            let list = try await http.send(
                .GET, "\(apiBase)/v1/refunds?payment_intent=\(Self.pathSafe(intent))&limit=100", headers: headers, body: nil)
            guard let data = list["data"] as? [[String: Any]] else { throw GatewayError(status: 502, message: "no refund list") }
            refunds = data.filter { ($0["metadata"] as? [String: Any])?["refund_id"] as? String == idempotencyKey }
        }
        guard let found = refunds.first, let id = found["id"] as? String else { return nil }
        return GatewayRefund(reference: id, status: GatewayRefund.status(found["status"] as? String))
    }

    /// A provider id as one URL path segment or query value (ids are `[A-Za-z0-9_]`; anything else is escaped).
    static func pathSafe(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "_-"))) ?? id
    }

    /// Mentors' connected accounts are named `acct_ml_<mentor id>` (Stripe Connect onboarding is not built yet).
    public func transfer(payoutId: UUID, mentorId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> String {
        let transfer = try await post(
            "/v1/transfers",
            [
                ("amount", "\(amount)"), ("currency", currency), ("destination", "acct_ml_\(mentorId.uuidString.lowercased())"),
                ("metadata[payout_id]", payoutId.uuidString), ("transfer_group", Self.transferGroup(payoutId)),
            ], idempotencyKey: idempotencyKey)
        guard let id = transfer["id"] as? String else { throw GatewayError(status: 502, message: "no transfer id") }
        return id
    }

    /// Each payout's transfer is in its own transfer group, so Stripe's list (`GET /v1/transfers?transfer_group=`)
    /// answers whether it was made, also after the idempotency key has expired.
    static func transferGroup(_ payoutId: UUID) -> String { "payout_\(payoutId.uuidString.lowercased())" }

    public func findTransfer(payoutId: UUID, idempotencyKey: String) async throws -> String? {
        let list = try await http.send(
            .GET, "\(apiBase)/v1/transfers?transfer_group=\(Self.transferGroup(payoutId))&limit=1",
            headers: [("Authorization", "Bearer \(secretKey)"), ("Stripe-Version", "2024-06-20")], body: nil)
        guard let data = list["data"] as? [[String: Any]] else { throw GatewayError(status: 502, message: "no transfer list") }
        return data.first?["id"] as? String
    }
}
