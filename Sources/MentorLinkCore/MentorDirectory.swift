public import Foundation

/// The durable side of discovery: mentors' profiles and the search over them (text, fuzzy matching, filters,
/// facets, free time).
public protocol MentorDirectory: Sendable {
    /// Creates or replaces a mentor's profile (and recomputes their free runs for search by `freeRuns`).
    func saveProfile(mentorId: UUID, input: ProfileInput, now: Instant, freeRuns: FreeRunPolicy) async throws -> MentorProfile
    /// A mentor's profile.
    func profile(mentorId: UUID) async throws -> MentorProfile?
    /// Full-text and fuzzy search with filters, facets and keyset pagination.
    func search(_ query: MentorSearchQuery) async throws -> MentorSearchPage
}
