import MentorLinkCore
import Synchronization

/// An ``EventSource`` over a list of values (offsets 0, 1, …), recording what is committed and whether it was closed.
/// With `finishes`, its records end after the last value (as a source that was closed would); else they wait.
final class InMemoryEventSource: EventSource {
    let records: AsyncStream<EventRecord>
    private let continuation: AsyncStream<EventRecord>.Continuation
    private let state = Mutex<(committed: [Int64], closed: Bool)>(([], false))

    init(_ values: [[UInt8]], topic: String = "mentorlink.booking", finishes: Bool = true) {
        (records, continuation) = AsyncStream.makeStream(of: EventRecord.self)
        for (offset, value) in values.enumerated() {
            continuation.yield(EventRecord(topic: topic, partition: 0, offset: Int64(offset), key: [], value: value))
        }
        if finishes { continuation.finish() }
    }

    func commit(_ record: EventRecord) async throws { state.withLock { $0.committed.append(record.offset) } }

    func close() {
        state.withLock { $0.closed = true }
        continuation.finish()
    }

    /// The committed offsets, in order.
    var committed: [Int64] { state.withLock { $0.committed } }
    var closed: Bool { state.withLock { $0.closed } }
}
