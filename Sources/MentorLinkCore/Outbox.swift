import Foundation

/// A state change waiting in the outbox to be published.
public struct OutboxEvent: Sendable, Hashable {
    public var id: Int64
    public var aggregate: String
    public var aggregateId: String
    public var type: String
    /// The event's payload as JSON bytes.
    public var payload: [UInt8]
    public var createdAt: Instant

    public init(id: Int64, aggregate: String, aggregateId: String, type: String, payload: [UInt8], createdAt: Instant) {
        self.id = id
        self.aggregate = aggregate
        self.aggregateId = aggregateId
        self.type = type
        self.payload = payload
        self.createdAt = createdAt
    }
}

/// The transactional outbox, read by relays.
public protocol Outbox: Sendable {
    /// Claims up to `limit` unsent events (rows another relay holds are skipped), hands them to `publish`, and
    /// marks them sent only when it returns; if it throws (or the process dies) they stay unsent and are published
    /// again later. Returns how many were sent.
    func relay(limit: Int, publish: @escaping @Sendable ([OutboxEvent]) async throws -> Void) async throws -> Int
    /// Events not yet sent.
    func pending() async throws -> Int
}
