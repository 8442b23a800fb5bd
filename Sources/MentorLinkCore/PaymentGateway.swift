public import Foundation

/// What a provider answered to a new payment.
public struct GatewayPayment: Sendable, Hashable {
    /// `pi_…` (Stripe) or `order_…` (the UPI gateway).
    public var reference: String
    public var clientSecret: String?
    public var upiLink: String?

    public init(reference: String, clientSecret: String? = nil, upiLink: String? = nil) {
        self.reference = reference
        self.clientSecret = clientSecret
        self.upiLink = upiLink
    }
}

/// A payment provider's API, as the project uses it (Stripe's REST API; a UPI gateway in Razorpay's format).
public protocol PaymentGateway: Sendable {
    /// Creates the provider's payment for `amount` minor units; `idempotencyKey` makes a retry return the same one.
    func createPayment(paymentId: UUID, userId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> GatewayPayment
    /// Refunds `amount` minor units of a captured payment; returns the provider's refund id.
    func refund(payment: Payment, amount: Int64, idempotencyKey: String) async throws -> String
}

/// Paying mentors out (a Stripe transfer).
public protocol PayoutGateway: Sendable {
    /// Transfers `amount` minor units to the mentor's connected account; returns the transfer id.
    func transfer(payoutId: UUID, mentorId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> String
}

/// A provider refused a request or could not be reached.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// The provider's HTTP status (0 when it was not reached).
    public var status: Int
    /// The provider's error code or message.
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "provider answered \(status): \(message)" }
}
