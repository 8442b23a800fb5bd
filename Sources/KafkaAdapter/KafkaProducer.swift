import CRdKafka
import Foundation
public import Logging
public import MentorLinkCore
public import ServiceLifecycle
import Synchronization

/// An idempotent producer (acks=all): the ``MentorLinkCore/EventSink`` the relay publishes to. `send` returns once the
/// broker acknowledged the message.
///
/// librdkafka's delivery reports are served by a dedicated polling thread, so no Swift concurrency thread blocks.
public final class KafkaProducer: Service, HealthCheck, EventSink, @unchecked Sendable {
    // @unchecked: `rk` is thread-safe by librdkafka's contract; `topics` is guarded by its mutex.
    public let name = "kafka"
    private let rk: OpaquePointer
    private let topics = Mutex<[String: OpaquePointer]>([:])
    private let running = RunFlag()
    /// Signalled by the polling thread when it has stopped touching `rk`.
    private let pollerDone = DispatchSemaphore(value: 0)
    private let logger: Logger

    /// Connects to `brokers` (comma-separated host:port).
    public init(brokers: String, logger: Logger, extra: [String: String] = [:]) throws {
        var settings = ["bootstrap.servers": brokers, "enable.idempotence": "true", "acks": "all", "linger.ms": "5", "message.timeout.ms": "30000"]
        settings.merge(extra) { $1 }
        let conf = try KafkaConfig.make(settings, logger: logger)
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
            guard let message, let opaque = message.pointee._private else { return }
            let box = Unmanaged<DeliveryBox>.fromOpaque(opaque).takeRetainedValue()
            box.complete(message.pointee.err)
        }
        rk = try KafkaConfig.handle(RD_KAFKA_PRODUCER, conf: conf)
        self.logger = logger
        let handle = UnsafeSendable(rk)
        let thread = Thread { [running, pollerDone] in
            while running.isSet { rd_kafka_poll(handle.value, 100) }
            pollerDone.signal()
        }
        thread.name = "kafka-producer-poll"
        thread.start()
    }

    deinit {
        // Stop the polling thread before the handle goes away (it must never poll a destroyed handle).
        running.clear()
        pollerDone.wait()
        rd_kafka_flush(rk, 5000)
        topics.withLock { $0.values.forEach { rd_kafka_topic_destroy($0) } }
        rd_kafka_destroy(rk)
    }

    /// Produces one message and waits for the broker's acknowledgement.
    public func send(topic: String, key: [UInt8], value: [UInt8]) async throws {
        let handle = try topicHandle(topic)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let box = Unmanaged.passRetained(DeliveryBox(continuation)).toOpaque()
            let status = value.withUnsafeBytes { payload in
                key.withUnsafeBytes { keyBytes in
                    rd_kafka_produce(
                        handle, -1, 0x2 /* RD_KAFKA_MSG_F_COPY */, UnsafeMutableRawPointer(mutating: payload.baseAddress), payload.count,
                        keyBytes.baseAddress, keyBytes.count, box)
                }
            }
            if status != 0 {
                Unmanaged<DeliveryBox>.fromOpaque(box).release()
                continuation.resume(throwing: KafkaError(code: rd_kafka_last_error()))
            }
        }
    }

    /// Throws when no broker answers a metadata request within two seconds.
    public func check() async throws { try await KafkaMetadata.check(rk) }

    public func run() async throws {
        try? await gracefulShutdown()
        rd_kafka_flush(rk, 5000)
    }

    private func topicHandle(_ topic: String) throws -> OpaquePointer {
        try topics.withLock { topics in
            if let handle = topics[topic] { return handle }
            guard let handle = rd_kafka_topic_new(rk, topic, nil) else { throw KafkaError(code: rd_kafka_last_error()) }
            topics[topic] = handle
            return handle
        }
    }
}

/// Carries a continuation through librdkafka's `msg_opaque` to the delivery-report callback.
final class DeliveryBox: Sendable {
    let continuation: CheckedContinuation<Void, any Error>
    init(_ continuation: CheckedContinuation<Void, any Error>) { self.continuation = continuation }

    func complete(_ error: rd_kafka_resp_err_t) {
        if error == RD_KAFKA_RESP_ERR_NO_ERROR { continuation.resume() } else { continuation.resume(throwing: KafkaError(code: error)) }
    }
}

/// Metadata requests, run off the Swift thread pool because they block.
enum KafkaMetadata {
    static func check(_ rk: OpaquePointer) async throws {
        let handle = UnsafeSendable(rk)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                var metadata: UnsafePointer<rd_kafka_metadata>? = nil
                let error = rd_kafka_metadata(handle.value, 0, nil, &metadata, 2000)
                if let metadata { rd_kafka_metadata_destroy(metadata) }
                if error == RD_KAFKA_RESP_ERR_NO_ERROR { continuation.resume() } else { continuation.resume(throwing: KafkaError(code: error)) }
            }
        }
    }
}

/// A C handle that librdkafka documents as thread-safe.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
