import Foundation
import MentorLinkCore
import PostgresNIO

/// A `bookings` row (alias `b`) as a ``Booking``: 1:1 bookings and holds, group sessions and their seats.
enum BookingRow: TableRow {
    static let columns = """
        b.id, b.kind, b.mentor_id, b.mentee_id, b.parent_id, b.starts_at, b.ends_at, b.status, b.hold_expires_at, \
        b.capacity, b.seats_taken, b.title, b.topic, b.agenda::text, b.cancel_reason, b.created_at, b.price_credits, b.escrow_state, \
        b.proposed_start, b.proposed_by
        """

    static func decode(_ row: PostgresRow) throws -> Booking {
        let r = try row.decode(
            (
                UUID, String, UUID, UUID?, UUID?, Date, Date, String, Date?, Int?, Int, String?, String?, String?, String?, Date, Int, String, Date?,
                UUID?
            ).self)
        let kind = BookingKind(rawValue: r.1) ?? .oneOnOne
        var booking = Booking(
            id: r.0, kind: kind, mentorId: r.2, menteeId: r.3, groupSessionId: r.4, start: Instant(r.5), end: Instant(r.6),
            status: BookingStatus(rawValue: r.7) ?? .cancelled, holdExpiresAt: r.8.map(Instant.init), capacity: r.9,
            seatsTaken: kind == .group ? r.10 : nil, title: r.11, topic: r.12,
            agenda: r.13.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }, cancelReason: r.14,
            createdAt: Instant(r.15), priceCredits: r.16, escrowState: r.17)
        booking.proposedStart = r.18.map(Instant.init)
        booking.proposedBy = r.19
        return booking
    }
}
