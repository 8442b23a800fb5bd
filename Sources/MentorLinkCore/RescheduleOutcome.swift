/// What ``BookingStore/reschedule(bookingId:start:now:audit:freeRuns:slot:)`` did.
public enum RescheduleOutcome: Sendable {
    /// The booking, moved.
    case moved(Booking)
    /// Nothing moved: the proposal the move answers is no longer the pending one.
    case proposalChanged
}
