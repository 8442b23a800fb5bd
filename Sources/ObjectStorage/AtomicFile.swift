import Foundation
import MentorLinkCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written beside its destination and renamed over it when complete, so a reader sees the old file or the
/// whole new one, never a part. ``commit()`` fsyncs the file, renames it and fsyncs the directory; a file neither
/// committed nor discarded is removed when released.
///
/// The temporary name is `.<name>.~<uuid>` in the destination's directory (so the rename stays on one filesystem);
/// `~` is in no ``ObjectKey``, so a directory store's listing never shows one.
final class AtomicFile {
    private let destination: String
    private let temporary: String
    private var descriptor: Int32

    init(replacing destination: String) throws {
        let directory = (destination as NSString).deletingLastPathComponent
        let name = (destination as NSString).lastPathComponent
        self.destination = destination
        temporary = "\(directory.isEmpty ? "." : directory)/.\(name).~\(UUID().uuidString)"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LocalFile.failure("cannot create \(temporary)") }
    }

    deinit { discard() }

    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let count = write(descriptor, base + written, bytes.count - written)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw LocalFile.failure("cannot write \(temporary)") }
            written += count
        }
    }

    /// Makes the written bytes the destination's content, durably.
    func commit() throws {
        guard fsync(descriptor) == 0 else { throw LocalFile.failure("cannot sync \(temporary)") }
        close(descriptor)
        descriptor = -1
        guard rename(temporary, destination) == 0 else {
            let error = LocalFile.failure("cannot rename \(temporary) to \(destination)")
            unlink(temporary)
            throw error
        }
        let directory = open((destination as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Removes the temporary file (after a failure); the destination is untouched.
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }

    /// Writes `destination` through `fill`, committing if it returns and discarding if it throws.
    static func replace(_ destination: String, with fill: (AtomicFile) throws -> Void) throws {
        let file = try AtomicFile(replacing: destination)
        try fill(file)
        try file.commit()
    }
}
