import Foundation
public import Logging

/// A consumer of the relay's messages: handles one message's bytes. ``EventConsumer`` runs it over Kafka (retries,
/// dead letters, commits).
public protocol EventHandler: Sendable {
    /// The consumer's name (in logs and `consumer_events`).
    static var name: String { get }
    var logger: Logger { get }
    /// Handles one message; returns how much it did.
    @discardableResult
    func handle(_ value: [UInt8]) async throws -> Int
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
