public import Foundation

/// A payment's state change whose payload is the payment as it is now.
public struct PaymentEvent: DomainEvent, Hashable {
    /// The event types whose payload is a ``Payment``.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case succeeded = "payment.succeeded"
        case refunded = "payment.refunded"
        case disputed = "payment.disputed"
    }

    public static let aggregate = "payment"
    public var name: Name
    public var payload: Payment
    public var aggregateId: UUID { payload.paymentId }

    /// The event `name` about `payload`.
    public init(name: Name, payload: Payment) {
        self.name = name
        self.payload = payload
    }
}
