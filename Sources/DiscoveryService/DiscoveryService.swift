import Foundation
public import JSONRPC
public import MentorLinkCore
import ServiceSupport

/// Discovery: `mentors.*`, the mentors' profiles and the search over them (typo-tolerant text, filters, facets,
/// free time, keyset pages).
public struct DiscoveryService: RPCService {
    let directory: any MentorDirectory
    let configuration: DiscoveryConfiguration

    /// Creates the service over a mentor directory.
    public init(directory: any MentorDirectory, configuration: DiscoveryConfiguration) {
        self.directory = directory
        self.configuration = configuration
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register("mentors.updateProfile", summary: "Create or replace your mentor profile.", access: .only(.mentor), handler: updateProfile)
        registry.register("mentors.get", summary: "A mentor's public profile.", access: .public, handler: getMentor)
        registry.register(
            "mentors.search", summary: "Find mentors: text (typo-tolerant), filters, facets, keyset pages.", access: .public, handler: searchMentors)
    }

    func updateProfile(_ params: UpdateProfileParams, _ context: RPCContext) async throws -> ProfileResult {
        let caller = try context.caller()
        var checks = FieldChecks()
        func text(_ value: String, _ field: String, max: Int) -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            checks.maxLength(trimmed, max, field)
            return trimmed
        }
        func list(_ values: [String], _ field: String) -> [String] {
            var seen: Set<String> = []
            let cleaned = values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
                !$0.isEmpty && seen.insert($0.lowercased()).inserted
            }
            checks.expect(cleaned.count <= 30 && cleaned.allSatisfy { $0.count <= 60 }, field, "at most 30 entries of at most 60 characters")
            return cleaned
        }
        let input = ProfileInput(
            headline: text(params.headline, "headline", max: 200), bio: text(params.bio, "bio", max: 5000), skills: list(params.skills, "skills"),
            topics: list(params.topics, "topics"), tags: list(params.tags, "tags"), yearsExperience: params.yearsExperience,
            languages: list(params.languages, "languages"), timeZone: params.timeZone, sessionTypes: params.sessionTypes)
        checks.range(params.yearsExperience, 0...80, "yearsExperience")
        checks.expect(ZonedClock(identifier: params.timeZone) != nil, "timeZone", "not an IANA time zone")
        checks.maxCount(params.sessionTypes, 10, "sessionTypes")
        for (index, type) in params.sessionTypes.enumerated() {
            checks.expect(
                configuration.sessionMinutes.contains(type.minutes) && type.minutes % 5 == 0, "sessionTypes[\(index)].minutes",
                "a multiple of 5 from 5 to 480")
            checks.range(type.priceCredits, 0...100_000, "sessionTypes[\(index)].priceCredits")
            checks.expect(type.kind != .groupSeat, "sessionTypes[\(index)].kind", "one_on_one or group")
        }
        try checks.check()
        let saved = try await directory.saveProfile(mentorId: caller.id, input: input, now: configuration.now(), freeRuns: configuration.freeRuns)
        return ProfileResult(mentor: saved)
    }

    func getMentor(_ params: MentorProfileParams, _ context: RPCContext) async throws -> ProfileResult {
        guard let profile = try await directory.profile(mentorId: params.mentorId) else { throw ErrorCode.notFound.error("No such mentor") }
        return ProfileResult(mentor: profile)
    }

    func searchMentors(_ params: SearchParams, _ context: RPCContext) async throws -> MentorSearchPage {
        var checks = FieldChecks()
        let text = params.query?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        checks.maxLength(text, 200, "query")
        let limit = params.limit ?? 20
        checks.range(limit, 1...100, "limit")
        if let rating = params.minRating { checks.expect((0...5).contains(rating), "minRating", "0 to 5") }
        if let from = params.availableFrom, let to = params.availableTo { checks.expect(from < to, "availableTo", "after availableFrom") }
        for (field, values) in [("skills", params.skills), ("topics", params.topics), ("tags", params.tags), ("languages", params.languages)] {
            checks.maxCount(values, 20, field)
        }
        var after: MentorSearchCursor?
        if let token = params.cursor {
            after = Self.searchCursor(token, configuration.cursors)
            checks.expect(after != nil, "cursor", "invalid")
        }
        try checks.check()
        let query = MentorSearchQuery(
            text: text?.isEmpty == false ? text : nil, skills: params.skills ?? [], topics: params.topics ?? [], tags: params.tags ?? [],
            languages: params.languages ?? [], minExperience: params.minExperience, minRating: params.minRating,
            maxPriceCredits: params.maxPriceCredits, availableFrom: params.availableFrom, availableTo: params.availableTo,
            sort: params.sort ?? .relevance, limit: limit, after: after, now: configuration.now())
        var page = try await directory.search(query)
        page.nextCursor = page.next.map { next in
            var payload = CursorPayload()
            payload.append(next.key)
            payload.append(next.id)
            payload.append(next.fuzzy)
            return configuration.cursors.seal(payload, scope: Self.searchScope)
        }
        return page
    }

    static let searchScope = "mentors.search"

    /// A search position from its sealed cursor (sort key, id, whether the search had widened).
    static func searchCursor(_ token: String, _ cursors: CursorCodec) -> MentorSearchCursor? {
        guard var payload = cursors.open(token, scope: searchScope), let key = payload.readDouble(), let id = payload.readUUID(),
            let fuzzy = payload.readBool(), payload.isAtEnd
        else { return nil }
        return MentorSearchCursor(key: key, id: id, fuzzy: fuzzy)
    }
}
