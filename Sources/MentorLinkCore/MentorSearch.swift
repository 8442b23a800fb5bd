public import Foundation

/// How search results are ordered.
public enum MentorSort: String, Codable, Sendable, CaseIterable { case relevance, rating, price, soonest }

/// A validated search.
public struct MentorSearchQuery: Sendable, Hashable {
    public var text: String?
    public var skills: [String]
    public var topics: [String]
    public var tags: [String]
    public var languages: [String]
    public var minExperience: Int?
    public var minRating: Double?
    public var maxPriceCredits: Int?
    public var availableFrom: Instant?
    public var availableTo: Instant?
    public var sort: MentorSort
    public var limit: Int
    public var after: MentorSearchCursor?
    public var now: Instant
    /// Known terms close to a misspelled query (filled in by the store when it widens to fuzzy matching).
    public var corrections: [String] = []

    public init(
        text: String?, skills: [String] = [], topics: [String] = [], tags: [String] = [], languages: [String] = [], minExperience: Int? = nil,
        minRating: Double? = nil, maxPriceCredits: Int? = nil, availableFrom: Instant? = nil, availableTo: Instant? = nil, sort: MentorSort,
        limit: Int, after: MentorSearchCursor? = nil, now: Instant
    ) {
        self.text = text
        self.skills = skills
        self.topics = topics
        self.tags = tags
        self.languages = languages
        self.minExperience = minExperience
        self.minRating = minRating
        self.maxPriceCredits = maxPriceCredits
        self.availableFrom = availableFrom
        self.availableTo = availableTo
        self.sort = sort
        self.limit = limit
        self.after = after
        self.now = now
    }
}

/// A keyset position: the sort key and id of the last item of a page, and whether the search had widened to
/// fuzzy matches (so later pages use the same match set).
public struct MentorSearchCursor: Sendable, Hashable {
    public var key: Double
    public var id: UUID
    public var fuzzy: Bool

    public init(key: Double, id: UUID, fuzzy: Bool) {
        self.key = key
        self.id = id
        self.fuzzy = fuzzy
    }
}

/// One search hit.
public struct MentorSearchItem: Codable, Sendable, Hashable {
    public var id: UUID
    public var name: String
    public var headline: String
    public var skills: [String]
    public var topics: [String]
    public var yearsExperience: Int
    public var rating: Double?
    public var reviewCount: Int
    public var bayesianRating: Double
    public var priceCredits: Int
    public var nextAvailable: Instant?

    public init(
        id: UUID, name: String, headline: String, skills: [String], topics: [String], yearsExperience: Int, rating: Double?, reviewCount: Int,
        bayesianRating: Double, priceCredits: Int, nextAvailable: Instant?
    ) {
        self.id = id
        self.name = name
        self.headline = headline
        self.skills = skills
        self.topics = topics
        self.yearsExperience = yearsExperience
        self.rating = rating
        self.reviewCount = reviewCount
        self.bayesianRating = bayesianRating
        self.priceCredits = priceCredits
        self.nextAvailable = nextAvailable
    }
}

/// Counts of the 20 most frequent skills and topics over what matched (not only the page). Over at most
/// ``MentorFacets/sampleLimit`` matches: when more matched, `sampled` is true and the counts describe that sample.
public struct MentorFacets: Codable, Sendable, Hashable {
    public var skills: [String: Int]
    public var topics: [String: Int]
    public var sampled: Bool

    /// The most matches facets are counted over.
    public static let sampleLimit = 1000

    public init(skills: [String: Int], topics: [String: Int], sampled: Bool) {
        self.skills = skills
        self.topics = topics
        self.sampled = sampled
    }
}

/// A page of search results.
public struct MentorSearchPage: Codable, Sendable, Hashable {
    public var items: [MentorSearchItem]
    /// The next page's opaque cursor (the service seals ``next`` into it).
    public var nextCursor: String?
    public var facets: MentorFacets
    /// Where the next page starts, when there is one; not sent to clients.
    public var next: MentorSearchCursor?

    enum CodingKeys: String, CodingKey { case items, nextCursor, facets }

    public init(items: [MentorSearchItem], next: MentorSearchCursor?, facets: MentorFacets) {
        self.items = items
        self.next = next
        self.facets = facets
    }
}
