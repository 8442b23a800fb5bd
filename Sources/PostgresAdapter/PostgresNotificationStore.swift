public import Foundation
public import Logging
public import MentorLinkCore
import PostgresNIO

/// ``NotificationStore`` on PostgreSQL.
public struct PostgresNotificationStore: NotificationStore {
    let pool: PostgresPool
    let logger: Logger

    /// Creates the store over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    public func handle(eventId: Int64, consumer: String, notifications: [NewNotification]) async throws -> [(UUID, AppNotification)]? {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let claimed = try await connection.query(
                "INSERT INTO consumer_events (consumer, event_id) VALUES (\(consumer), \(eventId)) ON CONFLICT DO NOTHING RETURNING event_id",
                logger: logger)
            var isNew = false
            for try await _ in claimed.decode(Int64.self) { isNew = true }
            guard isNew else { return nil }
            var stored: [(UUID, AppNotification)] = []
            for item in notifications {
                let rows = try await connection.query(
                    """
                    INSERT INTO notifications (user_id, type, title, body, event_id) VALUES (\(item.userId), \(item.type), \(item.title), \(item.body), \(eventId))
                    ON CONFLICT (event_id, user_id) DO NOTHING RETURNING id, created_at
                    """, logger: logger)
                for try await (id, at) in rows.decode((Int64, Date).self) {
                    stored.append(
                        (
                            item.userId,
                            AppNotification(id: id, type: item.type, title: item.title, body: item.body, createdAt: Instant(at), read: false)
                        ))
                }
            }
            return stored
        }
    }

    public func notifications(userId: UUID, unreadOnly: Bool, beforeId: Int64?, limit: Int) async throws -> [AppNotification] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                NotificationRow.self,
                """
                SELECT \(unescaped: NotificationRow.columns) FROM notifications
                WHERE user_id = \(userId) AND (NOT \(unreadOnly) OR read_at IS NULL) AND (\(beforeId)::int8 IS NULL OR id < \(beforeId))
                ORDER BY id DESC LIMIT \(limit)
                """, logger: logger)
        }
    }

    public func unreadCount(userId: UUID, cap: Int) async throws -> Int {
        try await pool.read(logger: logger) { connection in
            // On the partial index notifications_unread; the inner LIMIT bounds the work for a huge inbox.
            let rows = try await connection.query(
                "SELECT count(*)::int8 FROM (SELECT 1 FROM notifications WHERE user_id = \(userId) AND read_at IS NULL LIMIT \(cap)) AS unread",
                logger: logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }

    public func handled(eventId: Int64, consumer: String) async throws -> Bool {
        try await pool.read(logger: logger) { connection in
            for try await _ in try await connection.query(
                "SELECT event_id FROM consumer_events WHERE consumer = \(consumer) AND event_id = \(eventId)", logger: logger
            ).decode(Int64.self) { return true }
            return false
        }
    }

    public func seatHolders(cancelledWith groupSessionId: UUID) async throws -> [UUID] {
        try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT DISTINCT s.mentee_id FROM bookings s JOIN bookings g ON g.id = s.parent_id
                WHERE g.id = \(groupSessionId) AND g.kind = 'group' AND s.kind = 'group_seat' AND s.status = 'cancelled'
                    AND s.cancelled_at = g.cancelled_at AND s.mentee_id IS NOT NULL
                """, logger: logger)
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            return ids
        }
    }

    public func contacts(_ ids: [UUID]) async throws -> [UUID: (email: String, name: String)] {
        let users = try await pool.read(logger: logger) { connection in
            try await connection.fetch(UserRow.self, "SELECT \(unescaped: UserRow.columns) FROM users WHERE id = ANY(\(ids))", logger: logger)
        }
        return Dictionary(users.map { ($0.id, (email: $0.email, name: $0.name)) }) { first, _ in first }
    }

    public func markRead(userId: UUID, ids: [Int64]) async throws -> Int {
        try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                "UPDATE notifications SET read_at = now() WHERE user_id = \(userId) AND id = ANY(\(ids)) AND read_at IS NULL RETURNING id",
                logger: logger)
            var count = 0
            for try await _ in rows.decode(Int64.self) { count += 1 }
            return count
        }
    }
}
