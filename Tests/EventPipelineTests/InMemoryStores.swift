import Foundation
import MentorLinkCore
import Synchronization

/// A notification store in memory: which events each consumer handled and what it stored.
final class InMemoryNotificationStore: NotificationStore {
    private let state = Mutex<(handled: Set<String>, stored: [NewNotification])>(([], []))
    let holders: [UUID: [UUID]]

    init(seatHolders: [UUID: [UUID]] = [:]) { holders = seatHolders }

    func handle(eventId: Int64, consumer: String, notifications: [NewNotification]) async throws -> [(UUID, AppNotification)]? {
        state.withLock { state in
            guard state.handled.insert("\(consumer)/\(eventId)").inserted else { return nil }
            state.stored += notifications
            return notifications.enumerated().map { index, note in
                (note.userId, AppNotification(id: Int64(index), type: note.type, title: note.title, body: note.body, createdAt: .now, read: false))
            }
        }
    }

    func notifications(userId: UUID, unreadOnly: Bool, beforeId: Int64?, limit: Int) async throws -> [AppNotification] { [] }
    func markRead(userId: UUID, ids: [Int64]) async throws -> Int { 0 }
    func unreadCount(userId: UUID, cap: Int) async throws -> Int { 0 }
    func handled(eventId: Int64, consumer: String) async throws -> Bool { state.withLock { $0.handled.contains("\(consumer)/\(eventId)") } }
    func seatHolders(cancelledWith groupSessionId: UUID) async throws -> [UUID] { holders[groupSessionId] ?? [] }
    func contacts(_ ids: [UUID]) async throws -> [UUID: (email: String, name: String)] { [:] }

    /// Every notification stored, in order.
    var stored: [NewNotification] { state.withLock { $0.stored } }
}

/// A dead-letter store in memory (parking only; replays are the integration tests' business).
final class InMemoryDeadLetterStore: DeadLetterStore {
    private let parked = Mutex<[FailedMessage]>([])

    func park(_ message: FailedMessage) async throws -> Int64 {
        parked.withLock {
            $0.append(message)
            return Int64($0.count)
        }
    }
    func deadLetters(consumer: String?, afterId: Int64?, limit: Int) async throws -> [DeadLetter] { [] }
    func requestReplay(id: Int64) async throws -> DeadLetter? { nil }
    func replaying(consumer: String, limit: Int) async throws -> [DeadLetter] { [] }
    func finishReplay(id: Int64, error: String?) async throws {}

    /// What was parked, in order.
    var all: [FailedMessage] { parked.withLock { $0 } }
}

/// A bus that drops what is published.
struct NullBus: EventBus {
    func publish(channel: String, event: [UInt8]) async throws -> Int64 { 0 }
    func history(channel: String, after seq: Int64) async throws -> ChannelHistory { ChannelHistory(events: [], recovered: true, latest: 0) }
    func listen(channel: String, _ handler: @escaping @Sendable (ChannelEvent) -> Void) async throws -> ListenerToken {
        ListenerToken(channel: channel, id: 0)
    }
    func stopListening(_ token: ListenerToken) async {}
}
