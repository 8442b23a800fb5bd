import Foundation
import MentorLinkCore
import ObjectStorage
import Testing

@Suite struct S3ObjectStoreTests {
    func store(_ moto: MotoServer, bucket: String, listPageSize: Int = 1000) -> S3ObjectStore {
        S3ObjectStore(endpoint: moto.endpoint, bucket: bucket, accessKey: "test-key", secretKey: "test-secret", listPageSize: listPageSize)
    }

    static func bucketName() -> String { "mentorlink-test-\(UUID().uuidString.prefix(8).lowercased())" }

    @Test(.timeLimit(.minutes(2)), .enabled(if: MotoServer.available, MotoServer.unavailableReason))
    func passesTheContractOnS3() async throws {
        let moto = try await MotoServer()
        defer { moto.stop() }
        let scratch = try TestSupport.scratchDirectory("s3-scratch")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // Two keys a page, so every listing of the contract follows continuation tokens.
        let store = store(moto, bucket: Self.bucketName(), listPageSize: 2)
        try await store.createBucket()
        try await checkObjectStoreContract(store, scratch: scratch) { url in
            let answer = try await TestSupport.get(url)
            return (answer.status, answer.body)
        }
    }

    @Test(.timeLimit(.minutes(1)), .enabled(if: MotoServer.available, MotoServer.unavailableReason))
    func aPresignedLinkIsAPlainGetAndHasNoPrefixForm() async throws {
        let moto = try await MotoServer()
        defer { moto.stop() }
        let store = store(moto, bucket: Self.bucketName())
        try await store.createBucket()
        try await store.put(key: "recordings/r1/final.mp4", bytes: [9, 8, 7], contentType: "video/mp4")
        let url = try store.signedURL(key: "recordings/r1/final.mp4", expiresIn: 300, now: Int64(Date().timeIntervalSince1970))
        #expect(url.hasPrefix(moto.endpoint + "/\(store.bucket)/recordings/r1/final.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
        #expect(url.contains("&X-Amz-Expires=300&"))
        let answer = try await TestSupport.get(url)
        #expect(answer.status == 200)
        #expect(answer.body == [9, 8, 7])
        #expect(throws: ObjectStoreError.invalidKey("recordings/r1/")) { try store.signedURL(key: "recordings/r1/", expiresIn: 60, now: 0) }
    }

    @Test(.timeLimit(.minutes(1)), .enabled(if: MotoServer.available, MotoServer.unavailableReason))
    func largeObjectsGoInEightMiBPartsAndSmallOnesInOnePut() async throws {
        let moto = try await MotoServer()
        defer { moto.stop() }
        let store = store(moto, bucket: Self.bucketName())
        try await store.createBucket()
        let now = Int64(Date().timeIntervalSince1970)
        // A multipart object's ETag is "<md5 of the parts' md5s>-<parts>": 20 MiB is 8 + 8 + 4 MiB.
        let big = TestSupport.pseudoRandomBytes(20 << 20, seed: 3)
        try await store.put(key: "recordings/r1/big.bin", bytes: big, contentType: "video/mp4")
        let multipart = try await TestSupport.get(store.signedURL(key: "recordings/r1/big.bin", expiresIn: 60, now: now))
        #expect(multipart.etag?.hasSuffix("-3\"") == true, "\(multipart.etag ?? "no ETag")")
        #expect(multipart.body == big)
        try await store.put(key: "recordings/r1/part.bin", bytes: Array(big.prefix(S3ObjectStore.partSize)), contentType: "video/mp4")
        let single = try await TestSupport.get(store.signedURL(key: "recordings/r1/part.bin", expiresIn: 60, now: now))
        #expect(single.etag?.contains("-") == false, "\(single.etag ?? "no ETag")")
    }

    @Test(.timeLimit(.minutes(1)), .enabled(if: MotoServer.available, MotoServer.unavailableReason))
    func aMissingBucketIsUnavailableNotNotFound() async throws {
        let moto = try await MotoServer()
        defer { moto.stop() }
        let store = store(moto, bucket: Self.bucketName())
        let calls: [() async throws -> Void] = [{ _ = try await store.get(key: "recordings/r1/a") }, { _ = try await store.list(prefix: "") }]
        for call in calls {
            do {
                try await call()
                Issue.record("a call on a missing bucket succeeded")
            } catch let error as ObjectStoreError {
                guard case .unavailable(let why) = error else { throw error }
                #expect(why.contains("NoSuchBucket"))
            }
        }
        // A multipart upload into it fails at CreateMultipartUpload, as unavailable.
        let scratch = try TestSupport.scratchDirectory("s3-scratch")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Data(TestSupport.pseudoRandomBytes(9 << 20)).write(to: URL(fileURLWithPath: scratch + "/big.bin"))
        await #expect(throws: ObjectStoreError.self) {
            try await store.put(key: "recordings/r1/big.bin", fileAt: scratch + "/big.bin", contentType: "video/mp4")
        }
    }

    @Test(.timeLimit(.minutes(1))) func nothingListeningIsUnavailable() async throws {
        let port = try TestSupport.freePort()
        let store = S3ObjectStore(
            endpoint: "http://127.0.0.1:\(port)", bucket: "b", accessKey: "k", secretKey: "s", requestTimeout: .seconds(2))
        do {
            _ = try await store.get(key: "recordings/r1/a")
            Issue.record("a get with no server succeeded")
        } catch let error as ObjectStoreError {
            guard case .unavailable = error else { throw error }
        }
    }

    @Test func fromEnvironment() throws {
        #expect(try S3ObjectStore.fromEnvironment([:]) == nil)
        #expect(try S3ObjectStore.fromEnvironment(["S3_ENDPOINT": "", "S3_BUCKET": "b"]) == nil)
        let complete = ["S3_ENDPOINT": "http://127.0.0.1:9000", "S3_BUCKET": "b", "S3_ACCESS_KEY_ID": "k", "S3_SECRET_ACCESS_KEY": "s"]
        #expect(try S3ObjectStore.fromEnvironment(complete) != nil)
        #expect(throws: ObjectStoreError.unavailable("S3_ENDPOINT is set but S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY is not")) {
            try S3ObjectStore.fromEnvironment(["S3_ENDPOINT": "http://127.0.0.1:9000", "S3_BUCKET": "b"])
        }
    }
}
