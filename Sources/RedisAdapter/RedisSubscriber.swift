public import Logging
import NIOCore
public import ServiceLifecycle
import Synchronization

/// A message received on a subscribed channel.
public struct RedisMessage: Sendable, Hashable {
    public var channel: String
    public var payload: [UInt8]
}

/// The worker's one SUBSCRIBE connection. Channels are reference-counted by the caller; this keeps the set,
/// resubscribes after a reconnect, and yields every message on ``messages``.
public final class RedisSubscriber: Service, Sendable {
    let address: RedisAddress
    let logger: Logger
    let reconnect: RedisBackoff
    /// Every message on every subscribed channel, in arrival order.
    public let messages: AsyncStream<RedisMessage>
    private let continuation: AsyncStream<RedisMessage>.Continuation
    private let state = Mutex<(channels: Set<String>, connection: RedisConnection?)>(([], nil))
    private let confirmed = Mutex<[String: Int]>([:])

    /// Creates a subscriber; it connects when run, and reconnects after `reconnect`'s backoff (with jitter).
    public init(address: RedisAddress, logger: Logger, reconnect: RedisBackoff = RedisBackoff()) {
        self.address = address
        self.logger = logger
        self.reconnect = reconnect
        (messages, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Subscribes to a channel (idempotent).
    public func subscribe(_ channel: String) async throws {
        let connection = state.withLock { state -> RedisConnection? in
            state.channels.insert(channel)
            return state.connection
        }
        try await connection?.sendWithoutReply(["SUBSCRIBE", channel])
    }

    /// Unsubscribes from a channel.
    public func unsubscribe(_ channel: String) async throws {
        let connection = state.withLock { state -> RedisConnection? in
            state.channels.remove(channel)
            return state.connection
        }
        try await connection?.sendWithoutReply(["UNSUBSCRIBE", channel])
    }

    /// Whether Redis confirmed the subscription to `channel` on the current connection.
    public func isSubscribed(_ channel: String) -> Bool { confirmed.withLock { ($0[channel] ?? 0) > 0 } }

    /// Keeps the connection up until graceful shutdown or cancellation, reconnecting with exponential backoff and
    /// jitter (reset once a connection was up).
    public func run() async throws {
        let closeConnection: @Sendable () -> Void = {
            let connection = self.state.withLock { $0.connection }
            connection?.channel.close(promise: nil)
        }
        await withTaskCancellationHandler {
            await serve(onShutdown: closeConnection)
        } onCancel: {
            closeConnection()
        }
        continuation.finish()
    }

    private func serve(onShutdown: @escaping @Sendable () -> Void) async {
        await withGracefulShutdownHandler {
            var failures = 0
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await connectAndServe()
                    failures = 0
                } catch {
                    failures += 1
                    logger.warning(
                        "redis.subscriber_down", metadata: ["error": .string(String(describing: error)), "failures": .string("\(failures)")])
                }
                try? await Task.sleep(for: reconnect.delay(afterFailures: max(failures, 1)))
            }
        } onGracefulShutdown: {
            onShutdown()
        }
    }

    private func connectAndServe() async throws {
        let connection = try await RedisConnection.connect(to: address) { [weak self] value in self?.handle(push: value) }
        let channels = state.withLock { state in
            state.connection = connection
            return state.channels
        }
        confirmed.withLock { $0 = [:] }
        if Task.isCancelled || Task.isShuttingDownGracefully { try? await connection.channel.close() }
        for channel in channels { try await connection.sendWithoutReply(["SUBSCRIBE", channel]) }
        try? await connection.channel.closeFuture.get()
        state.withLock { $0.connection = nil }
        confirmed.withLock { $0 = [:] }
    }

    private func handle(push value: RedisValue) {
        guard case .array(let items?) = value, items.count >= 3, let kind = items[0].string, let channel = items[1].string else { return }
        switch kind {
        case "message": if case .bulk(let payload?) = items[2] { continuation.yield(RedisMessage(channel: channel, payload: payload)) }
        case "subscribe": confirmed.withLock { $0[channel] = 1 }
        case "unsubscribe": confirmed.withLock { $0[channel] = 0 }
        default: break
        }
    }
}
