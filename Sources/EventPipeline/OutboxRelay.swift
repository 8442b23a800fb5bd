import Foundation
public import Logging
public import MentorLinkCore
public import ServiceLifecycle

/// `mentorlink relay`: publishes the outbox to an ``MentorLinkCore/EventSink`` (Kafka's idempotent producer, in
/// production) — topic `<prefix><aggregate>`, key = aggregate id — and marks rows sent after the sink acknowledged
/// them. While the broker is down, business transactions still commit; the outbox drains when it returns (retried
/// with backoff up to 5 s).
public struct OutboxRelay: Service {
    let outbox: any Outbox
    let sink: any EventSink
    let topicPrefix: String
    let logger: Logger
    let idle: Duration

    /// A relay; `topicPrefix` defaults to `mentorlink.`.
    public init(outbox: any Outbox, sink: any EventSink, topicPrefix: String = "mentorlink.", idle: Duration = .milliseconds(200), logger: Logger) {
        self.outbox = outbox
        self.sink = sink
        self.topicPrefix = topicPrefix
        self.idle = idle
        self.logger = logger
    }

    /// The message for an event: `{"id","type","aggregate","aggregateId","at","payload"}`.
    public static func message(_ event: OutboxEvent) -> [UInt8] {
        Array(
            #"{"id":\#(event.id),"type":"\#(event.type)","aggregate":"\#(event.aggregate)","aggregateId":"\#(event.aggregateId)","at":"\#(event.createdAt)","payload":"#
                .utf8) + event.payload + Array("}".utf8)
    }

    /// Publishes one batch; returns how many events were sent.
    public func relayOnce(limit: Int = 200) async throws -> Int {
        let sink = self.sink
        let prefix = topicPrefix
        return try await outbox.relay(limit: limit) { events in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for event in events {
                    group.addTask {
                        try await sink.send(topic: prefix + event.aggregate, key: Array(event.aggregateId.utf8), value: Self.message(event))
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    public func run() async throws {
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let sent = try await relayOnce()
                backoff = .milliseconds(100)
                if sent == 0 { try? await Task.sleep(for: idle) }
            } catch {
                logger.warning(
                    "relay.failed",
                    metadata: [
                        "error": .string("\(error)"),
                        "retry_ms": .string("\(backoff.components.seconds * 1000 + backoff.components.attoseconds / 1_000_000_000_000_000)"),
                    ])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }
}
