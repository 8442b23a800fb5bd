public import AsyncHTTPClient
import Crypto
import Foundation
public import MentorLinkCore
import NIOCore
import NIOHTTP1

/// An ``ObjectStore`` on an S3 bucket (AWS S3, or anything speaking its REST API: MinIO, moto …) over
/// AsyncHTTPClient, every request signed with ``SigV4Signer``.
///
/// Objects up to ``partSize`` go in one PUT; larger ones in a multipart upload of ``partSize`` parts, completed only
/// when every part is in (and aborted on failure), so no half-written object is ever visible. Transport failures and
/// S3 errors are ``ObjectStoreError/unavailable(_:)``, except `404 NoSuchKey`, which is
/// ``ObjectStoreError/notFound(_:)``.
public struct S3ObjectStore: ObjectStore {
    /// The single-PUT limit and the size of multipart parts: 8 MiB.
    public static let partSize = 8 << 20
    /// The largest object ``get(key:)`` reads into memory: 64 MiB (``download(key:to:)`` streams any size).
    public static let maxGetSize = 64 << 20

    /// The endpoint, without a trailing `/`.
    public let endpoint: String
    /// The bucket the objects live in.
    public let bucket: String
    let pathStyle: Bool
    let signer: SigV4Signer
    let client: HTTPClient
    let listPageSize: Int
    let requestTimeout: TimeAmount

