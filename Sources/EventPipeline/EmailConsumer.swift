import Foundation
public import Logging
public import MentorLinkCore
import Mustache

/// `mentorlink consume email`: the same events as the notifications, as emails (Mustache templates, a plain-text and
/// an HTML part, `List-Unsubscribe`), sent through SMTP when `SMTP_URL` is set, else written into a Maildir spool under
/// the run dir. Maildir: exactly once per event and recipient (each file's name is fixed by both); SMTP: at least once,
/// with a stable `Message-ID`. The event is recorded as handled after its messages went out.
public struct EmailConsumer: EventHandler {
    let store: any NotificationStore
    let mailer: any Mailer
    let unsubscribeBase: String
    /// The rooms, for a recording's participants.
    let rooms: (any RoomStore)?
    public let logger: Logger
    /// The consumer's name in `consumer_events`.
    public static let name = "email"
    /// The notifications that are not emailed: a recording that starts is seen in the room, while it happens.
    static let inAppOnly: Set<String> = [RecordingEvent.Name.started.rawValue]

    /// A consumer; unsubscribe links point at `unsubscribeBase` (`…?user=<id>`); `rooms` names a recording's participants.
    public init(store: any NotificationStore, mailer: any Mailer, unsubscribeBase: String, rooms: (any RoomStore)? = nil, logger: Logger) {
        self.rooms = rooms
        self.store = store
        self.mailer = mailer
        self.unsubscribeBase = unsubscribeBase
        self.logger = logger
    }

    /// Handles one event message; returns how many emails it wrote.
    @discardableResult public func handle(_ value: [UInt8]) async throws -> Int {
        guard let event = RelayedEvent(value) else { return 0 }
        let id = event.id
        guard try await !store.handled(eventId: id, consumer: Self.name) else { return 0 }
        let notes = try await NotificationConsumer.notifications(event, store: store, rooms: rooms, logger: logger).filter {
            !Self.inAppOnly.contains($0.type)
        }
        let contacts = try await store.contacts(notes.map(\.userId))
        var written = 0
        for note in notes {
            guard let contact = contacts[note.userId] else { continue }
            // An address that is not a plain local@domain can never be sent: skipped for good (not retried).
            guard let address = EmailAddress(contact.email) else {
                logger.warning(
                    "email.invalid_recipient", metadata: ["user.id": .string(note.userId.uuidString.lowercased()), "event.id": .string("\(id)")])
                continue
            }
            let unsubscribe = "\(unsubscribeBase)?user=\(note.userId.uuidString.lowercased())"
            let values: [String: Any] = ["name": contact.name, "title": note.title, "body": note.body, "unsubscribe": unsubscribe]
            let message = EmailMessage(
                id: "\(id).\(note.userId.uuidString.lowercased())", to: EmailMailbox(name: contact.name, address: address),
                subject: EmailTemplates.subject.render(values), text: EmailTemplates.text.render(values), html: EmailTemplates.html.render(values),
                unsubscribe: unsubscribe)
            if try await mailer.deliver(message) { written += 1 }
        }
        _ = try await store.handle(eventId: id, consumer: Self.name, notifications: [])
        return written
    }
}
