public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// `admin.deadLetters.list` and `admin.deadLetters.replay`: the messages the event consumers parked after their
/// retries, and a replay that the consumer named in the dead letter runs (it polls for requests every few seconds).
/// It only maps params to the ``MentorLinkCore/DeadLetterStore`` and back.
public struct DeadLetterService: RPCService {
    let store: any DeadLetterStore
    let cursors: CursorCodec

    static let cursorScope = "admin.deadLetters.list"
    /// The consumers that park messages (the `consumer` filter's values).
    public static let consumers: Set<String> = ["notifications", "email"]

    /// Creates the service; `cursors` seals its page cursors (shared by every worker).
    public init(store: any DeadLetterStore, cursors: CursorCodec) {
        self.store = store
        self.cursors = cursors
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register(
            "admin.deadLetters.list", summary: "Messages the event consumers parked after their retries, oldest first.", access: .only(.admin),
            handler: list)
        registry.register(
            "admin.deadLetters.replay", summary: "Run a parked message through its consumer again (within a few seconds).", access: .only(.admin),
            handler: replay)
    }

    func list(_ params: DeadLetterListParams, _ context: RPCContext) async throws -> DeadLetterPage {
        var checks = FieldChecks()
        if let consumer = params.consumer {
            checks.expect(Self.consumers.contains(consumer), "consumer", "one of \(Self.consumers.sorted().joined(separator: ", "))")
        }
        if let limit = params.limit { checks.expect((1...200).contains(limit), "limit", "from 1 to 200") }
        var after: Int64?
        if let cursor = params.cursor {
            after = cursors.keyset(cursor, scope: Self.cursorScope, timeKeyed: false).map(\.key).flatMap { $0 >= 0 ? $0 : nil }
            checks.expect(after != nil, "cursor", "invalid")
        }
        try checks.check()
        let limit = params.limit ?? 50
        let letters = try await store.deadLetters(consumer: params.consumer, afterId: after, limit: limit)
        let next = cursors.nextCursor(letters, limit: limit, scope: Self.cursorScope) { PageCursor(key: $0.id) }
        return DeadLetterPage(items: letters.map(DeadLetterItem.init), nextCursor: next)
    }

    func replay(_ params: DeadLetterReplayParams, _ context: RPCContext) async throws -> DeadLetterItem {
        guard let letter = try await store.requestReplay(id: params.id) else { throw ErrorCode.notFound.error("No such dead letter") }
        guard letter.state != .replayed else { throw ErrorCode.invalidState.error("Not possible now: already replayed") }
        return DeadLetterItem(letter)
    }
}
