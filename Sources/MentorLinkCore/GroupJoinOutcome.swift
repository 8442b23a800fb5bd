/// What ``BookingStore/join(groupSessionId:menteeId:now:audit:)`` found: the seat taken, or, when no seat could be
/// counted, the group session as it is (`nil`: there is none), for the booking service to say why.
public enum GroupJoinOutcome: Sendable {
    /// The new seat.
    case joined(Booking)
    /// No seat was taken: the session is full, over, cancelled or the mentee's own; `nil` when there is no such session.
    case refused(group: Booking?)
}
