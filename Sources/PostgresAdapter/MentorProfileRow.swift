import Foundation
import MentorLinkCore
import PostgresNIO

/// A `mentor_profiles` row (alias `p`) as a ``MentorProfile``.
enum MentorProfileRow: TableRow {
    static let columns = """
        p.user_id, p.name, p.headline, p.bio, p.skills, p.topics, p.tags, p.years_experience, p.languages, p.time_zone, \
        p.session_types::text, p.rating_sum, p.review_count, p.bayes_rating::float8, p.price_credits
        """

    static func decode(_ row: PostgresRow) throws -> MentorProfile {
        let r = try row.decode(
            (UUID, String, String, String, [String], [String], [String], Int, [String], String, String, Int64, Int, Double, Int).self)
        let input = ProfileInput(
            headline: r.2, bio: r.3, skills: r.4, topics: r.5, tags: r.6, yearsExperience: r.7, languages: r.8, timeZone: r.9,
            sessionTypes: sessionTypes(r.10))
        return MentorProfile(
            id: r.0, name: r.1, input: input, rating: averageRating(sum: r.11, count: r.12), reviewCount: r.12,
            bayesianRating: (r.13 * 1000).rounded() / 1000, priceCredits: r.14)
    }

    /// The offered session types of a profile's `session_types` JSON (none when it does not decode).
    static func sessionTypes(_ json: String) -> [SessionType] { (try? JSONDecoder().decode([SessionType].self, from: Data(json.utf8))) ?? [] }

    /// The mean rating to two decimals; `nil` without reviews.
    static func averageRating(sum: Int64, count: Int) -> Double? { count > 0 ? (Double(sum) / Double(count) * 100).rounded() / 100 : nil }
}
