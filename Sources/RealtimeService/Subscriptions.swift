import Foundation
public import JSONRPC
public import MentorLinkCore
import Synchronization

/// The subscriptions of this worker's WebSocket sessions: each is a listener on the ``EventBus``, ended by
/// `*.unsubscribe`, by the end of its scope, or when its session closes. At most ``limit`` per session.
///
/// A *scope* groups one session's subscriptions that live and die together (a room's channel and the participant's
/// direct channel): ``endScope(sessionId:scope:reason:)`` ends them all, tells the client with a
/// `subscription.ended` notification per subscription, and runs the scope's end handlers (``onScopeEnd(_:scope:_:)``)
/// once. A subscription may name a control predicate: an event on its channel for which it answers true is
/// delivered and then ends the scope at once, on whichever worker the session is (a removal published on a room's
/// channel ends the removed user's room subscriptions everywhere).
public final class Subscriptions: Sendable {
    let bus: any EventBus
    /// Subscriptions one connection may hold.
    public let limit: Int

    struct Entry {
        var feed: SubscriptionFeed
        var token: ListenerToken?
        var scope: String?
    }

    struct SessionState {
        var entries: [String: Entry] = [:]
        var scopeEnds: [String: [@Sendable () async -> Void]] = [:]
    }

    /// What ending a scope (or a session) must still do outside the lock.
    struct Detached {
        var feeds: [SubscriptionFeed] = []
        var tokens: [ListenerToken] = []
        var handlers: [@Sendable () async -> Void] = []
    }

    private let state = Mutex<[String: SessionState]>([:])

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
    ///
    /// With a `scope`, the subscription ends with it; `endsScope` (with a scope) is asked about each live event after
    /// it is delivered, and a true answer ends the scope.
    public func subscribe(
        _ context: RPCContext, channel: String, sinceSeq: Int64?, scope: String? = nil, endsScope: (@Sendable (ChannelEvent) -> Bool)? = nil
    ) async throws -> Subscribed {
        guard let session = context.session else { throw RealtimeError.webSocketRequired }
        let id = UUID().uuidString.lowercased()
        let feed = SubscriptionFeed(id: id, channel: channel, session: session)
        // Adding the entry and registering the close handler are one step per session record: whoever creates the
        // record registers the handler (which runs at once if the session already closed), so no entry can outlive
        // its session unseen.
        let added = state.withLock { state -> (ok: Bool, created: Bool) in
            let current = state[session.id]
            guard (current?.entries.count ?? 0) < limit else { return (false, false) }
            state[session.id, default: SessionState()].entries[id] = Entry(feed: feed, token: nil, scope: scope)
            return (true, current == nil)
        }
        guard added.ok else { throw RealtimeError.tooManySubscriptions(limit) }
        if added.created { session.onClose { [weak self] in self?.sessionClosed(session.id) } }
        do {
            let sessionId = session.id
            let token = try await bus.listen(channel: channel) { [weak self] event in
                feed.deliver(event)
                if let scope, let endsScope, endsScope(event), let self {
                    // Silence the scope now (nothing more reaches the client), release its listeners after.
                    let detached = self.detach(sessionId: sessionId, scope: scope, reason: "removed")
                    Task { await self.release(detached) }
                }
            }
            let kept = state.withLock { state -> Bool in
                guard state[session.id]?.entries[id] != nil else { return false }
                state[session.id]?.entries[id]?.token = token
                return true
            }
            // Ended while listen was under way (the session closed, or an unsubscribe or scope end came first):
            // the listener is released here, since nobody else knows its token.
            guard kept else {
                await bus.stopListening(token)
                throw RealtimeError.sessionClosed
            }
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
        guard state.withLock({ $0[session.id]?.entries[subscription] }) != nil else { throw RealtimeError.unknownSubscription }
        await end(sessionId: session.id, subscription: subscription)
    }

    /// Runs `body` once when the scope of `session` ends (its last subscription ends, ``endScope(sessionId:scope:reason:)``
    /// or the session closes); at once when the scope has no subscription (any more).
    public func onScopeEnd(_ session: any RPCSession, scope: String, _ body: @escaping @Sendable () async -> Void) async {
        let registered = state.withLock { state -> Bool in
            guard state[session.id]?.entries.values.contains(where: { $0.scope == scope }) == true else { return false }
            state[session.id]?.scopeEnds[scope, default: []].append(body)
            return true
        }
        if !registered { await body() }
    }

    /// Whether the session holds a subscription in `scope`.
    public func hasScope(sessionId: String, scope: String) -> Bool {
        state.withLock { $0[sessionId]?.entries.values.contains { $0.scope == scope } ?? false }
    }

    /// Ends every subscription of the session's scope, telling the client why with `subscription.ended` (when a reason is given).
    public func endScope(sessionId: String, scope: String, reason: String?) async {
        await release(detach(sessionId: sessionId, scope: scope, reason: reason))
    }

    /// Takes the scope's subscriptions out of the registry and silences their feeds (synchronously).
    func detach(sessionId: String, scope: String, reason: String?) -> Detached {
        let detached = state.withLock { state -> Detached in
            guard var session = state[sessionId] else { return Detached() }
            var detached = Detached()
            for (id, entry) in session.entries where entry.scope == scope {
                session.entries[id] = nil
                detached.feeds.append(entry.feed)
                if let token = entry.token { detached.tokens.append(token) }
            }
            detached.handlers = session.scopeEnds.removeValue(forKey: scope) ?? []
            state[sessionId] = session.entries.isEmpty && session.scopeEnds.isEmpty ? nil : session
            return detached
        }
        for feed in detached.feeds { feed.end(reason: reason) }
        return detached
    }

    /// Stops the listeners and runs the end handlers of what was detached.
    func release(_ detached: Detached) async {
        for token in detached.tokens { await bus.stopListening(token) }
        for handler in detached.handlers { await handler() }
    }

    func end(sessionId: String, subscription: String) async {
        let detached = state.withLock { state -> Detached in
            var detached = Detached()
            guard var session = state[sessionId], let entry = session.entries.removeValue(forKey: subscription) else { return detached }
            detached.feeds.append(entry.feed)
            if let token = entry.token { detached.tokens.append(token) }
            if let scope = entry.scope, !session.entries.values.contains(where: { $0.scope == scope }) {
                detached.handlers = session.scopeEnds.removeValue(forKey: scope) ?? []
            }
            state[sessionId] = session.entries.isEmpty && session.scopeEnds.isEmpty ? nil : session
            return detached
        }
        for feed in detached.feeds { feed.end(reason: nil) }
        await release(detached)
    }

    /// The session closed: its record leaves the registry at once (a subscribe still under way then releases its own
    /// listener), the feeds go quiet, and the listeners and scope handlers are released after.
    func sessionClosed(_ sessionId: String) {
        let detached = state.withLock { state -> Detached in
            guard let session = state.removeValue(forKey: sessionId) else { return Detached() }
            return Detached(
                feeds: session.entries.values.map(\.feed), tokens: session.entries.values.compactMap(\.token),
                handlers: session.scopeEnds.values.flatMap { $0 })
        }
        for feed in detached.feeds { feed.end(reason: nil) }
        guard !detached.tokens.isEmpty || !detached.handlers.isEmpty else { return }
        Task { await self.release(detached) }
    }

    /// Subscriptions held across all sessions (for metrics and tests).
    public var count: Int { state.withLock { $0.values.reduce(0) { $0 + $1.entries.count } } }
}
