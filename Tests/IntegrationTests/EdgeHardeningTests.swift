import Foundation
import MentorLinkClient
import RedisAdapter
import Testing

/// The edge as attackers and browsers meet it: through nginx on the stack `scripts/test` started, after other traffic
/// has filled nginx's keep-alive pool, with headers a client should not be able to set. (In the serialized
/// ``EndToEndTests`` suite, the only other one that registers through nginx, so the per-address budget is this test's.)
extension EndToEndTests {
    /// HTTP keep-alive traffic on `/rpc` from several connections at once, so nginx caches upstream connections.
    func warmKeepAlivePool(_ endpoint: SocketConnection.Endpoint) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await TestEnvironment.offThePool {
                        let connection = try HTTPConnection(endpoint)
                        for _ in 0..<40 {
                            let reply = try connection.request(
                                "POST", "/rpc", headers: ["Content-Type": "application/json"],
                                body: Array(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#.utf8))
                            #expect(reply.status == 200)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Issue 11 §1: an upgrade that nginx sent on a reused keep-alive upstream connection was answered 307.
    @Test func webSocketsUpgradeAfterHTTPTraffic() async throws {
        let endpoint = try nginx()
        let origin = "http://127.0.0.1:\(try TestEnvironment.httpPort())"
        try await warmKeepAlivePool(endpoint)
        let statuses = try await TestEnvironment.offThePool { () -> [Int] in
            (0..<50).map { index in
                do {
                    let socket = try WebSocketConnection(endpoint, headers: ["Origin": origin])
                    let reply = try socket.call(#"{"jsonrpc":"2.0","id":\#(index),"method":"system.ping"}"#)
                    return reply == #"{"jsonrpc":"2.0","result":"pong","id":\#(index)}"# ? socket.handshake.status : -1
                } catch { return 0 }
            }
        }
        #expect(statuses == Array(repeating: 101, count: 50), "handshake statuses: \(statuses)")
    }

    /// Issue 11 §2: over `/rpc/ws` the worker got the client's own `X-Real-IP`, so per-address limits could be dodged.
    /// Registration allows 5 per hour per address: seven upgrades, each forging another address, are one address.
    @Test func forgedRealIPOverWebSocketIsOneAddress() async throws {
        let endpoint = try nginx()
        let origin = "http://127.0.0.1:\(try TestEnvironment.httpPort())"
        let redis = RedisClient(address: .unix(path: "\(try TestEnvironment.runDirectory())/redis.sock"), logger: TestEnvironment.logger)
        let bucket = "rl:registration:ip:127.0.0.1"
        try await redis.send("DEL", bucket)
        let replies = try await TestEnvironment.offThePool { () -> [String] in
            try (0..<7).map { index in
                let socket = try WebSocketConnection(
                    endpoint, headers: ["Origin": origin, "X-Real-IP": "203.0.113.\(index + 10)", "X-Forwarded-For": "198.51.100.\(index)"])
                let email = "forged\(index)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
                return try socket.call(
                    #"{"jsonrpc":"2.0","id":1,"method":"identity.register","params":{"email":"\#(email)","password":"edge pass phrase","name":"F","role":"mentee"}}"#
                )
            }
        }
        try await redis.send("DEL", bucket)
        let limited = replies.filter { $0.contains(#""reason":"rate_limited""#) }.count
        let registered = replies.filter { $0.contains(#""result""#) }.count
        #expect(registered <= 5 && limited >= 2 && registered + limited == 7, "replies: \(replies)")
    }

    /// Issue 11 §4: `identity.login` with a NUL in the email went to Redis and PostgreSQL and came back -32603.
    @Test func controlCharactersInTextAreInvalidParamsThroughNginx() async throws {
        let endpoint = try nginx()
        let replies = try await TestEnvironment.offThePool { () -> [HTTPReply] in
            try [
                #"{"jsonrpc":"2.0","id":1,"method":"identity.login","params":{"email":"a\u0000@example.com","password":"whatever pass"}}"#,
                #"{"jsonrpc":"2.0","id":1,"method":"mentors.search","params":{"query":"swift\u0000"}}"#,
            ].map { body in
                try HTTPConnection(endpoint).request("POST", "/rpc", headers: ["Content-Type": "application/json"], body: Array(body.utf8))
            }
        }
        for reply in replies {
            #expect(reply.text.contains(#""code":-32602"#) && reply.text.contains(#""reason":"invalid_params""#), "\(reply.text)")
        }
    }
}
