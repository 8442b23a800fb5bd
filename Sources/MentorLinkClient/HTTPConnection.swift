/// A response read off the wire.
public struct HTTPReply: Sendable {
    public var status: Int
    /// Header names in lower case; a repeated header's values are joined by newlines.
    public var headers: [String: String]
    public var body: [UInt8]

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// HTTP/1.1 keep-alive requests over a ``SocketConnection``.
public final class HTTPConnection {
    /// The underlying socket.
    public let socket: SocketConnection

    /// Connects to an endpoint.
    public init(_ endpoint: SocketConnection.Endpoint, timeout: Double = 10) throws { socket = try SocketConnection(endpoint, timeout: timeout) }

    /// Sends one request and reads its response.
    public func request(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []) throws -> HTTPReply {
        try socket.write(Self.encode(method, path, headers: headers, body: body))
        return try readResponse()
    }

    /// The bytes of a request.
    public static func encode(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    /// Reads one response (Content-Length or chunked).
    public func readResponse() throws -> HTTPReply {
        let head = try HTTPConnectionReader(socket: socket).readHead()
        let headers = head.headers
        var body: [UInt8] = []
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                let sizeLine = try socket.readLine()
                guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw ClientError.protocolError("chunk size") }
                if size == 0 {
                    _ = try socket.readLine()
                    break
                }
                body += try socket.read(count: size)
                _ = try socket.readLine()
            }
        } else if let length = headers["content-length"].flatMap(Int.init) {
            body = try socket.read(count: length)
        }
        return HTTPReply(status: head.status, headers: headers, body: body)
    }
}

extension Substring { func trimmingSpaces() -> String { String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) } }
