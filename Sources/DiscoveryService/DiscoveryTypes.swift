public import Foundation
public import MentorLinkCore

/// `mentors.updateProfile` takes the profile as written (``ProfileInput``).
public typealias UpdateProfileParams = ProfileInput

/// Params of `mentors.get`.
public struct MentorProfileParams: Codable, Sendable { public var mentorId: UUID }

/// A mentor's profile.
public struct ProfileResult: Codable, Sendable { public var mentor: MentorProfile }

/// Params of `mentors.search`: text, filters, sort and a page cursor.
public struct SearchParams: Codable, Sendable {
    public var query: String?
    public var skills: [String]?
    public var topics: [String]?
    public var tags: [String]?
    public var languages: [String]?
    public var minExperience: Int?
    public var minRating: Double?
    public var maxPriceCredits: Int?
    public var availableFrom: Instant?
    public var availableTo: Instant?
    public var sort: MentorSort?
    public var limit: Int?
    public var cursor: String?
}
