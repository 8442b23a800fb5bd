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

/// What a provider answered about a refund: its id and state.
public struct GatewayRefund: Sendable, Hashable {
    /// A refund's state at the provider.
    public enum Status: String, Sendable, Hashable { case pending, succeeded, failed }

    /// `re_…` (Stripe) or `rfnd_…` (the UPI gateway).
    public var reference: String
    public var status: Status

    public init(reference: String, status: Status) {
        self.reference = reference
        self.status = status
    }

    /// The state of a provider's status word: Stripe's `succeeded`, `failed`, `canceled` (and `pending`,
    /// `requires_action`), Razorpay's `processed`, `failed` (and `pending`); anything else is pending.
    public static func status(_ word: String?) -> Status {
        switch word {
        case "succeeded", "processed": .succeeded
        case "failed", "canceled": .failed
        default: .pending
        }
    }
}

/// A payment provider's API, as the project uses it (Stripe's REST API; a UPI gateway in Razorpay's format).
public protocol PaymentGateway: Sendable {
    /// Creates the provider's payment for `amount` minor units; `idempotencyKey` makes a retry return the same one.
    func createPayment(paymentId: UUID, userId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> GatewayPayment
    /// Refunds `amount` minor units of a captured payment; returns the provider's refund (which may still be pending).
    func refund(payment: Payment, amount: Int64, idempotencyKey: String) async throws -> GatewayRefund
    /// The provider's record of a refund: by its id when known, else the one made with `idempotencyKey` (our refund
    /// id, which the refund carries); `nil` when the provider has none.
    func findRefund(payment: Payment, reference: String?, idempotencyKey: String) async throws -> GatewayRefund?
}

/// Paying mentors out (a Stripe transfer).
public protocol PayoutGateway: Sendable {
    /// Transfers `amount` minor units to the mentor's connected account; returns the transfer id. The provider makes
    /// at most one transfer per `idempotencyKey` (a repeat returns the first answer; one still in flight answers 409).
    func transfer(payoutId: UUID, mentorId: UUID, amount: Int64, currency: String, idempotencyKey: String) async throws -> String
    /// The provider's record of this payout's transfer (made with `idempotencyKey`), or `nil` when it has none.
    func findTransfer(payoutId: UUID, idempotencyKey: String) async throws -> String?
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

    /// Whether the provider refused for good (a 4xx other than 408 timeout, 409 conflict — e.g. the same
    /// idempotency key still in flight — and 429 rate limit). Anything else (not reached, a timeout, 409, 429, 5xx)
    /// leaves the outcome unknown: the request may have been carried out, so only the provider's record settles it.
    public var isFinalRefusal: Bool { (400..<500).contains(status) && ![408, 409, 429].contains(status) }
}
