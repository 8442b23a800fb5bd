import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// Feedback: `reviews.*`. A mentee rates a session after it ended, once; the mentor replies once; ratings feed search.
public struct FeedbackService: RPCService {
    let store: any ReviewStore
    let cursors: CursorCodec
    let now: @Sendable () -> Instant

    /// Creates the service; `cursors` seals its page cursors (shared by every worker), `now` is the clock.
    public init(store: any ReviewStore, cursors: CursorCodec = .random(), now: @escaping @Sendable () -> Instant = { Instant.now }) {
        self.store = store
        self.cursors = cursors
        self.now = now
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register(
            "reviews.create", summary: "Review a session you attended, after it ended (once).", access: .authenticated, handler: createReview)
        registry.register("reviews.reply", summary: "Reply to a review of you (once).", access: .only(.mentor), handler: replyReview)
        registry.register("reviews.list", summary: "A mentor's reviews, newest first.", access: .public, handler: listReviews)
    }

    func createReview(_ params: CreateReviewParams, _ context: RPCContext) async throws -> ReviewResult {
        let caller = try context.caller()
        var checks = FieldChecks()
        checks.range(params.rating, 1...5, "rating")
        checks.maxLength(params.comment, 2000, "comment")
        try checks.check()
        guard let booking = try await store.booking(id: params.bookingId) else { throw CoreError.notFound }
        guard booking.menteeId == caller.id else { throw CoreError.forbidden("only the session's mentee reviews it") }
        guard booking.status == .confirmed else { throw CoreError.invalidState("the booking is \(booking.status.rawValue)") }
        guard booking.end <= now() else { throw CoreError.invalidState("the session has not ended") }
        let comment = params.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        let review = try await store.createReview(
            bookingId: booking.id, authorId: caller.id, mentorId: booking.mentorId, rating: params.rating,
            comment: comment?.isEmpty == false ? comment : nil, audit: nil)
        return ReviewResult(review: review)
    }

    func replyReview(_ params: ReplyParams, _ context: RPCContext) async throws -> ReviewResult {
        let caller = try context.caller()
        let text = params.text.trimmingCharacters(in: .whitespacesAndNewlines)
        var checks = FieldChecks()
        checks.length(text, 1...2000, "text")
        try checks.check()
        return ReviewResult(review: try await store.replyReview(reviewId: params.reviewId, mentorId: caller.id, text: text))
    }

    func listReviews(_ params: ListReviewsParams, _ context: RPCContext) async throws -> ReviewPage {
        let limit = params.limit ?? 20
        var checks = FieldChecks()
        checks.range(limit, 1...100, "limit")
        try checks.check()
        let after = try cursors.cursorParam(params.cursor, scope: "reviews.list", timeKeyed: true)
        let items = try await store.reviews(
            mentorId: params.mentorId, after: after.flatMap { position in position.instant.map { ($0, position.id) } }, limit: limit)
        let next = cursors.nextCursor(items, limit: limit, scope: "reviews.list") { PageCursor(instant: $0.createdAt, id: $0.id) }
        return ReviewPage(items: items, nextCursor: next)
    }
}
