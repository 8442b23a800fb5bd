public import Foundation
public import JSONRPC
public import MentorLinkCore

/// A keyset position (the sort key and id of a page's last item), sealed into an opaque cursor by a
/// ``CursorCodec``. Time keys are milliseconds since 1970 and must lie in years 1 to 9999 (what PostgreSQL and
/// the encoders can carry), so even a cursor the server made cannot produce a date that overflows downstream.
public struct PageCursor: Sendable, Hashable {
    /// The sort key.
    public var key: Int64
    /// The id that breaks ties.
    public var id: UUID

    /// Milliseconds since 1970 from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
    public static let timeKeyRange: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// A position of an integer key.
    public init(key: Int64, id: UUID) {
        self.key = key
        self.id = id
    }

    /// A position of a unique integer key alone (an id-ordered list: no tie-breaker needed).
    public init(key: Int64) { self.init(key: key, id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))) }

    /// A position of a time key, at millisecond precision.
    public init(instant: Instant, id: UUID) {
        // Truncated, like the lists' SQL keys (date_trunc('milliseconds', …)): rounding up would repeat items.
        let milliseconds = (instant.date.timeIntervalSince1970 * 1000).rounded(.down)
        key = Self.clamp(milliseconds)
        self.id = id
    }

    /// The key as an instant; `nil` outside ``timeKeyRange``.
    public var instant: Instant? {
        guard Self.timeKeyRange.contains(key) else { return nil }
        return Instant(Date(timeIntervalSince1970: TimeInterval(key) / 1000))
    }

    static func clamp(_ milliseconds: Double) -> Int64 {
        guard milliseconds.isFinite else { return 0 }
        let bounds = Double(timeKeyRange.lowerBound)...Double(timeKeyRange.upperBound)
        return Int64(min(max(milliseconds, bounds.lowerBound), bounds.upperBound))
    }
}

extension CursorCodec {
    /// Seals a keyset position for the list `scope`.
    public func seal(_ position: PageCursor, scope: String) -> String {
        var payload = CursorPayload()
        payload.append(position.key)
        payload.append(position.id)
        return seal(payload, scope: scope)
    }

    /// Opens a keyset cursor of `scope`; a time-keyed list passes `timeKeyed` to refuse keys out of range.
    public func keyset(_ token: String, scope: String, timeKeyed: Bool) -> PageCursor? {
        guard var payload = open(token, scope: scope), let key = payload.readInt64(), let id = payload.readUUID(), payload.isAtEnd else { return nil }
        if timeKeyed, !PageCursor.timeKeyRange.contains(key) { return nil }
        return PageCursor(key: key, id: id)
    }
}

extension CursorCodec {
    /// The position of a list's `cursor` param: `nil` when absent, an invalid `cursor` param when it does not open.
    public func cursorParam(_ token: String?, scope: String, timeKeyed: Bool) throws(RPCError) -> PageCursor? {
        guard let token else { return nil }
        guard let position = keyset(token, scope: scope, timeKeyed: timeKeyed) else {
            throw RPCError.invalidParams([FieldProblem(field: "cursor", problem: "invalid")])
        }
        return position
    }

    /// The next page's cursor: the last item's position when the page is full, else `nil`.
    public func nextCursor<Item>(_ items: [Item], limit: Int, scope: String, position: (Item) -> PageCursor) -> String? {
        guard items.count == limit, let last = items.last else { return nil }
        return seal(position(last), scope: scope)
    }
}
