public import Foundation

/// Where tracks' bytes gather while they upload: one file per track under a directory every worker of the host
/// shares (the run dir); the media consumer moves a complete track into the object store. A PATCH writes at its
/// offset while its store transaction holds the track's row lock, so two requests never write one file at once.
public struct UploadStaging: Sendable {
    /// The directory.
    public let root: String

    /// Staging under `root` (created if missing, mode 0700).
    public init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// The file of track `id`.
    public func path(_ id: UUID) -> String { "\(root)/\(id.uuidString.lowercased()).part" }

    /// Writes `bytes` at `offset` of track `id`'s file (created if missing), and syncs it to disk. Bytes past the new
    /// end of a file that an earlier, failed request left longer are cut off, so the file is exactly `offset + count`.
    /// A missing file is created only for the first bytes: bytes past 0 of a file that is gone (swept, or on another
    /// host's staging) throw rather than leave zeros where the start should be.
    public func write(_ id: UUID, offset: Int64, bytes: [UInt8]) throws {
        let path = path(id)
        if !FileManager.default.fileExists(atPath: path) {
            guard offset == 0 else { throw CocoaError(.fileNoSuchFile) }
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
        let handle = try FileHandle(forWritingAtPath: path).orThrow()
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: bytes)
        try handle.truncate(atOffset: UInt64(offset) + UInt64(bytes.count))
        try handle.synchronize()
    }

    /// Removes track `id`'s file (nothing to remove is fine).
    public func remove(_ id: UUID) {
        try? FileManager.default.removeItem(atPath: path(id))
    }
}

extension Optional where Wrapped == FileHandle {
    fileprivate func orThrow() throws -> FileHandle {
        guard let self else { throw CocoaError(.fileNoSuchFile) }
        return self
    }
}
