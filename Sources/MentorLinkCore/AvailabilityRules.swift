import Foundation

/// A day of the week as the API spells it.
public enum Weekday: String, Codable, Sendable, CaseIterable {
    case mon, tue, wed, thu, fri, sat, sun

    /// From Foundation's `weekday` component (1 = Sunday).
    public init(gregorianWeekday: Int) { self = [.sun, .mon, .tue, .wed, .thu, .fri, .sat][(gregorianWeekday - 1) % 7] }
}

/// A wall-clock time of day, `HH:MM`; `24:00` is allowed as an end.
public struct ClockTime: Codable, Sendable, Hashable, Comparable {
    /// Minutes since midnight, 0...1440.
    public var minutes: Int

    /// From minutes since midnight.
    public init(minutes: Int) { self.minutes = minutes }

    /// Parses `HH:MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 1440
        else { return nil }
        self.minutes = hours * 60 + minutes
    }

    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ClockTime(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected HH:MM (00:00 to 24:00)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(format: "%02d:%02d", hour, minute))
    }

    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minutes < rhs.minutes }
}

/// A calendar date, `YYYY-MM-DD`, in the mentor's zone.
public struct LocalDate: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (a real date of the Gregorian calendar).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (1970...2200).contains(year), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)), calendar.component(.day, from: date) == day else {
            return nil
        }
        self.init(year: year, month: month, day: day)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a date YYYY-MM-DD"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day) }
}

/// A weekly window of wall-clock time.
public struct WeeklyWindow: Codable, Sendable, Hashable {
    public var day: Weekday
    public var start: ClockTime
    public var end: ClockTime

    public init(day: Weekday, start: ClockTime, end: ClockTime) {
        self.day = day
        self.start = start
        self.end = end
    }
}

/// A date that differs from the weekly rules: unavailable all day, or available `start`–`end` instead.
public struct DateOverride: Codable, Sendable, Hashable {
    public var date: LocalDate
    public var unavailable: Bool?
    public var start: ClockTime?
    public var end: ClockTime?

    public init(date: LocalDate, unavailable: Bool? = nil, start: ClockTime? = nil, end: ClockTime? = nil) {
        self.date = date
        self.unavailable = unavailable
        self.start = start
        self.end = end
    }
}

/// A mentor's availability: weekly wall-clock windows in an IANA zone, overrides, buffers and limits.
///
/// Buffers keep time free around each session. A booking blocks `[start − before, end + after)`, and two
/// bookings' blocked ranges may not overlap, so between two sessions there are at least `after + before`
/// minutes. The slot grid agrees: slots start at each window's start and step by `before + minutes + after`.
public struct AvailabilityRules: Codable, Sendable, Hashable {
    public var timeZone: String
    public var weekly: [WeeklyWindow]
    public var overrides: [DateOverride]
    public var bufferBeforeMinutes: Int
    public var bufferAfterMinutes: Int
    public var minNoticeMinutes: Int
    public var horizonDays: Int
    public var maxPerDay: Int?

    /// Default limits: no buffers, no notice, 60 days ahead, no daily cap.
    public init(
        timeZone: String, weekly: [WeeklyWindow], overrides: [DateOverride] = [], bufferBeforeMinutes: Int = 0, bufferAfterMinutes: Int = 0,
        minNoticeMinutes: Int = 0, horizonDays: Int = 60, maxPerDay: Int? = nil
    ) {
        self.timeZone = timeZone
        self.weekly = weekly
        self.overrides = overrides
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.minNoticeMinutes = minNoticeMinutes
        self.horizonDays = horizonDays
        self.maxPerDay = maxPerDay
    }

    /// The range a session blocks.
    public func blocked(start: Instant, end: Instant) -> (from: Instant, until: Instant) {
        (start.adding(minutes: -bufferBeforeMinutes), end.adding(minutes: bufferAfterMinutes))
    }
}
