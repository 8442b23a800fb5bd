public import Foundation

/// What a booking row is.
public enum BookingKind: String, Codable, Sendable, CaseIterable {
    /// A 1:1 session (or a hold on one).
    case oneOnOne = "one_on_one"
    /// A 1:many session a mentor created; mentees take seats in it.
    case group
    /// A mentee's seat in a group session.
    case groupSeat = "group_seat"
}

/// Where a booking stands.
public enum BookingStatus: String, Codable, Sendable, CaseIterable { case held, confirmed, cancelled, expired }

/// A booking, a hold, a group session or a seat in one.
public struct Booking: Codable, Sendable, Hashable {
    public var id: UUID
    public var kind: BookingKind
    public var mentorId: UUID
    public var menteeId: UUID?
    /// For a seat: its group session.
    public var groupSessionId: UUID?
    public var start: Instant
    public var end: Instant
    public var status: BookingStatus
    public var holdExpiresAt: Instant?
    public var capacity: Int?
    public var seatsTaken: Int?
    public var title: String?
    public var topic: String?
    public var agenda: [String: String]?
    public var cancelReason: String?
    public var createdAt: Instant
    /// The price in credits (for a group session: per seat); 0 is free.
    public var priceCredits: Int
    /// `none`, `held` (in the mentee's escrow), `released` (to the mentor) or `refunded`.
    public var escrowState: String
    /// A reschedule waiting for the other participant's answer: the proposed start, and who proposed it.
    public var proposedStart: Instant?
    public var proposedBy: UUID?

    public init(
        id: UUID, kind: BookingKind, mentorId: UUID, menteeId: UUID?, groupSessionId: UUID?, start: Instant, end: Instant, status: BookingStatus,
        holdExpiresAt: Instant? = nil, capacity: Int? = nil, seatsTaken: Int? = nil, title: String? = nil, topic: String? = nil,
        agenda: [String: String]? = nil, cancelReason: String? = nil, createdAt: Instant, priceCredits: Int = 0, escrowState: String = "none"
    ) {
        self.id = id
        self.kind = kind
        self.mentorId = mentorId
        self.menteeId = menteeId
        self.groupSessionId = groupSessionId
        self.start = start
        self.end = end
        self.status = status
        self.holdExpiresAt = holdExpiresAt
        self.capacity = capacity
        self.seatsTaken = seatsTaken
        self.title = title
        self.topic = topic
        self.agenda = agenda
        self.cancelReason = cancelReason
        self.createdAt = createdAt
        self.priceCredits = priceCredits
        self.escrowState = escrowState
    }

    /// Whether `userId` takes part (the mentor or the mentee).
    public func involves(_ userId: UUID) -> Bool { mentorId == userId || menteeId == userId }
}

/// A session type a mentor offers.
public struct SessionType: Codable, Sendable, Hashable {
    public var kind: BookingKind
    public var minutes: Int
    public var priceCredits: Int

    public init(kind: BookingKind, minutes: Int, priceCredits: Int) {
        self.kind = kind
        self.minutes = minutes
        self.priceCredits = priceCredits
    }
}

/// What a mentor writes about themselves.
public struct ProfileInput: Codable, Sendable, Hashable {
    public var headline: String
    public var bio: String
    public var skills: [String]
    public var topics: [String]
    public var tags: [String]
    public var yearsExperience: Int
    public var languages: [String]
    public var timeZone: String
    public var sessionTypes: [SessionType]

    public init(
        headline: String, bio: String, skills: [String], topics: [String], tags: [String], yearsExperience: Int, languages: [String],
        timeZone: String, sessionTypes: [SessionType]
    ) {
        self.headline = headline
        self.bio = bio
        self.skills = skills
        self.topics = topics
        self.tags = tags
        self.yearsExperience = yearsExperience
        self.languages = languages
        self.timeZone = timeZone
        self.sessionTypes = sessionTypes
    }
}

/// A mentor's public profile with its rating.
public struct MentorProfile: Codable, Sendable, Hashable {
    public var id: UUID
    public var name: String
    public var headline: String
    public var bio: String
    public var skills: [String]
    public var topics: [String]
    public var tags: [String]
    public var yearsExperience: Int
    public var languages: [String]
    public var timeZone: String
    public var sessionTypes: [SessionType]
    /// The plain average of the reviews, `nil` without reviews.
    public var rating: Double?
    public var reviewCount: Int
    /// The Bayesian average search sorts by (prior 4.0 worth 5 reviews).
    public var bayesianRating: Double
    /// The cheapest 1:1 session type, in credits.
    public var priceCredits: Int

    public init(id: UUID, name: String, input: ProfileInput, rating: Double?, reviewCount: Int, bayesianRating: Double, priceCredits: Int) {
        self.id = id
        self.name = name
        self.headline = input.headline
        self.bio = input.bio
        self.skills = input.skills
        self.topics = input.topics
        self.tags = input.tags
        self.yearsExperience = input.yearsExperience
        self.languages = input.languages
        self.timeZone = input.timeZone
        self.sessionTypes = input.sessionTypes
        self.rating = rating
        self.reviewCount = reviewCount
        self.bayesianRating = bayesianRating
        self.priceCredits = priceCredits
    }
}

/// One question of a mentor's pre-session form.
public struct FormQuestion: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case text, choice, url }
    public var id: String
    public var label: String
    public var kind: Kind
    public var required: Bool
    public var choices: [String]?

    public init(id: String, label: String, kind: Kind, required: Bool, choices: [String]? = nil) {
        self.id = id
        self.label = label
        self.kind = kind
        self.required = required
        self.choices = choices
    }
}

/// A review of a session by its mentee, with the mentor's reply.
public struct Review: Codable, Sendable, Hashable {
    public var id: UUID
    public var bookingId: UUID
    public var mentorId: UUID
    public var authorId: UUID
    public var authorName: String
    public var rating: Int
    public var comment: String?
    public var reply: String?
    public var createdAt: Instant
    public var repliedAt: Instant?

    public init(
        id: UUID, bookingId: UUID, mentorId: UUID, authorId: UUID, authorName: String, rating: Int, comment: String?, reply: String?,
        createdAt: Instant, repliedAt: Instant?
    ) {
        self.id = id
        self.bookingId = bookingId
        self.mentorId = mentorId
        self.authorId = authorId
        self.authorName = authorName
        self.rating = rating
        self.comment = comment
        self.reply = reply
        self.createdAt = createdAt
        self.repliedAt = repliedAt
    }
}
