import EventPipeline
import Logging
import MentorLinkCore
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// ``EventConsumer`` over an in-memory ``EventSource``: no broker, no database.
@Suite(.timeLimit(.minutes(1))) struct EventConsumerTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    static let fast = RetryPolicy(attempts: 3, initialBackoff: .milliseconds(1), maximumBackoff: .milliseconds(5))

    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }

    /// Fails on `poison` every time; records what it was handed.
    final class PoisonHandler: EventHandler {
        static let name = "poison"
        let logger = EventConsumerTests.logger
        let handled = Mutex<[String]>([])

        func handle(_ value: [UInt8]) async throws -> Int {
            let text = String(decoding: value, as: UTF8.self)
            handled.withLock { $0.append(text) }
            if text == "poison" { throw Boom() }
            return 1
        }
    }

    struct Down: Error {}

    /// Down (an outage) for its first five tries, then fine.
    final class RecoveringHandler: EventHandler {
        static let name = "recovering"
        let logger = EventConsumerTests.logger
        let tries = Atomic<Int>(0)

        func handle(_ value: [UInt8]) async throws -> Int {
            if tries.add(1, ordering: .relaxed).newValue <= 5 { throw Down() }
            return 1
        }
    }

    @Test func runHandlesInOrderParksThePoisonAndCommitsEveryOffset() async throws {
        let source = InMemoryEventSource(["a", "poison", "b"].map { Array($0.utf8) })
        let deadLetters = InMemoryDeadLetterStore()
        let handler = PoisonHandler()
        let consumer = EventConsumer(handler: handler, source: source, deadLetters: deadLetters, policy: Self.fast, logger: Self.logger)
        try await consumer.run()  // returns when the source's records end
        #expect(handler.handled.withLock { $0 } == ["a", "poison", "poison", "poison", "b"])
        #expect(source.committed == [0, 1, 2])
        let parked = try #require(deadLetters.all.first)
        #expect(deadLetters.all.count == 1)
        #expect(
            parked.consumer == "poison" && parked.offset == 1 && parked.value == Array("poison".utf8) && parked.attempts == 3
                && parked.error == "boom")
    }

    @Test func anOutageIsRetriedWithoutCountingTowardsParking() async throws {
        let source = InMemoryEventSource([Array("x".utf8)])
        let deadLetters = InMemoryDeadLetterStore()
        let handler = RecoveringHandler()
        let consumer = EventConsumer(
            handler: handler, source: source, deadLetters: deadLetters, policy: Self.fast, isOutage: { $0 is Down }, logger: Self.logger)
        try await consumer.run()
        #expect(handler.tries.load(ordering: .relaxed) == 6)
        #expect(deadLetters.all.isEmpty)
        #expect(source.committed == [0])
    }

    /// Down as the PostgreSQL stores say it (`CoreError.unavailable`, not a driver error), for its first five tries.
    final class TranslatedOutageHandler: EventHandler {
        static let name = "translated"
        let logger = EventConsumerTests.logger
        let tries = Atomic<Int>(0)

        func handle(_ value: [UInt8]) async throws -> Int {
            if tries.add(1, ordering: .relaxed).newValue <= 5 { throw CoreError.unavailable("postgres") }
            return 1
        }
    }

    /// With no outage predicate at all: an adapter's `unavailable` is never counted towards parking (the stores'
    /// reads translate a failing pool to it, which the driver-error predicate does not know).
    @Test func aTranslatedOutageIsNotCountedEither() async throws {
        let source = InMemoryEventSource([Array("x".utf8)])
        let deadLetters = InMemoryDeadLetterStore()
        let handler = TranslatedOutageHandler()
        let consumer = EventConsumer(handler: handler, source: source, deadLetters: deadLetters, policy: Self.fast, logger: Self.logger)
        try await consumer.run()
        #expect(handler.tries.load(ordering: .relaxed) == 6)
        #expect(deadLetters.all.isEmpty)
        #expect(source.committed == [0])
    }

    @Test func gracefulShutdownClosesTheSource() async throws {
        let source = InMemoryEventSource([Array("a".utf8)], finishes: false)
        let consumer = EventConsumer(
            handler: PoisonHandler(), source: source, deadLetters: InMemoryDeadLetterStore(), policy: Self.fast, logger: Self.logger)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup { group in
                group.addTask { try await consumer.run() }
                while source.committed.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(source.closed)
        #expect(source.committed == [0])
    }
}
