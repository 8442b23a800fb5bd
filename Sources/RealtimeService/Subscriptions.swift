import Foundation
public import JSONRPC
public import MentorLinkCore
import Synchronization

/// The subscriptions of this worker's WebSocket sessions: each is a listener on the ``EventBus``, ended by
/// `*.unsubscribe` or when its session closes. At most ``limit`` per session.
public final class Subscriptions: Sendable {
    let bus: any EventBus
    /// Subscriptions one connection may hold.
    public let limit: Int
    private let state = Mutex<[String: [String: (feed: SubscriptionFeed, token: ListenerToken?)]]>([:])

    /// A registry over a bus.
    public init(bus: any EventBus, limit: Int = 50) {
        self.bus = bus
        self.limit = limit
    }

    /// What a subscribe call returns.
    public struct Subscribed: Codable, Sendable {
        public var subscription: String
        public var channel: String
        /// The channel's latest seq when subscribed.
        public var seq: Int64
        /// With `sinceSeq`: whether everything missed was replayed (false: the gap is too old; reload instead).
        public var recovered: Bool?
    }

    /// Subscribes the call's session to `channel`, replaying what came after `sinceSeq`.
    public func subscribe(_ context: RPCContext, channel: String, sinceSeq: Int64?) async throws -> Subscribed {
        guard let session = context.session else { throw RealtimeError.webSocketRequired }
        let id = UUID().uuidString.lowercased()
        let feed = SubscriptionFeed(id: id, channel: channel, session: session)
        let added = state.withLock { state -> Bool in
            let current = state[session.id] ?? [:]
            guard current.count < limit else { return false }
            state[session.id, default: [:]][id] = (feed, nil)
            return true
        }
        guard added else { throw RealtimeError.tooManySubscriptions(limit) }
        if state.withLock({ $0[session.id]?.count }) == 1 {
            session.onClose { [weak self] in
                guard let self else { return }
                Task { await self.endAll(sessionId: session.id) }
            }
        }
        do {
            let token = try await bus.listen(channel: channel) { feed.deliver($0) }
            state.withLock { $0[session.id]?[id]?.token = token }
            let history = try await bus.history(channel: channel, after: sinceSeq ?? Int64.max)
            feed.finishReplay(sinceSeq == nil ? [] : history.events, startingAfter: sinceSeq ?? history.latest)
            return Subscribed(subscription: id, channel: channel, seq: history.latest, recovered: sinceSeq == nil ? nil : history.recovered)
        } catch {
            await end(sessionId: session.id, subscription: id)
            throw error
        }
    }

    /// Ends one subscription of the call's session.
    public func unsubscribe(_ context: RPCContext, subscription: String) async throws {
        guard let session = context.session else { throw RealtimeError.webSocketRequired }
        guard state.withLock({ $0[session.id]?[subscription] }) != nil else { throw RealtimeError.unknownSubscription }
        await end(sessionId: session.id, subscription: subscription)
    }

    func end(sessionId: String, subscription: String) async {
        let token = state.withLock { state -> ListenerToken? in
            let entry = state[sessionId]?.removeValue(forKey: subscription)
            if state[sessionId]?.isEmpty == true { state[sessionId] = nil }
            return entry?.token
        }
        if let token { await bus.stopListening(token) }
    }

    func endAll(sessionId: String) async {
        let tokens = state.withLock { state in (state.removeValue(forKey: sessionId) ?? [:]).values.compactMap(\.token) }
        for token in tokens { await bus.stopListening(token) }
    }

    /// Subscriptions held across all sessions (for metrics and tests).
    public var count: Int { state.withLock { $0.values.reduce(0) { $0 + $1.count } } }
}
