import Foundation
public import Logging
public import MentorLinkCore
import PostgresNIO

/// ``Outbox`` on the `outbox` table: rows are claimed with `FOR UPDATE SKIP LOCKED`, so several relays can run.
public struct PostgresOutbox: Outbox {
    let pool: PostgresPool
    let logger: Logger

    /// Creates the outbox over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    public func relay(limit: Int, publish: @escaping @Sendable ([OutboxEvent]) async throws -> Void) async throws -> Int {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT id, aggregate, aggregate_id, event_type, payload::text, created_at FROM outbox
                WHERE sent_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                logger: logger)
            var events: [OutboxEvent] = []
            for try await r in rows.decode((Int64, String, String, String, String, Date).self) {
                events.append(OutboxEvent(id: r.0, aggregate: r.1, aggregateId: r.2, type: r.3, payload: Array(r.4.utf8), createdAt: Instant(r.5)))
            }
            guard !events.isEmpty else { return 0 }
            try await publish(events)
            try await connection.query("UPDATE outbox SET sent_at = now() WHERE id = ANY(\(events.map(\.id)))", logger: logger)
            return events.count
        }
    }

    public func pending() async throws -> Int {
        for try await count in try await pool.client.query("SELECT count(*)::int FROM outbox WHERE sent_at IS NULL", logger: logger).decode(Int.self) {
            return count
        }
        return 0
    }
}
