import Foundation

/// Socket-file housekeeping before a server binds (workers, the supervisor).
public enum UnixSocket {
    /// Removes a stale socket file at `path`; refuses when a live process still answers on it.
    public static func prepare(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        if isLive(path: path) { throw WorkerError.socketInUse(path) }
        unlink(path)
    }

    /// Sets mode 0660 and, when given, the group that may connect (nginx's user).
    public static func restrict(path: String, group: String?) {
        if let group, let entry = getgrnam(group) { chown(path, uid_t.max, entry.pointee.gr_gid) }
        chmod(path, 0o660)
    }

    /// Whether something accepts connections on the socket.
    public static func isLive(path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }
}

/// Errors of the worker transport.
public enum WorkerError: Error, CustomStringConvertible {
    /// Another live process serves this socket.
    case socketInUse(String)

    public var description: String {
        switch self {
        case .socketInUse(let path): "socket \(path) is in use by a live process"
        }
    }
}
