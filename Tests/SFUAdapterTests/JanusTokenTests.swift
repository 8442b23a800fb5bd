import MentorLinkCore
import SFUAdapter
import Testing

/// Janus's signed-token format (src/auth.c), byte for byte; the real Janus accepting them is JanusGatewayTests'.
@Suite struct JanusTokenTests {
    /// Vectors from Python's hmac/hashlib/base64 on the same strings.
    @Test func tokensAreTheHMACOfTheirData() throws {
        #expect(
            try JanusToken.sign(expiresAt: 1_700_000_000, secret: "janus") == "1700000000,janus,janus.plugin.videoroom:8YthpHgLHAOwcp64sE1Kz76oU4Q=")
        #expect(
            try JanusToken.participant("3f2a9c1e-0b7d-4c55-9e8a-2d1f6b0c7a11", expiresAt: 1_700_000_000, secret: "janus-test-secret")
                == "1700000000,janus,janus.plugin.videoroom,participant=3f2a9c1e-0b7d-4c55-9e8a-2d1f6b0c7a11:zZYZrUUJlmCf1zp4VqJ7cUMZEPA=")
    }

    /// Janus splits the data on `,` and the token on `:`: an id that could add a field or end the data is refused.
    @Test(arguments: ["", "a,janus.plugin.videoroom", "a:b", "a b", String(repeating: "x", count: 65), "ü"])
    func identifiersThatWouldChangeTheTokenAreRefused(_ id: String) {
        #expect(throws: SFUError.invalidIdentifier(id)) { try JanusToken.participant(id, expiresAt: 1, secret: "s") }
    }

    @Test func descriptorsWithSeparatorsAreRefused() {
        #expect(throws: SFUError.invalidIdentifier("a,b")) { try JanusToken.sign(expiresAt: 1, descriptors: ["a,b"], secret: "s") }
        #expect(throws: SFUError.invalidIdentifier("")) { try JanusToken.sign(expiresAt: 1, plugins: [""], secret: "s") }
    }

    @Test func roomSecretsAreStablePerRoomAndKey() {
        let gateway = JanusGateway(configuration: JanusConfiguration(url: "http://127.0.0.1:1/janus", tokenSecret: "t", adminKey: "k"))
        let other = JanusGateway(configuration: JanusConfiguration(url: "http://127.0.0.1:1/janus", tokenSecret: "t", adminKey: "k2"))
        #expect(gateway.roomSecret("r1") == gateway.roomSecret("r1"))
        #expect(gateway.roomSecret("r1") != gateway.roomSecret("r2"))
        #expect(gateway.roomSecret("r1") != other.roomSecret("r1"))
        #expect(gateway.roomSecret("r1").count == 43)
        #expect(!gateway.roomSecret("r1").contains { "+/=".contains($0) })
    }

    @Test func configurationFromTheEnvironment() throws {
        #expect(try JanusConfiguration.fromEnvironment([:]) == nil)
        #expect(throws: SFUError.unavailable("MENTORLINK_JANUS_URL is set but JANUS_ADMIN_KEY is not")) {
            try JanusConfiguration.fromEnvironment(["MENTORLINK_JANUS_URL": "http://127.0.0.1:8088/janus", "JANUS_TOKEN_SECRET": "t"])
        }
        let configuration = try #require(
            try JanusConfiguration.fromEnvironment([
                "MENTORLINK_JANUS_URL": "http://127.0.0.1:8088/janus/", "MENTORLINK_JANUS_ADMIN_URL": "http://127.0.0.1:7088/admin",
                "JANUS_TOKEN_SECRET": "t", "JANUS_ADMIN_KEY": "k", "JANUS_ADMIN_SECRET": "a",
            ]))
        #expect(configuration.url == "http://127.0.0.1:8088/janus")
        #expect(configuration.adminURL == "http://127.0.0.1:7088/admin")
        #expect(configuration.adminSecret == "a")
    }

    /// Nothing listens on port 1: unavailable, retryable, not a crash or a refusal.
    @Test func anUnreachableJanusIsUnavailable() async throws {
        let gateway = JanusGateway(
            configuration: JanusConfiguration(url: "http://127.0.0.1:1/janus", tokenSecret: "t", adminKey: "k", requestTimeout: .seconds(1)))
        await #expect {
            try await gateway.createRoom(SFURoom(id: "r1", publishers: 2))
        } throws: { error in
            if case SFUError.unavailable = error { return true }
            return false
        }
        await #expect(throws: SFUError.invalidIdentifier("r 1")) { try await gateway.kick(room: "r 1", participant: "p") }
    }
}
