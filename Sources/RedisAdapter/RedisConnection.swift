import NIOCore
import NIOPosix

/// One connection to Redis. Commands are pipelined: many may be in flight, replies match them in order.
/// In subscriber mode every reply is a push handed to `onPush`.
final class RedisConnection: Sendable {
    let channel: any Channel

    private init(channel: any Channel) { self.channel = channel }

    static func connect(
        to address: RedisAddress, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, onPush: (@Sendable (RedisValue) -> Void)? = nil
    ) async throws -> RedisConnection {
        let bootstrap = ClientBootstrap(group: group).connectTimeout(.seconds(2)).channelInitializer { channel in
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

    /// Sends the commands in one write and returns their replies in order. Without every reply within `timeout` it
    /// fails with ``RedisAdapterError/timeout`` and closes the connection: a reply that comes late would otherwise
    /// be taken as the answer to the next command.
    func send(_ commands: [[String]], timeout: Duration) async throws -> [RedisValue] {
        var buffer = channel.allocator.buffer(capacity: 64 * commands.count)
        for command in commands { RESPFormatter.format(command, into: &buffer) }
        let promise = channel.eventLoop.makePromise(of: [RedisValue].self)
        let channel = self.channel
        let nanoseconds = max(
            1, timeout.components.seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + timeout.components.attoseconds / 1_000_000_000
        )
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            promise.fail(RedisAdapterError.timeout)  // a no-op when the replies came first
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
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

    func close() async { try? await channel.close() }
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

    private func failAll() { while let next = pending.popFirst() { next.promise.fail(RedisAdapterError.connectionClosed) } }
}

/// Exponential backoff with jitter between connection attempts: after `n` failures in a row, wait between half and
/// all of `initial`·2ⁿ⁻¹, at most `maximum` — so clients that lost Redis together do not all come back at once.
public struct RedisBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration

    /// Defaults: 100 ms doubling up to 5 s.
    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after `failures` failed attempts in a row (at least 1).
    public func delay(afterFailures failures: Int) -> Duration {
        let base = min(Self.seconds(maximum), Self.seconds(initial) * Double(1 << min(max(failures - 1, 0), 30)))
        return .milliseconds(Int64((base / 2 + Double.random(in: 0...(base / 2))) * 1000))
    }

    static func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
}
