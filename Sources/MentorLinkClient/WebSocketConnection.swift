/// A WebSocket client (RFC 6455) over a ``SocketConnection``: masked text frames out, frames in.
public final class WebSocketConnection {
    /// A frame received from the server.
    public enum Frame: Equatable, Sendable {
        case text(String)
        case binary([UInt8])
        /// A close frame with its status code.
        case close(code: UInt16?)
    }

    /// The underlying socket.
    public let socket: SocketConnection
    /// The handshake response.
    public let handshake: HTTPReply

    /// Connects and performs the upgrade on `path`; throws when the server does not answer 101.
    public init(_ endpoint: SocketConnection.Endpoint, path: String = "/rpc/ws", headers: [String: String] = [:], timeout: Double = 10) throws {
        socket = try SocketConnection(endpoint, timeout: timeout)
        var all = headers
        all["Upgrade"] = "websocket"
        all["Connection"] = "Upgrade"
        all["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ=="
        all["Sec-WebSocket-Version"] = "13"
        try socket.write(HTTPConnection.encode("GET", path, headers: all))
        let http = HTTPConnectionReader(socket: socket)
        handshake = try http.readHead()
        guard handshake.status == 101 else { throw ClientError.protocolError("upgrade refused with \(handshake.status)") }
    }

    /// Sends a text frame.
    public func send(text: String) throws { try send(opcode: 0x1, payload: Array(text.utf8)) }

    /// Sends a frame with any opcode.
    public func send(opcode: UInt8, payload: [UInt8], fin: Bool = true) throws {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        switch payload.count {
        case 0..<126: frame.append(0x80 | UInt8(payload.count))
        case 126...0xFFFF: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try socket.write(frame)
    }

    /// Receives the next data or close frame, answering pings.
    public func receive() throws -> Frame {
        while true {
            let head = try socket.read(count: 2)
            let opcode = head[0] & 0x0F
            var length = Int(head[1] & 0x7F)
            if length == 126 {
                let extended = try socket.read(count: 2)
                length = Int(extended[0]) << 8 | Int(extended[1])
            } else if length == 127 {
                length = try socket.read(count: 8).reduce(0) { $0 << 8 | Int($1) }
            }
            let payload = try socket.read(count: length)
            switch opcode {
            case 0x1: return .text(String(decoding: payload, as: UTF8.self))
            case 0x2: return .binary(payload)
            case 0x8: return .close(code: payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil)
            case 0x9: try send(opcode: 0xA, payload: payload)
            default: continue
            }
        }
    }

    /// Sends a text frame and waits for the next text frame.
    public func call(_ text: String) throws -> String {
        try send(text: text)
        guard case .text(let reply) = try receive() else { throw ClientError.protocolError("expected a text frame") }
        return reply
    }
}

/// Reads a response head (status and headers) with no body, as for `101 Switching Protocols`.
struct HTTPConnectionReader {
    let socket: SocketConnection

    func readHead() throws -> HTTPReply {
        let statusLine = try socket.readLine()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw ClientError.protocolError("status line \(statusLine)") }
        var headers: [String: String] = [:]
        while true {
            let line = try socket.readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            // Repeated headers (Set-Cookie) are kept, one per line.
            headers[name] = headers[name].map { $0 + "\n" + value } ?? value
        }
        return HTTPReply(status: status, headers: headers, body: [])
    }
}
