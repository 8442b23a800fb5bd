public import Foundation

/// The rules of escrow held back from the release job, applied by the payments store to the booking row it has
/// locked: a mentee's no-show report, and an admin's resolution.
public enum EscrowDisputeRules {
    /// A no-show is reported by the booking's mentee, on a held (or frozen) escrow, from the session's start until
    /// `window` after its end.
    public static func checkNoShowReport(_ booking: Booking, by menteeId: UUID, now: Instant, window: Duration) throws {
        guard booking.menteeId == menteeId else { throw CoreError.forbidden("only the booking's mentee can report a no-show") }
        guard booking.escrowState == "held" || booking.escrowState == "frozen" else {
            throw CoreError.invalidState("the escrow is \(booking.escrowState)")
        }
        let deadline = booking.end.adding(seconds: Int(window.components.seconds))
        guard booking.start <= now else { throw CoreError.invalidState("the session has not started") }
        guard now <= deadline else {
            throw CoreError.invalidState("no-shows are reported within \(window.components.seconds / 60) minutes of the end")
        }
    }

    /// An admin decides a disputed or frozen escrow of a booking with a mentee; a release needs a mentor who can
    /// still earn (`mentorCanEarn`: not disabled, still a mentor). Returns the mentee whose escrow it is.
    public static func checkResolution(_ booking: Booking, decision: EscrowDecision, mentorCanEarn: Bool) throws -> UUID {
        guard booking.escrowState == "disputed" || booking.escrowState == "frozen" else {
            throw CoreError.invalidState("the escrow is \(booking.escrowState), not disputed or frozen")
        }
        guard let mentee = booking.menteeId else { throw CoreError.invalidState("the booking has no mentee") }
        if decision == .release, !mentorCanEarn { throw CoreError.invalidState("the mentor is disabled or no longer a mentor") }
        return mentee
    }
}
