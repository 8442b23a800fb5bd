import Foundation
import MentorLinkCore
import PostgresNIO

/// A `reviews` row (alias `r`, joined to its author's `users` row as `u` for the name) as a ``Review``.
enum ReviewRow: TableRow {
    static let columns = """
        r.id, r.booking_id, r.mentor_id, r.author_id, u.name, r.rating, r.comment, r.reply, date_trunc('milliseconds', r.created_at), r.replied_at
        """

    /// The `FROM` clause that gives ``columns`` their aliases.
    static let from = "reviews r JOIN users u ON u.id = r.author_id"

    static func decode(_ row: PostgresRow) throws -> Review {
        let r = try row.decode((UUID, UUID, UUID, UUID, String, Int, String?, String?, Date, Date?).self)
        return Review(
            id: r.0, bookingId: r.1, mentorId: r.2, authorId: r.3, authorName: r.4, rating: r.5, comment: r.6, reply: r.7, createdAt: Instant(r.8),
            repliedAt: r.9.map(Instant.init))
    }
}
