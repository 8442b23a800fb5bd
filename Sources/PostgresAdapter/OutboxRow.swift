import Foundation
import MentorLinkCore
import PostgresNIO

/// An `outbox` row as an ``OutboxEvent`` (rows are written by ``PostgresConnection/appendEvent(_:aggregate:id:payload:logger:)``).
enum OutboxRow: TableRow {
    static let columns = "id, aggregate, aggregate_id, event_type, payload::text, created_at"

    static func decode(_ row: PostgresRow) throws -> OutboxEvent {
        let r = try row.decode((Int64, String, String, String, String, Date).self)
        return OutboxEvent(id: r.0, aggregate: r.1, aggregateId: r.2, type: r.3, payload: Array(r.4.utf8), createdAt: Instant(r.5))
    }
}
