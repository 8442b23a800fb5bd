import Foundation
import HummingbirdWebSocket
import JSONRPC
import Synchronization

/// One WebSocket's outbound side as an ``RPCSession``: replies and pushed notifications go through one queue,
/// bounded in frames and in bytes, written in order by a single writer task. A queue that fills (a client not
/// reading) closes the socket with 1008 instead of growing without bound. A frame larger than the byte bound is
/// accepted only into an empty queue (the size of one reply is bounded by the RPC limits, not here).
final class WebSocketSession: RPCSession {
    let id: String
    let limit: Int
    let byteLimit: Int
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private struct State {
        var queued = 0
        var queuedBytes = 0
        var closed = false
        var overflowed = false
        var onClose: [@Sendable () -> Void] = []
    }
    private let state = Mutex(State())

    init(id: String, limit: Int, byteLimit: Int = 4 * 1024 * 1024) {
        self.id = id
        self.limit = limit
        self.byteLimit = byteLimit
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    @discardableResult func push(_ text: String) -> Bool {
        let size = text.utf8.count
        let accepted = state.withLock { state -> Bool in
            guard !state.closed, !state.overflowed else { return false }
            guard state.queued < limit, state.queued == 0 || size <= byteLimit - state.queuedBytes else {
                state.overflowed = true
                return false
            }
            state.queued += 1
            state.queuedBytes += size
            return true
        }
        if accepted { continuation.yield(text) } else if overflowed { continuation.finish() }
        return accepted
    }

    var overflowed: Bool { state.withLock { $0.overflowed } }

    func onClose(_ body: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.closed { return true }
            state.onClose.append(body)
            return false
        }
        if runNow { body() }
    }

    /// Writes queued frames until the session ends; returns whether it ended because the client fell behind.
    func writeAll(to outbound: WebSocketOutboundWriter) async throws -> Bool {
        for await text in stream {
            let size = text.utf8.count
            let overflowed = state.withLock { state -> Bool in
                state.queued -= 1
                state.queuedBytes -= size
                return state.overflowed
            }
            // A client that fell behind gets its close now, not after the backlog it is not reading.
            if overflowed { break }
            try await outbound.write(.text(text))
        }
        return overflowed
    }

    /// Ends the session: no more pushes; the close handlers run once.
    func close() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.closed else { return [] }
            state.closed = true
            defer { state.onClose = [] }
            return state.onClose
        }
        continuation.finish()
        for handler in handlers { handler() }
    }
}
