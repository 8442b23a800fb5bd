public import Foundation

/// Told after a mentor's free slots changed (a hold, booking, cancellation, reschedule, group session or new rules),
/// with the reason; the worker's implementation publishes `availability.changed` on the mentor's channel
/// (``Channels/availability(mentorId:)``), which `availability.subscribe` clients follow.
///
/// Best effort by design: a lost notice only delays a client's refresh, so implementations log failures rather than
/// throw, and the change itself is already committed when this is called.
public protocol AvailabilityNotifying: Sendable {
    /// Announces that `mentorId`'s free slots changed because of `reason` (`booking.created`, `rules.changed` …).
    func availabilityChanged(mentorId: UUID, reason: String) async
}
