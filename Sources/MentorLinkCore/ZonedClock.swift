public import Foundation

/// Wall-clock arithmetic in one IANA zone without `Calendar`: civil-date math plus the zone's UTC offsets.
///
/// A wall-clock time that does not exist (the skipped hour of a spring-forward day) has no instant; one that
/// exists twice (the repeated hour in autumn) maps to its earlier instant, so it yields one slot, not two.
public struct ZonedClock: Sendable {
    public let zone: TimeZone
    /// The zone's offsets over a range, looked up without asking the zone (see ``prepared(from:to:)``).
    private var table: (start: Int64, end: Int64, changes: [(at: Int64, offset: Int)])?

    /// `nil` for an unknown zone name.
    public init?(identifier: String) {
        guard identifier.count <= 64, let zone = TimeZone(identifier: identifier) else { return nil }
        self.zone = zone
    }

    /// This clock with the zone's offsets between two instants tabulated (its DST transitions), which makes the
    /// many conversions of a slot computation cheap.
    public func prepared(from: Instant, to: Instant) -> ZonedClock {
        var copy = self
        var changes = [(at: from.epochSeconds, offset: zone.secondsFromGMT(for: from.date))]
        var cursor = from.date
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < to.date, changes.count < 1000 {
            changes.append((Int64(next.timeIntervalSince1970.rounded()), zone.secondsFromGMT(for: next)))
            cursor = next
        }
        copy.table = (from.epochSeconds, to.epochSeconds, changes)
        return copy
    }

    /// The zone's UTC offset at `utc` seconds since 1970.
    func offset(at utc: Int64) -> Int {
        guard let table, utc >= table.start, utc < table.end else { return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc))) }
        var low = 0
        var high = table.changes.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if table.changes[middle].at <= utc { low = middle } else { high = middle - 1 }
        }
        return table.changes[low].offset
    }

    /// The instant of a wall-clock time on a date, or `nil` when it does not exist in the zone.
    public func instant(_ date: LocalDate, minutes: Int) -> Instant? {
        let local = Int64(Self.days(date)) * 86_400 + Int64(minutes) * 60
        var offsets: Set<Int> = []
        for probe in [local - 86_400, local, local + 86_400] { offsets.insert(offset(at: probe)) }
        var best: Int64?
        for offset in offsets {
            let utc = local - Int64(offset)
            if self.offset(at: utc) == offset { best = min(best ?? utc, utc) }
        }
        return best.map { Instant(Date(timeIntervalSince1970: TimeInterval($0))) }
    }

    /// The instant of a boundary (a window's start or end): like ``instant(_:minutes:)``, but a time in a skipped
    /// hour moves forward by the skip, as a clock would.
    public func boundary(_ date: LocalDate, minutes: Int) -> Instant {
        if let exact = instant(date, minutes: minutes) { return exact }
        let local = Int64(Self.days(date)) * 86_400 + Int64(minutes) * 60
        let before = offset(at: local - 86_400)
        return Instant(Date(timeIntervalSince1970: TimeInterval(local - Int64(before))))
    }

    /// The local date of an instant.
    public func localDate(of instant: Instant) -> LocalDate {
        let seconds = instant.epochSeconds + Int64(offset(at: instant.epochSeconds))
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
