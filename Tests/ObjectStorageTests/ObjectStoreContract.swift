import Crypto
import Foundation
import MentorLinkCore
import Testing

/// The behaviour every ``ObjectStore`` shows; the directory and S3 tests run it on their store.
///
/// Works under a fresh `recordings/c-<random>/` prefix so runs against a shared bucket do not meet. `fetch` GETs a
/// signed URL as a browser would (nil: no server to fetch through, the link is not fetched).
func checkObjectStoreContract(
    _ store: any ObjectStore, scratch: String, fetch: ((String) async throws -> (status: Int, body: [UInt8]))?
) async throws {
    let base = "recordings/c-\(UUID().uuidString.prefix(8).lowercased())/"

    // Bytes in, bytes out; a second put replaces the first.
    try await store.put(key: base + "a/one.txt", bytes: Array("hello".utf8), contentType: "text/plain")
    #expect(try await store.get(key: base + "a/one.txt") == Array("hello".utf8))
    try await store.put(key: base + "a/one.txt", bytes: Array("bye".utf8), contentType: "text/plain")
    #expect(try await store.get(key: base + "a/one.txt") == Array("bye".utf8))
    try await store.put(key: base + "empty", bytes: [], contentType: "application/octet-stream")
    #expect(try await store.get(key: base + "empty") == [])

    // Absent objects and bad keys.
    await #expect(throws: ObjectStoreError.notFound(base + "missing")) { try await store.get(key: base + "missing") }
    await #expect(throws: ObjectStoreError.notFound(base + "missing")) {
        try await store.download(key: base + "missing", to: scratch + "/missing.out")
    }
    #expect(!FileManager.default.fileExists(atPath: scratch + "/missing.out"))
    for bad in ["../escape", base + "a//b", "/abs", base + "a/"] {
        await #expect(throws: ObjectStoreError.invalidKey(bad)) { try await store.put(key: bad, bytes: [1], contentType: "x") }
        await #expect(throws: ObjectStoreError.invalidKey(bad)) { try await store.get(key: bad) }
    }

    // A file in one PUT, and one of 20 MiB (multipart on S3), both downloaded over an existing file.
    let small = TestSupport.pseudoRandomBytes(100_000, seed: 7)
    try Data(small).write(to: URL(fileURLWithPath: scratch + "/small.bin"))
    try await store.put(key: base + "b/small.bin", fileAt: scratch + "/small.bin", contentType: "application/octet-stream")
    #expect(try await store.get(key: base + "b/small.bin") == small)
    let big = TestSupport.pseudoRandomBytes(20 << 20)
    try Data(big).write(to: URL(fileURLWithPath: scratch + "/big.bin"))
    try await store.put(key: base + "b/big.bin", fileAt: scratch + "/big.bin", contentType: "video/mp4")
    try Data("stale".utf8).write(to: URL(fileURLWithPath: scratch + "/big.out"))
    try await store.download(key: base + "b/big.bin", to: scratch + "/big.out")
    let downloaded = try Data(contentsOf: URL(fileURLWithPath: scratch + "/big.out"))
    #expect(downloaded.count == big.count)
    #expect(SHA256.hash(data: downloaded) == SHA256.hash(data: big))
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).sorted() == ["big.bin", "big.out", "small.bin"])

    // Listing: key (byte) order, sizes, a prefix that is not a directory ("b" takes "b-x" and "b/…").
    try await store.put(key: base + "b-x", bytes: [1, 2], contentType: "x")
    try await store.put(key: base + "c/d/e", bytes: [3], contentType: "x")
    let all = try await store.list(prefix: base)
    #expect(all.map(\.key) == ["a/one.txt", "b-x", "b/big.bin", "b/small.bin", "c/d/e", "empty"].map { base + $0 })
    #expect(all.map(\.size) == [3, 2, Int64(big.count), Int64(small.count), 1, 0])
    #expect(try await store.list(prefix: base + "b").map(\.key) == ["b-x", "b/big.bin", "b/small.bin"].map { base + $0 })
    #expect(try await store.list(prefix: base + "b/s").map(\.key) == [base + "b/small.bin"])
    #expect(try await store.list(prefix: base + "zzz/").isEmpty)

    // A signed link fetched without credentials.
    if let fetch {
        let (status, body) = try await fetch(try store.signedURL(key: base + "a/one.txt", expiresIn: 300, now: Int64(Date().timeIntervalSince1970)))
        #expect(status == 200)
        #expect(body == Array("bye".utf8))
    }

    // Deleting a prefix takes exactly what it names; nothing left to delete is no error.
    try await store.delete(prefix: base + "b/")
    #expect(try await store.list(prefix: base).map(\.key) == ["a/one.txt", "b-x", "c/d/e", "empty"].map { base + $0 })
    await #expect(throws: ObjectStoreError.notFound(base + "b/big.bin")) { try await store.get(key: base + "b/big.bin") }
    try await store.delete(prefix: base)
    #expect(try await store.list(prefix: base).isEmpty)
    try await store.delete(prefix: base)
}
