import Foundation
import KafkaAdapter
public import Logging
public import MentorLinkCore

/// `mentorlink consume notifications`: turns events into in-app notifications and pushes each to its user's channel
/// (`user:<id>`). Idempotent: the store records every handled event id, so a redelivered or replayed event (a relay
/// that died between publishing and marking) notifies nobody twice. Offsets are committed after handling.
public struct NotificationConsumer: EventHandler {
    let store: any NotificationStore
    let bus: any EventBus
    public let logger: Logger
    /// The consumer's name in `consumer_events`.
    public static let name = "notifications"
    /// The topics it reads, without the prefix.
    public static let aggregates = ["booking", "review", "payment", "payout"]

    /// A consumer over a store and a bus.
    public init(store: any NotificationStore, bus: any EventBus, logger: Logger) {
        self.store = store
        self.bus = bus
        self.logger = logger
    }

    /// Handles one event message; returns how many notifications it created (0 when seen before or not notifiable).
    @discardableResult
    public func handle(_ value: [UInt8]) async throws -> Int {
        guard let event = RelayedEvent(value) else {
            logger.warning("notifications.unreadable_event")
            return 0
        }
        let notifications = try await Self.notifications(event, store: store)
        guard let stored = try await store.handle(eventId: event.id, consumer: Self.name, notifications: notifications) else { return 0 }
        for (user, notification) in stored {
            let data = try JSONEncoder().encode(notification)
            let event = Array(#"{"type":"notification","notification":"#.utf8) + Array(data) + Array("}".utf8)
            do {
                try await bus.publish(channel: Channels.user(user), event: event)
            } catch {
                logger.warning("notifications.push_failed", metadata: ["error": .string("\(error)")])
            }
        }
        return stored.count
    }

    /// Who hears about an event, and what they read: ``notifications(type:payload:)``, and for a cancelled group
    /// session also every seat holder whose seat was cancelled with it (the event carries the session, not its seats).
    static func notifications(_ event: RelayedEvent, store: any NotificationStore) async throws -> [NewNotification] {
        var notes = notifications(type: event.type, payload: event.payload)
        let booking = event.payload["booking"] as? [String: Any] ?? event.payload
        if event.type == "booking.cancelled", booking["kind"] as? String == "group",
            let id = (booking["id"] as? String).flatMap(UUID.init(uuidString:))
        {
            let start = booking["start"] as? String ?? ""
            for holder in try await store.seatHolders(cancelledWith: id) where !notes.contains(where: { $0.userId == holder }) {
                notes.append(NewNotification(userId: holder, type: event.type, title: "Session cancelled", body: "The group session at \(start) was cancelled."))
            }
        }
        return notes
    }

    /// Who hears about an event from its payload alone, and what they read.
    static func notifications(type: String, payload: [String: Any]) -> [NewNotification] {
        let booking = payload["booking"] as? [String: Any] ?? payload
        let mentor = (booking["mentorId"] as? String).flatMap(UUID.init(uuidString:))
        let mentee = (booking["menteeId"] as? String).flatMap(UUID.init(uuidString:))
        let start = booking["start"] as? String ?? ""
        func both(_ title: String, _ body: String) -> [NewNotification] {
            [mentor, mentee].compactMap { $0 }.map { NewNotification(userId: $0, type: type, title: title, body: body) }
        }
        switch type {
        case "booking.created": return both("Session booked", "A session is booked for \(start).")
        case "booking.cancelled": return both("Session cancelled", "The session at \(start) was cancelled.")
        case "booking.rescheduled": return both("Session moved", "The session moved to \(start).")
        case "booking.reminder":
            // One reminder per seat for its mentee and one per group session for its mentor (`bookingKind`), so a
            // mentor never gets a copy per seat.
            let soon = payload["kind"] as? String == "15m" ? "in 15 minutes" : "tomorrow"
            let note = { (user: UUID) in NewNotification(userId: user, type: type, title: "Session \(soon)", body: "Your session starts \(soon), at \(start).") }
            switch payload["bookingKind"] as? String {
            case "group_seat": return mentee.map { [note($0)] } ?? []
            case "group": return mentor.map { [note($0)] } ?? []
            default: return both("Session \(soon)", "Your session starts \(soon), at \(start).")
            }
        case "booking.joined":
            return mentor.map { [NewNotification(userId: $0, type: type, title: "New participant", body: "Someone joined your group session at \(start).")] } ?? []
        case "review.posted":
            let rating = (payload["rating"] as? NSNumber)?.intValue ?? 0
            return mentor.map { [NewNotification(userId: $0, type: type, title: "New review", body: "You received a \(rating)-star review.")] } ?? []
        case "payment.succeeded":
            let user = (payload["userId"] as? String).flatMap(UUID.init(uuidString:))
            let credits = (payload["credits"] as? NSNumber)?.intValue ?? 0
            return user.map { [NewNotification(userId: $0, type: type, title: "Credits added", body: "\(credits) credits were added to your wallet.")] } ?? []
        default:
            return []
        }
    }
}
