import Foundation
public import Logging
public import MentorLinkCore
public import ServiceLifecycle
import Synchronization

/// ``EventBus`` on Redis: a Lua script numbers each event (`INCR`), keeps the last ``historyLength`` in a sorted set
/// and `PUBLISH`es it, atomically, so every subscriber sees a channel's events in seq order. Each worker subscribes
/// once per channel on its ``RedisSubscriber`` (reference-counted here) and fans messages out to local listeners.
public final class RedisEventBus: EventBus, Service, Sendable {
    let client: RedisClient
    let subscriber: RedisSubscriber
    let logger: Logger
    /// Events kept per channel for reconnecting clients.
    public let historyLength: Int
    private let listeners = Mutex<(next: Int, byChannel: [String: [Int: @Sendable (ChannelEvent) -> Void]])>((0, [:]))

    static let publishScript = """
        local seq = redis.call('INCR', KEYS[1] .. ':seq')
        local message = '{"seq":' .. seq .. ',"event":' .. ARGV[1] .. '}'
        redis.call('ZADD', KEYS[1] .. ':history', seq, message)
        redis.call('ZREMRANGEBYRANK', KEYS[1] .. ':history', 0, -(tonumber(ARGV[2]) + 1))
        redis.call('EXPIRE', KEYS[1] .. ':history', 86400)
        redis.call('EXPIRE', KEYS[1] .. ':seq', 86400 * 7)
        redis.call('PUBLISH', KEYS[1], message)
        return seq
        """

    /// A bus over a client (commands) and the worker's subscriber connection.
    public init(client: RedisClient, subscriber: RedisSubscriber, logger: Logger, historyLength: Int = 100) {
        self.client = client
        self.subscriber = subscriber
        self.logger = logger
        self.historyLength = historyLength
    }

    static func key(_ channel: String) -> String { "ml:ch:\(channel)" }

    public func publish(channel: String, event: [UInt8]) async throws -> Int64 {
        let reply = try await client.send(
            "EVAL", Self.publishScript, "1", Self.key(channel), String(decoding: event, as: UTF8.self), "\(historyLength)")
        guard let seq = reply.integer else { throw RedisAdapterError.protocolError("EVAL returned \(reply)") }
        return seq
    }

    public func history(channel: String, after seq: Int64) async throws -> ChannelHistory {
        let key = Self.key(channel)
        let replies = try await client.pipeline([["GET", "\(key):seq"], ["ZRANGEBYSCORE", "\(key):history", "(\(seq)", "+inf"]])
        let latest = replies[0].string.flatMap { Int64($0) } ?? 0
        var events: [ChannelEvent] = []
        if case .array(let items?) = replies[1] {
            for item in items { if let text = item.string, let event = Self.decode(channel: channel, text) { events.append(event) } }
        }
        let complete = latest <= seq || events.first?.seq == seq + 1
        return ChannelHistory(events: complete ? events : [], recovered: complete, latest: latest)
    }

    public func listen(channel: String, _ handler: @escaping @Sendable (ChannelEvent) -> Void) async throws -> ListenerToken {
        let (id, first) = listeners.withLock { state -> (Int, Bool) in
            state.next += 1
            let first = state.byChannel[channel]?.isEmpty ?? true
            state.byChannel[channel, default: [:]][state.next] = handler
            return (state.next, first)
        }
        if first { try await subscriber.subscribe(Self.key(channel)) }
        // Wait (briefly) until Redis confirms, so nothing published after this call returns is missed.
        for _ in 0..<400 where !subscriber.isSubscribed(Self.key(channel)) { try await Task.sleep(for: .milliseconds(5)) }
        return ListenerToken(channel: channel, id: id)
    }

    public func stopListening(_ token: ListenerToken) async {
        let last = listeners.withLock { state -> Bool in
            state.byChannel[token.channel]?[token.id] = nil
            if state.byChannel[token.channel]?.isEmpty == true {
                state.byChannel[token.channel] = nil
                return true
            }
            return false
        }
        if last { try? await subscriber.unsubscribe(Self.key(token.channel)) }
    }

    /// Local listeners across all channels (for metrics and tests).
    public var listenerCount: Int { listeners.withLock { $0.byChannel.values.reduce(0) { $0 + $1.count } } }

    /// Whether this worker's upstream subscription to `channel` is confirmed by Redis.
    public func isSubscribed(_ channel: String) -> Bool { subscriber.isSubscribed(Self.key(channel)) }

    /// Fans messages from the subscriber out to local listeners until shutdown.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await message in subscriber.messages {
                guard message.channel.hasPrefix("ml:ch:") else { continue }
                let channel = String(message.channel.dropFirst("ml:ch:".count))
                guard let event = Self.decode(channel: channel, String(decoding: message.payload, as: UTF8.self)) else { continue }
                let handlers = listeners.withLock { Array(($0.byChannel[channel] ?? [:]).values) }
                for handler in handlers { handler(event) }
            }
        } onGracefulShutdown: {
        }
    }

    /// `{"seq":N,"event":{…}}` → the event (the event's bytes are kept as they were published).
    static func decode(channel: String, _ text: String) -> ChannelEvent? {
        guard text.hasPrefix("{\"seq\":"), let comma = text.firstIndex(of: ","),
            let seq = Int64(text[text.index(text.startIndex, offsetBy: 7)..<comma]), text.hasSuffix("}"),
            let start = text.range(of: "\"event\":")?.upperBound
        else { return nil }
        let body = text[start..<text.index(before: text.endIndex)]
        return ChannelEvent(channel: channel, seq: seq, event: Array(body.utf8))
    }
}
