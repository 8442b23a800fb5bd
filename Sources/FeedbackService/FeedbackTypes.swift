public import Foundation
public import MentorLinkCore

/// Params of `reviews.create`.
public struct CreateReviewParams: Codable, Sendable {
    public var bookingId: UUID
    public var rating: Int
    public var comment: String?
}

/// Params of `reviews.reply`.
public struct ReplyParams: Codable, Sendable {
    public var reviewId: UUID
    public var text: String
}

/// A review as posted.
public struct ReviewResult: Codable, Sendable { public var review: Review }

/// Params of `reviews.list`.
public struct ListReviewsParams: Codable, Sendable {
    public var mentorId: UUID
    public var cursor: String?
    public var limit: Int?
}

/// A page of a mentor's reviews, newest first.
public struct ReviewPage: Codable, Sendable {
    public var items: [Review]
    public var nextCursor: String?
}
