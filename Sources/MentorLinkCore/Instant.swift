public import Foundation

/// A point in time that travels as an ISO 8601 UTC string (`2027-03-29T07:00:00Z`). Input may carry an offset
/// (`+05:30`) or fractional seconds; output is always UTC with whole seconds.
public struct Instant: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The moment.
    public var date: Date

    /// Wraps a date.
    public init(_ date: Date) { self.date = date }

    /// Parses ISO 8601 with a zone designator; `nil` for anything else.
    public init?(iso8601 text: String) {
        guard text.count <= 40 else { return nil }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: false)) {
            self.date = date
        } else if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            self.date = date
        } else {
            return nil
        }
    }

    /// ISO 8601 UTC with whole seconds.
    public var description: String { date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false)) }

    /// Seconds since 1970 (saturating: never traps, whatever the date).
    public var epochSeconds: Int64 {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite else { return 0 }
        return seconds >= 9.2e18 ? Int64.max : seconds <= -9.2e18 ? Int64.min : Int64(seconds)
    }

    /// This instant moved by `seconds`.
    public func adding(seconds: Int) -> Instant { Instant(date.addingTimeInterval(TimeInterval(seconds))) }

    /// This instant moved by `minutes` (in floating point: no overflow trap for any `minutes`).
    public func adding(minutes: Int) -> Instant { Instant(date.addingTimeInterval(TimeInterval(minutes) * 60)) }

    /// The current time.
    public static var now: Instant { Instant(Date()) }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.date < rhs.date }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let instant = Instant(iso8601: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected an ISO 8601 instant such as 2027-03-29T07:00:00Z"))
        }
        self = instant
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
