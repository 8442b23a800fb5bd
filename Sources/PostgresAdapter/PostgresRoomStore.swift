public import Foundation
public import Logging
public import MentorLinkCore
import PostgresNIO

/// ``RoomStore`` on PostgreSQL: a room's row numbers its messages under its row lock.
public struct PostgresRoomStore: RoomStore {
    let pool: PostgresPool
    let logger: Logger

    /// Creates the store over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    public func room(bookingId: UUID) async throws -> RoomInfo? {
        try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT r.id, r.kind, r.starts_at, r.ends_at, r.mentor_id,
                       CASE WHEN r.kind = 'group' THEN ARRAY(SELECT s.mentee_id FROM bookings s WHERE s.parent_id = r.id AND s.status = 'confirmed')
                            ELSE ARRAY[r.mentee_id] END, r.record_consent, r.capacity
                FROM bookings b JOIN bookings r ON r.id = coalesce(b.parent_id, b.id)
                WHERE b.id = \(bookingId) AND r.status = 'confirmed' AND b.status = 'confirmed' AND r.kind IN ('one_on_one', 'group')
                """, logger: logger)
            for try await r in rows.decode((UUID, String, Date, Date, UUID, [UUID], Bool, Int32?).self) {
                return RoomInfo(
                    id: r.0, bookingId: bookingId, kind: r.1, startsAt: Instant(r.2), endsAt: Instant(r.3), mentorId: r.4,
                    participantIds: [r.4] + r.5,
                    recordConsent: r.6, capacity: r.7.map(Int.init))
            }
            return nil
        }
    }

    public func append(roomId: UUID, senderId: UUID, text: String) async throws -> ChatMessage {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let numbered = try await connection.query(
                """
                INSERT INTO rooms (id, last_seq) VALUES (\(roomId), 1)
                ON CONFLICT (id) DO UPDATE SET last_seq = rooms.last_seq + 1 RETURNING last_seq
                """, logger: logger)
            var seq: Int64 = 0
            for try await value in numbered.decode(Int64.self) { seq = value }
            let rows = try await connection.query(
                "INSERT INTO room_messages (room_id, seq, sender_id, text) VALUES (\(roomId), \(seq), \(senderId), \(text)) RETURNING id, sent_at",
                logger: logger)
            for try await (id, at) in rows.decode((Int64, Date).self) {
                return ChatMessage(id: id, seq: seq, senderId: senderId, text: text, sentAt: Instant(at))
            }
            throw PostgresAdapterError.unexpectedEmptyResult
        }
    }

    public func messages(roomId: UUID, beforeSeq: Int64?, limit: Int) async throws -> [ChatMessage] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                RoomMessageRow.self,
                """
                SELECT \(unescaped: RoomMessageRow.columns) FROM room_messages
                WHERE room_id = \(roomId) AND (\(beforeSeq)::int8 IS NULL OR seq < \(beforeSeq)) ORDER BY seq DESC LIMIT \(limit)
                """, logger: logger)
        }
    }
}
