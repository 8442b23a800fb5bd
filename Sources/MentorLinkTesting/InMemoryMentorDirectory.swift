public import Foundation
public import MentorLinkCore

/// ``MentorLinkCore/MentorDirectory`` in memory, on an ``InMemoryMarketplace``: profiles as `mentor_profiles` keeps
/// them (the user's name, the cheapest 1:1 price, the rating aggregate and its Bayesian average) and a search with
/// the real one's filters, sort keys, keyset pages, facets and widening to typo matches.
///
/// What it simplifies: words match as case-insensitive substrings of the name, headline, skills, topics, tags and
/// bio (no stemming or `websearch_to_tsquery` syntax); relevance is a weighted count of the fields a word is found in
/// instead of `ts_rank`; the typo widening matches a word within two edits of a known skill, topic or tag (the
/// corrections) or of a word of the profile instead of trigram similarity; and free time (`availableFrom`/`To`,
/// `soonest`, `nextAvailable`) is computed at search time from the rules and confirmed sessions by the mentor's
/// ``MentorLinkCore/FreeRunPolicy``, instead of read from stored runs.
public struct InMemoryMentorDirectory: MentorDirectory {
    /// The database it works on.
    public let database: InMemoryMarketplace

    /// A directory on `database`.
    public init(database: InMemoryMarketplace) { self.database = database }

    public func saveProfile(mentorId: UUID, input: ProfileInput, now: Instant, freeRuns: FreeRunPolicy) async throws -> MentorProfile {
        try database.transaction { tables in
            try tables.lockMentor(mentorId, bookable: false)
            var row = tables.profiles[mentorId] ?? MarketplaceTables.ProfileRow(input: input)
            row.input = input
            tables.profiles[mentorId] = row
            tables.searchTerms.formUnion((input.skills + input.topics + input.tags).map { $0.lowercased() })
            tables.runPolicies[mentorId] = freeRuns
            tables.event("mentor.profile_updated", aggregate: "mentor", id: mentorId)
            guard let profile = tables.profile(mentorId) else { throw CoreError.notFound }
            return profile
        }
    }

    public func profile(mentorId: UUID) async throws -> MentorProfile? { try database.read { $0.profile(mentorId) } }

    public func search(_ query: MentorSearchQuery) async throws -> MentorSearchPage {
        try database.read { tables in
            var search = DirectorySearch(tables: tables, query: query)
            var fuzzy = query.after?.fuzzy ?? false
            var hits = search.matches(fuzzy: fuzzy)
            if query.text != nil, query.after == nil, !fuzzy, hits.count < query.limit { fuzzy = true }
            if fuzzy {
                search.query.corrections = search.corrections()
                hits = search.matches(fuzzy: true)
            }
            let facets = DirectorySearch.facets(hits.map(\.profile))
            let ordered = hits.sorted { ($0.key, $0.profile.id.uuidString) < ($1.key, $1.profile.id.uuidString) }
            let after = ordered.filter { hit in query.after.map { (hit.key, hit.profile.id.uuidString) > ($0.key, $0.id.uuidString) } ?? true }
            var page = Array(after.prefix(query.limit + 1))
            var next: MentorSearchCursor?
            if page.count > query.limit {
                page.removeLast()
                if let last = page.last { next = MentorSearchCursor(key: last.key, id: last.profile.id, fuzzy: fuzzy) }
            }
            return MentorSearchPage(items: page.map { search.item($0) }, next: next, facets: facets)
        }
    }
}
