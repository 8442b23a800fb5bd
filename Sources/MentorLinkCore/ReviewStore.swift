public import Foundation

/// The durable side of feedback: reviews of sessions, the mentors' replies, and the rating aggregate search reads.
public protocol ReviewStore: Sendable {
    /// One booking (a review is of a booking its author attended).
    func booking(id: UUID) async throws -> Booking?
    /// Posts the review of a booking and updates the mentor's rating in the same transaction; `duplicate("reviewed")`
    /// when the author already reviewed it.
    func createReview(bookingId: UUID, authorId: UUID, mentorId: UUID, rating: Int, comment: String?, audit: AuditEntry?) async throws -> Review
    /// The mentor's one reply to a review.
    func replyReview(reviewId: UUID, mentorId: UUID, text: String) async throws -> Review
    /// A mentor's reviews, newest first.
    func reviews(mentorId: UUID, after: (createdAt: Instant, id: UUID)?, limit: Int) async throws -> [Review]
}
