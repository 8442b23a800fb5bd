public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresBookingStore {
    public func createReview(
        bookingId: UUID, authorId: UUID, mentorId: UUID, rating: Int, comment: String?, audit: AuditEntry?
    ) async throws -> Review {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let inserted = try await connection.query(
                """
                INSERT INTO reviews (booking_id, mentor_id, author_id, rating, comment)
                VALUES (\(bookingId), \(mentorId), \(authorId), \(rating), \(comment)) RETURNING id
                """, logger: logger)
            var reviewId: UUID?
            for try await id in inserted.decode(UUID.self) { reviewId = id }
            guard let reviewId else { throw PostgresAdapterError.unexpectedEmptyResult }
            // The aggregate moves in the same transaction, so search's rating never disagrees with the reviews.
            try await connection.query(
                "UPDATE mentor_profiles SET rating_sum = rating_sum + \(rating), review_count = review_count + 1 WHERE user_id = \(mentorId)",
                logger: logger)
            let review = try await connection.fetchOne(
                ReviewRow.self, "SELECT \(unescaped: ReviewRow.columns) FROM \(unescaped: ReviewRow.from) WHERE r.id = \(reviewId)", logger: logger)
            try await connection.appendEvent(ReviewEvent(name: .posted, payload: review), logger: logger)
            if let audit { try await connection.appendAudit(audit.targeting(review.id), logger: logger) }
            return review
        }
    }

    public func replyReview(reviewId: UUID, mentorId: UUID, text: String) async throws -> Review {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let updated = try await connection.query(
                "UPDATE reviews SET reply = \(text), replied_at = now() WHERE id = \(reviewId) AND mentor_id = \(mentorId) AND reply IS NULL RETURNING id",
                logger: logger)
            var found = false
            for try await _ in updated.decode(UUID.self) { found = true }
            let review = try await connection.fetchFirst(
                ReviewRow.self, "SELECT \(unescaped: ReviewRow.columns) FROM \(unescaped: ReviewRow.from) WHERE r.id = \(reviewId)", logger: logger)
            guard let review, review.mentorId == mentorId else { throw CoreError.notFound }
            guard found else { throw CoreError.duplicate("replied") }
            try await connection.appendEvent(ReviewEvent(name: .replied, payload: review), logger: logger)
            return review
        }
    }

    public func reviews(mentorId: UUID, after: (createdAt: Instant, id: UUID)?, limit: Int) async throws -> [Review] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                ReviewRow.self,
                """
                SELECT \(unescaped: ReviewRow.columns) FROM \(unescaped: ReviewRow.from)
                WHERE r.mentor_id = \(mentorId)
                  AND (\(after?.createdAt.date)::timestamptz IS NULL
                       OR (date_trunc('milliseconds', r.created_at), r.id) < (\(after?.createdAt.date), \(after?.id)))
                ORDER BY date_trunc('milliseconds', r.created_at) DESC, r.id DESC LIMIT \(limit)
                """, logger: logger)
        }
    }
}
