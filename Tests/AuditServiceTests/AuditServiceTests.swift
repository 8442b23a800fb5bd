import AuditService
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// `audit.list` and `audit.verify` on an in-memory hash-chained log.
@Suite struct AuditServiceTests {
    let clock = TestClock(Instant(iso8601: "2027-05-03T06:00:00Z")!)
    let log: InMemoryIdentityStore
    let dispatcher: RPCDispatcher
    let admin = Caller(id: UUID(), roles: [.admin])

    init() {
        let clock = self.clock
        log = InMemoryIdentityStore(now: { clock.now })
        var registry = MethodRegistry()
        registry.mount(AuditService(log: log))
        dispatcher = RPCDispatcher(registry: registry, info: OpenRPCInfo(title: "t", version: "0"))
    }

    /// Appends `count` entries a minute apart, alternating two actions and two actors.
    func fill(_ count: Int, actors: [UUID]) async throws {
        for index in 0..<count {
            try await log.appendAudit(
                AuditEntry(actorId: actors[index % actors.count], action: index % 2 == 0 ? "login" : "logout", target: "\(index)"))
            clock.advance(minutes: 1)
        }
    }

    func items(_ outcome: Outcome) -> [[String: Any]] { outcome.result?["items"] as? [[String: Any]] ?? [] }

    @Test func onlyAdminsReadTheLog() async throws {
        #expect(try await dispatcher.call("audit.list", as: nil).reason == "unauthenticated")
        for role in [Role.mentor, .mentee] {
            let caller = Caller(id: UUID(), roles: [role])
            #expect(try await dispatcher.call("audit.list", as: caller).reason == "forbidden")
            #expect(try await dispatcher.call("audit.verify", as: caller).reason == "forbidden")
        }
        #expect(try await dispatcher.call("audit.list", as: admin).error == nil)
    }

    @Test func listFiltersByActorActionAndTime() async throws {
        let alice = UUID()
        let bob = UUID()
        try await fill(6, actors: [alice, bob])
        #expect(items(try await dispatcher.call("audit.list", #"{"action":"login"}"#, as: admin)).count == 3)
        let bobs = items(try await dispatcher.call("audit.list", #"{"actorId":"\#(bob)"}"#, as: admin))
        #expect(bobs.count == 3 && bobs.allSatisfy { $0["actorId"] as? String == bob.uuidString })
        // [06:01, 06:03): the second and third entries; times carry microseconds.
        let window = items(try await dispatcher.call("audit.list", #"{"from":"2027-05-03T06:01:00Z","to":"2027-05-03T06:03:00Z"}"#, as: admin))
        #expect(window.compactMap { $0["target"] as? String } == ["1", "2"])
        #expect(window.first?["at"] as? String == "2027-05-03T06:01:00.000000Z")
    }

    @Test func listPagesInIdOrder() async throws {
        try await fill(5, actors: [UUID()])
        var targets: [String] = []
        var cursor: String?
        repeat {
            let params = cursor.map { #"{"limit":2,"cursor":"\#($0)"}"# } ?? #"{"limit":2}"#
            let page = try await dispatcher.call("audit.list", params, as: admin)
            targets += items(page).compactMap { $0["target"] as? String }
            cursor = page.result?["nextCursor"] as? String
        } while cursor != nil && targets.count < 10
        #expect(targets == ["0", "1", "2", "3", "4"])
    }

    @Test(arguments: [
        (#"{"from":"yesterday"}"#, ["from"]), (#"{"to":"2027-13-45"}"#, ["to"]), (#"{"cursor":"1"}"#, ["cursor"]),
        (#"{"from":"x","to":"y","cursor":"z"}"#, ["from", "to", "cursor"]),
    ]) func badFiltersNameTheirFields(params: String, fields: [String]) async throws {
        let outcome = try await dispatcher.call("audit.list", params, as: admin)
        #expect(outcome.reason == "invalid_params")
        #expect(outcome.invalidFields == fields)
    }

    @Test func verifyFindsTheFirstAlteredOrMissingEntry() async throws {
        for index in 0..<5 { try await log.appendAudit(AuditEntry(actorId: nil, action: "test.entry", target: "\(index)")) }
        let intact = try await dispatcher.call("audit.verify", as: admin)
        #expect(intact.result?["ok"] as? Bool == true && intact.result?["checked"] as? Int == 5)
        log.tamperAudit(id: 3) { $0.outcome = "forged" }
        let altered = try await dispatcher.call("audit.verify", as: admin)
        #expect(altered.result?["ok"] as? Bool == false && altered.result?["firstBrokenId"] as? Int == 3 && altered.result?["checked"] as? Int == 2)
        log.tamperAudit(id: 3) { $0.outcome = "success" }
        #expect(try await log.verifyAudit().ok)
        log.deleteAudit(id: 4)
        #expect(try await log.verifyAudit().firstBrokenId == 5)
    }

    @Test func aLogThatIsDownIsUnavailable() async throws {
        log.outage.set(true)
        let outcome = try await dispatcher.call("audit.list", as: admin)
        #expect(outcome.reason == "unavailable" && outcome.error?.data["dependency"] == .string("postgres"))
    }
}
