public import Foundation
public import MentorLinkCore
public import ServiceSupport

/// Booking settings with documented defaults, and the clock (replaceable in tests).
public struct BookingConfiguration: Sendable {
    /// How long a hold keeps a slot: 10 minutes.
    public var holdMinutes = 10
    /// Live holds per mentee: 2 with one mentor, 5 in all (`too_many_holds` beyond).
    public var holdLimits = HoldLimits()
    /// The widest `availability.slots` range: 62 days.
    public var maxSlotRangeDays = 62
    /// The most slots one `availability.slots` call returns (then `truncated` and `nextFrom`): 500, about 40 KB.
    public var maxSlotsPerCall = 500
    /// Session lengths allowed at all: 5 minutes to 8 hours.
    public var sessionMinutes = 5...480
    /// A mentee cancellation later than this before the start is "late" (payments refund nothing for it).
    public var lateCancellationHours = 24
    /// The largest group session.
    public var maxGroupCapacity = 500
    /// How a released escrow is split between the mentor and the platform (a late cancellation, the release job):
    /// 10 percent to the platform.
    public var platformFee = PlatformFeePolicy.standard
    /// How a mentor's free runs for search are computed after each change (their shortest 1:1 session type, 60
    /// minutes without one).
    public var freeRuns = FreeRunPolicy()
    /// How long after a session's end its escrow is released to the mentor (time to report a no-show).
    public var completionGrace: Duration = .seconds(3600)
    /// Seals and opens the lists' page cursors; every worker must use the same key (the executable derives it from
    /// the deployment's secrets). The default key is random, for one process.
    public var cursors = CursorCodec.random()
    /// The clock.
    public var now: @Sendable () -> Instant = { Instant.now }

    /// The defaults.
    public init() {}
}

/// Who may cancel until when. Either participant may cancel a booking (or a seat) until the session starts; a
/// group session is cancelled by its mentor, which cancels every seat. Nothing can be cancelled once it has
/// started. A mentee's cancellation less than ``lateNoticeHours`` before the start is marked `late`.
public struct CancellationPolicy: Codable, Sendable, Hashable {
    /// The latest moment a cancellation is accepted (the start).
    public var cancellableUntil: Instant
    /// Hours of notice below which a mentee's cancellation is late.
    public var lateNoticeHours: Int
    /// Whether this cancellation was late.
    public var late: Bool
    /// `mentor`, `mentee` or `admin`.
    public var cancelledBy: String
    /// The policy in one sentence, for clients to show.
    public var summary: String
    /// What happened to the price: `refunded`, `released` (to the mentor) or `none` (free).
    public var escrow: String
}
