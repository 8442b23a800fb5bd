public import Foundation

/// `booking.rescheduled`: a 1:1 session moved; the payload holds the booking at its new time and the start it had.
public struct BookingRescheduled: DomainEvent, Hashable {
    /// The one event type of this kind.
    public enum Name: String, Sendable, Hashable { case rescheduled = "booking.rescheduled" }

    /// `{"booking": …, "previousStart": …}`.
    public struct Payload: Codable, Sendable, Hashable {
        /// The booking at its new time.
        public var booking: Booking
        /// Where it started before.
        public var previousStart: Instant

        /// The moved booking and its former start.
        public init(booking: Booking, previousStart: Instant) {
            self.booking = booking
            self.previousStart = previousStart
        }
    }

    public static let aggregate = "booking"
    public var name: Name
    public var payload: Payload
    public var aggregateId: UUID { payload.booking.id }

    /// The event with `payload` (`name` has one value).
    public init(name: Name = .rescheduled, payload: Payload) {
        self.name = name
        self.payload = payload
    }
}
