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
            [
                "amount": amount, "currency": currency.uppercased(), "receipt": paymentId.uuidString,
                "notes": ["payment_id": paymentId.uuidString, "user_id": userId.uuidString],
            ], idempotencyKey: idempotencyKey)
        guard let id = order["id"] as? String else { throw GatewayError(status: 502, message: "no order id") }
        return GatewayPayment(reference: id)
    }

    public func refund(payment: Payment, amount: Int64, idempotencyKey: String) async throws -> GatewayRefund {
        guard let charge = payment.providerChargeRef else { throw GatewayError(status: 400, message: "payment has no captured charge") }
        let refund = try await post(
            "/v1/payments/\(charge)/refund", ["amount": amount, "receipt": idempotencyKey, "notes": ["refund_id": idempotencyKey]],
            idempotencyKey: idempotencyKey)
        guard let id = refund["id"] as? String else { throw GatewayError(status: 502, message: "no refund id") }
        return GatewayRefund(reference: id, status: GatewayRefund.status(refund["status"] as? String))
    }

    /// `GET /v1/payments/:id/refunds/:refund_id`, or the payment's refunds by our refund id (`receipt`, `notes`).
    public func findRefund(payment: Payment, reference: String?, idempotencyKey: String) async throws -> GatewayRefund? {
        guard let charge = payment.providerChargeRef.flatMap(Self.pathSafe) else { return nil }
        let refunds: [[String: Any]]
        if let reference {
            guard let id = Self.pathSafe(reference) else { return nil }
            refunds = [
                try await http.send(.GET, "\(apiBase)/v1/payments/\(charge)/refunds/\(id)", headers: [("Authorization", authorization)], body: nil)
            ]
        } else {
            let list = try await http.send(
                .GET, "\(apiBase)/v1/payments/\(charge)/refunds?count=100", headers: [("Authorization", authorization)], body: nil)
            guard let items = list["items"] as? [[String: Any]] else { throw GatewayError(status: 502, message: "no refund list") }
            refunds = items.filter {
                $0["receipt"] as? String == idempotencyKey || ($0["notes"] as? [String: Any])?["refund_id"] as? String == idempotencyKey
            }
        }
        guard let found = refunds.first, let id = found["id"] as? String else { return nil }
        return GatewayRefund(reference: id, status: GatewayRefund.status(found["status"] as? String))
    }

    /// A provider id usable as one URL path segment (`[A-Za-z0-9_]` only), or `nil`.
    static func pathSafe(_ id: String) -> String? {
        id.isEmpty || id.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }) ? nil : id
    }
}
