public import Foundation
public import MentorLinkCore

/// ``MentorLinkCore/ReviewStore`` in memory, on an ``InMemoryMarketplace``: one review per booking and author
/// (`duplicate("reviewed")`, the unique key), the mentor's rating aggregate moved in the same step, one reply per
/// review (`duplicate("replied")`), reviews newest first by the millisecond.
public struct InMemoryReviewStore: ReviewStore {
    /// The database it works on.
    public let database: InMemoryMarketplace

    /// A store on `database`.
    public init(database: InMemoryMarketplace) { self.database = database }

    public func booking(id: UUID) async throws -> Booking? { try database.read { $0.bookings[id]?.booking } }

    public func createReview(
        bookingId: UUID, authorId: UUID, mentorId: UUID, rating: Int, comment: String?, audit: AuditEntry?
    ) async throws -> Review {
        let now = database.now()
        return try database.transaction { tables in
            guard tables.bookings[bookingId] != nil, tables.users[authorId] != nil, tables.users[mentorId] != nil else { throw CoreError.notFound }
            guard (1...5).contains(rating) else { throw CoreError.invalidState("a rating is 1 to 5") }
            if tables.reviews.values.contains(where: { $0.bookingId == bookingId && $0.authorId == authorId }) {
                throw CoreError.duplicate("reviewed")
            }
            let review = Review(
                id: UUID(), bookingId: bookingId, mentorId: mentorId, authorId: authorId, authorName: tables.users[authorId]?.name ?? "",
                rating: rating, comment: comment, reply: nil, createdAt: now, repliedAt: nil)
            tables.reviews[review.id] = review
            tables.profiles[mentorId]?.ratingSum += Int64(rating)
            tables.profiles[mentorId]?.reviewCount += 1
            tables.event("review.posted", aggregate: "review", id: review.id)
            if let audit { tables.audit.append(audit.targeting(review.id), at: now.date) }
            return review
        }
    }

    public func replyReview(reviewId: UUID, mentorId: UUID, text: String) async throws -> Review {
        let now = database.now()
        return try database.transaction { tables in
            guard var review = tables.reviews[reviewId], review.mentorId == mentorId else { throw CoreError.notFound }
            guard review.reply == nil else { throw CoreError.duplicate("replied") }
            review.reply = text
            review.repliedAt = now
            tables.reviews[reviewId] = review
            tables.event("review.replied", aggregate: "review", id: reviewId)
            return review
        }
    }

    public func reviews(mentorId: UUID, after: (createdAt: Instant, id: UUID)?, limit: Int) async throws -> [Review] {
        try database.read { tables in
            let key = { (review: Review) in (Self.milliseconds(review.createdAt), review.id.uuidString) }
            let sorted = tables.reviews.values.filter { $0.mentorId == mentorId }.sorted { key($0) > key($1) }
            let page = sorted.filter { review in after.map { key(review) < (Self.milliseconds($0.createdAt), $0.id.uuidString) } ?? true }
            return Array(page.prefix(max(0, limit)))
        }
    }

    /// An instant to the millisecond (the cursor's precision).
    static func milliseconds(_ instant: Instant) -> Int64 { Int64((instant.date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
