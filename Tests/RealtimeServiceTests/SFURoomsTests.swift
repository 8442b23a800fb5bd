import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import RealtimeService
import ServiceSupport
import Testing

/// The rooms service's topology on the in-memory SFU: 1:1 and small groups on the mesh, groups beyond the mesh cap
/// (or every group, when configured) on the SFU with a per-participant token; the SFU down answers `unavailable`;
/// removal revokes and kicks, mute moderates.
@Suite struct SFURoomsTests {
    static func join(_ roomId: UUID) -> String { #"{"bookingId":"\#(roomId)"}"# }

    @Test func oneOnOneAndSmallGroupsStayOnTheMesh() async throws {
        let sfu = InMemorySFU()
        let f = RealtimeFixture(sfu: sfu)
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let sessions = [TestSession(), TestSession()]
        defer { for session in sessions { session.close() } }
        let oneOnOne = try await f.call("rooms.join", Self.join(f.booking(mentor: mentor, mentee: mentee)), as: mentee, on: sessions[0])
        #expect(oneOnOne.result?["topology"] as? String == "mesh" && oneOnOne.result?["sfu"] == nil)
        // Five seats and the mentor: six people, the mesh cap.
        let (small, _) = f.group(mentor: mentor, mentees: [mentee], capacity: 5)
        let group = try await f.call("rooms.join", Self.join(small), as: mentee, on: sessions[1])
        #expect(group.result?["topology"] as? String == "mesh" && group.result?["sfu"] == nil && group.result?["meshCap"] as? Int == 6)
        #expect(sfu.room(small.uuidString.lowercased()) == nil)
    }

    @Test func aGroupBeyondTheMeshGoesOnTheSFUWithATokenPerParticipant() async throws {
        let sfu = InMemorySFU()
        let f = RealtimeFixture(sfu: sfu)
        let mentor = RealtimeFixture.user(.mentor)
        let alice = RealtimeFixture.user(.mentee)
        let bob = RealtimeFixture.user(.mentee)
        let (roomId, _) = f.group(mentor: mentor, mentees: [alice, bob], capacity: 12)
        let sessions = [TestSession(), TestSession(), TestSession()]
        defer { for session in sessions { session.close() } }
        var tokens: [String] = []
        for (caller, session) in zip([mentor, alice, bob], sessions) {
            let joined = try await f.call("rooms.join", Self.join(roomId), as: caller, on: session)
            #expect(joined.result?["topology"] as? String == "sfu")
            let access = try #require(joined.object("sfu"))
            #expect(access["url"] as? String == "/sfu" && access["room"] as? String == roomId.uuidString.lowercased())
            #expect(access["participantId"] as? String == caller.wire)
            // The token expires when the room closes (end + 30 min stay-late), like the TURN credentials.
            let closes = f.clock.now.adding(minutes: 95)
            #expect(access["expiresAt"] as? String == closes.description)
            let token = try #require(access["token"] as? String)
            #expect(token == "sfu:\(caller.wire):\(closes.epochSeconds)")
            tokens.append(token)
        }
        let room = try #require(sfu.room(roomId.uuidString.lowercased()))
        // Everyone may publish: twelve seats and the mentor.
        #expect(room.spec.publishers == 13 && room.allowed == Set(tokens))
        #expect(sfu.join(room: roomId.uuidString.lowercased(), participant: alice.wire, token: tokens[1]))
        // The chat and presence channels work as on the mesh.
        #expect(sessions[0].events(type: "presence.joined").count >= 2)

        // Janus restarted: the next join recreates the room.
        sfu.restart()
        #expect(try await f.call("rooms.join", Self.join(roomId), as: bob, on: sessions[2]).result?["topology"] as? String == "sfu")
        #expect(sfu.room(roomId.uuidString.lowercased())?.allowed == [tokens[2]])
    }

    @Test func everyGroupOnTheSFUWhenConfigured() async throws {
        let sfu = InMemorySFU()
        let f = RealtimeFixture(sfu: sfu) { $0.sfuAllGroups = true }
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let sessions = [TestSession(), TestSession()]
        defer { for session in sessions { session.close() } }
        let (small, _) = f.group(mentor: mentor, mentees: [mentee], capacity: 2)
        #expect(try await f.call("rooms.join", Self.join(small), as: mentee, on: sessions[0]).result?["topology"] as? String == "sfu")
        #expect(sfu.room(small.uuidString.lowercased())?.spec.publishers == 3)
        let oneOnOne = f.booking(mentor: mentor, mentee: mentee)
        #expect(try await f.call("rooms.join", Self.join(oneOnOne), as: mentee, on: sessions[1]).result?["topology"] as? String == "mesh")
    }

    @Test func withoutAnSFUEveryRoomIsAMesh() async throws {
        let f = RealtimeFixture()
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let session = TestSession()
        defer { session.close() }
        let (big, _) = f.group(mentor: mentor, mentees: [mentee], capacity: 20)
        let joined = try await f.call("rooms.join", Self.join(big), as: mentee, on: session)
        #expect(joined.result?["topology"] as? String == "mesh" && joined.result?["sfu"] == nil)
    }

    @Test func theSFUDownAnswersUnavailableAndLeavesNothingBehind() async throws {
        let sfu = InMemorySFU()
        let f = RealtimeFixture(sfu: sfu)
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let session = TestSession()
        defer { session.close() }
        let (big, _) = f.group(mentor: mentor, mentees: [mentee], capacity: 10)
        sfu.outage.set(true)
        let refused = try await f.call("rooms.join", Self.join(big), as: mentee, on: session)
        #expect(refused.reason == "unavailable" && refused.error?.data["retryable"] == .bool(true))
        #expect(f.subscriptions[0].count == 0)
        #expect(try await f.presence.present(room: big).isEmpty)
        // A mesh room does not need it.
        let oneOnOne = f.booking(mentor: mentor, mentee: mentee)
        #expect(try await f.call("rooms.join", Self.join(oneOnOne), as: mentee, on: session).result?["topology"] as? String == "mesh")
        // Back: the join succeeds and the room is there.
        sfu.outage.set(false)
        #expect(try await f.call("rooms.join", Self.join(big), as: mentee, on: session).result?["topology"] as? String == "sfu")
        #expect(sfu.room(big.uuidString.lowercased()) != nil)
    }

    @Test func removalRevokesTheTokenAndKicksMuteModerates() async throws {
        let sfu = InMemorySFU()
        let f = RealtimeFixture(sfu: sfu)
        let mentor = RealtimeFixture.user(.mentor)
        let alice = RealtimeFixture.user(.mentee)
        let bob = RealtimeFixture.user(.mentee)
        let (roomId, _) = f.group(mentor: mentor, mentees: [alice, bob], capacity: 8)
        let id = roomId.uuidString.lowercased()
        let sessions = [TestSession(), TestSession(), TestSession()]
        defer { for session in sessions { session.close() } }
        var tokens: [String: String] = [:]
        for (caller, session) in zip([mentor, alice, bob], sessions) {
            let joined = try await f.call("rooms.join", Self.join(roomId), as: caller, on: session)
            tokens[caller.wire] = try #require(joined.object("sfu")?["token"] as? String)
        }
        let streams = [SFUStream(mid: "0", media: .audio), SFUStream(mid: "1", media: .video)]
        for caller in [mentor, alice, bob] {
            #expect(sfu.join(room: id, participant: caller.wire, token: try #require(tokens[caller.wire]), streams: streams))
        }

        #expect(try await f.call("rooms.mute", #"{"roomId":"\#(roomId)","userId":"\#(alice.id)"}"#, as: mentor).error == nil)
        #expect(sfu.room(id)?.muted[alice.wire] == ["0", "1"])

        #expect(try await f.call("rooms.remove", #"{"roomId":"\#(roomId)","userId":"\#(bob.id)"}"#, as: mentor).error == nil)
        #expect(sfu.kicked.map(\.participant) == [bob.wire] && sfu.kicked.map(\.room) == [id])
        #expect(sfu.room(id)?.allowed.contains(try #require(tokens[bob.wire])) == false)
        #expect(!sfu.join(room: id, participant: bob.wire, token: try #require(tokens[bob.wire])), "the revoked token joins no more")
        #expect(sfu.room(id)?.participants.keys.sorted() == [mentor.wire, alice.wire].sorted())
        #expect(try await f.call("rooms.join", Self.join(roomId), as: bob, on: sessions[2]).reason == "forbidden")

        // The SFU down: the removal stands and the call answers unavailable; once it is back a retry finishes it.
        sfu.outage.set(true)
        let retry = try await f.call("rooms.remove", #"{"roomId":"\#(roomId)","userId":"\#(alice.id)"}"#, as: mentor)
        #expect(retry.reason == "unavailable")
        #expect(try await f.call("rooms.history", #"{"roomId":"\#(roomId)"}"#, as: alice).reason == "forbidden")
        sfu.outage.set(false)
        #expect(try await f.call("rooms.remove", #"{"roomId":"\#(roomId)","userId":"\#(alice.id)"}"#, as: mentor).error == nil)
        #expect(sfu.kicked.map(\.participant) == [bob.wire, alice.wire])
        #expect(sfu.room(id)?.allowed == [try #require(tokens[mentor.wire])])
        // Removing someone not in the SFU room (never joined it, or already kicked) is no failure.
        #expect(try await f.call("rooms.remove", #"{"roomId":"\#(roomId)","userId":"\#(bob.id)"}"#, as: mentor).error == nil)
    }

    @Test func aCancelledSeatLosesItsTokenAtTheNextCheck() async throws {
        let sfu = InMemorySFU()
        let f = RealtimeFixture(sfu: sfu) { $0.membershipRecheck = .milliseconds(20) }
        let mentor = RealtimeFixture.user(.mentor)
        let alice = RealtimeFixture.user(.mentee)
        let (roomId, seats) = f.group(mentor: mentor, mentees: [alice], capacity: 9)
        let session = TestSession()
        defer { session.close() }
        let token = try #require(try await f.call("rooms.join", Self.join(roomId), as: alice, on: session).object("sfu")?["token"] as? String)
        f.rooms.cancel(bookingId: try #require(seats[alice.id]))
        try await f.eventually { sfu.room(roomId.uuidString.lowercased())?.allowed.contains(token) == false }
    }
}
