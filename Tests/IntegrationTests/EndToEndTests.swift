import Foundation
import MentorLinkClient
import Testing

/// Through nginx to the workers `scripts/test` started (`mentorlink serve`), as a browser or script would.
@Suite(.serialized, .timeLimit(.minutes(2))) struct EndToEndTests {
    func nginx() throws -> SocketConnection.Endpoint { .tcp(host: "127.0.0.1", port: try TestEnvironment.httpPort()) }

    @Test func pingThroughNginx() async throws {
        let endpoint = try nginx()
        try await TestEnvironment.offThePool {
            let connection = try HTTPConnection(endpoint)
            for _ in 0..<4 {
                let reply = try connection.request(
                    "POST", "/rpc", headers: ["Content-Type": "application/json"],
                    body: Array(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#.utf8))
                #expect(reply.status == 200)
                #expect(reply.text == #"{"jsonrpc":"2.0","result":"pong","id":1}"#)
                #expect(reply.headers["x-request-id"]?.count == 32)
            }
            #expect(try connection.request("GET", "/healthz").status == 200)
        }
    }

    @Test func readyWhenEveryDependencyIsUp() async throws {
        let endpoint = try nginx()
        let reply = try await TestEnvironment.offThePool { try HTTPConnection(endpoint).request("GET", "/readyz") }
        #expect(reply.status == 200)
        #expect(reply.text.contains(#""postgres":"ok""#) && reply.text.contains(#""redis":"ok""#) && reply.text.contains(#""kafka":"ok""#))
    }

    @Test func webSocketThroughNginx() async throws {
        let endpoint = try nginx()
        let port = try TestEnvironment.httpPort()
        try await TestEnvironment.offThePool {
            let socket = try WebSocketConnection(endpoint, headers: ["Origin": "http://127.0.0.1:\(port)"])
            #expect(try socket.call(#"{"jsonrpc":"2.0","id":7,"method":"system.ping"}"#) == #"{"jsonrpc":"2.0","result":"pong","id":7}"#)
        }
    }

    @Test func everyWorkerSocketServes() async throws {
        let directory = try TestEnvironment.runDirectory()
        try await TestEnvironment.offThePool {
            for index in 0..<TestEnvironment.workers() {
                let reply = try HTTPConnection(.unix("\(directory)/worker-\(index).sock")).request(
                    "POST", "/rpc", headers: ["Content-Type": "application/json"],
                    body: Array(#"{"jsonrpc":"2.0","id":1,"method":"system.version"}"#.utf8))
                #expect(reply.text.contains(#""version""#))
            }
        }
    }

    @Test func loginThroughNginxSetsHostOnlySecureCookies() async throws {
        let endpoint = try nginx()
        let port = try TestEnvironment.httpPort()
        try await TestEnvironment.offThePool {
            let email = "e2e\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let connection = try HTTPConnection(endpoint)
            func rpc(_ method: String, _ params: String, headers: [String: String] = [:]) throws -> HTTPReply {
                try connection.request(
                    "POST", "/rpc", headers: headers.merging(["Content-Type": "application/json"]) { $1 },
                    body: Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8))
            }
            let registered = try rpc("identity.register", #"{"email":"\#(email)","password":"e2e pass phrase","name":"E","role":"mentee"}"#)
            #expect(registered.text.contains(#""result""#))
            let login = try rpc("identity.login", #"{"email":"\#(email)","password":"e2e pass phrase"}"#)
            let cookies = (login.headers["set-cookie"] ?? "").split(separator: "\n").map(String.init)
            #expect(cookies.count == 2)
            #expect(cookies.allSatisfy { $0.contains("Secure; HttpOnly; SameSite=Strict") && $0.contains("Path=/") && !$0.contains("Domain") })
            let access = try #require(cookies.first { $0.hasPrefix("__Host-ml_at=") }?.split(separator: ";").first.map(String.init))
            // The cookie authenticates from the app's origin, and not from another.
            let mine = try rpc("identity.me", "{}", headers: ["Cookie": access, "Origin": "http://127.0.0.1:\(port)"])
            #expect(mine.text.contains(email))
            let theirs = try rpc("identity.me", "{}", headers: ["Cookie": access, "Origin": "https://evil.example"])
            #expect(theirs.text.contains("unauthenticated"))
        }
    }

    @Test func unknownPathsAndHugeBodiesAreRefusedAtTheEdge() async throws {
        let endpoint = try nginx()
        try await TestEnvironment.offThePool {
            let unknown = try HTTPConnection(endpoint).request("GET", "/etc/passwd")
            #expect(unknown.status == 404)
            let connection = try HTTPConnection(endpoint)
            try connection.socket.write("POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(3 << 20)\r\n\r\n")
            let huge = try connection.readResponse()
            #expect(huge.status == 413)
        }
    }
}
