public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/EventBus`` in memory, for the workers of one process: events are numbered per channel, the last
/// ``historyLength`` kept for reconnecting subscribers, and delivered to every listener before ``publish(channel:event:)``
/// returns, in seq order (as Redis's one subscription per channel delivers them).
///
/// Several services handed the same bus behave like workers sharing one Redis.
public final class InMemoryEventBus: EventBus {
    struct Channel {
        var latest: Int64 = 0
        var history: [ChannelEvent] = []
        var listeners: [Int: @Sendable (ChannelEvent) -> Void] = [:]
    }

    /// Events kept per channel.
    public let historyLength: Int
    private let channels = Mutex<(next: Int, byName: [String: Channel])>((0, [:]))
    /// Held while one event is delivered, so listeners see a channel's events one at a time and in order.
    private let delivery = Mutex(())
    /// Takes Redis away.
    public let outage = Outage("redis")

    /// An empty bus keeping `historyLength` events per channel (Redis's default: 100).
    public init(historyLength: Int = 100) { self.historyLength = historyLength }

    @discardableResult public func publish(channel: String, event: [UInt8]) async throws -> Int64 {
        try outage.check()
        let historyLength = self.historyLength
        return delivery.withLock { _ in
            let (numbered, listeners) = channels.withLock { state -> (ChannelEvent, [@Sendable (ChannelEvent) -> Void]) in
                var entry = state.byName[channel] ?? Channel()
                entry.latest += 1
                let numbered = ChannelEvent(channel: channel, seq: entry.latest, event: event)
                entry.history.append(numbered)
                if entry.history.count > historyLength { entry.history.removeFirst(entry.history.count - historyLength) }
                state.byName[channel] = entry
                return (numbered, entry.listeners.sorted { $0.key < $1.key }.map(\.value))
            }
            for listener in listeners { listener(numbered) }
            return numbered.seq
        }
    }

    public func history(channel: String, after seq: Int64) async throws -> ChannelHistory {
        try outage.check()
        let (latest, kept) = channels.withLock { state in (state.byName[channel]?.latest ?? 0, state.byName[channel]?.history ?? []) }
        let events = kept.filter { $0.seq > seq }
        let complete = latest <= seq || events.first?.seq == seq + 1
        return ChannelHistory(events: complete ? events : [], recovered: complete, latest: latest)
    }

    public func listen(channel: String, _ handler: @escaping @Sendable (ChannelEvent) -> Void) async throws -> ListenerToken {
        try outage.check()
        let id = channels.withLock { state in
            state.next += 1
            state.byName[channel, default: Channel()].listeners[state.next] = handler
            return state.next
        }
        return ListenerToken(channel: channel, id: id)
    }

    public func stopListening(_ token: ListenerToken) async {
        channels.withLock { _ = $0.byName[token.channel]?.listeners.removeValue(forKey: token.id) }
    }

    /// Listeners across all channels (to check that nothing is left listening).
    public var listenerCount: Int { channels.withLock { $0.byName.values.reduce(0) { $0 + $1.listeners.count } } }

    /// The events kept of `channel`, oldest first.
    public func events(_ channel: String) -> [ChannelEvent] { channels.withLock { $0.byName[channel]?.history ?? [] } }
}
