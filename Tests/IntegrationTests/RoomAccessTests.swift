import Foundation
import JSONRPC
import MentorLinkClient
import PostgresAdapter
import PostgresNIO
import RealtimeService
import Testing

/// Every room method goes through one access check, and a removed participant or a cancelled seat loses the live room
/// on every worker: mock clients on both in-process worker sockets.
@Suite(.timeLimit(.minutes(2))) struct RoomAccessTests {
    @Test func aRemovedParticipantLosesTheRoomOnEveryWorker() async throws {
        try await RealtimeHarness.with { harness in
            let mentor = try await harness.user(.mentor)
            let alice = try await harness.user(.mentee)
            let bob = try await harness.user(.mentee)
            let (roomId, _) = try await harness.group(mentor: mentor.id, mentees: [alice.id, bob.id])
            try await harness.clients {
                let join = #"{"bookingId":"\#(roomId)"}"#
                let host = try RPCWebSocketClient(harness.socket(0), headers: ["Authorization": "Bearer \(mentor.token)"], timeout: 15)
                let first = try RPCWebSocketClient(harness.socket(1), headers: ["Authorization": "Bearer \(alice.token)"], timeout: 15)
                // Bob has a tab on each worker.
                let bobs = [
                    try RPCWebSocketClient(harness.socket(0), headers: ["Authorization": "Bearer \(bob.token)"], timeout: 15),
                    try RPCWebSocketClient(harness.socket(1), headers: ["Authorization": "Bearer \(bob.token)"], timeout: 15),
                ]
                for client in [host, first] + bobs { #expect(try client.call("rooms.join", join)["result"] != nil) }

                // Muted: no chat, no typing, no offers; answers (receiving the others' media) still pass.
                #expect(try host.call("rooms.mute", #"{"roomId":"\#(roomId)","userId":"\#(alice.id)"}"#)["result"] != nil)
                #expect(rpcReason(try first.call("rooms.typing", #"{"roomId":"\#(roomId)"}"#)) == "muted")
                #expect(
                    rpcReason(try first.call("rooms.signal", #"{"roomId":"\#(roomId)","to":"\#(mentor.id)","payload":{"type":"offer","sdp":"v=0"}}"#))
                        == "muted")
                #expect(
                    try first.call("rooms.signal", #"{"roomId":"\#(roomId)","to":"\#(mentor.id)","payload":{"type":"answer","sdp":"v=0"}}"#)["result"]
                        != nil)

                #expect(try host.call("rooms.remove", #"{"roomId":"\#(roomId)","userId":"\#(bob.id)"}"#)["result"] != nil)
                for client in bobs {
                    // Each of Bob's sockets hears why, and both its room subscriptions end.
                    #expect(try client.nextEvent("participant.removed")["userId"] as? String == bob.id.uuidString.lowercased())
                    let ended = [try client.nextEnded(), try client.nextEnded()]
                    #expect(ended.allSatisfy { $0["reason"] as? String == "removed" })
                    #expect(Set(ended.compactMap { $0["channel"] as? String }).count == 2)
                }
                let removed = bobs[1]
                #expect(rpcReason(try removed.call("rooms.history", #"{"roomId":"\#(roomId)"}"#)) == "forbidden")
                #expect(rpcReason(try removed.call("rooms.typing", #"{"roomId":"\#(roomId)"}"#)) == "forbidden")
                #expect(
                    rpcReason(
                        try removed.call("rooms.signal", #"{"roomId":"\#(roomId)","to":"\#(mentor.id)","payload":{"type":"offer","sdp":"v=0"}}"#))
                        == "forbidden")
                #expect(rpcReason(try removed.call("rooms.send", #"{"roomId":"\#(roomId)","text":"still here?"}"#)) == "forbidden")
                #expect(rpcReason(try removed.call("rooms.join", join)) == "forbidden")

                // The room goes on without Bob: a chat message and a signal addressed to him reach neither of his sockets.
                #expect(
                    try host.call("rooms.signal", #"{"roomId":"\#(roomId)","to":"\#(bob.id)","payload":{"type":"offer","sdp":"v=0"}}"#)["result"]
                        != nil)
                #expect(try host.call("rooms.send", #"{"roomId":"\#(roomId)","text":"after"}"#)["result"] != nil)
                _ = try first.nextEvent("chat.message")  // worker 1 has fanned it out
                _ = try host.nextEvent("chat.message")  // and worker 0
                for client in bobs {
                    let frames = try client.framesBeforeFence()
                    #expect(!frames.contains { $0.contains("chat.message") || $0.contains(#""type":"signal""#) }, "\(frames)")
                }
            }
        }
    }

    @Test func aCancelledSeatLosesTheRoom() async throws {
        var rooms = RoomsConfiguration()
        rooms.membershipRecheck = .milliseconds(200)
        try await RealtimeHarness.with(rooms: rooms) { harness in
            let mentor = try await harness.user(.mentor)
            let alice = try await harness.user(.mentee)
            let bob = try await harness.user(.mentee)
            let (roomId, seats) = try await harness.group(mentor: mentor.id, mentees: [alice.id, bob.id])
            let seat = try #require(seats[alice.id])
            try await harness.clients {
                let join = #"{"bookingId":"\#(roomId)"}"#
                let host = try RPCWebSocketClient(harness.socket(0), headers: ["Authorization": "Bearer \(mentor.token)"], timeout: 15)
                let first = try RPCWebSocketClient(harness.socket(1), headers: ["Authorization": "Bearer \(alice.token)"], timeout: 15)
                #expect(try host.call("rooms.join", join)["result"] != nil)
                #expect(try first.call("rooms.join", join)["result"] != nil)
                try harness.wait {
                    try await harness.pool.client.query("UPDATE bookings SET status = 'cancelled' WHERE id = \(seat)", logger: TestEnvironment.logger)
                }
                let ended = [try first.nextEnded(), try first.nextEnded()]
                #expect(ended.allSatisfy { $0["reason"] as? String == "forbidden" })
                #expect(rpcReason(try first.call("rooms.history", #"{"roomId":"\#(roomId)"}"#)) == "forbidden")
                #expect(try host.call("rooms.send", #"{"roomId":"\#(roomId)","text":"after"}"#)["result"] != nil)
                _ = try host.nextEvent("chat.message")
                let frames = try first.framesBeforeFence()
                #expect(!frames.contains { $0.contains("chat.message") }, "\(frames)")
            }
        }
    }
}
