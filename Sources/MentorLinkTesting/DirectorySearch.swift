import Foundation
import MentorLinkCore

/// One search over the in-memory profiles (see ``InMemoryMentorDirectory`` for what it simplifies).
struct DirectorySearch {
    /// A matching profile and its ascending sort key.
    struct Hit {
        var profile: MentorProfile
        var key: Double
    }

    let tables: MarketplaceTables
    var query: MentorSearchQuery

    /// The query's words.
    var words: [String] { (query.text ?? "").split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.lowercased() } }

    /// Every bookable mentor's profile the filters (and the words, or with `fuzzy` their typo matches) select.
    func matches(fuzzy: Bool) -> [Hit] {
        tables.profiles.keys.compactMap { id -> Hit? in
            guard tables.users[id]?.canEarn == true, let profile = tables.profile(id), passesFilters(profile) else { return nil }
            let rank = rank(profile)
            var similarity = 0.0
            if query.text != nil, rank == 0 {
                guard fuzzy, let typo = typoSimilarity(profile) else { return nil }
                similarity = typo
            }
            return Hit(profile: profile, key: key(profile, rank: rank, similarity: similarity))
        }
    }

    func passesFilters(_ profile: MentorProfile) -> Bool {
        let lowered = { (values: [String]) in Set(values.map { $0.lowercased() }) }
        guard lowered(query.skills).isSubset(of: lowered(profile.skills)), lowered(query.topics).isSubset(of: lowered(profile.topics)),
            lowered(query.tags).isSubset(of: lowered(profile.tags))
        else { return false }
        if !query.languages.isEmpty, lowered(query.languages).isDisjoint(with: lowered(profile.languages)) { return false }
        if let years = query.minExperience, profile.yearsExperience < years { return false }
        if let minimum = query.minRating {
            guard let row = tables.profiles[profile.id], row.reviewCount > 0, Double(row.ratingSum) >= minimum * Double(row.reviewCount) else {
                return false
            }
        }
        if let price = query.maxPriceCredits, profile.priceCredits > price { return false }
        if query.availableFrom != nil || query.availableTo != nil {
            let from = max(query.availableFrom ?? query.now, query.now)
            let to = query.availableTo ?? query.now.adding(minutes: 366 * 1440)
            guard firstSlot(profile.id, from: from, to: to) != nil else { return false }
        }
        return true
    }

    /// The weighted count of the profile's fields each word is found in (0: no word matches all of its words).
    func rank(_ profile: MentorProfile) -> Double {
        guard query.text != nil else { return 0 }
        let fields: [(String, Double)] = [
            ((profile.name + " " + profile.headline).lowercased(), 1.0),
            ((profile.skills + profile.topics + profile.tags).joined(separator: " ").lowercased(), 0.4), (profile.bio.lowercased(), 0.1),
        ]
        var total = 0.0
        for word in words {
            let score = fields.filter { $0.0.contains(word) }.reduce(0) { $0 + $1.1 }
            if score == 0 { return 0 }
            total += score
        }
        return total / Double(max(words.count, 1)) / 1.5
    }

    /// How close the words come to the profile's terms or words when they do not match (within two edits), in (0, 1).
    func typoSimilarity(_ profile: MentorProfile) -> Double? {
        let corrected = Set(query.corrections)
        let terms = Set((profile.skills + profile.topics + profile.tags).map { $0.lowercased() })
        if !corrected.isDisjoint(with: terms) { return 0.5 }
        let text = ([profile.name, profile.headline] + profile.skills + profile.topics + profile.tags).joined(separator: " ").lowercased()
        let profileWords = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let distances = words.map { word in profileWords.map { Self.editDistance(word, $0) }.min() ?? .max }
        guard let worst = distances.max(), worst <= 2 else { return nil }
        return 1 / Double(2 + worst)
    }

    /// Up to three known terms within two edits of the text, closest first.
    func corrections() -> [String] {
        let text = words.joined(separator: " ")
        guard !text.isEmpty else { return [] }
        let scored = tables.searchTerms.map { ($0, Self.editDistance(text, $0)) }.filter { $0.1 <= 2 }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    /// The ascending sort key, as the SQL computes it for each sort.
    func key(_ profile: MentorProfile, rank: Double, similarity: Double) -> Double {
        switch (query.sort, query.text) {
        case (.relevance, .some): rank > 0 ? -(1 + rank) : -similarity
        case (.relevance, nil), (.rating, _): -profile.bayesianRating
        case (.price, _): Double(profile.priceCredits)
        case (.soonest, _): firstSlot(profile.id, from: query.now, to: nil).map { Double($0.epochSeconds) } ?? 1e15
        }
    }

    /// The mentor's first free slot from `from` (ending by `to`), of their shortest 1:1 session type, within their horizon.
    func firstSlot(_ mentorId: UUID, from: Instant, to: Instant?) -> Instant? {
        guard let rules = tables.rules[mentorId], let calculator = SlotCalculator(rules: rules) else { return nil }
        let policy = tables.runPolicies[mentorId] ?? FreeRunPolicy()
        let minutes = tables.profiles[mentorId]?.input.sessionTypes.filter { $0.kind == .oneOnOne }.map(\.minutes).min() ?? policy.defaultSlotMinutes
        let horizon = query.now.adding(minutes: rules.horizonDays * 1440)
        let until = min(to ?? horizon, horizon)
        guard from < until else { return nil }
        let busy = tables.busy(
            mentorId, from: from.adding(minutes: -policy.busyMarginMinutes), to: until.adding(minutes: policy.busyMarginMinutes), now: query.now,
            holds: false)
        return calculator.slots(from: from, to: until, minutes: minutes, busy: busy, now: query.now).first { $0.end <= until }?.start
    }

    /// One search hit.
    func item(_ hit: Hit) -> MentorSearchItem {
        let profile = hit.profile
        return MentorSearchItem(
            id: profile.id, name: profile.name, headline: profile.headline, skills: profile.skills, topics: profile.topics,
            yearsExperience: profile.yearsExperience, rating: profile.rating, reviewCount: profile.reviewCount,
            bayesianRating: profile.bayesianRating, priceCredits: profile.priceCredits, nextAvailable: firstSlot(profile.id, from: query.now, to: nil)
        )
    }

    /// The 20 most frequent skills and topics over at most ``MentorLinkCore/MentorFacets/sampleLimit`` matches.
    static func facets(_ profiles: [MentorProfile]) -> MentorFacets {
        let sample = profiles.prefix(MentorFacets.sampleLimit)
        func top(_ values: [String]) -> [String: Int] {
            let counts = Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +)
            return Dictionary(uniqueKeysWithValues: counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(20).map { ($0.key, $0.value) })
        }
        return MentorFacets(
            skills: top(sample.flatMap(\.skills)), topics: top(sample.flatMap(\.topics)), sampled: profiles.count > MentorFacets.sampleLimit)
    }

    /// The Levenshtein distance of two strings.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let (a, b) = (Array(a), Array(b))
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() { current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))) }
            previous = current
        }
        return previous[b.count]
    }
}
