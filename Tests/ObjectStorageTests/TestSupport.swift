import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What the tests need around a store: a scratch directory, free ports, plain HTTP GETs and child servers.
enum TestSupport {
    /// A new empty directory under the system's temporary directory.
    static func scratchDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A loopback TCP port nothing listens on right now (the kernel's pick).
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socketFD, pointer, length) == 0 && getsockname(socketFD, pointer, &length) == 0
            }
        }
        guard bound else { throw TestFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A plain GET, as a browser without credentials would send it: status, body, Content-Type and ETag.
    static func get(_ url: String) async throws -> (status: Int, body: [UInt8], contentType: String?, etag: String?) {
        guard let target = URL(string: url) else { throw TestFailure("bad URL \(url)") }
        let (data, response) = try await URLSession.shared.data(from: target)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, Array(data), http?.value(forHTTPHeaderField: "Content-Type"), http?.value(forHTTPHeaderField: "ETag"))
    }

    /// Polls `url` until anything answers over HTTP.
    static func waitUntilServing(_ url: String, what: String) async throws {
        for _ in 0..<150 {
            if (try? await get(url)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(what) did not answer at \(url)")
    }

    /// The full path of `program` on PATH, if any.
    static func executable(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `count` bytes of a fixed pseudo-random sequence (xorshift64), so parts differ from each other.
    static func pseudoRandomBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        let words = (0..<(count + 7) / 8).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        return Array(words.withUnsafeBytes { Array($0) }.prefix(count))
    }

    /// The root of this package (for the nginx template).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

/// A child server process the tests start and stop.
final class ChildServer {
    let process: Process

    init(executable: String, arguments: [String], log: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = FileHandle(forWritingAtPath: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// Kills the server. SIGKILL, not SIGTERM: a child of the test process inherits its blocked signal mask, and a
    /// single-process nginx never unblocks SIGTERM, so it would wait forever (holding a cooperative thread).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
