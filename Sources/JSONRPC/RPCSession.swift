/// A long-lived connection (a WebSocket) that the server can push JSON-RPC notifications to.
public protocol RPCSession: AnyObject, Sendable {
    /// Unique per worker.
    var id: String { get }
    /// Queues a text frame for the client. Returns `false` when the session is closed or its queue is full; a full
    /// queue closes the session (a slow consumer is disconnected rather than allowed to grow memory).
    @discardableResult func push(_ text: String) -> Bool
    /// Runs `body` once when the session ends (at once if it already has).
    func onClose(_ body: @escaping @Sendable () -> Void)
}
