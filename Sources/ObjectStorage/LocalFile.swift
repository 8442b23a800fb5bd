import Dispatch
import MentorLinkCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX file helpers for the stores; failures are ``ObjectStoreError/unavailable(_:)`` naming the path.
enum LocalFile {
    /// The size of the regular file at `path`, or nil if there is none (absent, a directory, unreadable).
    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Up to `count` bytes of the file at `path` from `offset` (fewer only at the end of the file).
    static func read(_ path: String, offset: Int64 = 0, count: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open \(path)") }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { pread(descriptor, $0 + filled, count - filled, off_t(offset) + off_t(filled)) } ?? 0
            }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw failure("cannot read \(path)") }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(count - filled)
        return bytes
    }

    /// The whole regular file at `path`, or nil if there is none.
    static func readAll(_ path: String) throws -> [UInt8]? {
        guard let size = size(path) else { return nil }
        return try read(path, count: Int(size))
    }

    /// Copies the file at `source` into `file`, 1 MiB at a time.
    static func copy(_ source: String, into file: AtomicFile) throws {
        guard let size = size(source) else { throw ObjectStoreError.unavailable("no file \(source)") }
        var offset: Int64 = 0
        while offset < size {
            let chunk = try read(source, offset: offset, count: Int(min(1 << 20, size - offset)))
            guard !chunk.isEmpty else { break }
            try file.append(chunk)
            offset += Int64(chunk.count)
        }
    }

    /// Removes the directory at `path` if it is empty (a non-empty or absent one is left alone).
    static func removeIfEmpty(directory path: String) {
        _ = rmdir(path)
    }

    /// Removes the file at `path`; an absent file is not an error.
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("cannot remove \(path)") }
    }

    /// An ``ObjectStoreError/unavailable(_:)`` saying what failed and `errno`'s text.
    static func failure(_ what: String) -> ObjectStoreError {
        .unavailable("\(what): \(String(cString: strerror(errno)))")
    }
}

/// Runs blocking file I/O on a Dispatch queue, so it does not hold a thread of Swift's cooperative pool.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
