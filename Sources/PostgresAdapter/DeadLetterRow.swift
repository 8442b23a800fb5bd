import Foundation
import MentorLinkCore
import PostgresNIO

/// A `dead_letters` row as a ``DeadLetter``.
enum DeadLetterRow: TableRow {
    static let columns = """
        id, consumer, topic, kafka_partition, kafka_offset, message_key, message_value, error, attempts, state, parked_at, replayed_at
        """

    static func decode(_ row: PostgresRow) throws -> DeadLetter {
        let r = try row.decode((Int64, String, String, Int32, Int64, ByteBuffer, ByteBuffer, String, Int32, String, Date, Date?).self)
        return DeadLetter(
            id: r.0, consumer: r.1, topic: r.2, partition: r.3, offset: r.4, key: Array(buffer: r.5), value: Array(buffer: r.6), error: r.7,
            attempts: Int(r.8), state: DeadLetter.State(rawValue: r.9) ?? .parked, parkedAt: Instant(r.10), replayedAt: r.11.map(Instant.init))
    }
}
