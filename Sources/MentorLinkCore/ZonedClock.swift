public import Foundation

/// Wall-clock arithmetic in one IANA zone without `Calendar`: civil-date math plus the zone's UTC offsets.
///
/// A wall-clock time that does not exist (the skipped hour of a spring-forward day) has no instant; one that
/// exists twice (the repeated hour in autumn) maps to its earlier instant, so it yields one slot, not two.
public struct ZonedClock: Sendable {
    public let zone: TimeZone

    /// `nil` for an unknown zone name.
    public init?(identifier: String) {
        guard identifier.count <= 64, let zone = TimeZone(identifier: identifier) else { return nil }
        self.zone = zone
    }

    /// The instant of a wall-clock time on a date, or `nil` when it does not exist in the zone.
    public func instant(_ date: LocalDate, minutes: Int) -> Instant? {
        let local = Int64(Self.days(date)) * 86_400 + Int64(minutes) * 60
        var offsets: Set<Int> = []
        for probe in [local - 86_400, local, local + 86_400] {
            offsets.insert(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(probe))))
        }
        var best: Int64?
        for offset in offsets {
            let utc = local - Int64(offset)
            if zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc))) == offset {
                best = min(best ?? utc, utc)
            }
        }
        return best.map { Instant(Date(timeIntervalSince1970: TimeInterval($0))) }
    }

    /// The instant of a boundary (a window's start or end): like ``instant(_:minutes:)``, but a time in a skipped
    /// hour moves forward by the skip, as a clock would.
    public func boundary(_ date: LocalDate, minutes: Int) -> Instant {
        if let exact = instant(date, minutes: minutes) { return exact }
        let local = Int64(Self.days(date)) * 86_400 + Int64(minutes) * 60
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - 86_400)))
        return Instant(Date(timeIntervalSince1970: TimeInterval(local - Int64(before))))
    }

    /// The local date of an instant.
    public func localDate(of instant: Instant) -> LocalDate {
        let seconds = instant.epochSeconds + Int64(zone.secondsFromGMT(for: instant.date))
        return Self.date(days: Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public static func days(_ date: LocalDate) -> Int {
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (civil_from_days).
    public static func date(days: Int) -> LocalDate {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return LocalDate(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The weekday of a date.
    public static func weekday(_ date: LocalDate) -> Weekday {
        let index = ((days(date) % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday; 0 = Sunday
        return [.sun, .mon, .tue, .wed, .thu, .fri, .sat][index]
    }
}
