public import Foundation
public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/NotificationStore`` in memory: an event is handled once per consumer, a user gets at most one
/// notification per event, ids grow, lists are newest first. The people (``addContact(_:email:name:)``) and the seats
/// cancelled with a group session (``setSeatHolders(_:cancelledWith:)``) are what the test says they are.
public final class InMemoryNotificationStore: NotificationStore {
    struct Stored {
        var userId: UUID
        var eventId: Int64
        var notification: AppNotification
    }

    struct State {
        var handled: Set<String> = []
        var stored: [Stored] = []
        var contacts: [UUID: (email: String, name: String)] = [:]
        var seatHolders: [UUID: [UUID]] = [:]
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Instant
    /// Takes PostgreSQL away.
    public let outage = Outage("postgres")

    /// No notifications, on `now`'s time (`createdAt`).
    public init(now: @escaping @Sendable () -> Instant = { .now }) { self.now = now }

    /// Makes `id` a user with this email address and name.
    public func addContact(_ id: UUID, email: String, name: String) { state.withLock { $0.contacts[id] = (email, name) } }

    /// Says which mentees' seats were cancelled together with group session `groupSessionId`.
    public func setSeatHolders(_ mentees: [UUID], cancelledWith groupSessionId: UUID) { state.withLock { $0.seatHolders[groupSessionId] = mentees } }

    /// Stores one notification for `userId` outside any event (what a consumer would have stored), returning it.
    @discardableResult public func add(_ notification: NewNotification) -> AppNotification { store([notification], eventId: nil)[0].1 }

    public func handle(eventId: Int64, consumer: String, notifications: [NewNotification]) async throws -> [(UUID, AppNotification)]? {
        try outage.check()
        guard state.withLock({ $0.handled.insert("\(consumer)/\(eventId)").inserted }) else { return nil }
        return store(notifications, eventId: eventId)
    }

    private func store(_ notifications: [NewNotification], eventId: Int64?) -> [(UUID, AppNotification)] {
        let createdAt = now()
        return state.withLock { state in
            var stored: [(UUID, AppNotification)] = []
            for item in notifications {
                if let eventId, state.stored.contains(where: { $0.eventId == eventId && $0.userId == item.userId }) { continue }
                let note = AppNotification(
                    id: Int64(state.stored.count + 1), type: item.type, title: item.title, body: item.body, createdAt: createdAt, read: false)
                state.stored.append(Stored(userId: item.userId, eventId: eventId ?? -1, notification: note))
                stored.append((item.userId, note))
            }
            return stored
        }
    }

    public func notifications(userId: UUID, unreadOnly: Bool, beforeId: Int64?, limit: Int) async throws -> [AppNotification] {
        try outage.check()
        return state.withLock { state in
            let mine = state.stored.reversed().filter { stored in
                stored.userId == userId && !(unreadOnly && stored.notification.read) && beforeId.map { stored.notification.id < $0 } ?? true
            }
            return mine.prefix(max(0, limit)).map(\.notification)
        }
    }

    public func unreadCount(userId: UUID, cap: Int) async throws -> Int {
        try outage.check()
        return state.withLock { state in
            min(cap, state.stored.count { $0.userId == userId && !$0.notification.read })
        }
    }

    public func markRead(userId: UUID, ids: [Int64]) async throws -> Int {
        try outage.check()
        let wanted = Set(ids)
        return state.withLock { state in
            var changed = 0
            for index in state.stored.indices
            where state.stored[index].userId == userId && wanted.contains(state.stored[index].notification.id)
                && !state.stored[index].notification.read
            {
                state.stored[index].notification.read = true
                changed += 1
            }
            return changed
        }
    }

    public func handled(eventId: Int64, consumer: String) async throws -> Bool {
        try outage.check()
        return state.withLock { $0.handled.contains("\(consumer)/\(eventId)") }
    }

    public func seatHolders(cancelledWith groupSessionId: UUID) async throws -> [UUID] {
        try outage.check()
        return state.withLock { $0.seatHolders[groupSessionId] ?? [] }
    }

    public func contacts(_ ids: [UUID]) async throws -> [UUID: (email: String, name: String)] {
        try outage.check()
        return state.withLock { state in state.contacts.filter { ids.contains($0.key) } }
    }
}
