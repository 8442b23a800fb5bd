public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresBookingStore {
    /// Search in up to three statements: a probe deciding whether to widen to fuzzy matches (only when the words
    /// match less than a page), the page in keyset order, and the facets over a bounded sample of the matches.
    public func search(_ query: MentorSearchQuery) async throws -> MentorSearchPage {
        let fuzzy = try await widensToFuzzy(query)
        async let facets = facets(query, fuzzy: fuzzy)
        var builder = SQLBuilder()
        let filters = try Self.filters(query, fuzzy: fuzzy, into: &builder)
        let key = try Self.sortKey(query, fuzzy: fuzzy, into: &builder)
        var cursor = ""
        if let after = query.after {
            cursor = "WHERE (m.sort_key, m.user_id) > (\(try builder.bind(after.key))::float8, \(try builder.bind(after.id)))"
        }
        let sql = """
            SELECT m.user_id, m.name, m.headline, m.skills, m.topics, m.years_experience, m.rating_sum, m.review_count, m.bayes, m.price_credits, m.sort_key
            FROM (SELECT p.user_id, p.name, p.headline, p.skills, p.topics, p.years_experience, p.rating_sum, p.review_count,
                         p.bayes_rating::float8 AS bayes, p.price_credits, \(key) AS sort_key
                  FROM mentor_profiles p WHERE \(filters)) m
            \(cursor)
            ORDER BY m.sort_key, m.user_id LIMIT \(query.limit + 1)
            """
        var items: [MentorSearchItem] = []
        var keys: [Double] = []
        let rows = try await pool.client.query(builder.query(sql), logger: logger)
        for try await row in rows.decode((UUID, String, String, [String], [String], Int, Int64, Int, Double, Int, Double).self) {
            let rating = row.7 > 0 ? (Double(row.6) / Double(row.7) * 100).rounded() / 100 : nil
            items.append(MentorSearchItem(
                id: row.0, name: row.1, headline: row.2, skills: row.3, topics: row.4, yearsExperience: row.5, rating: rating,
                reviewCount: row.7, bayesianRating: (row.8 * 1000).rounded() / 1000, priceCredits: row.9, nextAvailable: nil))
            keys.append(row.10)
        }
        var nextCursor: String?
        if items.count > query.limit {
            items.removeLast()
            nextCursor = MentorSearchCursor(key: keys[query.limit - 1], id: items[query.limit - 1].id, fuzzy: fuzzy).token
        }
        let next = try await nextAvailable(items.map(\.id), now: query.now)
        for index in items.indices { items[index].nextAvailable = next[items[index].id] }
        return MentorSearchPage(items: items, nextCursor: nextCursor, facets: try await facets)
    }

    /// Whether the search includes trigram (typo) matches: only when its words match less than a page; later pages
    /// keep the first page's decision.
    func widensToFuzzy(_ query: MentorSearchQuery) async throws -> Bool {
        if let after = query.after { return after.fuzzy }
        guard query.text != nil else { return false }
        var probe = SQLBuilder()
        let filters = try Self.filters(query, fuzzy: false, into: &probe)
        let sql = "SELECT count(*)::int FROM (SELECT 1 FROM mentor_profiles p WHERE \(filters) LIMIT \(query.limit)) found"
        for try await found in try await pool.client.query(probe.query(sql), logger: logger).decode(Int.self) { return found < query.limit }
        return true
    }

    /// The WHERE clause of a search (shared by the probe, the page and the facets).
    static func filters(_ query: MentorSearchQuery, fuzzy: Bool, into builder: inout SQLBuilder) throws -> String {
        var clauses = ["TRUE"]
        if let text = query.text {
            let bound = try builder.bind(text)
            clauses.append(
                fuzzy
                    ? "(p.search_vector @@ websearch_to_tsquery('english', \(bound)) OR \(bound) <% p.search_text)"
                    : "p.search_vector @@ websearch_to_tsquery('english', \(bound))")
        }
        let lowered = { (values: [String]) in values.map { $0.lowercased() } }
        if !query.skills.isEmpty { clauses.append("p.skill_keys @> \(try builder.bind(lowered(query.skills)))") }
        if !query.topics.isEmpty { clauses.append("p.topic_keys @> \(try builder.bind(lowered(query.topics)))") }
        if !query.tags.isEmpty { clauses.append("p.tag_keys @> \(try builder.bind(lowered(query.tags)))") }
        if !query.languages.isEmpty { clauses.append("p.languages && \(try builder.bind(lowered(query.languages)))") }
        if let years = query.minExperience { clauses.append("p.years_experience >= \(try builder.bind(years))") }
        if let rating = query.minRating {
            clauses.append("p.review_count > 0 AND p.rating_sum::float8 >= \(try builder.bind(rating))::float8 * p.review_count")
        }
        if let price = query.maxPriceCredits { clauses.append("p.price_credits <= \(try builder.bind(price))") }
        if query.availableFrom != nil || query.availableTo != nil {
            let from = try builder.bind(max(query.availableFrom ?? query.now, query.now).date)
            let to = try builder.bind((query.availableTo ?? query.now.adding(minutes: 366 * 1440)).date)
            let now = try builder.bind(query.now.date)
            clauses.append("""
                EXISTS (SELECT 1 FROM availability_runs r JOIN availability_rules ar ON ar.mentor_id = r.mentor_id
                        WHERE r.mentor_id = p.user_id AND r.ends_at > \(from) AND r.starts_at < \(to)
                          AND run_first_slot(r.starts_at, r.ends_at, r.step_seconds, r.slot_seconds,
                                greatest(\(from)::timestamptz, \(now)::timestamptz + make_interval(mins => ar.min_notice_minutes)), \(to)) IS NOT NULL)
                """)
        }
        return clauses.joined(separator: " AND ")
    }

    /// The ascending sort key of a search; the expressions for rating and price match their indexes. Relevance is
    /// the weighted full-text rank (name and headline over skills, topics and tags over the bio); fuzzy-only matches
    /// come after every word match, by trigram similarity. Without words, relevance is the rating order.
    static func sortKey(_ query: MentorSearchQuery, fuzzy: Bool, into builder: inout SQLBuilder) throws -> String {
        switch (query.sort, query.text) {
        case (.relevance, let text?):
            let bound = try builder.bind(text)
            let rank = "ts_rank_cd(p.search_vector, websearch_to_tsquery('english', \(bound)), 1)"
            guard fuzzy else { return "(-\(rank))::float8" }
            return "(CASE WHEN p.search_vector @@ websearch_to_tsquery('english', \(bound)) THEN -(1 + \(rank)) "
                + "ELSE -word_similarity(\(bound), p.search_text) END)::float8"
        case (.relevance, nil), (.rating, _):
            return "(-(p.bayes_rating::float8))"
        case (.price, _):
            return "(p.price_credits::float8)"
        case (.soonest, _):
            let now = try builder.bind(query.now.date)
            return """
                coalesce((SELECT extract(epoch FROM min(run_first_slot(r.starts_at, r.ends_at, r.step_seconds, r.slot_seconds,
                        \(now)::timestamptz + make_interval(mins => ar.min_notice_minutes), 'infinity')))
                    FROM availability_runs r JOIN availability_rules ar ON ar.mentor_id = r.mentor_id
                    WHERE r.mentor_id = p.user_id AND r.ends_at > \(now)), 1e15)::float8
                """
        }
    }

    /// The first free slot of each mentor, from the stored runs.
    func nextAvailable(_ ids: [UUID], now: Instant) async throws -> [UUID: Instant] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await pool.client.query(
            """
            SELECT r.mentor_id, min(run_first_slot(r.starts_at, r.ends_at, r.step_seconds, r.slot_seconds,
                \(now.date)::timestamptz + make_interval(mins => ar.min_notice_minutes), 'infinity'))
            FROM availability_runs r JOIN availability_rules ar ON ar.mentor_id = r.mentor_id
            WHERE r.mentor_id = ANY(\(ids)) AND r.ends_at > \(now.date)
            GROUP BY r.mentor_id
            """,
            logger: logger)
        var next: [UUID: Instant] = [:]
        for try await (id, start) in rows.decode((UUID, Date?).self) { next[id] = start.map(Instant.init) }
        return next
    }

    /// The 20 most frequent skills and topics over the matches, counted over at most ``MentorFacets/sampleLimit``.
    func facets(_ query: MentorSearchQuery, fuzzy: Bool) async throws -> MentorFacets {
        var builder = SQLBuilder()
        let filters = try Self.filters(query, fuzzy: fuzzy, into: &builder)
        let limit = MentorFacets.sampleLimit
        let sql = """
            WITH m AS MATERIALIZED (SELECT p.skills, p.topics FROM mentor_profiles p WHERE \(filters) LIMIT \(limit + 1)),
                 s AS MATERIALIZED (SELECT * FROM m LIMIT \(limit))
            (SELECT 'skill', x, count(*)::int FROM s, unnest(s.skills) x GROUP BY x ORDER BY count(*) DESC, x LIMIT 20)
            UNION ALL
            (SELECT 'topic', x, count(*)::int FROM s, unnest(s.topics) x GROUP BY x ORDER BY count(*) DESC, x LIMIT 20)
            UNION ALL
            SELECT 'matches', '', count(*)::int FROM m
            """
        var facets = MentorFacets(skills: [:], topics: [:], sampled: false)
        for try await (kind, name, count) in try await pool.client.query(builder.query(sql), logger: logger).decode((String, String, Int).self) {
            switch kind {
            case "skill": facets.skills[name] = count
            case "topic": facets.topics[name] = count
            default: facets.sampled = count > limit
            }
        }
        return facets
    }
}
