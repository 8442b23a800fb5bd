import Foundation
public import Logging
public import MentorLinkCore
import PostgresNIO

/// ``DeadLetterStore`` on the `dead_letters` table.
public struct PostgresDeadLetterStore: DeadLetterStore {
    let pool: PostgresPool
    let logger: Logger

    /// Creates the store over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// The columns of a ``DeadLetter``, in ``row(_:)``'s order.
    static let columns = """
        id, consumer, topic, kafka_partition, kafka_offset, message_key, message_value, error, attempts, state, parked_at, replayed_at
        """
    typealias Row = (Int64, String, String, Int32, Int64, ByteBuffer, ByteBuffer, String, Int32, String, Date, Date?)

    static func row(_ r: Row) -> DeadLetter {
        DeadLetter(
            id: r.0, consumer: r.1, topic: r.2, partition: r.3, offset: r.4, key: Array(buffer: r.5), value: Array(buffer: r.6), error: r.7,
            attempts: Int(r.8), state: DeadLetter.State(rawValue: r.9) ?? .parked, parkedAt: Instant(r.10), replayedAt: r.11.map(Instant.init))
    }

    @discardableResult
    public func park(_ message: FailedMessage) async throws -> Int64 {
        let error = String(message.error.prefix(2000))
        let attempts = Int32(clamping: message.attempts)
        let rows = try await pool.client.query(
            """
            INSERT INTO dead_letters (consumer, topic, kafka_partition, kafka_offset, message_key, message_value, error, attempts)
            VALUES (\(message.consumer), \(message.topic), \(message.partition), \(message.offset), \(ByteBuffer(bytes: message.key)),
                    \(ByteBuffer(bytes: message.value)), \(error), \(max(attempts, 1)))
            ON CONFLICT (consumer, topic, kafka_partition, kafka_offset) DO UPDATE
                SET error = excluded.error, attempts = dead_letters.attempts + excluded.attempts,
                    state = CASE WHEN dead_letters.state = 'replayed' THEN 'replayed' ELSE 'parked' END
            RETURNING id
            """,
            logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw PostgresAdapterError.unexpectedEmptyResult
    }

    public func deadLetters(consumer: String?, afterId: Int64?, limit: Int) async throws -> [DeadLetter] {
        let rows = try await pool.client.query(
            """
            SELECT \(unescaped: Self.columns) FROM dead_letters
            WHERE (\(consumer)::text IS NULL OR consumer = \(consumer)) AND id > \(afterId ?? 0)
            ORDER BY id LIMIT \(limit)
            """,
            logger: logger)
        var items: [DeadLetter] = []
        for try await r in rows.decode(Row.self) { items.append(Self.row(r)) }
        return items
    }

    public func requestReplay(id: Int64) async throws -> DeadLetter? {
        let requested = try await pool.client.query(
            """
            UPDATE dead_letters SET state = 'replaying', replay_requested_at = now() WHERE id = \(id) AND state = 'parked'
            RETURNING \(unescaped: Self.columns)
            """,
            logger: logger)
        for try await r in requested.decode(Row.self) { return Self.row(r) }
        let current = try await pool.client.query("SELECT \(unescaped: Self.columns) FROM dead_letters WHERE id = \(id)", logger: logger)
        for try await r in current.decode(Row.self) { return Self.row(r) }
        return nil
    }

    public func replaying(consumer: String, limit: Int) async throws -> [DeadLetter] {
        let rows = try await pool.client.query(
            "SELECT \(unescaped: Self.columns) FROM dead_letters WHERE consumer = \(consumer) AND state = 'replaying' ORDER BY id LIMIT \(limit)",
            logger: logger)
        var items: [DeadLetter] = []
        for try await r in rows.decode(Row.self) { items.append(Self.row(r)) }
        return items
    }

    public func finishReplay(id: Int64, error: String?) async throws {
        if let error {
            try await pool.client.query(
                """
                UPDATE dead_letters SET state = 'parked', error = \(String(error.prefix(2000))), attempts = attempts + 1
                WHERE id = \(id) AND state = 'replaying'
                """,
                logger: logger)
        } else {
            try await pool.client.query(
                "UPDATE dead_letters SET state = 'replayed', replayed_at = now(), attempts = attempts + 1 WHERE id = \(id) AND state = 'replaying'",
                logger: logger)
        }
    }
}
