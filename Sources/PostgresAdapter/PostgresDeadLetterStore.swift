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

    @discardableResult public func park(_ message: FailedMessage) async throws -> Int64 {
        let error = String(message.error.prefix(2000))
        let attempts = Int32(clamping: message.attempts)
        return try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO dead_letters (consumer, topic, kafka_partition, kafka_offset, message_key, message_value, error, attempts)
                VALUES (\(message.consumer), \(message.topic), \(message.partition), \(message.offset), \(ByteBuffer(bytes: message.key)),
                        \(ByteBuffer(bytes: message.value)), \(error), \(max(attempts, 1)))
                ON CONFLICT (consumer, topic, kafka_partition, kafka_offset) DO UPDATE
                    SET error = excluded.error, attempts = dead_letters.attempts + excluded.attempts,
                        state = CASE WHEN dead_letters.state = 'replayed' THEN 'replayed' ELSE 'parked' END
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { return id }
            throw PostgresAdapterError.unexpectedEmptyResult
        }
    }

    public func deadLetters(consumer: String?, afterId: Int64?, limit: Int) async throws -> [DeadLetter] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                DeadLetterRow.self,
                """
                SELECT \(unescaped: DeadLetterRow.columns) FROM dead_letters
                WHERE (\(consumer)::text IS NULL OR consumer = \(consumer)) AND id > \(afterId ?? 0)
                ORDER BY id LIMIT \(limit)
                """, logger: logger)
        }
    }

    public func requestReplay(id: Int64) async throws -> DeadLetter? {
        try await pool.read(logger: logger) { connection in
            let requested = try await connection.fetchFirst(
                DeadLetterRow.self,
                """
                UPDATE dead_letters SET state = 'replaying', replay_requested_at = now() WHERE id = \(id) AND state = 'parked'
                RETURNING \(unescaped: DeadLetterRow.columns)
                """, logger: logger)
            if let requested { return requested }
            return try await connection.fetchFirst(
                DeadLetterRow.self, "SELECT \(unescaped: DeadLetterRow.columns) FROM dead_letters WHERE id = \(id)", logger: logger)
        }
    }

    public func replaying(consumer: String, limit: Int) async throws -> [DeadLetter] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                DeadLetterRow.self,
                "SELECT \(unescaped: DeadLetterRow.columns) FROM dead_letters WHERE consumer = \(consumer) AND state = 'replaying' ORDER BY id LIMIT \(limit)",
                logger: logger)
        }
    }

    public func finishReplay(id: Int64, error: String?) async throws {
        try await pool.read(logger: logger) { connection in
            if let error {
                _ = try await connection.query(
                    """
                    UPDATE dead_letters SET state = 'parked', error = \(String(error.prefix(2000))), attempts = attempts + 1
                    WHERE id = \(id) AND state = 'replaying'
                    """, logger: logger)
            } else {
                _ = try await connection.query(
                    "UPDATE dead_letters SET state = 'replayed', replayed_at = now(), attempts = attempts + 1 WHERE id = \(id) AND state = 'replaying'",
                    logger: logger)
            }
        }
    }
}
