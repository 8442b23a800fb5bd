import Foundation
import MentorLinkCore

/// An event that someone hears about, decoded from a relayed message as the ``MentorLinkCore/DomainEvent`` the
/// writer wrote. Every other event type is nobody's business here and is not decoded at all.
enum NotifiableEvent {
    /// `booking.created`, `booking.cancelled`, `booking.joined`.
    case booking(BookingEvent)
    case rescheduled(BookingRescheduled)
    case reminder(BookingReminder)
    /// `review.posted`.
    case review(ReviewEvent)
    /// `payment.succeeded`.
    case payment(PaymentEvent)
    /// `recording.started`, `recording.ready`: told to the room's participants (the consumer looks them up; the
    /// payload names the mentor only).
    case recording(RecordingEvent)

    /// The booking events that notify (the others, such as `booking.held`, notify nobody).
    static let bookingNames: Set<BookingEvent.Name> = [.created, .cancelled, .joined]
    /// The recording events that notify (a stop is shown in the room; processing and deletion notify nobody).
    static let recordingNames: Set<RecordingEvent.Name> = [.started, .ready]

    /// The event, or `nil` when nobody is notified of its type; throws when its payload does not decode.
    init?(_ event: RelayedEvent) throws {
        if let name = BookingEvent.Name(rawValue: event.type), Self.bookingNames.contains(name), let booking = try event.decode(as: BookingEvent.self)
        {
            self = .booking(booking)
        } else if let moved = try event.decode(as: BookingRescheduled.self) {
            self = .rescheduled(moved)
        } else if let reminder = try event.decode(as: BookingReminder.self) {
            self = .reminder(reminder)
        } else if event.type == ReviewEvent.Name.posted.rawValue, let review = try event.decode(as: ReviewEvent.self) {
            self = .review(review)
        } else if event.type == PaymentEvent.Name.succeeded.rawValue, let payment = try event.decode(as: PaymentEvent.self) {
            self = .payment(payment)
        } else if let name = RecordingEvent.Name(rawValue: event.type), Self.recordingNames.contains(name),
            let recording = try event.decode(as: RecordingEvent.self)
        {
            self = .recording(recording)
        } else {
            return nil
        }
    }

    /// Who hears about the event from its payload alone, and what they read.
    var notifications: [NewNotification] {
        func both(_ booking: Booking, _ type: String, _ title: String, _ body: String) -> [NewNotification] {
            [booking.mentorId, booking.menteeId].compactMap { $0 }.map { NewNotification(userId: $0, type: type, title: title, body: body) }
        }
        switch self {
        case .booking(let event):
            let booking = event.payload
            switch event.name {
            case .created: return both(booking, event.type, "Session booked", "A session is booked for \(booking.start).")
            case .cancelled: return both(booking, event.type, "Session cancelled", "The session at \(booking.start) was cancelled.")
            case .joined:
                return [
                    NewNotification(
                        userId: booking.mentorId, type: event.type, title: "New participant",
                        body: "Someone joined your group session at \(booking.start).")
                ]
            default: return []
            }
        case .rescheduled(let event):
            return both(event.payload.booking, event.type, "Session moved", "The session moved to \(event.payload.booking.start).")
        case .reminder(let event):
            // One reminder per seat for its mentee and one per group session for its mentor (`bookingKind`), so a
            // mentor never gets a copy per seat.
            let reminder = event.payload
            let soon = reminder.kind == .quarterHourAhead ? "in 15 minutes" : "tomorrow"
            let note = { (user: UUID) in
                NewNotification(userId: user, type: event.type, title: "Session \(soon)", body: "Your session starts \(soon), at \(reminder.start).")
            }
            switch reminder.bookingKind {
            case .groupSeat: return reminder.menteeId.map { [note($0)] } ?? []
            case .group: return [note(reminder.mentorId)]
            case .oneOnOne: return [reminder.mentorId, reminder.menteeId].compactMap { $0 }.map(note)
            }
        case .review(let event):
            return [
                NewNotification(
                    userId: event.payload.mentorId, type: event.type, title: "New review", body: "You received a \(event.payload.rating)-star review."
                )
            ]
        case .payment(let event):
            return [
                NewNotification(
                    userId: event.payload.userId, type: event.type, title: "Credits added",
                    body: "\(event.payload.credits) credits were added to your wallet.")
            ]
        case .recording(let event): return Self.recordingNotes(event, to: [event.payload.mentorId])
        }
    }

    /// What `users` read about a recording event: it started, or its first processing ended (ready, partial or
    /// failed). A late track starts another revision: its outcome is shown on the recording, not notified again (so
    /// tracks completed one by one cannot make a stream of notifications and emails).
    static func recordingNotes(_ event: RecordingEvent, to users: [UUID]) -> [NewNotification] {
        if event.name == .ready, event.payload.revision > 0 { return [] }
        let words: (title: String, body: String)
        switch (event.name, event.payload.state) {
        case (.started, _): words = ("Recording started", "Your session is being recorded.")
        case (.ready, .failed): words = ("Recording failed", "The recording of your session could not be processed.")
        case (.ready, .partial): words = ("Your recording is ready", "The recording of your session is ready; part of it is missing.")
        case (.ready, _): words = ("Your recording is ready", "The recording of your session is ready to watch.")
        default: return []
        }
        return users.map { NewNotification(userId: $0, type: event.type, title: words.title, body: words.body) }
    }
}
