import Crypto
import Foundation
import JSONRPC
import MentorLinkClient
import MentorLinkCore
import RealtimeService
import Testing

/// TURN credentials handed out by `rooms.join` name the room and expire when the room closes (capped), in coturn's
/// REST scheme.
@Suite(.timeLimit(.minutes(1))) struct TurnCredentialsTests {
    func turn(
        _ harness: RealtimeHarness, secret: String
    ) async throws -> (username: String, credential: String, closes: Int64, roomId: String, userId: UUID) {
        let mentor = try await harness.user(.mentor)
        let mentee = try await harness.user(.mentee)
        let booking = try await harness.booking(mentor: mentor.id, mentee: mentee.id, inMinutes: 5)
        return try await harness.clients {
            let client = try RPCWebSocketClient(harness.socket(1), headers: ["Authorization": "Bearer \(mentee.token)"], timeout: 15)
            let joined = try #require(try client.call("rooms.join", #"{"bookingId":"\#(booking)"}"#)["result"] as? [String: Any])
            let room = try #require(joined["room"] as? [String: Any])
            let endsAt = try #require(room["endsAt"] as? String)
            let ends = try #require(Instant(iso8601: endsAt))
            let server = try #require((joined["iceServers"] as? [[String: Any]])?.first { $0["credential"] != nil })
            return (
                try #require(server["username"] as? String), try #require(server["credential"] as? String),
                Int64(ends.date.timeIntervalSince1970) + 30 * 60, try #require(room["id"] as? String).lowercased(), mentee.id
            )
        }
    }

    @Test func credentialsNameTheRoomAndEndWithIt() async throws {
        var rooms = RoomsConfiguration()
        rooms.turnSecret = "turn-test-secret"
        let secret = rooms.turnSecret
        try await RealtimeHarness.with(rooms: rooms) { harness in
            let turn = try await turn(harness, secret: secret)
            let parts = turn.username.split(separator: ":").map(String.init)
            // expiry:roomId:userId, the expiry being the room's closing time (its end + the 30 minutes one may stay).
            #expect(parts.count == 3)
            #expect(parts.first == "\(turn.closes)")
            #expect(parts.dropFirst().first == turn.roomId)
            #expect(parts.last == turn.userId.uuidString.lowercased())
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(turn.username.utf8), using: SymmetricKey(data: Array(secret.utf8)))
            #expect(turn.credential == Data(mac).base64EncodedString())
        }
    }

    @Test func aLongRoomIsCappedByTheLifetime() async throws {
        var rooms = RoomsConfiguration()
        rooms.turnSecret = "turn-test-secret"
        rooms.turnLifetime = .seconds(600)
        let secret = rooms.turnSecret
        try await RealtimeHarness.with(rooms: rooms) { harness in
            let before = Int64(Date().timeIntervalSince1970)
            let turn = try await turn(harness, secret: secret)
            let expiry = try #require(turn.username.split(separator: ":").first.flatMap { Int64($0) })
            #expect(expiry < turn.closes)
            #expect(expiry >= before + 600 && expiry <= Int64(Date().timeIntervalSince1970) + 600)
        }
    }
}
