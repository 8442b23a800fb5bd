import JSONRPC
import MentorLinkCore
import ServiceSupport
import Foundation

/// `reviews.*`: a mentee rates a session after it ended, once; the mentor replies once; ratings feed search.
extension BookingService {
    func registerReviews(into registry: inout MethodRegistry) {
        registry.register("reviews.create", summary: "Review a session you attended, after it ended (once).", access: .authenticated, handler: createReview)
        registry.register("reviews.reply", summary: "Reply to a review of you (once).", access: .only(.mentor), handler: replyReview)
        registry.register("reviews.list", summary: "A mentor's reviews, newest first.", access: .public, handler: listReviews)
    }

    func createReview(_ params: CreateReviewParams, _ context: RPCContext) async throws -> ReviewResult {
        let caller = try context.caller()
        var checks = FieldChecks()
        checks.range(params.rating, 1...5, "rating")
        checks.maxLength(params.comment, 2000, "comment")
        try checks.check()
        guard let booking = try await store.booking(id: params.bookingId) else { throw BookingError.core(.notFound) }
        guard booking.menteeId == caller.id else { throw BookingError.core(.forbidden("only the session's mentee reviews it")) }
        guard booking.status == .confirmed else { throw BookingError.core(.invalidState("the booking is \(booking.status.rawValue)")) }
        guard booking.end <= configuration.now() else { throw BookingError.core(.invalidState("the session has not ended")) }
        let comment = params.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        let review = try await mapped {
            try await store.createReview(
                bookingId: booking.id, authorId: caller.id, mentorId: booking.mentorId, rating: params.rating,
                comment: comment?.isEmpty == false ? comment : nil, audit: nil)
        }
        return ReviewResult(review: review)
    }

    func replyReview(_ params: ReplyParams, _ context: RPCContext) async throws -> ReviewResult {
        let caller = try context.caller()
        let text = params.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2000).contains(text.count) else { throw BookingError.invalid("text", "1 to 2000 characters") }
        return ReviewResult(review: try await mapped { try await store.replyReview(reviewId: params.reviewId, mentorId: caller.id, text: text) })
    }

    func listReviews(_ params: ListReviewsParams, _ context: RPCContext) async throws -> ReviewPage {
        let limit = params.limit ?? 20
        guard (1...100).contains(limit) else { throw BookingError.invalid("limit", "1 to 100") }
        let cursors = configuration.cursors
        let after = try cursors.cursorParam(params.cursor, scope: "reviews.list", timeKeyed: true)
        let items = try await store.reviews(
            mentorId: params.mentorId, after: after.flatMap { position in position.instant.map { ($0, position.id) } }, limit: limit)
        let next = cursors.nextCursor(items, limit: limit, scope: "reviews.list") { PageCursor(instant: $0.createdAt, id: $0.id) }
        return ReviewPage(items: items, nextCursor: next)
    }
}
