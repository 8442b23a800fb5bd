import Foundation
public import MentorLinkCore

/// An ``ObjectStore`` on a local directory: the object `key` is the file `<root>/<key>`.
///
/// Writes go to a temporary file beside the destination, are fsynced and renamed over it (see ``AtomicFile``), so a
/// reader sees no object or a whole one. File I/O runs on a Dispatch queue, not on Swift's cooperative pool.
///
/// ``signedURL(key:expiresIn:now:)`` gives links nginx serves with its `secure_link` module
/// (`nginx/media-location.conf.template`, which serves `<run dir>/objects`, so `root` is that directory there):
/// `<urlPrefix>/<token>/<expires>/<key>`, token = base64url(MD5("<expires>/recordings/<id> <secret>")) without
/// padding. A token grants one recording's objects (the key's first two segments) until it expires, so a link to a
/// prefix `recordings/<id>/…/` covers every file below it (HLS). Only keys under `recordings/<id>/` get links, and
/// `secret` must be the nginx side's `@MEDIA_SECRET@` (keep it to letters and digits: nginx reads `$` in it as a
/// variable).
public struct DirectoryObjectStore: ObjectStore {
    /// The directory the objects live under.
    public let root: String
    let link: SecureLink

    /// A store under `root` (created when first written) whose links start with `urlPrefix` and are signed with `secret`.
    public init(root: String, urlPrefix: String = "/media", secret: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.link = SecureLink(urlPrefix: urlPrefix, secret: secret)
    }

    public func put(key: String, fileAt path: String, contentType: String) async throws {
        let destination = try file(for: key)
        try await offload {
            try Self.makeParent(of: destination)
            try AtomicFile.replace(destination) { try LocalFile.copy(path, into: $0) }
        }
    }

    public func put(key: String, bytes: [UInt8], contentType: String) async throws {
        let destination = try file(for: key)
        try await offload {
            try Self.makeParent(of: destination)
            try AtomicFile.replace(destination) { try $0.append(bytes) }
        }
    }

    public func download(key: String, to path: String) async throws {
        let source = try file(for: key)
        try await offload {
            guard LocalFile.size(source) != nil else { throw ObjectStoreError.notFound(key) }
            try AtomicFile.replace(path) { try LocalFile.copy(source, into: $0) }
        }
    }

    public func get(key: String) async throws -> [UInt8] {
        let source = try file(for: key)
        return try await offload {
            guard let bytes = try LocalFile.readAll(source) else { throw ObjectStoreError.notFound(key) }
            return bytes
        }
    }

    public func list(prefix: String) async throws -> [StoredObject] {
        let directory = try directoryPart(of: prefix)
        let root = root
        return try await offload { Self.objects(under: directory, root: root).filter { $0.key.hasPrefix(prefix) } }
    }

    public func delete(prefix: String) async throws {
        let directory = try directoryPart(of: prefix)
        let root = root
        try await offload {
            let keys = Self.objects(under: directory, root: root).map(\.key).filter { $0.hasPrefix(prefix) }
            for key in keys { try LocalFile.remove("\(root)/\(key)") }
            // Directories left empty go too, deepest first; rmdir leaves any that still hold something.
            let parents = Set(
                keys.flatMap { key in
                    let segments = key.split(separator: "/").dropLast()
                    return segments.indices.map { segments[...$0].joined(separator: "/") }
                })
            for parent in parents.sorted(by: { $0.count > $1.count }) { LocalFile.removeIfEmpty(directory: "\(root)/\(parent)") }
        }
    }

    public func signedURL(key: String, expiresIn seconds: Int, now: Int64) throws -> String {
        try link.url(key: key, expires: now + Int64(seconds))
    }

    /// The file of a valid key.
    func file(for key: String) throws -> String {
        guard ObjectKey.isValid(key) else { throw ObjectStoreError.invalidKey(key) }
        return "\(root)/\(key)"
    }

    /// The directory a prefix's objects are in: everything before its last `/` ("" for the root).
    func directoryPart(of prefix: String) throws -> String {
        guard let slash = prefix.lastIndex(of: "/") else { return "" }
        let directory = String(prefix[..<slash])
        guard ObjectKey.isValid(directory) else { throw ObjectStoreError.invalidKey(prefix) }
        return directory
    }

    /// Every object below `directory` (a key or ""), in key (byte) order; temporary files are not keys, so skipped.
    static func objects(under directory: String, root: String) -> [StoredObject] {
        let base = directory.isEmpty ? root : "\(root)/\(directory)"
        guard let entries = FileManager.default.enumerator(atPath: base) else { return [] }
        var objects: [StoredObject] = []
        while let relative = entries.nextObject() as? String {
            let key = directory.isEmpty ? relative : "\(directory)/\(relative)"
            guard ObjectKey.isValid(key), let size = LocalFile.size("\(root)/\(key)") else { continue }
            objects.append(StoredObject(key: key, size: size))
        }
        return objects.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    static func makeParent(of file: String) throws {
        let directory = (file as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ObjectStoreError.unavailable("cannot create \(directory): \(error)")
        }
    }
}
