public import Foundation
public import JSONRPC
import Synchronization

/// A WebSocket session with no socket: it records what the server pushes and closes when the test says.
///
/// Hand it to ``JSONRPC/RPCDispatcher/call(_:_:as:clientAddress:transport:credentials:session:logger:)`` to call
/// subscription methods in-process.
public final class TestSession: RPCSession {
    public let id: String
    private let state = Mutex<(pushed: [String], closed: Bool, onClose: [@Sendable () -> Void])>(([], false, []))

    /// An open session.
    public init(id: String = UUID().uuidString.lowercased()) { self.id = id }

    @discardableResult public func push(_ text: String) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.pushed.append(text)
            return true
        }
    }

    public func onClose(_ body: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.closed { return true }
            state.onClose.append(body)
            return false
        }
        if runNow { body() }
    }

    /// Closes the session (the client went away): the close handlers run once, pushes are refused from now on.
    public func close() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.closed else { return [] }
            state.closed = true
            defer { state.onClose = [] }
            return state.onClose
        }
        handlers.forEach { $0() }
    }

    /// Whether the session was closed.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Every frame pushed so far, in order.
    public var pushed: [String] { state.withLock { $0.pushed } }

    /// The `params` of every pushed notification of `method` (`subscription`, `subscription.ended`), in order.
    public func notifications(_ method: String = "subscription") -> [[String: Any]] {
        pushed.compactMap { text in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], object["method"] as? String == method
            else { return nil }
            return object["params"] as? [String: Any]
        }
    }

    /// The pushed subscription events (`params.event`) whose `type` is `type`, in order.
    public func events(type: String) -> [[String: Any]] {
        notifications().compactMap { $0["event"] as? [String: Any] }.filter { $0["type"] as? String == type }
    }
}
