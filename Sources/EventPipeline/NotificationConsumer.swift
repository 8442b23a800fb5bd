import Foundation
public import Logging
public import MentorLinkCore

/// `mentorlink consume notifications`: turns events into in-app notifications and pushes each to its user's channel
/// (`user:<id>`). Idempotent: the store records every handled event id, so a redelivered or replayed event (a relay
/// that died between publishing and marking) notifies nobody twice. Offsets are committed after handling.
public struct NotificationConsumer: EventHandler {
    let store: any NotificationStore
    let bus: any EventBus
    /// The rooms, for a recording's participants (without it, a recording's events tell its mentor only).
    let rooms: (any RoomStore)?
    public let logger: Logger
    /// The consumer's name in `consumer_events`.
    public static let name = "notifications"
    /// The topics it reads, without the prefix.
    public static let aggregates = ["booking", "review", "payment", "payout", "recording"]

    /// A consumer over a store and a bus; `rooms` names a recording's participants.
    public init(store: any NotificationStore, bus: any EventBus, rooms: (any RoomStore)? = nil, logger: Logger) {
        self.store = store
        self.bus = bus
        self.rooms = rooms
        self.logger = logger
    }

    /// Handles one event message; returns how many notifications it created (0 when seen before or not notifiable).
    @discardableResult public func handle(_ value: [UInt8]) async throws -> Int {
        guard let event = RelayedEvent(value) else {
            logger.warning("notifications.unreadable_event")
            return 0
        }
        let notifications = try await Self.notifications(event, store: store, rooms: rooms, logger: logger)
        guard let stored = try await store.handle(eventId: event.id, consumer: Self.name, notifications: notifications) else { return 0 }
        for (user, notification) in stored {
            let data = try JSONEncoder().encode(notification)
            let event = Array(#"{"type":"notification","notification":"#.utf8) + Array(data) + Array("}".utf8)
            do { try await bus.publish(channel: Channels.user(user), event: event) } catch {
                logger.warning("notifications.push_failed", metadata: ["error": .string("\(error)")])
            }
        }
        return stored.count
    }

    /// Who hears about an event, and what they read: ``NotifiableEvent/notifications``, for a cancelled group
    /// session also every seat holder whose seat was cancelled with it (the event carries the session, not its seats),
    /// and for a recording every participant of its room (from `rooms`, when given).
    /// A notifiable event whose payload does not decode throws: the consumer retries it and then parks it in
    /// `dead_letters`, where it can be replayed once the reader is fixed (marking it handled would lose it for good).
    static func notifications(
        _ event: RelayedEvent, store: any NotificationStore, rooms: (any RoomStore)?, logger: Logger
    ) async throws -> [NewNotification] {
        let notifiable: NotifiableEvent?
        do { notifiable = try NotifiableEvent(event) } catch {
            logger.warning(
                "events.unreadable_payload",
                metadata: ["event.id": .string("\(event.id)"), "event.type": .string(event.type), "error": .string("\(error)")])
            throw error
        }
        guard let notifiable else { return [] }
        var notes = notifiable.notifications
        if case .booking(let cancelled) = notifiable, cancelled.name == .cancelled, cancelled.payload.kind == .group {
            let session = cancelled.payload
            for holder in try await store.seatHolders(cancelledWith: session.id) where !notes.contains(where: { $0.userId == holder }) {
                notes.append(
                    NewNotification(
                        userId: holder, type: event.type, title: "Session cancelled", body: "The group session at \(session.start) was cancelled."))
            }
        }
        if case .recording(let recorded) = notifiable, let rooms, let room = try await rooms.room(bookingId: recorded.payload.roomId) {
            let others = room.participantIds.filter { user in !notes.contains { $0.userId == user } }
            notes += NotifiableEvent.recordingNotes(recorded, to: others)
        }
        return notes
    }
}
