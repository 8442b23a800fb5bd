public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/DeadLetterStore`` in memory, with the table's rules: one letter per consumer, topic, partition
/// and offset (parking it again adds its attempts and takes the new error, and puts it back to `parked` unless it was
/// replayed); `parked` → `replaying` on request; a replay's outcome counts one more attempt.
public final class InMemoryDeadLetterStore: DeadLetterStore {
    struct Key: Hashable {
        var consumer: String
        var topic: String
        var partition: Int32
        var offset: Int64
    }

    private let state = Mutex<(letters: [DeadLetter], byKey: [Key: Int64])>(([], [:]))
    private let now: @Sendable () -> Instant
    /// Takes PostgreSQL away.
    public let outage = Outage("postgres")

    /// No letters, on `now`'s time (`parkedAt`, `replayedAt`).
    public init(now: @escaping @Sendable () -> Instant = { .now }) { self.now = now }

    @discardableResult public func park(_ message: FailedMessage) async throws -> Int64 {
        try outage.check()
        let now = now()
        let error = String(message.error.prefix(2000))
        let attempts = max(message.attempts, 1)
        let key = Key(consumer: message.consumer, topic: message.topic, partition: message.partition, offset: message.offset)
        return state.withLock { state in
            if let id = state.byKey[key], let index = state.letters.firstIndex(where: { $0.id == id }) {
                state.letters[index].error = error
                state.letters[index].attempts += attempts
                if state.letters[index].state != .replayed { state.letters[index].state = .parked }
                return id
            }
            let id = Int64(state.letters.count + 1)
            state.letters.append(
                DeadLetter(
                    id: id, consumer: message.consumer, topic: message.topic, partition: message.partition, offset: message.offset, key: message.key,
                    value: message.value, error: error, attempts: attempts, state: .parked, parkedAt: now, replayedAt: nil))
            state.byKey[key] = id
            return id
        }
    }

    public func deadLetters(consumer: String?, afterId: Int64?, limit: Int) async throws -> [DeadLetter] {
        try outage.check()
        return state.withLock { state in
            Array(state.letters.filter { ($0.consumer == consumer || consumer == nil) && $0.id > (afterId ?? 0) }.prefix(max(0, limit)))
        }
    }

    public func requestReplay(id: Int64) async throws -> DeadLetter? {
        try outage.check()
        return state.withLock { state in
            guard let index = state.letters.firstIndex(where: { $0.id == id }) else { return nil }
            if state.letters[index].state == .parked { state.letters[index].state = .replaying }
            return state.letters[index]
        }
    }

    public func replaying(consumer: String, limit: Int) async throws -> [DeadLetter] {
        try outage.check()
        return state.withLock { state in Array(state.letters.filter { $0.consumer == consumer && $0.state == .replaying }.prefix(max(0, limit))) }
    }

    public func finishReplay(id: Int64, error: String?) async throws {
        try outage.check()
        let now = now()
        state.withLock { state in
            guard let index = state.letters.firstIndex(where: { $0.id == id && $0.state == .replaying }) else { return }
            state.letters[index].attempts += 1
            if let error {
                state.letters[index].state = .parked
                state.letters[index].error = String(error.prefix(2000))
            } else {
                state.letters[index].state = .replayed
                state.letters[index].replayedAt = now
            }
        }
    }
}