    /// A store on `bucket` at `endpoint` (`https://s3.us-east-1.amazonaws.com`, `http://127.0.0.1:9000` …).
    /// `pathStyle` addresses the bucket as `<endpoint>/<bucket>/<key>`, otherwise as `<bucket>.<endpoint host>/<key>`;
    /// `listPageSize` is ListObjectsV2's `max-keys` (at most 1000). `requestTimeout` bounds each request until S3's
    /// answer begins (a part's upload included); AsyncHTTPClient retries connecting until then, so an endpoint that
    /// cannot be reached is ``ObjectStoreError/unavailable(_:)`` after it.
    public init(
        endpoint: String, bucket: String, region: String = "us-east-1", accessKey: String, secretKey: String,
        httpClient: HTTPClient = .shared, pathStyle: Bool = true, listPageSize: Int = 1000,
        requestTimeout: Duration = .seconds(30)
    ) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.bucket = bucket
        self.pathStyle = pathStyle
        self.signer = SigV4Signer(accessKey: accessKey, secretKey: secretKey, region: region)
        self.client = httpClient
        self.listPageSize = max(1, min(listPageSize, 1000))
        self.requestTimeout = TimeAmount(requestTimeout)
    }

    /// The store `S3_ENDPOINT`, `S3_BUCKET`, `S3_REGION` (default `us-east-1`), `S3_ACCESS_KEY_ID` and
    /// `S3_SECRET_ACCESS_KEY` in `environment` describe, or nil when `S3_ENDPOINT` is unset or empty (the directory
    /// store is used then). Throws ``ObjectStoreError/unavailable(_:)`` naming what is missing when `S3_ENDPOINT` is
    /// set but the bucket or a key is not.
    public static func fromEnvironment(_ environment: [String: String], httpClient: HTTPClient = .shared) throws -> S3ObjectStore? {
        guard let endpoint = environment["S3_ENDPOINT"], !endpoint.isEmpty else { return nil }
        let value = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let bucket = value("S3_BUCKET"), let accessKey = value("S3_ACCESS_KEY_ID"), let secretKey = value("S3_SECRET_ACCESS_KEY") else {
            let missing = ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"].filter { value($0) == nil }
            throw ObjectStoreError.unavailable("S3_ENDPOINT is set but \(missing.joined(separator: ", ")) is not")
        }
        return S3ObjectStore(
            endpoint: endpoint, bucket: bucket, region: value("S3_REGION") ?? "us-east-1", accessKey: accessKey, secretKey: secretKey,
            httpClient: httpClient)
    }

    /// Creates the bucket (for development and tests; production buckets are provisioned beforehand).
    public func createBucket() async throws {
        let body =
            signer.region == "us-east-1"
            ? []
            : Array("<CreateBucketConfiguration><LocationConstraint>\(signer.region)</LocationConstraint></CreateBucketConfiguration>".utf8)
        _ = try await send(.PUT, key: nil, body: body)
    }

    public func put(key: String, fileAt path: String, contentType: String) async throws {
        try Self.check(key)
        guard let size = LocalFile.size(path) else { throw ObjectStoreError.unavailable("no file \(path)") }
        if size <= Self.partSize {
            let bytes = try await offload { try LocalFile.read(path, count: Int(size)) }
            try await putObject(key: key, bytes: bytes, contentType: contentType)
        } else {
            try await uploadInParts(key: key, size: size, contentType: contentType) { offset, count in
                try await offload { try LocalFile.read(path, offset: offset, count: count) }
            }
        }
    }

    public func put(key: String, bytes: [UInt8], contentType: String) async throws {
        try Self.check(key)
        if bytes.count <= Self.partSize {
            try await putObject(key: key, bytes: bytes, contentType: contentType)
        } else {
            try await uploadInParts(key: key, size: Int64(bytes.count), contentType: contentType) { offset, count in
                Array(bytes[Int(offset)..<Int(offset) + count])
            }
        }
    }

    public func download(key: String, to path: String) async throws {
        try Self.check(key)
        let response = try await send(.GET, key: key)
        let file = try AtomicFile(replacing: path)
        do {
            for try await chunk in response.body { try chunk.withUnsafeReadableBytes { try file.append($0) } }
            try file.commit()
        } catch let error as ObjectStoreError {
            throw error
        } catch {
            throw ObjectStoreError.unavailable("S3 GET \(key): \(error)")
        }
    }

    public func get(key: String) async throws -> [UInt8] {
        try Self.check(key)
        return try await bytes(of: send(.GET, key: key), limit: Self.maxGetSize)
    }

    public func list(prefix: String) async throws -> [StoredObject] {
        var objects: [StoredObject] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("max-keys", "\(listPageSize)"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let page = try await xml(send(.GET, key: nil, query: query))
            for entry in page.children("Contents") {
                guard let key = entry.child("Key")?.text, let size = entry.child("Size").flatMap({ Int64($0.text) }) else {
                    throw ObjectStoreError.unavailable("S3 listed an object without a key or size")
                }
                objects.append(StoredObject(key: key, size: size))
            }
            token = page.child("IsTruncated")?.text == "true" ? page.child("NextContinuationToken")?.text : nil
        } while token != nil
        return objects
    }

    public func delete(prefix: String) async throws {
        let keys = try await list(prefix: prefix).map(\.key)
        for start in stride(from: 0, to: keys.count, by: 1000) {
            let body = S3XML.deleteObjects(keys: Array(keys[start..<min(start + 1000, keys.count)]))
            let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
            let answer = try await xml(
                send(.POST, key: nil, query: [("delete", "")], headers: [("Content-MD5", md5), ("Content-Type", "application/xml")], body: body))
            if let failure = answer.children("Error").first {
                throw ObjectStoreError.unavailable(
                    "S3 did not delete \(failure.child("Key")?.text ?? "?"): \(failure.child("Code")?.text ?? "") \(failure.child("Message")?.text ?? "")"
                )
            }
        }
    }

    /// A presigned GET of `key`, valid for `seconds` (1 s to SigV4's limit of 7 days). S3 has no link for a prefix:
    /// a key ending in `/` is ``ObjectStoreError/invalidKey(_:)``, so each playlist and segment needs its own link.
    public func signedURL(key: String, expiresIn seconds: Int, now: Int64) throws -> String {
        try Self.check(key)
        let (origin, path) = location(of: key)
        return signer.presignedURL(method: "GET", endpoint: origin, path: path, expiresIn: max(1, min(seconds, 604_800)), at: now)
    }

    static func check(_ key: String) throws {
        guard ObjectKey.isValid(key) else { throw ObjectStoreError.invalidKey(key) }
    }

    func putObject(key: String, bytes: [UInt8], contentType: String) async throws {
        _ = try await send(.PUT, key: key, headers: [("Content-Type", contentType)], body: bytes)
    }
}
