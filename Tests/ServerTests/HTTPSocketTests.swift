import Foundation
import HTTPTypes
import JSONRPC
import MentorLinkClient
import ServiceLifecycle
import Synchronization
import Testing

@testable import Server

/// A mock client speaking HTTP/1.1 byte for byte on a worker's Unix socket.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPSocketTests {
    @Test func keepAliveCallsOnOneConnection() async throws {
        try await TestWorker.run { endpoint, control in
            let connection = try HTTPConnection(endpoint)
            for id in 1...3 {
                let reply = try TestWorker.post(connection, #"{"jsonrpc":"2.0","id":\#(id),"method":"system.ping"}"#)
                #expect(reply.status == 200)
                #expect(reply.text == #"{"jsonrpc":"2.0","result":"pong","id":\#(id)}"#)
                #expect(reply.headers["x-request-id"]?.isEmpty == false)
            }
            let text = try connection.request("GET", "/metrics").text
            #expect(text.contains(#"mentorlink_rpc_requests_total{method="system.ping",outcome="ok"} 3"#))
            #expect(text.contains(#"mentorlink_open_connections{kind="http"} 1"#))
        }
    }

    @Test func requestIdFromNginxIsKept() async throws {
        try await TestWorker.run { endpoint, _ in
            let reply = try HTTPConnection(endpoint).request(
                "POST", "/rpc", headers: ["Content-Type": "application/json", "X-Request-Id": "abc123"],
                body: Array(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#.utf8))
            #expect(reply.headers["x-request-id"] == "abc123")
        }
    }

    @Test func onlyJSONIsAccepted() async throws {
        try await TestWorker.run { endpoint, _ in
            let connection = try HTTPConnection(endpoint)
            let reply = try TestWorker.post(connection, #"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#, contentType: "text/plain")
            #expect(reply.status == 415)
            #expect(reply.text.contains("unsupported_media_type"))
            let charset = try TestWorker.post(
                connection, #"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#, contentType: "application/json; charset=utf-8")
            #expect(charset.status == 200)
        }
    }

    @Test func oversizedBodyGets413AndTheWorkerGoesOn() async throws {
        try await TestWorker.run(limits: RPCLimits(maxBodyBytes: 1024)) { endpoint, _ in
            let big = #"{"jsonrpc":"2.0","id":1,"method":"system.ping","params":{"x":""# + String(repeating: "a", count: 4096) + #""}}"#
            let reply = try TestWorker.post(try HTTPConnection(endpoint), big)
            #expect(reply.status == 413)
            #expect(reply.text.contains("body_too_large"))
            #expect(try TestWorker.post(try HTTPConnection(endpoint), #"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#).status == 200)
        }
    }

    @Test func notificationsGet204() async throws {
        try await TestWorker.run { endpoint, _ in
            let reply = try TestWorker.post(
                try HTTPConnection(endpoint), #"[{"jsonrpc":"2.0","method":"system.ping"},{"jsonrpc":"2.0","method":"system.ping"}]"#)
            #expect(reply.status == 204)
            #expect(reply.body.isEmpty)
        }
    }

    @Test func garbageNeverTakesTheWorkerDown() async throws {
        try await TestWorker.run { endpoint, _ in
            let inputs: [[UInt8]] = [
                Array("\u{0}\u{1}\u{2}garbage\r\n\r\n".utf8), Array("POST /rpc HTTP/1.1\r\nContent-Length: -5\r\n\r\n".utf8),
                Array("GET / HTTP/9.9\r\n\r\n".utf8), (0..<5000).map { _ in UInt8.random(in: 0...255) },
                Array("POST /rpc HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n\u{FF}\u{FE}[{".utf8),
            ]
            for input in inputs {
                let socket = try SocketConnection(endpoint, timeout: 2)
                try? socket.write(input)
                _ = socket.isClosedByPeer()
            }
            for body in ["{", "[", "null", "\"x\"", "[[]]", #"{"jsonrpc":"2.0","id":1,"method":"system.ping","params":[[[[[[]]]]]]}"#] {
                let reply = try TestWorker.post(try HTTPConnection(endpoint), body)
                #expect(reply.status == 200)
                #expect(reply.text.contains(#""error""#))
            }
            #expect(try TestWorker.post(try HTTPConnection(endpoint), #"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#).status == 200)
        }
    }

    @Test func staleSocketFileIsReplaced() async throws {
        try await TestWorker.run(prepare: { path in FileManager.default.createFile(atPath: path, contents: Data("stale".utf8)) }) { endpoint, _ in
            #expect(try HTTPConnection(endpoint).request("GET", "/healthz").status == 200)
            guard case .unix(let path) = endpoint else { return }
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o660)
        }
    }

    @Test func drainFinishesInFlightCalls() async throws {
        let marker = Int.random(in: 1...Int(Int32.max))
        try await TestWorker.run { endpoint, control in
            let connection = try HTTPConnection(endpoint)
            try connection.socket.write(
                HTTPConnection.encode(
                    "POST", "/rpc", headers: ["Content-Type": "application/json"],
                    body: Array(#"{"jsonrpc":"2.0","id":1,"method":"test.sleep","params":[300,\#(marker)]}"#.utf8)))
            // In flight means the handler runs (a fixed sleep was not enough on a loaded machine).
            let deadline = Date().addingTimeInterval(10)
            while !TestWorker.sleeping.withLock({ $0.contains(marker) }), Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            #expect(TestWorker.sleeping.withLock { $0.contains(marker) })
            control.shutdown()
            let reply = try connection.readResponse()
            #expect(reply.status == 200)
            #expect(reply.text == #"{"jsonrpc":"2.0","result":true,"id":1}"#)
        }
    }
}

@Suite struct ContentTypeTests {
    @Test(arguments: [
        ("application/json", true), ("Application/JSON", true), ("application/json; charset=utf-8", true), (" application/json ;charset=utf-8", true),
        ("application/jsonp", false), ("text/plain", false), ("application/json-patch+json", false), ("", false),
    ]) func mediaType(value: String, accepted: Bool) { #expect(RequestHead.isJSON(value) == accepted) }

    /// Authorization is a singleton field: with two, neither is the bearer (joined, they made one garbage token;
    /// found by FuzzHTTPHead once it had coverage feedback).
    @Test func twoAuthorizationFieldsGiveNoBearer() {
        var one = HTTPFields()
        one.append(HTTPField(name: .authorization, value: "Bearer abc"))
        #expect(RequestHead.credentials(one).bearer == "abc")
        var two = one
        two.append(HTTPField(name: .authorization, value: "Bearer def"))
        #expect(RequestHead.credentials(two).bearer == nil)
    }
}
