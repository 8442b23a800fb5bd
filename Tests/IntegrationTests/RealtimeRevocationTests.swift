import Foundation
import JSONRPC
import MentorLinkClient
import RealtimeService
import RedisAdapter
import Testing

/// A socket that only listens loses its pushes when its session is revoked elsewhere: two in-process workers, the
/// logout on one, the listening socket on the other.
@Suite(.timeLimit(.minutes(2))) struct RealtimeRevocationTests {
    func http(_ endpoint: SocketConnection.Endpoint, _ method: String, _ params: String, token: String? = nil) throws -> [String: Any] {
        var headers = ["Content-Type": "application/json", "X-Real-IP": "10.9.\(Int.random(in: 1...250)).\(Int.random(in: 1...250))"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let reply = try HTTPConnection(endpoint).request(
            "POST", "/rpc", headers: headers, body: Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8))
        return try #require(try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any])
    }

    @Test func aListeningSocketIsClosedSoonAfterLogoutElsewhere() async throws {
        try await RealtimeHarness.with { harness in
            let email = "listener-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let password = "correct horse battery staple"
            let (token, userId) = try await harness.clients {
                let registered = try http(
                    harness.socket(0), "identity.register", #"{"email":"\#(email)","password":"\#(password)","name":"Listener","role":"mentee"}"#)
                let id = try #require((registered["result"] as? [String: Any])?["user"] as? [String: Any])["id"] as? String
                let login = try http(harness.socket(0), "identity.login", #"{"email":"\#(email)","password":"\#(password)"}"#)
                return (try #require((login["result"] as? [String: Any])?["accessToken"] as? String), try #require(id))
            }
            let channel = "user:\(userId.lowercased())"
            try await harness.clients {
                // The listener sits on worker 1 and never sends again after subscribing.
                let listener = try RPCWebSocketClient(harness.socket(1), headers: ["Authorization": "Bearer \(token)"], timeout: 8)
                #expect(try listener.call("notifications.subscribe", "{}")["result"] != nil)
                try harness.wait { try await harness.workers[0].bus.publish(channel: channel, event: Array(#"{"type":"before"}"#.utf8)) }
                #expect((try listener.nextNotification()["event"] as? [String: Any])?["type"] as? String == "before")

                // Logout on worker 0, from another connection.
                #expect((try http(harness.socket(0), "identity.logout", "{}", token: token)["result"] as? [String: Any])?["ok"] as? Bool == true)
                // Within a few seconds (the socket's 8 s read timeout bounds the wait) the listener is closed with 1008.
                var closed: UInt16?
                while closed == nil {
                    switch try listener.socket.receive() {
                    case .close(let code): closed = code ?? 0
                    case .text(let text): #expect(!text.contains(#""type":"after""#), "a push after the close: \(text)")
                    case .binary: break
                    }
                }
                #expect(closed == 1008)
                // Nothing more reaches it.
                try harness.wait { try await harness.workers[1].bus.publish(channel: channel, event: Array(#"{"type":"after"}"#.utf8)) }
                #expect(throws: (any Error).self) { _ = try listener.socket.receive() }
                #expect(harness.workers[1].subscriptions.count == 0)
            }
        }
    }
}
