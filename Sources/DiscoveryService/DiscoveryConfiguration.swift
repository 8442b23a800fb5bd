public import MentorLinkCore
public import ServiceSupport

/// Discovery settings with documented defaults, and the clock (replaceable in tests).
public struct DiscoveryConfiguration: Sendable {
    /// Session lengths a profile may offer: 5 minutes to 8 hours (the booking service books the same range).
    public var sessionMinutes = 5...480
    /// How a mentor's free runs for search are recomputed when their profile (session types) changes.
    public var freeRuns = FreeRunPolicy()
    /// Seals and opens search cursors; every worker must use the same key. The default key is random, for one process.
    public var cursors = CursorCodec.random()
    /// The clock.
    public var now: @Sendable () -> Instant = { Instant.now }

    /// The defaults.
    public init() {}
}
