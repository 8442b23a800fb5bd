import MentorLinkCore
import MentorLinkTesting
import Testing

/// The fake the rooms service's tests will run on behaves as Janus does where they rely on it.
@Suite struct InMemorySFUTests {
    @Test func allowListKickAndMute() async throws {
        let sfu = InMemorySFU()
        #expect(try await sfu.createRoom(SFURoom(id: "r1", publishers: 4)))
        #expect(try await !sfu.createRoom(SFURoom(id: "r1", publishers: 4)))
        let token = try sfu.accessToken(participant: "p1", expiresAt: 100)
        #expect(!sfu.join(room: "r1", participant: "p1", token: token))
        try await sfu.allow(room: "r1", tokens: [token])
        #expect(
            sfu.join(room: "r1", participant: "p1", token: token, streams: [SFUStream(mid: "0", media: .audio), SFUStream(mid: "1", media: .video)]))
        #expect(try await sfu.mute(room: "r1", participant: "p1", media: .audio, muted: true) == ["0"])
        #expect(sfu.room("r1")?.muted["p1"] == ["0"])
        try await sfu.revoke(room: "r1", tokens: [token])
        try await sfu.kick(room: "r1", participant: "p1")
        #expect(try await sfu.participants(room: "r1").isEmpty)
        #expect(!sfu.join(room: "r1", participant: "p1", token: token))
        await #expect(throws: SFUError.notFound("participant p1 in room r1")) { try await sfu.kick(room: "r1", participant: "p1") }
        sfu.outage.set(true)
        await #expect(throws: SFUError.unavailable("janus")) { try await sfu.roomExists(id: "r1") }
        sfu.outage.set(false)
        sfu.restart()
        #expect(try await !sfu.roomExists(id: "r1"))
    }
}
