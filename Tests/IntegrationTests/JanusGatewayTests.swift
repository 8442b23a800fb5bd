import Foundation
import MentorLinkCore
import SFUAdapter
import Testing

/// ``SFUAdapter/JanusGateway`` and Janus's signed tokens against the real Janus the test stack runs (its private
/// configuration from scripts/lib.sh: token_auth with a secret, the VideoRoom's admin_key, string ids).
@Suite(.enabled(if: JanusStack.installed, "janus is not installed (apt-get install janus): no SFU to test"), .timeLimit(.minutes(1)))
struct JanusGatewayTests {
    @Test func healthNamesJanus() async throws {
        let health = try await JanusStack.gateway().health()
        #expect(health.name == "Janus WebRTC Server")
        #expect(health.version == "1.1.2")
        #expect(health.accepting)
        try await JanusStack.gateway().check()
    }

    @Test func roomsAreCreatedOnceAndDestroyed() async throws {
        let gateway = try JanusStack.gateway()
        let room = JanusStack.roomId()
        #expect(try await !gateway.roomExists(id: room))
        #expect(try await gateway.createRoom(SFURoom(id: room, description: "group session", publishers: 8, bitrate: 256_000)))
        #expect(try await gateway.roomExists(id: room))
        #expect(try await !gateway.createRoom(SFURoom(id: room, publishers: 8)))
        #expect(try await gateway.participants(room: room).isEmpty)
        #expect(try await gateway.destroyRoom(id: room))
        #expect(try await !gateway.roomExists(id: room))
        #expect(try await !gateway.destroyRoom(id: room))
        await #expect(throws: SFUError.notFound("room \(room)")) { try await gateway.participants(room: room) }
        await #expect(throws: SFUError.notFound("room \(room)")) { try await gateway.allow(room: room, tokens: ["x"]) }
    }

    /// Our rooms are private; the admin key lists them (the SFU janitor's view).
    @Test func privateRoomsAreListedWithTheAdminKey() async throws {
        let gateway = try JanusStack.gateway()
        let room = JanusStack.roomId()
        #expect(try await !gateway.roomIds().contains(room))
        try await gateway.createRoom(SFURoom(id: room, publishers: 2))
        #expect(try await gateway.roomIds().contains(room))
        try await gateway.destroyRoom(id: room)
        #expect(try await !gateway.roomIds().contains(room))
    }

