import Foundation
import MentorLinkClient
import Server
import ServiceLifecycle
import Testing

/// A mock client speaking WebSocket frames directly on a worker's Unix socket.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WebSocketTests {
    @Test func callsAndBatchesOnOneSocket() async throws {
        try await TestWorker.run { endpoint, _ in
            let socket = try WebSocketConnection(endpoint)
            #expect(try socket.call(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#) == #"{"jsonrpc":"2.0","result":"pong","id":1}"#)
            let batch = try socket.call(
                #"[{"jsonrpc":"2.0","id":"a","method":"system.ping"},{"jsonrpc":"2.0","method":"system.ping"},{"jsonrpc":"2.0","id":"b","method":"nope"}]"#
            )
            #expect(batch.contains(#""id":"a""#) && batch.contains(#""id":"b""#) && batch.contains("-32601"))
            #expect(try socket.call("{oops").contains("-32700"))
        }
    }

    @Test func binaryFramesCloseWith1003() async throws {
        try await TestWorker.run { endpoint, _ in
            let socket = try WebSocketConnection(endpoint)
            try socket.send(opcode: 0x2, payload: [1, 2, 3])
            #expect(try socket.receive() == .close(code: 1003))
        }
    }

    @Test func oversizedMessageClosesTheSocketOnly() async throws {
        try await TestWorker.run { endpoint, _ in
            let socket = try WebSocketConnection(endpoint)
            try socket.send(text: String(repeating: "x", count: 10_000))
            if case .close(let code) = try socket.receive() { #expect(code == 1009) } else { Issue.record("expected close") }
            #expect(try WebSocketConnection(endpoint).call(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#).contains("pong"))
        }
    }

    @Test func foreignOriginIsRefused() async throws {
        try await TestWorker.run { endpoint, _ in
            #expect(throws: ClientError.self) { try WebSocketConnection(endpoint, headers: ["Origin": "https://evil.example"]) }
            let allowed = try WebSocketConnection(endpoint, headers: ["Origin": "http://127.0.0.1:8080"])
            #expect(try allowed.call(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#).contains("pong"))
        }
    }

    @Test func shutdownClosesWebSocketsWith1001() async throws {
        try await TestWorker.run { endpoint, control in
            let socket = try WebSocketConnection(endpoint)
            _ = try socket.call(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#)
            #expect(control.metrics.openWebSockets == 1)
            control.shutdown()
            #expect(try socket.receive() == .close(code: 1001))
        }
    }

    @Test func aClientThatStopsReadingIsClosedNotBuffered() async throws {
        try await TestWorker.run { endpoint, _ in
            let socket = try WebSocketConnection(endpoint)
            // 5,000 pushes of 4 KiB to a client that reads nothing: the queue (1,024 frames) fills and the worker closes.
            try socket.send(text: #"{"jsonrpc":"2.0","id":1,"method":"test.flood","params":[5000]}"#)
            var frames = 0
            var closed: UInt16?
            while closed == nil {
                switch try socket.receive() {
                case .close(let code): closed = code ?? 0
                default: frames += 1
                }
            }
            #expect(closed == 1008)
            #expect(frames < 5000)
        }
    }

    @Test func theSendQueueIsBoundedInBytes() async throws {
        // 1,000 frames of 4 KiB fit the frame bound (1,024) but not 256 KiB: the worker closes instead of holding 4 MB.
        try await TestWorker.run(configure: { $0.maxQueuedWebSocketBytes = 256 * 1024 }) { endpoint, _ in
            let socket = try WebSocketConnection(endpoint)
            try socket.send(text: #"{"jsonrpc":"2.0","id":1,"method":"test.flood","params":[1000]}"#)
            var frames = 0
            var closed: UInt16?
            reading: while closed == nil {
                switch try socket.receive() {
                case .close(let code): closed = code ?? 0
                case .text(let text) where text.contains(#""id":1"#): break reading
                default: frames += 1
                }
            }
            #expect(closed == 1008)
            #expect(frames < 1000)
        }
    }
}
