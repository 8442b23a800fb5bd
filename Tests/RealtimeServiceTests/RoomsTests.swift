import Crypto
import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import RealtimeService
import ServiceSupport
import Testing

/// Rooms in-process: the one access check (participants, the time window, mute, removal, the group's mentor), chat,
/// presence, signaling and TURN credentials, with two workers' registries on one in-memory bus.
@Suite struct RoomsTests {
    @Test func chatPresenceAndSignalingAcrossWorkers() async throws {
        let f = RealtimeFixture { $0.turnSecret = "s3cret" }
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let roomId = f.booking(mentor: mentor, mentee: mentee)
        let host = TestSession()
        let guest = TestSession()
        defer { host.close() }
        let joined = try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: mentor, on: host, worker: 0)
        let participants = try #require(joined.result?["participants"] as? [[String: Any]])
        #expect(participants.count == 2 && participants.contains { $0["role"] as? String == "mentor" && $0["online"] as? Bool == true })
        // TURN in coturn's REST scheme, bound to the room and ending with it (end + 30 min stay-late).
        let turn = try #require((joined.result?["iceServers"] as? [[String: Any]])?.first { $0["credential"] != nil })
        let username = try #require(turn["username"] as? String)
        let closes = f.clock.now.adding(minutes: 95).epochSeconds
        #expect(username == "\(closes):\(roomId.uuidString.lowercased()):\(mentor.wire)")
        let expected = Data(HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: Array("s3cret".utf8))))
        #expect(turn["credential"] as? String == expected.base64EncodedString())

        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: mentee, on: guest, worker: 1).error == nil)
        #expect(host.events(type: "presence.joined").compactMap { $0["userId"] as? String }.contains(mentee.wire))

        let sent = try await f.call("rooms.send", #"{"roomId":"\#(roomId)","text":"  hello  "}"#, as: mentee, on: guest, worker: 1)
        #expect(sent.object("message")?["text"] as? String == "hello" && sent.object("message")?["seq"] as? Int == 1)
        #expect((host.events(type: "chat.message").last?["message"] as? [String: Any])?["text"] as? String == "hello")

        let offer = #"{"roomId":"\#(roomId)","to":"\#(mentee.id)","payload":{"type":"offer","sdp":"v=0"}}"#
        #expect(try await f.call("rooms.signal", offer, as: mentor, on: host).error == nil)
        let signal = try #require(guest.events(type: "signal").first)
        #expect(signal["from"] as? String == mentor.wire && (signal["payload"] as? [String: Any])?["sdp"] as? String == "v=0")
        #expect(host.events(type: "signal").isEmpty, "a signal reaches its addressee only")

        let history = try await f.call("rooms.history", #"{"roomId":"\#(roomId)"}"#, as: mentor)
        #expect((history.result?["items"] as? [[String: Any]])?.count == 1)

        // The guest's connection drops: the host hears presence.left.
        guest.close()
        try await f.eventually { host.events(type: "presence.left").contains { $0["userId"] as? String == mentee.wire } }
    }

    @Test func refusals() async throws {
        let f = RealtimeFixture()
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let outsider = RealtimeFixture.user(.mentee)
        let roomId = f.booking(mentor: mentor, mentee: mentee)
        let later = f.booking(mentor: mentor, mentee: mentee, inMinutes: 120)
        let session = TestSession()
        defer { session.close() }
        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: mentor).reason == "websocket_required")
        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: nil, on: session).reason == "unauthenticated")
        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: outsider, on: session).reason == "forbidden")
        #expect(try await f.call("rooms.send", #"{"roomId":"\#(roomId)","text":"hi"}"#, as: outsider).reason == "forbidden")
        #expect(try await f.call("rooms.history", #"{"roomId":"\#(roomId)"}"#, as: outsider).reason == "forbidden")
        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(UUID())"}"#, as: mentor, on: session).reason == "not_found")
        let closed = try await f.call("rooms.join", #"{"bookingId":"\#(later)"}"#, as: mentor, on: session)
        #expect(closed.reason == "room_closed" && closed.error?.data["opens"] == .string(f.clock.now.adding(minutes: 110).description))
        let long = String(repeating: "x", count: 2001)
        #expect(try await f.call("rooms.send", #"{"roomId":"\#(roomId)","text":"\#(long)"}"#, as: mentee).invalidFields == ["text"])
        #expect(try await f.call("rooms.send", #"{"roomId":"\#(roomId)","text":"   "}"#, as: mentee).invalidFields == ["text"])
        let rickroll = #"{"roomId":"\#(roomId)","to":"\#(mentor.id)","payload":{"type":"rickroll"}}"#
        #expect(try await f.call("rooms.signal", rickroll, as: mentee).invalidFields == ["payload.type"])
        let toSelf = #"{"roomId":"\#(roomId)","to":"\#(mentee.id)","payload":{"type":"offer"}}"#
        #expect(try await f.call("rooms.signal", toSelf, as: mentee).invalidFields == ["to"])
        #expect(try await f.call("rooms.history", #"{"roomId":"\#(roomId)","limit":500}"#, as: mentee).invalidFields == ["limit"])
        // Mute and remove belong to a group's mentor.
        #expect(try await f.call("rooms.mute", #"{"roomId":"\#(roomId)","userId":"\#(mentee.id)"}"#, as: mentor).reason == "forbidden")
    }

    @Test func theRoomOpensEarlyAndClosesLate() async throws {
        let f = RealtimeFixture()
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let roomId = f.booking(mentor: mentor, mentee: mentee, inMinutes: 11)
        let send = #"{"roomId":"\#(roomId)","text":"hi"}"#
        #expect(try await f.call("rooms.send", send, as: mentee).reason == "room_closed")
        f.clock.advance(minutes: 1)
        #expect(try await f.call("rooms.send", send, as: mentee).error == nil)
        f.clock.advance(minutes: 10 + 60 + 30)
        #expect(try await f.call("rooms.send", send, as: mentee).reason == "room_closed")
        // The transcript stays readable.
        #expect(try await f.call("rooms.history", #"{"roomId":"\#(roomId)"}"#, as: mentee).error == nil)
    }

    @Test func historyPagesBackwards() async throws {
        let f = RealtimeFixture()
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let roomId = f.booking(mentor: mentor, mentee: mentee)
        for index in 1...5 { _ = try await f.call("rooms.send", #"{"roomId":"\#(roomId)","text":"m\#(index)"}"#, as: mentee) }
        let page = try await f.call("rooms.history", #"{"roomId":"\#(roomId)","limit":2}"#, as: mentor)
        #expect((page.result?["items"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == ["m5", "m4"])
        let before = try #require(page.result?["nextBeforeSeq"] as? Int)
        let next = try await f.call("rooms.history", #"{"roomId":"\#(roomId)","limit":2,"beforeSeq":\#(before)}"#, as: mentor)
        #expect((next.result?["items"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == ["m3", "m2"])
    }

    @Test func theGroupMentorMutesAndRemoves() async throws {
        let f = RealtimeFixture()
        let mentor = RealtimeFixture.user(.mentor)
        let alice = RealtimeFixture.user(.mentee)
        let bob = RealtimeFixture.user(.mentee)
        let (roomId, _) = f.group(mentor: mentor, mentees: [alice, bob])
        let host = TestSession()
        let first = TestSession()
        let bobs = [TestSession(), TestSession()]
        defer { ([host, first] + bobs).forEach { $0.close() } }
        let join = #"{"bookingId":"\#(roomId)"}"#
        let joined = try await f.call("rooms.join", join, as: alice, on: first, worker: 1)
        #expect((joined.result?["participants"] as? [Any])?.count == 3 && joined.object("room")?["kind"] as? String == "group")
        #expect(try await f.call("rooms.join", join, as: mentor, on: host).error == nil)
        for (index, session) in bobs.enumerated() { #expect(try await f.call("rooms.join", join, as: bob, on: session, worker: index).error == nil) }

        // Only the mentor moderates; muted: no chat, typing or offers, but answers still pass.
        #expect(try await f.call("rooms.mute", #"{"roomId":"\#(roomId)","userId":"\#(bob.id)"}"#, as: alice).reason == "forbidden")
        #expect(try await f.call("rooms.mute", #"{"roomId":"\#(roomId)","userId":"\#(mentor.id)"}"#, as: mentor).invalidFields == ["userId"])
        #expect(try await f.call("rooms.mute", #"{"roomId":"\#(roomId)","userId":"\#(alice.id)"}"#, as: mentor).error == nil)
        #expect(first.events(type: "participant.muted").first?["userId"] as? String == alice.wire)
        #expect(try await f.call("rooms.send", #"{"roomId":"\#(roomId)","text":"hi"}"#, as: alice).reason == "muted")
        #expect(try await f.call("rooms.typing", #"{"roomId":"\#(roomId)"}"#, as: alice).reason == "muted")
        let signal = { (type: String) in #"{"roomId":"\#(roomId)","to":"\#(mentor.id)","payload":{"type":"\#(type)","sdp":"v=0"}}"# }
        #expect(try await f.call("rooms.signal", signal("offer"), as: alice).reason == "muted")
        #expect(try await f.call("rooms.signal", signal("answer"), as: alice).error == nil)

        // Removed: each of Bob's sessions hears it and loses both room subscriptions, whichever worker holds it.
        #expect(try await f.call("rooms.remove", #"{"roomId":"\#(roomId)","userId":"\#(bob.id)"}"#, as: mentor).error == nil)
        for session in bobs {
            #expect(session.events(type: "participant.removed").first?["userId"] as? String == bob.wire)
            let ended = session.notifications("subscription.ended")
            #expect(ended.count == 2 && ended.allSatisfy { $0["reason"] as? String == "removed" })
        }
        for (method, params) in [
            ("rooms.history", #"{"roomId":"\#(roomId)"}"#), ("rooms.typing", #"{"roomId":"\#(roomId)"}"#),
            ("rooms.send", #"{"roomId":"\#(roomId)","text":"still here?"}"#), ("rooms.join", join),
        ] { #expect(try await f.call(method, params, as: bob, on: bobs[1]).reason == "forbidden", "\(method)") }
        // The room goes on without Bob: nothing more reaches his sessions.
        let before = bobs.map(\.pushed.count)
        #expect(try await f.call("rooms.send", #"{"roomId":"\#(roomId)","text":"after"}"#, as: mentor).error == nil)
        #expect(host.events(type: "chat.message").count == 1 && bobs.map(\.pushed.count) == before)
    }

    @Test func aCancelledSeatLosesTheRoomAtTheNextCheck() async throws {
        let f = RealtimeFixture { $0.membershipRecheck = .milliseconds(20) }
        let mentor = RealtimeFixture.user(.mentor)
        let alice = RealtimeFixture.user(.mentee)
        let (roomId, seats) = f.group(mentor: mentor, mentees: [alice])
        let session = TestSession()
        defer { session.close() }
        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: alice, on: session).error == nil)
        f.rooms.cancel(bookingId: try #require(seats[alice.id]))
        try await f.eventually { session.notifications("subscription.ended").count == 2 }
        #expect(session.notifications("subscription.ended").allSatisfy { $0["reason"] as? String == "forbidden" })
        #expect(try await f.call("rooms.history", #"{"roomId":"\#(roomId)"}"#, as: alice).reason == "forbidden")
        try await f.eventually { try await f.presence.present(room: roomId).isEmpty }
    }

    @Test func offersBeyondTheMeshCapAreRefused() async throws {
        let f = RealtimeFixture { $0.meshCap = 2 }
        let mentor = RealtimeFixture.user(.mentor)
        let mentees = (0..<2).map { _ in RealtimeFixture.user(.mentee) }
        let (roomId, _) = f.group(mentor: mentor, mentees: mentees)
        let sessions = (0..<3).map { _ in TestSession() }
        defer { sessions.forEach { $0.close() } }
        for (caller, session) in zip([mentor] + mentees, sessions) {
            #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: caller, on: session).error == nil)
        }
        let offer = #"{"roomId":"\#(roomId)","to":"\#(mentees[0].id)","payload":{"type":"offer"}}"#
        #expect(try await f.call("rooms.signal", offer, as: mentor).reason == "mesh_full")
    }

    @Test func aSecondJoinOnTheSameConnectionReplacesTheFirst() async throws {
        let f = RealtimeFixture()
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let roomId = f.booking(mentor: mentor, mentee: mentee)
        let session = TestSession()
        for _ in 0..<2 { #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: mentee, on: session).error == nil) }
        #expect(session.notifications("subscription.ended").map { $0["reason"] as? String } == ["rejoined", "rejoined"])
        #expect(f.subscriptions[0].count == 2 && f.bus.listenerCount == 2)
        #expect(try await f.presence.present(room: roomId) == [mentee.id])
        session.close()
        try await f.eventually { f.bus.listenerCount == 0 }
        try await f.eventually { try await f.presence.present(room: roomId).isEmpty }
    }

    @Test func presenceThatIsDownFailsTheJoinAndLeavesNothingBehind() async throws {
        let f = RealtimeFixture()
        let mentor = RealtimeFixture.user(.mentor)
        let mentee = RealtimeFixture.user(.mentee)
        let roomId = f.booking(mentor: mentor, mentee: mentee)
        let session = TestSession()
        defer { session.close() }
        f.presence.outage.set(true)
        #expect(try await f.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#, as: mentee, on: session).reason == "unavailable")
        #expect(f.subscriptions[0].count == 0)
        try await f.eventually { f.bus.listenerCount == 0 }
    }
}
