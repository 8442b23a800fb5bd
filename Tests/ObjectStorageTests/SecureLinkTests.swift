import Crypto
import Foundation
import MentorLinkCore
import ObjectStorage
import Testing

@Suite struct SecureLinkTests {
    let store = DirectoryObjectStore(root: "/nonexistent", urlPrefix: "/media", secret: "s3cret")

    /// The token nginx's `secure_link_md5 "$2/$3 <secret>"` expects, computed here independently of the store.
    func expectedToken(_ string: String) -> String {
        Data(Insecure.MD5.hash(data: Array(string.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test func aFileLinkSignsTheRecordingAndExpiry() throws {
        let url = try store.signedURL(key: "recordings/r1/final.mp4", expiresIn: 600, now: 1_999_999_400)
        #expect(url == "/media/\(expectedToken("2000000000/recordings/r1 s3cret"))/2000000000/recordings/r1/final.mp4")
        // The same token, computed with `openssl md5 -binary | base64 | tr '+/' '-_' | tr -d =`.
        #expect(url == "/media/1GLPED0yDY3VmY50MgIJsA/2000000000/recordings/r1/final.mp4")
    }

    @Test func aPrefixLinkCarriesTheSameTokenAsItsFiles() throws {
        let prefix = try store.signedURL(key: "recordings/r1/hls/", expiresIn: 600, now: 1_999_999_400)
        #expect(prefix == "/media/1GLPED0yDY3VmY50MgIJsA/2000000000/recordings/r1/hls/")
        #expect(try store.signedURL(key: "recordings/r1/", expiresIn: 600, now: 1_999_999_400).hasSuffix("/2000000000/recordings/r1/"))
        let other = try store.signedURL(key: "recordings/r2/hls/", expiresIn: 600, now: 1_999_999_400)
        #expect(other.hasPrefix("/media/\(expectedToken("2000000000/recordings/r2 s3cret"))/"))
    }

    @Test func aTrailingSlashInThePrefixIsDropped() throws {
        let store = DirectoryObjectStore(root: "/nonexistent", urlPrefix: "https://media.example/media/", secret: "s3cret")
        #expect(
            try store.signedURL(key: "recordings/r1/a.mp4", expiresIn: 1, now: 1_999_999_999)
                == "https://media.example/media/1GLPED0yDY3VmY50MgIJsA/2000000000/recordings/r1/a.mp4")
    }

    @Test(arguments: ["recordings/r1", "recordings/", "recordings", "other/r1/a.mp4", "recordings/../x/", "recordings/r1//a", "/recordings/r1/a"])
    func keysNginxWouldNotServeHaveNoLink(_ key: String) {
        #expect(throws: ObjectStoreError.invalidKey(key)) { try store.signedURL(key: key, expiresIn: 60, now: 0) }
    }
}
