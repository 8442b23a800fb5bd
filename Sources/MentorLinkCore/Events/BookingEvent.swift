public import Foundation

/// A booking's (or group session's, or seat's) state change whose payload is the booking as it is now.
public struct BookingEvent: DomainEvent, Hashable {
    /// The event types whose payload is a ``Booking``.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case held = "booking.held"
        case created = "booking.created"
        case cancelled = "booking.cancelled"
        /// A mentee took a seat (the payload is the seat).
        case joined = "booking.joined"
        case agendaSubmitted = "booking.agenda_submitted"
        case rescheduleProposed = "booking.reschedule_proposed"
        case rescheduleWithdrawn = "booking.reschedule_withdrawn"
        case groupCreated = "group.created"
    }

    public static let aggregate = "booking"
    public var name: Name
    /// The booking after the change.
    public var payload: Booking
    public var aggregateId: UUID { payload.id }

    /// The event `name` about `payload`.
    public init(name: Name, payload: Booking) {
        self.name = name
        self.payload = payload
    }
}
