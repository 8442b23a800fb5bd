import Crypto
import Foundation
import JSONRPC
import MentorLinkClient
import PostgresNIO
import Testing

/// Session rooms with mock clients on different worker sockets: chat, presence (also when a connection drops),
/// signaling to one participant, history, TURN credentials, and refusals for outsiders and closed rooms.
@Suite(.timeLimit(.minutes(2))) struct RoomsTests {
    func socket(_ worker: Int) throws -> SocketConnection.Endpoint {
        .unix("\(try TestEnvironment.runDirectory())/worker-\(worker % TestEnvironment.workers()).sock")
    }

    /// A confirmed 1:1 booking starting in `minutes` (written directly: the slot grid is not under test here).
    func booking(_ users: StackUsers, mentor: UUID, mentee: UUID, inMinutes minutes: Int) async throws -> UUID {
        let rows = try await users.client.query(
            """
            INSERT INTO bookings (kind, mentor_id, mentee_id, starts_at, ends_at, blocked_from, blocked_until, status)
            VALUES ('one_on_one', \(mentor), \(mentee), now() + \(minutes) * interval '1 minute', now() + \(minutes + 60) * interval '1 minute',
                    now() + \(minutes) * interval '1 minute', now() + \(minutes + 60) * interval '1 minute', 'confirmed')
            RETURNING id
            """, logger: TestEnvironment.logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw TestEnvironment.Missing(what: "booking")
    }

    /// The next pushed event of `type` (earlier ones, such as one's own presence, are skipped).
    func next(_ client: RPCWebSocketClient, _ type: String) throws -> [String: Any] {
        while true {
            let event = try #require(try client.nextNotification()["event"] as? [String: Any])
            if event["type"] as? String == type { return event }
        }
    }

    func reason(_ response: [String: Any]) -> String? { ((response["error"] as? [String: Any])?["data"] as? [String: Any])?["reason"] as? String }

    func turnSecret() throws -> String {
        let secrets = try String(contentsOfFile: "\(try TestEnvironment.runDirectory())/secrets.env", encoding: .utf8)
        return String(try #require(secrets.split(separator: "\n").first { $0.hasPrefix("TURN_SECRET=") }).dropFirst("TURN_SECRET=".count))
    }

    @Test func chatPresenceAndSignalingAcrossWorkers() async throws {
        try await StackUsers.with { users in
            let mentor = try await users.make(.mentor)
            let mentee = try await users.make(.mentee)
            let outsider = try await users.make(.mentee)
            let roomId = try await booking(users, mentor: mentor.id, mentee: mentee.id, inMinutes: 5)
            let later = try await booking(users, mentor: mentor.id, mentee: mentee.id, inMinutes: 120)
            let secret = try turnSecret()
            try await TestEnvironment.offThePool {
                let host = try RPCWebSocketClient(try socket(0), headers: ["Authorization": "Bearer \(mentor.token)"])
                let joined = try #require(try host.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#)["result"] as? [String: Any], "join failed")
                #expect((joined["participants"] as? [[String: Any]])?.count == 2)
                // TURN in coturn's REST scheme: username expiry:userId, credential base64(HMAC-SHA1(secret, username)).
                let turn = try #require((joined["iceServers"] as? [[String: Any]])?.first { $0["credential"] != nil })
                let username = try #require(turn["username"] as? String)
                #expect(username.hasSuffix(":\(mentor.id.uuidString.lowercased())"))
                let expected = Data(HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: Array(secret.utf8))))
                    .base64EncodedString()
                #expect(turn["credential"] as? String == expected)

                let guest = try RPCWebSocketClient(try socket(1), headers: ["Authorization": "Bearer \(mentee.token)"])
                #expect(try guest.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#)["result"] != nil)
                var arrived = try next(host, "presence.joined")
                if arrived["userId"] as? String == mentor.id.uuidString.lowercased() { arrived = try next(host, "presence.joined") }
                #expect(arrived["userId"] as? String == mentee.id.uuidString.lowercased())

                let sent = try guest.call("rooms.send", #"{"roomId":"\#(roomId)","text":"  hello  "}"#)
                let message = try #require((sent["result"] as? [String: Any])?["message"] as? [String: Any])
                #expect(message["text"] as? String == "hello" && message["seq"] as? Int == 1)
                let chat = try next(host, "chat.message")
                #expect((chat["message"] as? [String: Any])?["text"] as? String == "hello")

                #expect(
                    try host.call("rooms.signal", #"{"roomId":"\#(roomId)","to":"\#(mentee.id)","payload":{"type":"offer","sdp":"v=0"}}"#)["result"]
                        != nil)
                let signal = try next(guest, "signal")
                #expect(
                    signal["from"] as? String == mentor.id.uuidString.lowercased()
                        && (signal["payload"] as? [String: Any])?["sdp"] as? String == "v=0")
                #expect(
                    reason(try host.call("rooms.signal", #"{"roomId":"\#(roomId)","to":"\#(mentee.id)","payload":{"type":"rickroll"}}"#))
                        == "invalid_params")

                let history = try #require(try host.call("rooms.history", #"{"roomId":"\#(roomId)"}"#)["result"] as? [String: Any])
                #expect((history["items"] as? [[String: Any]])?.count == 1)

                let stranger = try RPCWebSocketClient(try socket(1), headers: ["Authorization": "Bearer \(outsider.token)"])
                #expect(reason(try stranger.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#)) == "forbidden")
                #expect(reason(try stranger.call("rooms.send", #"{"roomId":"\#(roomId)","text":"hi"}"#)) == "forbidden")
                #expect(reason(try host.call("rooms.join", #"{"bookingId":"\#(later)"}"#)) == "room_closed")
                #expect(
                    reason(try host.call("rooms.send", #"{"roomId":"\#(roomId)","text":"\#(String(repeating: "x", count: 2001))"}"#))
                        == "invalid_params")

                // The guest's connection drops: the host hears presence.left.
                guest.socket.socket.shutdown()
                let left = try next(host, "presence.left")
                #expect(left["userId"] as? String == mentee.id.uuidString.lowercased())
            }
        }
    }

    @Test func groupMentorMutesAndRemoves() async throws {
        try await StackUsers.with { users in
            let mentor = try await users.make(.mentor)
            let alice = try await users.make(.mentee)
            let bob = try await users.make(.mentee)
            // A group session starting in 5 minutes with two seats, written directly.
            let rows = try await users.client.query(
                """
                WITH g AS (
                    INSERT INTO bookings (kind, mentor_id, starts_at, ends_at, blocked_from, blocked_until, status, capacity, seats_taken, title)
                    VALUES ('group', \(mentor.id), now() + interval '5 minutes', now() + interval '65 minutes', now() + interval '5 minutes',
                            now() + interval '65 minutes', 'confirmed', 5, 2, 'Clinic') RETURNING id, starts_at, ends_at)
                INSERT INTO bookings (kind, mentor_id, mentee_id, parent_id, starts_at, ends_at, blocked_from, blocked_until, status)
                SELECT 'group_seat', \(mentor.id), m, g.id, g.starts_at, g.ends_at, g.starts_at, g.ends_at, 'confirmed'
                FROM g, unnest(ARRAY[\(alice.id), \(bob.id)]::uuid[]) m
                RETURNING parent_id
                """, logger: TestEnvironment.logger)
            var group: UUID?
            for try await id in rows.decode(UUID.self) { group = id }
            let roomId = try #require(group)
            try await TestEnvironment.offThePool {
                let host = try RPCWebSocketClient(try socket(0), headers: ["Authorization": "Bearer \(mentor.token)"])
                let first = try RPCWebSocketClient(try socket(1), headers: ["Authorization": "Bearer \(alice.token)"])
                let joined = try #require(try first.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#)["result"] as? [String: Any])
                #expect((joined["participants"] as? [[String: Any]])?.count == 3 && (joined["room"] as? [String: Any])?["kind"] as? String == "group")
                #expect(try host.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#)["result"] != nil)
                // Only the mentor moderates.
                #expect(reason(try first.call("rooms.mute", #"{"roomId":"\#(roomId)","userId":"\#(bob.id)"}"#)) == "forbidden")
                #expect(try host.call("rooms.mute", #"{"roomId":"\#(roomId)","userId":"\#(alice.id)"}"#)["result"] != nil)
                #expect(try next(first, "participant.muted")["userId"] as? String == alice.id.uuidString.lowercased())
                #expect(reason(try first.call("rooms.send", #"{"roomId":"\#(roomId)","text":"hi"}"#)) == "muted")
                #expect(try host.call("rooms.remove", #"{"roomId":"\#(roomId)","userId":"\#(bob.id)"}"#)["result"] != nil)
                let second = try RPCWebSocketClient(try socket(0), headers: ["Authorization": "Bearer \(bob.token)"])
                #expect(reason(try second.call("rooms.join", #"{"bookingId":"\#(roomId)"}"#)) == "forbidden")
            }
        }
    }
}
