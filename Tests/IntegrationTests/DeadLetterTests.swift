import EventPipeline
import Foundation
import KafkaAdapter
import Logging
import MentorLinkCore
import PostgresAdapter
import Synchronization
import Testing

/// A message that keeps failing is retried, then parked in `dead_letters`; no offset is committed past it before it
/// is parked; an admin's replay runs it again.
@Suite(.timeLimit(.minutes(2))) struct DeadLetterTests {
    /// What happened, in order: handling attempts, parking, commits.
    final class Journal: Sendable {
        let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }

    /// Fails on `poison` the first `failures` times, handles everything else.
    final class FlakyHandler: EventHandler {
        static let name = "flaky"
        let logger = TestEnvironment.logger
        let journal: Journal
        let failures: Int
        let seen = Atomic<Int>(0)

        init(journal: Journal, failures: Int) {
            self.journal = journal
            self.failures = failures
        }

        func handle(_ value: [UInt8]) async throws -> Int {
            let text = String(decoding: value, as: UTF8.self)
            journal.add("handle \(text)")
            if text == "poison", seen.add(1, ordering: .relaxed).newValue <= failures { throw Boom() }
            return 1
        }
    }

    struct RecordingCommitter: EventCommitter {
        let journal: Journal
        let consumer: KafkaConsumer?
        func commit(_ message: EventRecord) throws {
            journal.add("commit \(String(decoding: message.value, as: UTF8.self))")
            try consumer?.commit(message)
        }
    }

    /// The real store, recording each park; the first `failParks` parks fail (PostgreSQL away).
    final class RecordingStore: DeadLetterStore {
        let base: any DeadLetterStore
        let journal: Journal
        let failParks: Int
        let parks = Atomic<Int>(0)
        init(base: any DeadLetterStore, journal: Journal, failParks: Int = 0) {
            self.base = base
            self.journal = journal
            self.failParks = failParks
        }
        func park(_ message: FailedMessage) async throws -> Int64 {
            if parks.add(1, ordering: .relaxed).newValue <= failParks {
                journal.add("park failed")
                throw Boom()
            }
            journal.add("park \(String(decoding: message.value, as: UTF8.self))")
            return try await base.park(message)
        }
        func deadLetters(consumer: String?, afterId: Int64?, limit: Int) async throws -> [DeadLetter] {
            try await base.deadLetters(consumer: consumer, afterId: afterId, limit: limit)
        }
        func requestReplay(id: Int64) async throws -> DeadLetter? { try await base.requestReplay(id: id) }
        func replaying(consumer: String, limit: Int) async throws -> [DeadLetter] { try await base.replaying(consumer: consumer, limit: limit) }
        func finishReplay(id: Int64, error: String?) async throws { try await base.finishReplay(id: id, error: error) }
    }

    static let fast = RetryPolicy(attempts: 3, initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(20))

    @Test func aFailingMessageIsRetriedParkedThenCommittedAndReplayRunsItAgain() async throws {
        try await TestEnvironment.withFreshDatabase(migrated: true) { pool in
            let brokers = try TestEnvironment.kafkaBrokers()
            let topic = "dl-\(UUID().uuidString.prefix(8).lowercased())"
            let producer = try KafkaProducer(brokers: brokers, logger: TestEnvironment.logger)
            for value in ["a", "poison", "b"] { try await producer.send(topic: topic, key: Array("same".utf8), value: Array(value.utf8)) }
            let kafka = try KafkaConsumer(brokers: brokers, groupId: "g-\(topic)", topics: [topic], logger: TestEnvironment.logger)
            defer { kafka.close() }
            let journal = Journal()
            let handler = FlakyHandler(journal: journal, failures: 3)
            let store = RecordingStore(base: PostgresDeadLetterStore(pool: pool, logger: TestEnvironment.logger), journal: journal)
            let consumer = EventConsumer(handler: handler, source: kafka, deadLetters: store, policy: Self.fast, logger: TestEnvironment.logger)
            await consumer.consume(kafka.records.prefix(3), committer: RecordingCommitter(journal: journal, consumer: kafka))
            // Three tries, parked, and only then committed; `b` comes after.
            #expect(
                journal.all == [
                    "handle a", "commit a", "handle poison", "handle poison", "handle poison", "park poison", "commit poison", "handle b", "commit b",
                ])
            let letters = try await store.deadLetters(consumer: "flaky", afterId: nil, limit: 10)
            #expect(letters.count == 1)
            let letter = try #require(letters.first)
            #expect(letter.topic == topic && letter.value == Array("poison".utf8) && letter.key == Array("same".utf8))
            #expect(letter.attempts == 3 && letter.state == .parked && letter.error == "boom")
            #expect(try await store.deadLetters(consumer: "other", afterId: nil, limit: 10).isEmpty)
            #expect(try await store.deadLetters(consumer: nil, afterId: letter.id, limit: 10).isEmpty)
            // Nothing runs until an admin asks; then the consumer runs it again, and it is replayed.
            #expect(try await consumer.replayRequested() == 0)
            #expect(try await store.requestReplay(id: letter.id)?.state == .replaying)
            #expect(try await consumer.replayRequested() == 1)
            #expect(journal.all.filter { $0 == "handle poison" }.count == 4)
            let replayed = try #require(try await store.deadLetters(consumer: "flaky", afterId: nil, limit: 10).first)
            #expect(replayed.state == .replayed && replayed.attempts == 4 && replayed.replayedAt != nil)
            // A replayed one stays replayed; an unknown id is none.
            #expect(try await store.requestReplay(id: letter.id)?.state == .replayed)
            #expect(try await store.requestReplay(id: letter.id + 1000) == nil)
        }
    }

    @Test func aReplayThatFailsParksItAgain() async throws {
        try await TestEnvironment.withFreshDatabase(migrated: true) { pool in
            let journal = Journal()
            let handler = FlakyHandler(journal: journal, failures: 10)
            let store = PostgresDeadLetterStore(pool: pool, logger: TestEnvironment.logger)
            let consumer = EventConsumer(
                handler: handler, source: try Self.idleConsumer(), deadLetters: store, policy: Self.fast, logger: TestEnvironment.logger)
            let (messages, continuation) = AsyncStream.makeStream(of: EventRecord.self)
            continuation.yield(EventRecord(topic: "t", partition: 0, offset: 7, key: [], value: Array("poison".utf8)))
            continuation.finish()
            await consumer.consume(messages, committer: RecordingCommitter(journal: journal, consumer: nil))
            let id = try #require(try await store.deadLetters(consumer: "flaky", afterId: nil, limit: 1).first?.id)
            _ = try await store.requestReplay(id: id)
            #expect(try await consumer.replayRequested() == 0)
            let again = try #require(try await store.deadLetters(consumer: "flaky", afterId: nil, limit: 1).first)
            #expect(again.state == .parked && again.attempts == 4)
        }
    }

    @Test func parkingThatFailsIsRetriedAndNothingIsCommittedBeforeIt() async throws {
        try await TestEnvironment.withFreshDatabase(migrated: true) { pool in
            let journal = Journal()
            let handler = FlakyHandler(journal: journal, failures: 1)
            let store = RecordingStore(base: PostgresDeadLetterStore(pool: pool, logger: TestEnvironment.logger), journal: journal, failParks: 2)
            let consumer = EventConsumer(
                handler: handler, source: try Self.idleConsumer(), deadLetters: store, policy: RetryPolicy(attempts: 1),
                logger: TestEnvironment.logger)
            let (messages, continuation) = AsyncStream.makeStream(of: EventRecord.self)
            for (offset, value) in ["poison", "b"].enumerated() {
                continuation.yield(EventRecord(topic: "t", partition: 0, offset: Int64(offset), key: [], value: Array(value.utf8)))
            }
            continuation.finish()
            await consumer.consume(messages, committer: RecordingCommitter(journal: journal, consumer: nil))
            #expect(journal.all == ["handle poison", "park failed", "park failed", "park poison", "commit poison", "handle b", "commit b"])
        }
    }

    /// A consumer that is never read (the tests feed messages themselves).
    static func idleConsumer() throws -> KafkaConsumer {
        try KafkaConsumer(
            brokers: try TestEnvironment.kafkaBrokers(), groupId: "idle-\(UUID().uuidString.prefix(8))",
            topics: ["idle-\(UUID().uuidString.prefix(8))"], logger: TestEnvironment.logger)
    }

    @Test(arguments: 1...12) func backoffGrowsWithJitterUpToTheCap(_ attempt: Int) {
        let policy = RetryPolicy(attempts: 5, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(2))
        let base = min(2.0, 0.1 * Double(1 << (attempt - 1)))
        let delay = policy.delay(after: attempt)
        #expect(delay >= .milliseconds(Int64(base * 500)) && delay <= .milliseconds(Int64(base * 1000)))
    }
}
