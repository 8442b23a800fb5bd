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
            let events = try await connection.fetch(
                OutboxRow.self,
                "SELECT \(unescaped: OutboxRow.columns) FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED",
                logger: logger)
            guard !events.isEmpty else { return 0 }
            try await publish(events)
            try await connection.query("UPDATE outbox SET sent_at = now() WHERE id = ANY(\(events.map(\.id)))", logger: logger)
            return events.count
        }
    }

    public func pending() async throws -> Int {
        try await pool.read(logger: logger) { connection in
            for try await count in try await connection.query("SELECT count(*)::int FROM outbox WHERE sent_at IS NULL", logger: logger).decode(
                Int.self)
            { return count }
            return 0
        }
    }
}
