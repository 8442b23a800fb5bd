import CRdKafka
import Foundation
public import Logging
public import MentorLinkCore
import Synchronization

/// A consumer-group member bridged into an async sequence: the ``MentorLinkCore/EventSource`` the event consumers
/// read. Offsets are committed explicitly after processing (at-least-once), so consumers must be idempotent.
///
/// A dedicated thread polls librdkafka; it stops polling while 64 messages wait unread, so memory stays bounded.
public final class KafkaConsumer: EventSource, @unchecked Sendable {
    // @unchecked: `rk` is thread-safe by librdkafka's contract; the rest is atomics and a semaphore.
    private let rk: OpaquePointer
    private let running = RunFlag()
    private let credits = DispatchSemaphore(value: 64)
    private let logger: Logger
    private let closed = Atomic<Bool>(false)
    private let pollerDone = DispatchSemaphore(value: 0)

    /// The records, in the order librdkafka delivers them.
    public let records: KafkaRecords

    /// Joins `groupId` and subscribes to `topics`.
    public init(brokers: String, groupId: String, topics: [String], logger: Logger, extra: [String: String] = [:]) throws {
        var settings = [
            "bootstrap.servers": brokers, "group.id": groupId, "enable.auto.commit": "false", "auto.offset.reset": "earliest",
            "session.timeout.ms": "6000", "heartbeat.interval.ms": "500", "topic.metadata.refresh.interval.ms": "1000",
        ]
        settings.merge(extra) { $1 }
        rk = try KafkaConfig.handle(RD_KAFKA_CONSUMER, settings, logger: logger)
        rd_kafka_poll_set_consumer(rk)
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, -1) }
        let error = rd_kafka_subscribe(rk, list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            rd_kafka_destroy(rk)
            throw KafkaError(code: error)
        }
        self.logger = logger
        let (stream, continuation) = AsyncStream.makeStream(of: EventRecord.self)
        records = KafkaRecords(stream: stream, credits: credits)
        let handle = UnsafeSendable(rk)
        let thread = Thread { [running, credits, logger, pollerDone] in
            let rk = handle.value
            while running.isSet {
                guard credits.wait(timeout: .now() + .milliseconds(200)) == .success else { continue }
                guard let message = rd_kafka_consumer_poll(rk, 100) else {
                    credits.signal()
                    continue
                }
                let record = message.pointee
                if record.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    continuation.yield(
                        EventRecord(
                            topic: String(cString: rd_kafka_topic_name(record.rkt)), partition: record.partition, offset: record.offset,
                            key: bytes(record.key, record.key_len), value: bytes(record.payload, record.len)))
                } else {
                    credits.signal()
                    if record.err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                        logger.warning("kafka.consume_error", metadata: ["error": .string(KafkaError(code: record.err).message)])
                    }
                }
                rd_kafka_message_destroy(message)
            }
            continuation.finish()
            pollerDone.signal()
        }
        thread.name = "kafka-consumer-poll"
        thread.start()
    }

    /// Commits `message`'s offset (the next offset to read) synchronously.
    public func commit(_ message: EventRecord) throws {
        guard !closed.load(ordering: .relaxed) else { throw KafkaError(message: "consumer closed") }
        let list = rd_kafka_topic_partition_list_new(1)!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let entry = rd_kafka_topic_partition_list_add(list, message.topic, message.partition)!
        entry.pointee.offset = message.offset + 1
        let error = rd_kafka_commit(rk, list, 0)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: error) }
    }

    /// Leaves the group and stops polling.
    public func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        running.clear()
        pollerDone.wait()
        rd_kafka_consumer_close(rk)
        rd_kafka_destroy(rk)
    }

    deinit { close() }
}

private func bytes(_ pointer: UnsafeMutableRawPointer?, _ count: Int) -> [UInt8] {
    guard let pointer, count > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
}

/// The records of a ``KafkaConsumer``; each one read returns a polling credit.
public struct KafkaRecords: AsyncSequence, Sendable {
    public typealias Element = EventRecord
    public typealias Failure = Never
    let stream: AsyncStream<EventRecord>
    let credits: DispatchSemaphore

    public func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator(), credits: credits) }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncStream<EventRecord>.Iterator
        let credits: DispatchSemaphore

        public mutating func next() async -> EventRecord? {
            let message = await base.next()
            if message != nil { credits.signal() }
            return message
        }
    }
}
