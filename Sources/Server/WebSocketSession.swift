import Foundation
import HummingbirdWebSocket
import JSONRPC
import Synchronization

/// One WebSocket's outbound side as an ``RPCSession``: replies and pushed notifications go through one bounded
/// queue, written in order by a single writer task. A queue that fills (a client not reading) closes the socket
/// with 1008 instead of growing without bound.
final class WebSocketSession: RPCSession {
    let id: String
    let limit: Int
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let state = Mutex<(queued: Int, closed: Bool, overflowed: Bool, onClose: [@Sendable () -> Void])>((0, false, false, []))

    init(id: String, limit: Int) {
        self.id = id
        self.limit = limit
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    @discardableResult
    func push(_ text: String) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            guard state.queued < limit else {
                state.overflowed = true
                return false
            }
            state.queued += 1
            return true
        }
        if accepted {
            continuation.yield(text)
        } else if overflowed {
            continuation.finish()
        }
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
            state.withLock { $0.queued -= 1 }
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
