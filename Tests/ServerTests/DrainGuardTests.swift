import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Server

/// The guard on an in-memory connection: HTTP decoder and encoder, then the guard.
@Suite struct DrainGuardTests {
    func connection() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
        try channel.pipeline.syncOperations.addHandler(DrainGuard(logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/drain-guard-test.sock")).wait()
        return channel
    }

    func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else { continue }
            text += String(buffer: buffer)
        }
        return text
    }

    let request = "POST /rpc HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-123\r\nContent-Length: 2\r\n\r\n{}"

    @Test func aRequestBeforeTheDrainPassesAndTheGuardLeaves() throws {
        let channel = try connection()
        try channel.writeInbound(ByteBuffer(string: request))
        guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no head")
            return
        }
        #expect(head.uri == "/rpc")
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: DrainGuard.self) }
        // Hummingbird's own quiescing applies from here on: the guard no longer closes anything.
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(channel.isActive)
        #expect(try written(channel).isEmpty)
    }

    @Test func theFirstRequestAfterTheDrainIsRefusedAndTheConnectionClosedAfterIt() throws {
        let channel = try connection()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        try channel.writeInbound(ByteBuffer(string: String(request.dropLast())))  // the body's last byte still to come
        let answer = try written(channel)
        #expect(answer.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        for field in ["Connection: close", "Retry-After: 1", "X-Request-Id: abc-123", "Content-Type: application/json"] {
            #expect(answer.contains("\r\n\(field)\r\n"))
        }
        #expect(answer.contains(#""reason":"unavailable""#) && answer.contains(#""retryable":true"#))
        #expect(channel.isActive, "closed before the request was read to its end")
        try channel.writeInbound(ByteBuffer(string: "}"))
        #expect(!channel.isActive)
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil, "the refused request reached the handler")
    }

    @Test func aConnectionWithoutARequestClosesAfterTheGrace() throws {
        let channel = try connection()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(249))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
        #expect(try written(channel).isEmpty)
    }

    @Test func aRefusedRequestWhoseBodyNeverEndsIsCutOffAfterTheGrace() throws {
        let channel = try connection()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        try channel.writeInbound(ByteBuffer(string: "POST /rpc HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"))
        #expect(try written(channel).hasPrefix("HTTP/1.1 503"))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(250))
        #expect(!channel.isActive)
    }
}
