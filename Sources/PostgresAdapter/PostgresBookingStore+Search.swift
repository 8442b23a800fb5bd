import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresBookingStore {
    /// Search in two statements run side by side: the page in keyset order (with each hit's next free slot) and
    /// the facets over a bounded sample of the matches. When the words match less than a page, both run again
    /// widened to trigram (typo) matches; later pages keep that decision through the cursor.
    public func search(_ query: MentorSearchQuery) async throws -> MentorSearchPage {
        let widened = query.after?.fuzzy ?? false
        async let firstFacets = facets(query, fuzzy: widened)
        var (items, keys) = try await page(query, fuzzy: widened)
        var facets = try await firstFacets
        var fuzzy = widened
        if query.text != nil, query.after == nil, !fuzzy, items.count < query.limit { fuzzy = true }
        if fuzzy {
            var widenedQuery = query
            widenedQuery.corrections = try await corrections(for: query.text ?? "")
            let final = widenedQuery
            async let widenedFacets = self.facets(final, fuzzy: true)
            (items, keys) = try await page(final, fuzzy: true)
            facets = try await widenedFacets
        }
        var next: MentorSearchCursor?
        if items.count > query.limit {
            items.removeLast()
            next = MentorSearchCursor(key: keys[query.limit - 1], id: items[query.limit - 1].id, fuzzy: fuzzy)
        }
        return MentorSearchPage(items: items, next: next, facets: facets)
    }

    /// Up to three known skills, topics or tags closest to `text` (trigram similarity over `search_terms`).
    func corrections(for text: String) async throws -> [String] {
        try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT term FROM search_terms WHERE term % \(text) ORDER BY similarity(term, \(text)) DESC, term LIMIT 3", logger: logger)
            var terms: [String] = []
            for try await term in rows.decode(String.self) { terms.append(term) }
            return terms
        }
    }

    /// The full-text query of the corrected terms, OR-ed.
    static func correctedQuery(_ query: MentorSearchQuery, into builder: inout SQLBuilder) throws -> String {
        try query.corrections.map { "plainto_tsquery('english', \(try builder.bind($0)))" }.joined(separator: " || ")
    }

    /// One page (and one more row, to know whether there is a next page) with the sort keys.
    func page(_ query: MentorSearchQuery, fuzzy: Bool) async throws -> ([MentorSearchItem], [Double]) {
        var builder = SQLBuilder()
        let filters = try Self.filters(query, fuzzy: fuzzy, into: &builder)
        let key = try Self.sortKey(query, fuzzy: fuzzy, into: &builder)
        var cursor = ""
        if let after = query.after {
            cursor = "WHERE (m.sort_key, m.user_id) > (\(try builder.bind(after.key))::float8, \(try builder.bind(after.id)))"
        }
        let now = try builder.bind(query.now.date)
        // The next free slot is computed for the page's rows only (the outer query runs after the LIMIT).
        let sql = """
            SELECT q.*, (SELECT min(run_first_slot(r.starts_at, r.ends_at, r.step_seconds, r.slot_seconds,
                                 \(now)::timestamptz + make_interval(mins => ar.min_notice_minutes), 'infinity'))
                         FROM availability_runs r JOIN availability_rules ar ON ar.mentor_id = r.mentor_id
                         WHERE r.mentor_id = q.user_id AND r.ends_at > \(now)::timestamptz)
            FROM (SELECT m.user_id, m.name, m.headline, m.skills, m.topics, m.years_experience, m.rating_sum, m.review_count, m.bayes,
                         m.price_credits, m.sort_key
                  FROM (SELECT p.user_id, p.name, p.headline, p.skills, p.topics, p.years_experience, p.rating_sum, p.review_count,
                               p.bayes_rating::float8 AS bayes, p.price_credits, \(key) AS sort_key
                        FROM mentor_profiles p WHERE \(filters)) m
                  \(cursor)
                  ORDER BY m.sort_key, m.user_id LIMIT \(query.limit + 1)) q
            ORDER BY q.sort_key, q.user_id
            """
        let query = builder.query(sql)
        return try await pool.read(logger: logger) { connection in
            var items: [MentorSearchItem] = []
            var keys: [Double] = []
            let rows = try await connection.query(query, logger: logger)
            for try await row in rows.decode((UUID, String, String, [String], [String], Int, Int64, Int, Double, Int, Double, Date?).self) {
                items.append(
                    MentorSearchItem(
                        id: row.0, name: row.1, headline: row.2, skills: row.3, topics: row.4, yearsExperience: row.5,
                        rating: MentorProfileRow.averageRating(sum: row.6, count: row.7), reviewCount: row.7,
                        bayesianRating: (row.8 * 1000).rounded() / 1000, priceCredits: row.9, nextAvailable: row.11.map(Instant.init)))
                keys.append(row.10)
            }
            return (items, keys)
        }
    }

    /// The WHERE clause of a search (shared by the probe, the page and the facets).
    static func filters(_ query: MentorSearchQuery, fuzzy: Bool, into builder: inout SQLBuilder) throws -> String {
        // Only mentors who can be booked: not disabled, still holding the mentor role.
        var clauses = ["EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id AND u.disabled_at IS NULL AND 'mentor' = ANY(u.roles))"]
        if let text = query.text {
            let bound = try builder.bind(text)
            if !fuzzy {
                clauses.append("p.search_vector @@ websearch_to_tsquery('english', \(bound))")
            } else if query.corrections.isEmpty {
                clauses.append("(p.search_vector @@ websearch_to_tsquery('english', \(bound)) OR \(bound) <% p.search_text)")
            } else {
                // A misspelled skill or topic: match its corrections through the full-text index.
                let corrected = try correctedQuery(query, into: &builder)
                clauses.append("(p.search_vector @@ websearch_to_tsquery('english', \(bound)) OR p.search_vector @@ (\(corrected)))")
            }
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
            clauses.append(
                """
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
            let rank = "ts_rank(p.search_vector, websearch_to_tsquery('english', \(bound)))"
            guard fuzzy else { return "(-\(rank))::float8" }
            if !query.corrections.isEmpty {
                let corrected = try correctedQuery(query, into: &builder)
                return "(CASE WHEN p.search_vector @@ websearch_to_tsquery('english', \(bound)) THEN -(1 + \(rank)) "
                    + "ELSE -ts_rank(p.search_vector, \(corrected)) END)::float8"
            }
            return "(CASE WHEN p.search_vector @@ websearch_to_tsquery('english', \(bound)) THEN -(1 + \(rank)) "
                + "ELSE -word_similarity(\(bound), p.search_text) END)::float8"
        case (.relevance, nil), (.rating, _): return "(-(p.bayes_rating::float8))"
        case (.price, _): return "(p.price_credits::float8)"
        case (.soonest, _):
            // The first free run as of the mentor's last change (kept by every rewrite of their runs); the exact next
            // slot is what each item's nextAvailable shows.
            return "(coalesce(extract(epoch FROM p.next_free_at), 1e15)::float8)"
        }
    }

    /// The 20 most frequent skills and topics over the matches, counted over at most ``MentorFacets/sampleLimit``.
    func facets(_ query: MentorSearchQuery, fuzzy: Bool) async throws -> MentorFacets {
        var builder = SQLBuilder()
        let filters = try Self.filters(query, fuzzy: fuzzy, into: &builder)
        let limit = MentorFacets.sampleLimit
        let sql = """
            WITH m AS MATERIALIZED (SELECT p.skills, p.topics FROM mentor_profiles p WHERE \(filters) LIMIT \(limit + 1)),
                 s AS MATERIALIZED (SELECT * FROM m LIMIT \(limit))
            (SELECT 'skill', x, count(*)::int FROM (SELECT unnest(s.skills) AS x FROM s) u GROUP BY x ORDER BY count(*) DESC, x LIMIT 20)
            UNION ALL
            (SELECT 'topic', x, count(*)::int FROM (SELECT unnest(s.topics) AS x FROM s) u GROUP BY x ORDER BY count(*) DESC, x LIMIT 20)
            UNION ALL
            SELECT 'matches', '', count(*)::int FROM m
            """
        let query = builder.query(sql)
        return try await pool.read(logger: logger) { connection in
            var facets = MentorFacets(skills: [:], topics: [:], sampled: false)
            for try await (kind, name, count) in try await connection.query(query, logger: logger).decode((String, String, Int).self) {
                switch kind {
                case "skill": facets.skills[name] = count
                case "topic": facets.topics[name] = count
                default: facets.sampled = count > limit
                }
            }
            return facets
        }
    }
}
