/// Where the relay publishes events (the broker, in production): keyed records on topics, acknowledged before
/// ``send(topic:key:value:)`` returns.
public protocol EventSink: Sendable {
    /// Publishes one record and waits until it is durably accepted; records with the same key keep their order.
    func send(topic: String, key: [UInt8], value: [UInt8]) async throws
}
