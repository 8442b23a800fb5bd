/// An object in an ``ObjectStore``: its key and size in bytes.
public struct StoredObject: Sendable, Equatable {
    public var key: String
    public var size: Int64

    public init(key: String, size: Int64) {
        self.key = key
        self.size = size
    }
}

/// Why an ``ObjectStore`` call failed.
public enum ObjectStoreError: Error, Equatable, CustomStringConvertible {
    /// No object has this key.
    case notFound(String)
    /// The key is not one ``ObjectKey/isValid(_:)`` accepts.
    case invalidKey(String)
    /// The store cannot be reached or answered an error; the call may be retried.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notFound(let key): "no object \(key)"
        case .invalidKey(let key): "invalid object key \(key)"
        case .unavailable(let why): "object store unavailable: \(why)"
        }
    }
}

/// Object keys: 1–512 bytes of `A-Z a-z 0-9 / . _ -`, no leading `/`, no empty, `.` or `..` segment. The same keys
/// are file paths under a directory store and object names in an S3 bucket, so nothing can escape either.
public enum ObjectKey {
    public static func isValid(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard (1...512).contains(bytes.count) else { return false }
        let allowed = bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2F || byte == 0x2E
                || byte == 0x5F || byte == 0x2D
        }
        guard allowed else { return false }
        return key.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// The prefix every object of a recording lives under.
    public static func recording(_ id: String) -> String { "recordings/\(id)/" }
}

/// Where recordings' bytes live (a directory under the run dir by default, S3 when configured).
///
/// Every write is atomic: a reader sees no object or the whole object, never a part (a directory store writes a
/// temporary file and renames it; S3 completes a multipart upload or a single PUT).
public protocol ObjectStore: Sendable {
    /// Stores the file at `path` as `key` (large files go in parts), replacing any object of that key.
    func put(key: String, fileAt path: String, contentType: String) async throws
    /// Stores `bytes` as `key`, replacing any object of that key.
    func put(key: String, bytes: [UInt8], contentType: String) async throws
    /// Writes the object to the local file `path` (replaced atomically); ``ObjectStoreError/notFound(_:)`` if absent.
    func download(key: String, to path: String) async throws
    /// The object's bytes (for small objects); ``ObjectStoreError/notFound(_:)`` if absent.
    func get(key: String) async throws -> [UInt8]
    /// The objects whose keys start with `prefix`, in key order.
    func list(prefix: String) async throws -> [StoredObject]
    /// Deletes every object whose key starts with `prefix` (nothing to delete is not an error).
    func delete(prefix: String) async throws
    /// A URL a browser can GET `key` with for `seconds` from `now` (seconds since 1970), without other credentials.
    /// For a key ending in `/`, a directory store's link covers every object below it (HLS playlists and segments).
    func signedURL(key: String, expiresIn seconds: Int, now: Int64) throws -> String
}
