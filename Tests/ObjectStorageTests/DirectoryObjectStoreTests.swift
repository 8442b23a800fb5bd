import Foundation
import MentorLinkCore
import ObjectStorage
import Testing

@Suite struct DirectoryObjectStoreTests {
    @Test(.timeLimit(.minutes(1))) func passesTheContract() async throws {
        let root = try TestSupport.scratchDirectory("objects")
        let scratch = try TestSupport.scratchDirectory("objects-scratch")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: scratch)
        }
        try await checkObjectStoreContract(DirectoryObjectStore(root: root, secret: "unused"), scratch: scratch, fetch: nil)
        // Deleting a prefix also removed the directories it emptied; nothing temporary was left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test(.timeLimit(.minutes(1)), .enabled(if: NginxServer.available, "Debian's nginx (/usr/sbin/nginx) is not installed"))
    func passesTheContractWithLinksServedByNginx() async throws {
        let nginx = try await NginxServer(secret: "contract0secret")
        defer { nginx.stop() }
        let scratch = try TestSupport.scratchDirectory("objects-scratch")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let store = DirectoryObjectStore(root: nginx.objects, urlPrefix: nginx.origin + "/media", secret: "contract0secret")
        try await checkObjectStoreContract(store, scratch: scratch) { url in
            let answer = try await TestSupport.get(url)
            return (answer.status, answer.body)
        }
    }

    @Test(.timeLimit(.minutes(1)), .enabled(if: NginxServer.available, "Debian's nginx (/usr/sbin/nginx) is not installed"))
    func nginxServesGoodLinksAndRefusesForgedAndExpiredOnes() async throws {
        let nginx = try await NginxServer(secret: "nginx0secret")
        defer { nginx.stop() }
        let store = DirectoryObjectStore(root: nginx.objects, urlPrefix: nginx.origin + "/media", secret: "nginx0secret")
        try await store.put(key: "recordings/r1/hls/index.m3u8", bytes: Array("#EXTM3U\n".utf8), contentType: "application/vnd.apple.mpegurl")
        try await store.put(key: "recordings/r1/hls/seg-1.m4s", bytes: [1, 2, 3], contentType: "video/iso.segment")
        try await store.put(key: "recordings/r1/final.mp4", bytes: [4, 5], contentType: "video/mp4")
        try await store.put(key: "recordings/r2/final.mp4", bytes: [6], contentType: "video/mp4")
        let now = Int64(Date().timeIntervalSince1970)

        let file = try await TestSupport.get(store.signedURL(key: "recordings/r1/final.mp4", expiresIn: 60, now: now))
        #expect(file.status == 200)
        #expect(file.body == [4, 5])
        #expect(file.contentType == "video/mp4")

        // One link to the HLS prefix serves the playlist and the segments below it.
        let hls = try store.signedURL(key: "recordings/r1/hls/", expiresIn: 60, now: now)
        let playlist = try await TestSupport.get(hls + "index.m3u8")
        #expect(playlist.status == 200)
        #expect(playlist.body == Array("#EXTM3U\n".utf8))
        #expect(playlist.contentType == "application/vnd.apple.mpegurl")
        let segment = try await TestSupport.get(hls + "seg-1.m4s")
        #expect(segment.status == 200)
        #expect(segment.body == [1, 2, 3])
        #expect(segment.contentType == "video/iso.segment")

        // A forged token, another secret, a token of r1 on r2's path, a changed expiry: 403. Expired: 410.
        let good = try store.signedURL(key: "recordings/r1/final.mp4", expiresIn: 60, now: now)
        var parts = good.components(separatedBy: "/")
        let tokenIndex = parts.count - 5
        parts[tokenIndex] = String(parts[tokenIndex].reversed())
        #expect(try await TestSupport.get(parts.joined(separator: "/")).status == 403)
        let otherSecret = DirectoryObjectStore(root: nginx.objects, urlPrefix: nginx.origin + "/media", secret: "other")
        #expect(try await TestSupport.get(otherSecret.signedURL(key: "recordings/r1/final.mp4", expiresIn: 60, now: now)).status == 403)
        #expect(try await TestSupport.get(hls.replacingOccurrences(of: "/r1/hls/", with: "/r2/") + "final.mp4").status == 403)
        let expires = "\(now + 60)"
        #expect(try await TestSupport.get(good.replacingOccurrences(of: "/\(expires)/", with: "/\(now + 3600)/")).status == 403)
        #expect(try await TestSupport.get(store.signedURL(key: "recordings/r1/final.mp4", expiresIn: 60, now: 1000)).status == 410)
        // What is not under recordings/<id>/ is not served at all.
        #expect(try await TestSupport.get(nginx.origin + "/media/x/1/other/file").status == 404)
    }
}
