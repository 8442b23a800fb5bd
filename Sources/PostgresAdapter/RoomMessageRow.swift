import Foundation
import MentorLinkCore
import PostgresNIO

/// A `room_messages` row as a ``ChatMessage``.
enum RoomMessageRow: TableRow {
    static let columns = "id, seq, sender_id, text, sent_at"

    static func decode(_ row: PostgresRow) throws -> ChatMessage {
        let r = try row.decode((Int64, Int64, UUID, String, Date).self)
        return ChatMessage(id: r.0, seq: r.1, senderId: r.2, text: r.3, sentAt: Instant(r.4))
    }
}
