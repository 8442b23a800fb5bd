import Foundation
import MentorLinkCore
import PostgresNIO

/// An `availability_rules` row as ``AvailabilityRules``.
enum AvailabilityRulesRow: TableRow {
    static let columns = """
        time_zone, weekly::text, overrides::text, buffer_before_minutes, buffer_after_minutes, min_notice_minutes, horizon_days, max_per_day
        """

    static func decode(_ row: PostgresRow) throws -> AvailabilityRules {
        let r = try row.decode((String, String, String, Int, Int, Int, Int, Int?).self)
        let decoder = JSONDecoder()
        return AvailabilityRules(
            timeZone: r.0, weekly: try decoder.decode([WeeklyWindow].self, from: Data(r.1.utf8)),
            overrides: try decoder.decode([DateOverride].self, from: Data(r.2.utf8)), bufferBeforeMinutes: r.3, bufferAfterMinutes: r.4,
            minNoticeMinutes: r.5, horizonDays: r.6, maxPerDay: r.7)
    }
}
