import Foundation
public import MentorLinkCore

/// A relayed event as a consumer reads it: the relay's `{"id","type","aggregate","aggregateId","at","payload"}`
/// (``OutboxRelay/message(_:)``), with the payload decoded as the ``MentorLinkCore/DomainEvent`` its type names.
public struct RelayedEvent: Sendable {
    /// The outbox row's id (what consumers record as handled).
    public var id: Int64
    /// `outbox.event_type`.
    public var type: String
    /// The whole message, kept for decoding its payload as one type or another.
    let value: [UInt8]

    /// The envelope's fields a consumer needs.
    private struct Envelope: Decodable {
        var id: Int64
        var type: String
    }

    /// The payload alone, as `Payload`.
    private struct Body<Payload: Decodable>: Decodable { var payload: Payload }

    /// The envelope, or `nil` when the message is not one (no numeric `id` or no `type`).
    public init?(_ value: [UInt8]) {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(value)) else { return nil }
        id = envelope.id
        type = envelope.type
        self.value = value
    }

    /// The event as `Event`: `nil` when its type is not one of `Event`'s; throws when it is but the payload does not
    /// decode as `Event.Payload`.
    public func decode<Event: DomainEvent>(as event: Event.Type) throws -> Event? {
        guard let name = Event.Name(rawValue: type) else { return nil }
        return Event(name: name, payload: try JSONDecoder().decode(Body<Event.Payload>.self, from: Data(value)).payload)
    }
}
