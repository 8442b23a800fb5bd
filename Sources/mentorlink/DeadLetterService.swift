import Foundation
import JSONRPC
import MentorLinkCore
import ServiceSupport

/// `admin.deadLetters.list` and `admin.deadLetters.replay`: the messages the event consumers parked after their
/// retries, and a replay that the consumer named in the dead letter runs (it polls for requests every few seconds).
///
/// Lives in the executable because the event pipeline's module does not link JSONRPC; it only maps params to the
/// ``DeadLetterStore`` and back.
struct DeadLetterService: RPCService {
    let store: any DeadLetterStore
    let cursors: CursorCodec

    static let cursorScope = "admin.deadLetters.list"
    static let consumers: Set<String> = ["notifications", "email"]

    struct ListParams: Codable, Sendable {
        var consumer: String?
        var cursor: String?
        var limit: Int?
    }

    struct ReplayParams: Codable, Sendable {
        var id: Int64
    }

    /// A dead letter as an admin sees it: where it was read, the event it carried, why it failed, its state.
    struct Item: Codable, Sendable {
        var id: Int64
        var consumer: String
        var topic: String
        var partition: Int32
        var offset: Int64
        var eventId: Int64?
        var eventType: String?
        var bytes: Int
        var error: String
        var attempts: Int
        var state: DeadLetter.State
        var parkedAt: Instant
        var replayedAt: Instant?

        init(_ letter: DeadLetter) {
            let event = (try? JSONSerialization.jsonObject(with: Data(letter.value))) as? [String: Any]
            id = letter.id
            consumer = letter.consumer
            topic = letter.topic
            partition = letter.partition
            offset = letter.offset
            eventId = (event?["id"] as? NSNumber)?.int64Value
            eventType = event?["type"] as? String
            bytes = letter.value.count
            error = letter.error
            attempts = letter.attempts
            state = letter.state
            parkedAt = letter.parkedAt
            replayedAt = letter.replayedAt
        }
    }

    struct Page: Codable, Sendable {
        var items: [Item]
        var nextCursor: String?
    }

    func register(into registry: inout MethodRegistry) {
        registry.register(
            "admin.deadLetters.list", summary: "Messages the event consumers parked after their retries, oldest first.", access: .only(.admin),
            handler: list)
        registry.register(
            "admin.deadLetters.replay", summary: "Run a parked message through its consumer again (within a few seconds).",
            access: .only(.admin), handler: replay)
    }

    func list(_ params: ListParams, _ context: RPCContext) async throws -> Page {
        var problems: [FieldProblem] = []
        if let consumer = params.consumer, !Self.consumers.contains(consumer) {
            problems.append(FieldProblem(field: "consumer", problem: "one of \(Self.consumers.sorted().joined(separator: ", "))"))
        }
        if let limit = params.limit, !(1...200).contains(limit) { problems.append(FieldProblem(field: "limit", problem: "from 1 to 200")) }
        var after: Int64?
        if let cursor = params.cursor {
            if var payload = cursors.open(cursor, scope: Self.cursorScope), let id = payload.readInt64(), payload.isAtEnd, id >= 0 {
                after = id
            } else {
                problems.append(FieldProblem(field: "cursor", problem: "invalid"))
            }
        }
        guard problems.isEmpty else { throw RPCError.invalidParams(problems) }
        let limit = params.limit ?? 50
        let letters = try await store.deadLetters(consumer: params.consumer, afterId: after, limit: limit)
        var next: String?
        if letters.count == limit, let last = letters.last {
            var payload = CursorPayload()
            payload.append(last.id)
            next = cursors.seal(payload, scope: Self.cursorScope)
        }
        return Page(items: letters.map(Item.init), nextCursor: next)
    }

    func replay(_ params: ReplayParams, _ context: RPCContext) async throws -> Item {
        guard let letter = try await store.requestReplay(id: params.id) else {
            throw RPCError(code: -32004, message: "No such dead letter", reason: "not_found")
        }
        guard letter.state != .replayed else {
            throw RPCError(code: -32025, message: "Not possible now: already replayed", reason: "invalid_state")
        }
        return Item(letter)
    }
}