    /// Janus's own recording is switched with the room's secret (lock_record), and only with a recordings directory.
    @Test func recordingIsSwitchedOnlyWithARecordingsDirectory() async throws {
        var configuration = try JanusStack.configuration()
        configuration.recordingsDirectory = nil
        let plain = JanusGateway(configuration: configuration)
        let room = JanusStack.roomId()
        try await plain.createRoom(SFURoom(id: room, publishers: 2))
        await #expect(throws: SFUError.refused(code: 0, reason: "no recordings directory")) {
            try await plain.setRecording(room: room, recording: true)
        }
        try await plain.destroyRoom(id: room)
        configuration.recordingsDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("ml-janus-rec").path
        let recording = JanusGateway(configuration: configuration)
        try await recording.createRoom(SFURoom(id: room, publishers: 2))
        try await recording.setRecording(room: room, recording: true)
        try await recording.setRecording(room: room, recording: false)
        await #expect(throws: SFUError.notFound("room \(room)-gone")) { try await recording.setRecording(room: "\(room)-gone", recording: true) }
        try await recording.destroyRoom(id: room)
    }

    /// Only the backend can create rooms: the plugin's admin_key.
    @Test func aWrongAdminKeyCannotCreateRooms() async throws {
        var configuration = try JanusStack.configuration()
        configuration.adminKey = "not-the-admin-key"
        let gateway = JanusGateway(configuration: configuration)
        await #expect {
            try await gateway.createRoom(SFURoom(id: JanusStack.roomId(), publishers: 2))
        } throws: { error in
            guard case SFUError.refused(let code, _) = error else { return false }
            return code == 433
        }
    }

    /// Janus accepts a token the backend signed, and refuses an expired one, a forged one and one signed with another
    /// secret (the core checks every request).
    @Test func signedTokensAreCheckedByJanus() async throws {
        let configuration = try JanusStack.configuration()
        let gateway = JanusGateway(configuration: configuration)
        let participant = UUID().uuidString.lowercased()
        let valid = try gateway.accessToken(participant: participant, expiresAt: JanusStack.now + 60)
        let expired = try gateway.accessToken(participant: participant, expiresAt: JanusStack.now - 1)
        let forged = String(valid.dropLast(6)) + "AAAAA="
        let otherSecret = try JanusToken.participant(participant, expiresAt: JanusStack.now + 60, secret: "not-the-secret")
        // Another participant's id, the signature kept: the data no longer matches it.
        let renamed =
            try gateway.accessToken(participant: "someone-else", expiresAt: JanusStack.now + 60).split(separator: ":")[0] + ":"
            + valid.split(separator: ":")[1]
        let answers = try await TestEnvironment.offThePool {
            try [valid, expired, forged, otherSecret, String(renamed), ""].map(JanusBrowser.create(token:))
        }
        #expect(answers == [200, 403, 403, 403, 403, 403])
    }

    /// A token that does not name the VideoRoom opens a session but cannot attach to it.
    @Test func aTokenForNoPluginCannotAttach() async throws {
        let configuration = try JanusStack.configuration()
        let token = try JanusToken.sign(expiresAt: JanusStack.now + 60, plugins: ["janus.plugin.echotest"], secret: configuration.tokenSecret)
        let refused = try await TestEnvironment.offThePool { () -> Int? in
            do {
                _ = try JanusBrowser(token: token)
                return nil
            } catch let refused as JanusBrowser.Refused { return refused.code }
        }
        #expect(refused == 405)
    }

    /// The allow-list: a participant's token joins the room it was added to, not another room, and not after it was
    /// revoked; a kick ends the session's place in the room at once (Janus tells the kicked page).
    @Test func allowListJoinRevokeAndKick() async throws {
        let gateway = try JanusStack.gateway()
        let room = JanusStack.roomId()
        let otherRoom = JanusStack.roomId()
        try await gateway.createRoom(SFURoom(id: room, publishers: 4))
        try await gateway.createRoom(SFURoom(id: otherRoom, publishers: 4))
        let participant = UUID().uuidString.lowercased()
        let token = try gateway.accessToken(participant: participant, expiresAt: JanusStack.now + 60)
        try await gateway.allow(room: room, tokens: [token])

        let browser = try await TestEnvironment.offThePool { try JanusBrowser(token: token) }
        defer { browser.close() }
        let (otherRoomError, joined) = try await TestEnvironment.offThePool { () -> (Int?, String?) in
            let other = try browser.join(room: otherRoom, id: participant)
            let joined = try browser.join(room: room, id: participant)
            return (other.errorCode, joined["videoroom"])
        }
        #expect(otherRoomError == 433)
        #expect(joined == "joined")
        #expect(try await gateway.participants(room: room) == [SFUParticipant(id: participant, display: participant, publishing: false)])

        // Revoked, then kicked: Janus tells the page at once, and the token joins no more.
        try await gateway.revoke(room: room, tokens: [token])
        try await gateway.kick(room: room, participant: participant)
        let kicked = try await TestEnvironment.offThePool { try browser.nextEvent() }
        #expect(kicked["leaving"] == "ok")
        #expect(kicked["reason"] == "kicked")
        #expect(try await gateway.participants(room: room).isEmpty)
        let again = try await TestEnvironment.offThePool { () -> Int? in
            let browser = try JanusBrowser(token: token)
            defer { browser.close() }
            return try browser.join(room: room, id: participant).errorCode
        }
        #expect(again == 433)
        await #expect(throws: SFUError.notFound("participant \(participant) or stream in room \(room)")) {
            try await gateway.kick(room: room, participant: participant)
        }
        try await gateway.destroyRoom(id: room)
        try await gateway.destroyRoom(id: otherRoom)
    }

    /// Moderation: the published streams come from the admin API, and muting a kind mutes its mids.
    @Test func streamsAndModeration() async throws {
        let gateway = try JanusStack.gateway()
        let room = JanusStack.roomId()
        try await gateway.createRoom(SFURoom(id: room, publishers: 4))
        let participant = UUID().uuidString.lowercased()
        let token = try gateway.accessToken(participant: participant, expiresAt: JanusStack.now + 60)
        try await gateway.allow(room: room, tokens: [token])
        let browser = try await TestEnvironment.offThePool { try JanusBrowser(token: token) }
        defer { browser.close() }
        let configured = try await TestEnvironment.offThePool { () -> JanusEvent in
            _ = try browser.join(room: room, id: participant)
            return try browser.publish()
        }
        #expect(configured["configured"] == "ok")
        #expect(
            try await gateway.streams(room: room, participant: participant) == [
                SFUStream(mid: "0", media: .audio), SFUStream(mid: "1", media: .video),
            ])
        #expect(try await gateway.mute(room: room, participant: participant, media: .audio, muted: true) == ["0"])
        let moderated = try await TestEnvironment.offThePool { try browser.nextEvent() }
        #expect(moderated["moderation"] == "muted")
        #expect(moderated["mid"] == "0")
        try await gateway.moderate(room: room, participant: participant, mid: "1", mute: true)
        await #expect(throws: SFUError.notFound("participant \(participant) or stream in room \(room)")) {
            try await gateway.moderate(room: room, participant: participant, mid: "7", mute: true)
        }
        await #expect(throws: SFUError.notFound("participant nobody in room \(room)")) {
            try await gateway.streams(room: room, participant: "nobody")
        }
        try await gateway.destroyRoom(id: room)
    }
}
