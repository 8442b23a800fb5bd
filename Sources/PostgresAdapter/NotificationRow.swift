import Foundation
import MentorLinkCore
import PostgresNIO

/// A `notifications` row as an ``AppNotification``.
enum NotificationRow: TableRow {
    static let columns = "id, type, title, body, created_at, read_at IS NOT NULL"

    static func decode(_ row: PostgresRow) throws -> AppNotification {
        let r = try row.decode((Int64, String, String, String, Date, Bool).self)
        return AppNotification(id: r.0, type: r.1, title: r.2, body: r.3, createdAt: Instant(r.4), read: r.5)
    }
}
