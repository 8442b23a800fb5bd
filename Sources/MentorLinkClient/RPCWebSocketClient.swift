import Foundation

/// JSON-RPC over a WebSocket with server pushes: calls wait for the reply with their id while `subscription`
/// notifications that arrive meanwhile are queued for ``nextNotification()``.
public final class RPCWebSocketClient {
    /// The socket.
    public let socket: WebSocketConnection
    private var queued: [[String: Any]] = []
    private var nextId = 0

    /// Connects and upgrades.
    public init(_ endpoint: SocketConnection.Endpoint, headers: [String: String] = [:], timeout: Double = 10) throws {
        socket = try WebSocketConnection(endpoint, headers: headers, timeout: timeout)
    }

    /// Calls a method; returns the whole response object (`result` or `error`).
    public func call(_ method: String, _ params: String = "{}") throws -> [String: Any] {
        nextId += 1
        let id = nextId
        try socket.send(text: #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        while true {
            let message = try read()
            if (message["id"] as? NSNumber)?.intValue == id { return message }
            if message["method"] != nil { queued.append(message) }
        }
    }

    /// The next pushed notification's `params` (waits up to the socket's timeout).
    public func nextNotification() throws -> [String: Any] {
        if !queued.isEmpty { return queued.removeFirst()["params"] as? [String: Any] ?? [:] }
        while true {
            let message = try read()
            if message["method"] != nil { return message["params"] as? [String: Any] ?? [:] }
        }
    }

    func read() throws -> [String: Any] {
        switch try socket.receive() {
        case .text(let text):
            guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw ClientError.protocolError("not a JSON object")
            }
            return object
        case .close(let code): throw ClientError.protocolError("closed with \(code.map(String.init) ?? "no code")")
        case .binary: throw ClientError.protocolError("unexpected binary frame")
        }
    }
}
