import Foundation
import Logging
import MentorLinkCore
import PostgresNIO

extension PostgresConnection {
    /// Writes `event` into the outbox in the caller's transaction: its type, aggregate and id, and its payload as JSON
    /// (what the consumers decode as the same ``MentorLinkCore/DomainEvent`` type).
    func appendEvent<Event: DomainEvent>(_ event: Event, logger: Logger) async throws {
        try await appendEvent(event.type, aggregate: Event.aggregate, id: event.aggregateId, payload: event.payload, logger: logger)
    }

    /// Writes an outbox event in the caller's transaction (`mentorlink relay` publishes it to Kafka). The payload is
    /// encoded with sorted keys; an event that has a ``MentorLinkCore/DomainEvent`` type is better written through
    /// ``appendEvent(_:logger:)``, which writes the same row.
    func appendEvent(_ type: String, aggregate: String, id: UUID, payload: some Encodable, logger: Logger) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        try await query(
            "INSERT INTO outbox (aggregate, aggregate_id, event_type, payload) VALUES (\(aggregate), \(id.uuidString), \(type), \(json)::jsonb)",
            logger: logger)
    }
}
