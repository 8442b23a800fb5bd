import Foundation
public import KafkaAdapter
public import Logging

/// A consumer of the relay's messages: handles one message's bytes; the shared loop commits after each.
public protocol EventHandler: Sendable {
    /// The consumer's name (in logs and `consumer_events`).
    static var name: String { get }
    var logger: Logger { get }
    /// Handles one message; returns how much it did.
    @discardableResult
    func handle(_ value: [UInt8]) async throws -> Int
}

extension EventHandler {
    /// Reads `consumer` until it ends, committing each message after it was handled. A failure is logged and not
    /// committed, so the message comes again after a restart (handlers are idempotent).
    public func run(_ consumer: KafkaConsumer) async {
        for await message in consumer.messages {
            do {
                try await handle(message.value)
                try consumer.commit(message)
            } catch {
                logger.error("\(Self.name).failed", metadata: ["offset": .string("\(message.offset)"), "error": .string("\(error)")])
            }
        }
    }
}

/// A relayed event: `{"id","type","aggregate","aggregateId","at","payload"}`.
struct RelayedEvent {
    var id: Int64
    var type: String
    var payload: [String: Any]

    init?(_ value: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any], let id = (object["id"] as? NSNumber)?.int64Value,
            let type = object["type"] as? String
        else { return nil }
        self.id = id
        self.type = type
        self.payload = object["payload"] as? [String: Any] ?? [:]
    }
}
