/// Records that a consumer is done with a record: after a restart the consumer group reads on after it.
public protocol EventCommitter: Sendable {
    /// Commits `record`'s offset (the next one to read is the one after it).
    func commit(_ record: EventRecord) async throws
}

/// Where a consumer reads records from (a consumer-group member of the broker, in production): the records of its
/// topics in the order they arrive, each committed explicitly once handled (at least once: consumers are idempotent).
public protocol EventSource: EventCommitter {
    /// The records' sequence; it ends when the source is closed.
    associatedtype Records: AsyncSequence<EventRecord, Never>, Sendable

    /// The records, in delivery order.
    var records: Records { get }

    /// Stops reading and leaves the group; ``records`` ends.
    func close()
}
