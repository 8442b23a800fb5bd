public import Foundation

/// A consumed message that its consumer could not handle after its retries, parked for an admin to look at and
/// replay. State: `parked` → (`admin.deadLetters.replay`) `replaying` → `replayed`, or back to `parked` when the
/// replay fails too.
public struct DeadLetter: Sendable, Hashable {
    public enum State: String, Codable, Sendable, Hashable { case parked, replaying, replayed }

    public var id: Int64
    /// The consumer's name (`notifications`, `email`).
    public var consumer: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]
    public var value: [UInt8]
    /// The last failure (a description safe to show an admin: no bound SQL values).
    public var error: String
    /// Handling attempts so far (the consumer's retries plus replays).
    public var attempts: Int
    public var state: State
    public var parkedAt: Instant
    public var replayedAt: Instant?

    public init(
        id: Int64, consumer: String, topic: String, partition: Int32, offset: Int64, key: [UInt8], value: [UInt8], error: String, attempts: Int,
        state: State, parkedAt: Instant, replayedAt: Instant?
    ) {
        self.id = id
        self.consumer = consumer
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.error = error
        self.attempts = attempts
        self.state = state
        self.parkedAt = parkedAt
        self.replayedAt = replayedAt
    }
}

/// A message to park: where it was read and why it failed.
public struct FailedMessage: Sendable, Hashable {
    public var consumer: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]
    public var value: [UInt8]
    public var error: String
    public var attempts: Int

    public init(consumer: String, topic: String, partition: Int32, offset: Int64, key: [UInt8], value: [UInt8], error: String, attempts: Int) {
        self.consumer = consumer
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.error = error
        self.attempts = attempts
    }
}

/// The durable side of dead letters.
public protocol DeadLetterStore: Sendable {
    /// Parks a message (once per consumer, topic, partition and offset: parking it again updates its error and
    /// attempts, unless it was replayed since); returns its id.
    @discardableResult func park(_ message: FailedMessage) async throws -> Int64
    /// Dead letters in id order after `afterId`, of one consumer or all.
    func deadLetters(consumer: String?, afterId: Int64?, limit: Int) async throws -> [DeadLetter]
    /// Asks the consumer to run a parked message again (`parked` → `replaying`; a `replaying` one stays so); returns
    /// the dead letter as it is now, or `nil` when there is none with that id. A `replayed` one is left as it is.
    func requestReplay(id: Int64) async throws -> DeadLetter?
    /// The messages of `consumer` waiting to be replayed, oldest first.
    func replaying(consumer: String, limit: Int) async throws -> [DeadLetter]
    /// Records a replay's outcome: `replayed`, or back to `parked` with `error` (one more attempt).
    func finishReplay(id: Int64, error: String?) async throws
}
