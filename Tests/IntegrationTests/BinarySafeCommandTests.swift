import Foundation
import RedisAdapter
import Testing

/// Issue 11 §4: commands went to hiredis as C-string copies (cut at a NUL) with the full UTF-8 lengths, so the
/// formatter read past the copy. Arguments are bytes with lengths now: whatever goes in comes back.
@Suite(.timeLimit(.minutes(1))) struct BinarySafeCommandTests {
    @Test func argumentsWithNULRoundTrip() async throws {
        let client = RedisClient(address: .unix(path: "\(try TestEnvironment.runDirectory())/redis.sock"), logger: TestEnvironment.logger)
        let key = "test:nul:\(UUID().uuidString)\u{0}tail"
        let values = ["ab\u{0}cdefghijklmnop", "\u{0}", "", "ü\u{0}ß\u{0}\u{0}end", String(repeating: "x\u{0}", count: 5000)]
        for value in values {
            try await client.send("SET", key, value)
            #expect(try await client.send("GET", key).string == value)
            #expect(try await client.send("STRLEN", key).integer == Int64(value.utf8.count))
        }
        #expect(try await client.send("EXISTS", "test:nul:" + key.dropFirst(9).prefix(36)).integer == 0)
        try await client.send("DEL", key)
    }
}
