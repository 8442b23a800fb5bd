import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import OperationsService
import ServiceSupport
import Testing

/// `admin.deadLetters.list` and `admin.deadLetters.replay` on an in-memory dead-letter store.
@Suite struct DeadLetterServiceTests {
    let clock = TestClock(Instant(iso8601: "2027-05-03T06:00:00Z")!)
    let store: InMemoryDeadLetterStore
    let dispatcher: RPCDispatcher
    let admin = Caller(id: UUID(), roles: [.admin])

    init() {
        let clock = self.clock
        store = InMemoryDeadLetterStore(now: { clock.now })
        var registry = MethodRegistry()
        registry.mount(DeadLetterService(store: store, cursors: .random()))
        dispatcher = RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "0"))
    }

    @discardableResult func park(
        _ consumer: String = "notifications", offset: Int64, value: String = #"{"id":41,"type":"booking.confirmed"}"#, attempts: Int = 3
    ) async throws -> Int64 {
        try await store.park(
            FailedMessage(
                consumer: consumer, topic: "events", partition: 0, offset: offset, key: [], value: Array(value.utf8), error: "boom",
                attempts: attempts))
    }

    func items(_ outcome: Outcome) -> [[String: Any]] { outcome.result?["items"] as? [[String: Any]] ?? [] }

    @Test func onlyAdminsSeeDeadLetters() async throws {
        #expect(try await dispatcher.call("admin.deadLetters.list", as: nil).reason == "unauthenticated")
        #expect(try await dispatcher.call("admin.deadLetters.list", as: Caller(id: UUID(), roles: [.mentor])).reason == "forbidden")
        #expect(try await dispatcher.call("admin.deadLetters.replay", #"{"id":1}"#, as: Caller(id: UUID(), roles: [.mentee])).reason == "forbidden")
    }

    @Test func listShowsTheEnvelopeAndFiltersByConsumer() async throws {
        try await park(offset: 1)
        try await park("email", offset: 2, value: "not json")
        let all = items(try await dispatcher.call("admin.deadLetters.list", as: admin))
        #expect(all.count == 2)
        let first = try #require(all.first)
        #expect(first["eventId"] as? Int == 41 && first["eventType"] as? String == "booking.confirmed" && first["state"] as? String == "parked")
        #expect(first["attempts"] as? Int == 3 && first["error"] as? String == "boom" && first["parkedAt"] as? String == "2027-05-03T06:00:00Z")
        #expect(all.last?["eventId"] == nil && all.last?["bytes"] as? Int == 8)
        let email = items(try await dispatcher.call("admin.deadLetters.list", #"{"consumer":"email"}"#, as: admin))
        #expect(email.count == 1 && email.first?["consumer"] as? String == "email")
    }

    @Test func parkingTheSameMessageAgainAddsItsAttempts() async throws {
        let id = try await park(offset: 7, attempts: 3)
        #expect(try await park(offset: 7, attempts: 2) == id)
        let letter = try #require(try await store.deadLetters(consumer: nil, afterId: nil, limit: 10).first)
        #expect(letter.attempts == 5 && letter.state == .parked)
    }

    @Test func listPages() async throws {
        for offset in 1...5 { try await park(offset: Int64(offset)) }
        var offsets: [Int] = []
        var cursor: String?
        repeat {
            let params = cursor.map { #"{"limit":2,"cursor":"\#($0)"}"# } ?? #"{"limit":2}"#
            let page = try await dispatcher.call("admin.deadLetters.list", params, as: admin)
            offsets += items(page).compactMap { $0["offset"] as? Int }
            cursor = page.result?["nextCursor"] as? String
        } while cursor != nil && offsets.count < 10
        #expect(offsets == [1, 2, 3, 4, 5])
    }

    @Test(arguments: [
        (#"{"consumer":"media"}"#, ["consumer"]), (#"{"limit":0}"#, ["limit"]), (#"{"limit":201}"#, ["limit"]), (#"{"cursor":"AAAA"}"#, ["cursor"]),
        (#"{"consumer":"x","limit":-1,"cursor":"y"}"#, ["consumer", "limit", "cursor"]),
    ]) func badParamsNameTheirFields(params: String, fields: [String]) async throws {
        let outcome = try await dispatcher.call("admin.deadLetters.list", params, as: admin)
        #expect(outcome.reason == "invalid_params")
        #expect(outcome.invalidFields == fields)
    }

    @Test func replayRequestsOnceAndRefusesWhatWasReplayed() async throws {
        let id = try await park(offset: 1)
        let requested = try await dispatcher.call("admin.deadLetters.replay", #"{"id":\#(id)}"#, as: admin)
        #expect(requested.result?["state"] as? String == "replaying")
        // Asking again while it waits changes nothing.
        #expect(try await dispatcher.call("admin.deadLetters.replay", #"{"id":\#(id)}"#, as: admin).result?["state"] as? String == "replaying")
        #expect(try await store.replaying(consumer: "notifications", limit: 10).map(\.id) == [id])
        #expect(try await store.replaying(consumer: "email", limit: 10).isEmpty)
        clock.advance(minutes: 5)
        try await store.finishReplay(id: id, error: nil)
        let replayed = try #require(try await store.deadLetters(consumer: nil, afterId: nil, limit: 1).first)
        #expect(replayed.state == .replayed && replayed.attempts == 4 && replayed.replayedAt == clock.now)
        let again = try await dispatcher.call("admin.deadLetters.replay", #"{"id":\#(id)}"#, as: admin)
        #expect(again.reason == "invalid_state")
        // Parking it again (a redelivery) leaves it replayed.
        try await park(offset: 1)
        #expect(try await store.deadLetters(consumer: nil, afterId: nil, limit: 1).first?.state == .replayed)
        #expect(try await dispatcher.call("admin.deadLetters.replay", #"{"id":\#(id + 100)}"#, as: admin).reason == "not_found")
    }

    @Test func aReplayThatFailsIsParkedAgain() async throws {
        let id = try await park(offset: 1)
        _ = try await dispatcher.call("admin.deadLetters.replay", #"{"id":\#(id)}"#, as: admin)
        try await store.finishReplay(id: id, error: "still broken")
        let letter = try #require(try await store.deadLetters(consumer: nil, afterId: nil, limit: 1).first)
        #expect(letter.state == .parked && letter.attempts == 4 && letter.error == "still broken")
        #expect(try await dispatcher.call("admin.deadLetters.replay", #"{"id":\#(id)}"#, as: admin).result?["state"] as? String == "replaying")
    }
}
