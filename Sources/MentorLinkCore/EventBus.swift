/// An event on a channel, numbered: `seq` grows by one per channel.
public struct ChannelEvent: Sendable, Hashable {
    public var channel: String
    public var seq: Int64
    /// The event as a JSON object's bytes.
    public var event: [UInt8]

    public init(channel: String, seq: Int64, event: [UInt8]) {
        self.channel = channel
        self.seq = seq
        self.event = event
    }
}

/// What a reconnecting subscriber missed.
public struct ChannelHistory: Sendable, Hashable {
    /// The missed events in order.
    public var events: [ChannelEvent]
    /// False when the gap is older than the kept history (the client must reload instead).
    public var recovered: Bool
    /// The channel's latest seq.
    public var latest: Int64

    public init(events: [ChannelEvent], recovered: Bool, latest: Int64) {
        self.events = events
        self.recovered = recovered
        self.latest = latest
    }
}

/// Identifies one local listener.
public struct ListenerToken: Sendable, Hashable {
    public var channel: String
    public var id: Int

    public init(channel: String, id: Int) {
        self.channel = channel
        self.id = id
    }
}

/// Publish/subscribe across worker processes (Redis behind it): a publish on any worker reaches the listeners on
/// every worker; each worker holds one upstream subscription per channel, however many local listeners it has.
public protocol EventBus: Sendable {
    /// Numbers the event, keeps it in the channel's recent history and delivers it everywhere; returns its seq.
    @discardableResult func publish(channel: String, event: [UInt8]) async throws -> Int64
    /// Events after `seq` from the recent history.
    func history(channel: String, after seq: Int64) async throws -> ChannelHistory
    /// Delivers the channel's events to `handler` until ``stopListening(_:)``.
    func listen(channel: String, _ handler: @escaping @Sendable (ChannelEvent) -> Void) async throws -> ListenerToken
    /// Ends a listener; the last one of a channel ends the upstream subscription.
    func stopListening(_ token: ListenerToken) async
}
