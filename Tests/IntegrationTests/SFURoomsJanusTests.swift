import Foundation
import JSONRPC
import MentorLinkClient
import MentorLinkCore
import RealtimeService
import SFUAdapter
import Testing

/// The rooms service on the real Janus of the test stack: a group session beyond the mesh gets its Janus room on
/// `rooms.join`, each participant's token joins it, and `rooms.remove` revokes the token and kicks them at once.
@Suite(.enabled(if: JanusStack.installed, "janus is not installed (apt-get install janus): no SFU to test"), .timeLimit(.minutes(2)))
struct SFURoomsJanusTests {
    @Test func aBigGroupJoinsJanusAndARemovalKicks() async throws {
        let gateway = try JanusStack.gateway()
        try await RealtimeHarness.with(sfu: gateway) { harness in
            let mentor = try await harness.user(.mentor)
            let alice = try await harness.user(.mentee)
            let (roomId, _) = try await harness.group(mentor: mentor.id, mentees: [alice.id], capacity: 10)
            let sfuRoom = roomId.uuidString.lowercased()
            // What each join's `sfu` said: topology, url, room, token, participantId.
            let accesses = try await harness.clients { () -> [[String]] in
                let join = #"{"bookingId":"\#(roomId)"}"#
                return try [(0, mentor.token), (1, alice.token)].map { worker, bearer in
                    let client = try RPCWebSocketClient(harness.socket(worker), headers: ["Authorization": "Bearer \(bearer)"], timeout: 15)
                    let result = try client.call("rooms.join", join)["result"] as? [String: Any]
                    let sfu = result?["sfu"] as? [String: Any]
                    let fields = ["url", "room", "token", "participantId"].map { sfu?[$0] as? String ?? "" }
                    return [result?["topology"] as? String ?? ""] + fields
                }
            }
            #expect(accesses.map { $0[0] } == ["sfu", "sfu"] && accesses.map { $0[1] } == ["/sfu", "/sfu"])
            #expect(accesses.map { $0[2] } == [sfuRoom, sfuRoom])
            #expect(try await gateway.roomExists(id: sfuRoom))
            let token = accesses[1][3]
            let participant = accesses[1][4]
            #expect(participant == alice.id.uuidString.lowercased())

            // Alice's page joins Janus with her token.
            let browser = try await harness.clients { try JanusBrowser(token: token) }
            defer { browser.close() }
            let joined = try await harness.clients { try browser.join(room: sfuRoom, id: participant) }
            #expect(joined["videoroom"] == "joined")
            #expect(try await gateway.participants(room: sfuRoom).map(\.id) == [participant])

            // The mentor removes her: Janus tells her page at once, and her token joins no more.
            let removed = try await harness.clients { () -> Bool in
                let host = try RPCWebSocketClient(harness.socket(0), headers: ["Authorization": "Bearer \(mentor.token)"], timeout: 15)
                return try host.call("rooms.remove", #"{"roomId":"\#(roomId)","userId":"\#(alice.id)"}"#)["result"] != nil
            }
            #expect(removed)
            let kicked = try await harness.clients { try browser.nextEvent() }
            #expect(kicked["leaving"] == "ok" && kicked["reason"] == "kicked")
            #expect(try await gateway.participants(room: sfuRoom).isEmpty)
            let again = try await harness.clients { () -> Int? in
                let retry = try JanusBrowser(token: token)
                defer { retry.close() }
                return try retry.join(room: sfuRoom, id: participant).errorCode
            }
            #expect(again == 433)
            try await gateway.destroyRoom(id: sfuRoom)
        }
    }
}
