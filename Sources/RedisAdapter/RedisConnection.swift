import NIOCore
import NIOPosix

/// One connection to Redis. Commands are pipelined: many may be in flight, replies match them in order.
/// In subscriber mode every reply is a push handed to `onPush`.
final class RedisConnection: Sendable {
    let channel: any Channel

    private init(channel: any Channel) { self.channel = channel }

    static func connect(
        to address: RedisAddress,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onPush: (@Sendable (RedisValue) -> Void)? = nil
    ) async throws -> RedisConnection {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(2))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler(onPush: onPush))
                }
            }
        let channel: any Channel
        switch address {
        case .unix(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
        case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port).get()
        }
        return RedisConnection(channel: channel)
    }

    /// Sends the commands in one write and returns their replies in order.
    func send(_ commands: [[String]]) async throws -> [RedisValue] {
        var buffer = channel.allocator.buffer(capacity: 64 * commands.count)
        for command in commands { RESPFormatter.format(command, into: &buffer) }
        let promise = channel.eventLoop.makePromise(of: [RedisValue].self)
        channel.writeAndFlush(RedisOutbound(bytes: buffer, replies: commands.count, promise: promise), promise: nil)
        return try await promise.futureResult.get()
    }

    /// Sends commands whose answers arrive as pushes (SUBSCRIBE and friends).
    func sendWithoutReply(_ command: [String]) async throws {
        var buffer = channel.allocator.buffer(capacity: 64)
        RESPFormatter.format(command, into: &buffer)
        try await channel.writeAndFlush(RedisOutbound(bytes: buffer, replies: 0, promise: nil))
    }

    var isActive: Bool { channel.isActive }

    func close() async {
        try? await channel.close()
    }
}

struct RedisOutbound {
    var bytes: ByteBuffer
    var replies: Int
    var promise: EventLoopPromise<[RedisValue]>?
}

/// Matches replies to the commands written before them.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RedisValue
    typealias OutboundIn = RedisOutbound
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var remaining: Int
        var collected: [RedisValue]
        var promise: EventLoopPromise<[RedisValue]>
    }

    private var pending = CircularBuffer<Pending>()
    private let onPush: (@Sendable (RedisValue) -> Void)?

    init(onPush: (@Sendable (RedisValue) -> Void)?) { self.onPush = onPush }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let outbound = unwrapOutboundIn(data)
        if let replyPromise = outbound.promise, outbound.replies > 0 {
            pending.append(Pending(remaining: outbound.replies, collected: [], promise: replyPromise))
        }
        context.write(wrapOutboundOut(outbound.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if let onPush {
            onPush(value)
            return
        }
        guard var first = pending.first else { return }
        first.collected.append(value)
        first.remaining -= 1
        if first.remaining == 0 {
            pending.removeFirst()
            first.promise.succeed(first.collected)
        } else {
            pending[pending.startIndex] = first
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll()
        context.close(promise: nil)
    }

    private func failAll() {
        while let next = pending.popFirst() { next.promise.fail(RedisAdapterError.connectionClosed) }
    }
}
