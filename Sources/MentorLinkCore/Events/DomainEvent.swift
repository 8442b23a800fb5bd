public import Foundation

/// An event that a state change writes into the outbox and that the consumers read back: its type (one of `Name`'s
/// raw values, `outbox.event_type`), its aggregate (`outbox.aggregate`, the topic's suffix), the aggregate's id (the
/// record key) and its payload (`outbox.payload`, the JSON consumers decode). The writer and the consumers use the
/// same type, so the payload's shape is written down once.
public protocol DomainEvent: Sendable {
    /// The event types of this kind (`booking.created`, …) as raw values.
    associatedtype Name: RawRepresentable, Sendable where Name.RawValue == String
    /// What is written as the payload, and decoded from it.
    associatedtype Payload: Codable, Sendable

    /// The aggregate, as in `outbox.aggregate` (`booking`, `payment`, …).
    static var aggregate: String { get }
    /// Which event of this kind it is.
    var name: Name { get }
    /// The payload.
    var payload: Payload { get }
    /// The aggregate's id (`outbox.aggregate_id`, and the record key).
    var aggregateId: UUID { get }

    /// The event `name` with `payload` (how a consumer rebuilds it from a relayed record).
    init(name: Name, payload: Payload)
}

extension DomainEvent {
    /// The event type, as in `outbox.event_type` (`booking.created`).
    public var type: String { name.rawValue }
}
