public import AsyncHTTPClient
public import Foundation
public import MentorLinkCore
import NIOCore
import NIOHTTP1

/// A UPI payment gateway whose API follows Razorpay's published format: orders (`POST /v1/orders`, JSON, HTTP Basic
/// with key id and secret), refunds of captured payments (`POST /v1/payments/:id/refund`). `apiBase` is the gateway
/// in production and `mentorlink dev-payments` locally (`UPI_API_BASE`).
public struct RazorpayClient: PaymentGateway {
    let apiBase: String
    let authorization: String
    let http: ProviderHTTP

    /// A client over an HTTP client (`HTTPClient.shared` by default).
    public init(apiBase: String, keyId: String, keySecret: String, client: HTTPClient = .shared) {
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.authorization = "Basic " + Data("\(keyId):\(keySecret)".utf8).base64EncodedString()
        self.http = ProviderHTTP(client: client, timeout: .seconds(15))
    }

    func post(_ path: String, _ object: [String: Any], idempotencyKey: String) async throws -> [String: Any] {
        try await http.send(
            .POST, "\(apiBase)\(path)",
            headers: [("Authorization", authorization), ("Content-Type", "application/json"), ("X-Idempotency-Key", idempotencyKey)],
            body: Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }

    public func createPayment(paymentId: UUID, userId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> GatewayPayment {
        let order = try await post(
            "/v1/orders",
            ["amount": amount, "currency": currency.uppercased(), "receipt": paymentId.uuidString,
             "notes": ["payment_id": paymentId.uuidString, "user_id": userId.uuidString]],
            idempotencyKey: idempotencyKey)
        guard let id = order["id"] as? String else { throw GatewayError(status: 502, message: "no order id") }
        return GatewayPayment(reference: id)
    }

    public func refund(payment: Payment, amount: Int64, idempotencyKey: String) async throws -> String {
        guard let charge = payment.providerChargeRef else { throw GatewayError(status: 400, message: "payment has no captured charge") }
        let refund = try await post("/v1/payments/\(charge)/refund", ["amount": amount, "receipt": idempotencyKey, "notes": ["refund_id": idempotencyKey]], idempotencyKey: idempotencyKey)
        return refund["id"] as? String ?? ""
    }
}
