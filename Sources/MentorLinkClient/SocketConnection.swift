import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking stream socket (Unix or TCP) with a receive timeout. Used by the CLI, the load client and tests,
/// which want to speak HTTP and WebSocket byte for byte.
public final class SocketConnection {
    /// Where to connect.
    public enum Endpoint: Sendable, Hashable {
        case unix(String)
        case tcp(host: String, port: UInt16)
    }

    let fd: Int32
    var buffer: [UInt8] = []

    /// Connects; `timeout` bounds every later read.
    public init(_ endpoint: Endpoint, timeout: Double = 10) throws {
        switch endpoint {
        case .unix(let path):
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ClientError.io("socket") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw ClientError.io("path too long") }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else { throw ClientError.io("connect \(path): errno \(errno)") }
        case .tcp(let host, let port):
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ClientError.io("socket") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else { throw ClientError.io("connect \(host):\(port): errno \(errno)") }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The only place the descriptor is closed: a class whose stored properties are all set runs `deinit` even when
    /// `init` throws afterwards, so closing on the error paths too would close a number another socket now owns.
    deinit { if fd >= 0 { close(fd) } }

    /// Ends the connection in both directions (the descriptor itself is closed in `deinit`), as a dropped client would.
    public func shutdown() { if fd >= 0 { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) } }

    /// Writes all bytes.
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw ClientError.io("write: errno \(errno)") }
            offset += written
        }
    }

    /// Writes a string as UTF-8.
    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Reads more bytes into the buffer; throws on timeout or when the peer closed.
    func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { throw ClientError.closed }
        if count < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? ClientError.timeout : ClientError.io("read: errno \(errno)") }
        buffer.append(contentsOf: chunk[0..<count])
    }

    /// Reads exactly `count` bytes.
    func read(count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Reads up to and including CRLF; returns the line without it.
    public func readLine() throws -> String {
        while true {
            if let index = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[0..<index])
                buffer.removeFirst(index + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            try fill()
        }
    }

    /// Whether the peer has closed the connection (waits up to the read timeout).
    public func isClosedByPeer() -> Bool {
        do {
            try fill()
            return false
        } catch ClientError.closed { return true } catch { return false }
    }
}

/// Errors of the client.
public enum ClientError: Error, Equatable, CustomStringConvertible {
    case io(String)
    case timeout
    case closed
    case protocolError(String)

    public var description: String {
        switch self {
        case .io(let message): "i/o error: \(message)"
        case .timeout: "timed out"
        case .closed: "connection closed by peer"
        case .protocolError(let message): "protocol error: \(message)"
        }
    }
}
