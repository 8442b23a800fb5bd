import Foundation
import JSONRPC
import MentorLinkClient
import MentorLinkTesting
import ServiceSupport
import Testing

/// Issue 11 §3: a forged pagination cursor (an Int64 key that overflows as a date) killed a worker, anonymously.
/// Cursors are sealed now (HMAC, scoped to one list) and their keys range-checked.
@Suite(.timeLimit(.minutes(2))) struct CursorForgeryTests {
    /// What the old cursors looked like, with keys a `Date` cannot carry into PostgreSQL.
    static let forged: [String] = [
        Data("9223372036854775807~\(UUID().uuidString)".utf8).base64EncodedString(),
        Data("-9223372036854775808~\(UUID().uuidString)".utf8).base64EncodedString(),
        Data("1.7976931348623157e308~\(UUID().uuidString)~0".utf8).base64EncodedString(), "9223372036854775807", "1", "", "AAAA", "not a cursor",
        String(repeating: "A", count: 5000), "AQ", "____", "\u{0}",
    ]

    @Test func forgedCursorsAreInvalidParamsInProcess() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let mentee = try await harness.user(.mentee)
            for cursor in Self.forged {
                let quoted = String(decoding: try JSONEncoder().encode(cursor), as: UTF8.self)
                for (method, params, caller) in [
                    ("reviews.list", #"{"mentorId":"\#(mentor.id)","cursor":\#(quoted)}"#, nil), ("booking.list", #"{"cursor":\#(quoted)}"#, mentee),
                    ("mentors.search", #"{"cursor":\#(quoted)}"#, nil), ("wallet.history", #"{"cursor":\#(quoted)}"#, mentee),
                ] as [(String, String, BookingHarness.User?)] {
                    let outcome = try await harness.call(method, params, as: caller)
                    #expect(outcome.reason == "invalid_params", "\(method) with \(cursor.prefix(40)): \(String(describing: outcome.error))")
                }
            }
        }
    }

    @Test func sealedCursorsPageAndDoNotCrossLists() async throws {
        try await BookingHarness.with { harness in
            let mentor = try await harness.mentor()
            let mentee = try await harness.user(.mentee)
            for start in ["2027-05-04T10:00:00Z", "2027-05-04T11:00:00Z", "2027-05-04T12:00:00Z"] {
                try await harness.ok("booking.create", #"{"mentorId":"\#(mentor.id)","start":"\#(start)","minutes":30}"#, as: mentee)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let params = cursor.map { #"{"limit":2,"cursor":"\#($0)"}"# } ?? #"{"limit":2}"#
                let page = try await harness.ok("booking.list", params, as: mentee)
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil && seen.count < 10
            #expect(seen == ["2027-05-04T10:00:00Z", "2027-05-04T11:00:00Z", "2027-05-04T12:00:00Z"])
            // A real cursor of one list is not a cursor of another, and one flipped character breaks it.
            let first = try #require(try await harness.ok("booking.list", #"{"limit":1}"#, as: mentee)["nextCursor"] as? String)
            #expect(try await harness.call("reviews.list", #"{"mentorId":"\#(mentor.id)","cursor":"\#(first)"}"#).reason == "invalid_params")
            var tampered = Array(first.utf8)
            tampered[tampered.count / 2] = tampered[tampered.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(
                try await harness.call("booking.list", #"{"cursor":"\#(String(decoding: tampered, as: UTF8.self))"}"#, as: mentee).reason
                    == "invalid_params")
        }
    }

    @Test func keysetKeysOutOfRangeDoNotOpen() {
        let codec = CursorCodec.random()
        for key in [Int64.max, Int64.min, PageCursor.timeKeyRange.upperBound + 1, PageCursor.timeKeyRange.lowerBound - 1] {
            let token = codec.seal(PageCursor(key: key, id: UUID()), scope: "x")
            #expect(codec.keyset(token, scope: "x", timeKeyed: true) == nil)
            #expect(codec.keyset(token, scope: "x", timeKeyed: false)?.key == key)
        }
        #expect(CursorCodec.random().keyset(codec.seal(PageCursor(key: 1, id: UUID()), scope: "x"), scope: "x", timeKeyed: false) == nil)
    }

    /// Through nginx to the real workers, anonymously: every forged cursor is answered, and the workers stay up.
    @Test func forgedCursorsThroughNginxLeaveWorkersUp() async throws {
        let port = try TestEnvironment.httpPort()
        let directory = try TestEnvironment.runDirectory()
        let bodies = Self.forged.map { cursor in
            let quoted = "\"" + cursor.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u%04x", $0.value) : String($0) }.joined() + "\""
            return #"{"jsonrpc":"2.0","id":1,"method":"reviews.list","params":{"mentorId":"\#(UUID())","cursor":\#(quoted)}}"#
        }
        let logFile = "\(directory)/logs/workers.log"
        let logBefore = (try? Data(contentsOf: URL(fileURLWithPath: logFile)).count) ?? 0
        let replies = try await TestEnvironment.offThePool { () -> [HTTPReply] in
            try bodies.map { body in
                try HTTPConnection(.tcp(host: "127.0.0.1", port: port)).request(
                    "POST", "/rpc", headers: ["Content-Type": "application/json"], body: Array(body.utf8))
            }
        }
        for reply in replies {
            #expect(reply.status == 200 && reply.text.contains(#""reason":"invalid_params""#), "\(reply.status) \(reply.text.prefix(200))")
        }
        let log = String(decoding: ((try? Data(contentsOf: URL(fileURLWithPath: logFile))) ?? Data()).dropFirst(logBefore), as: UTF8.self)
        #expect(!log.contains("worker.died") && !log.contains("Fatal error"), "a worker died: \(log.suffix(500))")
    }

    /// The admin lists' cursors are sealed too: the old plain ids are refused, the sealed ones page.
    @Test func adminListCursorsAreSealed() async throws {
        try await IdentityHarness.with { h in
            let admin = try await h.signUpAdmin()
            _ = try await h.signUp()
            _ = try await h.signUp()
            for (method, old) in [("admin.listUsers", UUID().uuidString), ("audit.list", "1")] {
                #expect(try await h.call(method, #"{"cursor":"\#(old)"}"#, bearer: admin.access).reason == "invalid_params")
                let first = try await h.call(method, #"{"limit":1}"#, bearer: admin.access)
                let cursor = try #require(first.result?["nextCursor"] as? String, "\(method): \(String(describing: first.error))")
                let second = try await h.call(method, #"{"limit":1,"cursor":"\#(cursor)"}"#, bearer: admin.access)
                let a = try #require((first.result?["items"] as? [[String: Any]])?.first?["id"].map { "\($0)" })
                let b = try #require((second.result?["items"] as? [[String: Any]])?.first?["id"].map { "\($0)" })
                #expect(a != b)
            }
        }
    }
}
