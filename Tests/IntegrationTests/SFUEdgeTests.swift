import Foundation
import MentorLinkClient
import SFUAdapter
import Testing

/// nginx's `/sfu`: the browser's WebSocket to Janus, with `/rpc/ws`'s Origin rule.
@Suite(.enabled(if: JanusStack.installed, "janus is not installed (apt-get install janus): no SFU behind /sfu"), .timeLimit(.minutes(1)))
struct SFUEdgeTests {
    func nginx() throws -> SocketConnection.Endpoint { .tcp(host: "127.0.0.1", port: try TestEnvironment.httpPort()) }

    static let upgrade = [
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Protocol": "janus-protocol",
    ]

    /// From the app's origin the upgrade reaches Janus, which speaks janus-protocol and checks the token of each request.
    @Test func anAllowedOriginReachesJanus() async throws {
        let endpoint = try nginx()
        let origin = "http://127.0.0.1:\(try TestEnvironment.httpPort())"
        let configuration = try JanusStack.configuration()
        let token = try JanusToken.participant(UUID().uuidString.lowercased(), expiresAt: JanusStack.now + 60, secret: configuration.tokenSecret)
        let forged = String(token.dropLast(6)) + "AAAAA="
        let (protocolName, created, refused) = try await TestEnvironment.offThePool { () -> (String?, String, String) in
            let socket = try WebSocketConnection(endpoint, path: "/sfu", headers: ["Origin": origin, "Sec-WebSocket-Protocol": "janus-protocol"])
            let created = try Self.call(socket, #"{"janus":"create","transaction":"a","token":"\#(token)"}"#)
            let refused = try Self.call(socket, #"{"janus":"create","transaction":"b","token":"\#(forged)"}"#)
            return (socket.handshake.headers["sec-websocket-protocol"], created, refused)
        }
        #expect(protocolName == "janus-protocol")
        #expect(created.contains(#""janus":"success""#))
        #expect(refused.contains(#""janus":"error""#) && refused.contains(#""code":403"#))
    }

    /// The next text frame.
    static func call(_ socket: WebSocketConnection, _ text: String) throws -> String {
        try socket.send(text: text)
        while true {
            switch try socket.receive() {
            case .text(let reply): return reply
            case .close(let code): throw ClientError.protocolError("closed with \(code.map(String.init) ?? "no code")")
            case .binary: continue
            }
        }
    }

    /// Another site's page (or an opaque `null` origin) is refused at the edge; no Origin (not a browser) passes, as
    /// on /rpc/ws; a plain GET is not an upgrade.
    @Test func foreignOriginsAreRefused() async throws {
        let endpoint = try nginx()
        let port = try TestEnvironment.httpPort()
        let statuses = try await TestEnvironment.offThePool { () -> [Int] in
            let upgrades = try [["Origin": "https://evil.example"], ["Origin": "null"], ["Origin": "http://127.0.0.1:\(port + 1)"], [:]].map {
                origin in
                try HTTPConnection(endpoint).request("GET", "/sfu", headers: Self.upgrade.merging(origin) { $1 }).status
            }
            let plain = try HTTPConnection(endpoint).request("GET", "/sfu", headers: ["Origin": "http://127.0.0.1:\(port)"]).status
            return upgrades + [plain]
        }
        #expect(statuses == [403, 403, 403, 101, 400])
    }
}
