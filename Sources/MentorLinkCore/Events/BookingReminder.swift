public import Foundation

/// `booking.reminder`: a session starts soon. One per 1:1 booking, per seat (for its mentee) and per group session
/// (for its mentor), per ``Kind``. PostgreSQL writes these itself (`jsonb_build_object` in the reminder scheduler),
/// so this type is the shape that statement must keep.
public struct BookingReminder: DomainEvent, Hashable {
    /// The one event type of this kind.
    public enum Name: String, Sendable, Hashable { case reminder = "booking.reminder" }

    /// How far ahead the reminder is.
    public enum Kind: String, Codable, Sendable, Hashable {
        /// A day ahead.
        case dayAhead = "24h"
        /// A quarter of an hour ahead.
        case quarterHourAhead = "15m"
    }

    /// `{"kind","bookingKind","id","mentorId","menteeId","start"}`.
    public struct Payload: Codable, Sendable, Hashable {
        public var kind: Kind
        /// The reminded booking's kind: a group session's reminder is its mentor's, a seat's its mentee's.
        public var bookingKind: BookingKind
        /// The booking.
        public var id: UUID
        public var mentorId: UUID
        /// `nil` (JSON null) for a group session.
        public var menteeId: UUID?
        public var start: Instant

        /// A reminder of booking `id`.
        public init(kind: Kind, bookingKind: BookingKind, id: UUID, mentorId: UUID, menteeId: UUID?, start: Instant) {
            self.kind = kind
            self.bookingKind = bookingKind
            self.id = id
            self.mentorId = mentorId
            self.menteeId = menteeId
            self.start = start
        }
    }

    public static let aggregate = "booking"
    public var name: Name
    public var payload: Payload
    public var aggregateId: UUID { payload.id }

    /// The event with `payload` (`name` has one value).
    public init(name: Name = .reminder, payload: Payload) {
        self.name = name
        self.payload = payload
    }
}
