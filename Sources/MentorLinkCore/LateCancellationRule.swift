public import Foundation

/// Where a cancelled booking's held escrow goes: back to the mentee, unless the mentee cancels less than
/// ``lateNotice`` before the start (then the price goes to the mentor, minus the platform fee). The mentor's or an
/// admin's cancellation always refunds. The booking service makes the rule for one call; the store applies it to the
/// booking as it is under its lock.
public struct LateCancellationRule: Sendable, Hashable {
    /// Whether the booking's mentee is the one cancelling.
    public var byMentee: Bool
    /// The notice below which a mentee's cancellation is late.
    public var lateNotice: Duration
    /// The moment of the cancellation.
    public var now: Instant

    /// The rule for a cancellation at `now`.
    public init(byMentee: Bool, lateNotice: Duration, now: Instant) {
        self.byMentee = byMentee
        self.lateNotice = lateNotice
        self.now = now
    }

    /// Whether cancelling `booking` now is a mentee's late cancellation.
    public func isLate(_ booking: Booking) -> Bool {
        byMentee && booking.start.date.timeIntervalSince(now.date) < TimeInterval(lateNotice.components.seconds)
    }

    /// Where `booking`'s held escrow goes.
    public func decision(for booking: Booking) -> EscrowDecision { isLate(booking) ? .release : .refund }
}
