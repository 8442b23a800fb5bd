import Foundation
import IdentityService
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import Testing

/// Sign-up, sign-in, cookies, refresh rotation and reuse, logout: the session rules on the in-memory ports.
@Suite struct SessionTests {
    @Test func registerLoginMeAndCookies() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        let me = try await h.call("identity.me", bearer: account.access)
        #expect(me.object("user")?["email"] as? String == account.email)
        let login = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"\#(IdentityFixture.password)"}"#)
        for name in ["__Host-ml_at", "__Host-ml_rt"] {
            let cookie = try #require(login.cookies.first { $0.hasPrefix(name + "=") })
            #expect(cookie.contains("; Path=/; Secure; HttpOnly; SameSite=Strict"))
            #expect(!cookie.contains("Domain"))
        }
        #expect(login.cookies.first { $0.hasPrefix("__Host-ml_at=") }?.contains("Max-Age=900") == true)
        #expect(login.result?["refreshToken"] == nil)
        // The access cookie works from an allowed origin only.
        #expect(try await h.call("identity.me", cookies: ["__Host-ml_at": account.access]).error == nil)
        #expect(
            try await h.call("identity.me", cookies: ["__Host-ml_at": account.access], origin: "https://evil.example").reason == "unauthenticated")
        #expect(try await h.call("identity.me", cookies: ["__Host-ml_at": account.access], origin: nil).reason == "unauthenticated")
        #expect(try await h.call("identity.me").reason == "unauthenticated")
    }

    @Test func loginCanReturnTheRefreshTokenToScripts() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        let login = try await h.call(
            "identity.login", #"{"email":"\#(account.email)","password":"\#(IdentityFixture.password)","returnRefreshToken":true}"#)
        let refresh = try #require(login.result?["refreshToken"] as? String)
        #expect(refresh == login.cookie("__Host-ml_rt"))
        let rotated = try await h.call("identity.refresh", #"{"refreshToken":"\#(refresh)"}"#)
        #expect(rotated.error == nil && rotated.result?["refreshToken"] as? String != refresh)
    }

    @Test func refreshRotatesAndReuseRevokesTheFamily() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        let first = try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh])
        let second = try #require(first.cookie("__Host-ml_rt"))
        #expect(second != account.refresh)
        let newAccess = try #require(first.result?["accessToken"] as? String)
        #expect(try await h.call("identity.me", bearer: newAccess).error == nil)
        // Replaying the rotated token after the grace window: the family is revoked, the newest token stops working too.
        h.store.ageRotations(by: 60)
        let replay = try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh])
        #expect(replay.reason == "token_reused")
        #expect(replay.cookies.contains { $0.hasPrefix("__Host-ml_rt=;") })
        #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": second]).reason == "unauthenticated")
        #expect(try await h.call("identity.me", bearer: newAccess).reason == "unauthenticated")
        #expect(try await h.store.auditEntries(AuditQuery(action: "token.reused")).count == 1)
    }

    @Test func unknownAndOversizedRefreshTokensAreUnauthenticated() async throws {
        let h = try await IdentityFixture.make()
        #expect(try await h.call("identity.refresh").reason == "unauthenticated")
        #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": "nope"]).reason == "unauthenticated")
        #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": String(repeating: "x", count: 129)]).reason == "unauthenticated")
    }

    @Test func concurrentRefreshesInTheGraceWindowKeepTheSession() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        async let first = h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh])
        async let second = h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh])
        let (a, b) = try await (first, second)
        #expect(a.error == nil && b.error == nil, "\(String(describing: a.error)) \(String(describing: b.error))")
        let tokens = [try #require(a.cookie("__Host-ml_rt")), try #require(b.cookie("__Host-ml_rt"))]
        #expect(Set(tokens).count == 2 && !tokens.contains(account.refresh))
        for token in tokens { #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": token]).error == nil) }
        #expect(try await h.store.auditEntries(AuditQuery(action: "token.reused")).isEmpty)
    }

    @Test func refreshIsRefusedOverWebSocket() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh], transport: .webSocket).reason == "http_required")
        #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh]).error == nil)
    }

    @Test func logoutEndsRefreshAndAccessAtOnce() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        let logout = try await h.call("identity.logout", bearer: account.access)
        #expect(logout.error == nil && logout.cookies.count == 2)
        #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh]).reason == "unauthenticated")
        #expect(try await h.call("identity.me", bearer: account.access).reason == "unauthenticated")
        // A principal without a session (not from a token) cannot log out a session.
        let sessionless = Principal(userId: account.id, roles: [.mentee])
        #expect(try await h.call("identity.logout", principal: sessionless).reason == "unauthenticated")
    }

    @Test func logoutAllAndChangePasswordEndOtherSessions() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        let other = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"\#(IdentityFixture.password)"}"#)
        let otherAccess = try #require(other.result?["accessToken"] as? String)
        let wrong = try await h.call(
            "identity.changePassword", #"{"currentPassword":"not it at all","newPassword":"a brand new passphrase"}"#, bearer: account.access)
        #expect(wrong.reason == "invalid_credentials")
        let weak = try await h.call(
            "identity.changePassword", #"{"currentPassword":"\#(IdentityFixture.password)","newPassword":"short"}"#, bearer: account.access)
        #expect(weak.reason == "weak_password")
        let changed = try await h.call(
            "identity.changePassword", #"{"currentPassword":"\#(IdentityFixture.password)","newPassword":"a brand new passphrase"}"#,
            bearer: account.access)
        #expect(changed.error == nil)
        #expect(try await h.call("identity.me", bearer: otherAccess).reason == "unauthenticated")
        #expect(try await h.call("identity.me", bearer: account.access).error == nil)
        let old = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"\#(IdentityFixture.password)"}"#)
        #expect(old.reason == "invalid_credentials")
        #expect(try await h.call("identity.login", #"{"email":"\#(account.email)","password":"a brand new passphrase"}"#).error == nil)
        #expect(try await h.call("identity.logoutAll", bearer: account.access).error == nil)
        #expect(try await h.call("identity.me", bearer: account.access).reason == "unauthenticated")
        let failures = try await h.store.auditEntries(AuditQuery(action: "password.change")).map(\.outcome)
        #expect(failures == ["failure", "success"])
    }

    @Test func badTokensAreUnauthenticated() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        let parts = account.access.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        let tamperedPayload = parts[0] + "." + String(parts[1].dropLast()) + (parts[1].last == "A" ? "B" : "A") + "." + parts[2]
        let none = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "") + "." + parts[1] + "."
        let id = try #require(UUID(uuidString: account.id))
        let otherAudience = try await AccessTokens(configuration: IdentityFixture.configuration(audience: "someone-else")).issue(
            for: User(id: id, email: account.email, name: "x", roles: [.admin]), sessionId: UUID()
        ).token
        let expired = try await AccessTokens(configuration: IdentityFixture.configuration()).issue(
            for: User(id: id, email: account.email, name: "x", roles: [.mentee]), sessionId: UUID(), now: Date().addingTimeInterval(-3600)
        ).token
        for token in [tamperedPayload, none, otherAudience, expired, account.refresh, "garbage", ""] {
            #expect(try await h.call("identity.me", bearer: token).reason == "unauthenticated", "accepted \(token)")
        }
    }

    @Test func aRevocationListThatIsDownRefusesTokensAsUnavailable() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        h.revocations.outage.set(true)
        await #expect(throws: IdentityError.unavailable("redis")) { _ = try await h.call("identity.me", bearer: account.access) }
        h.revocations.outage.set(false)
        #expect(try await h.call("identity.me", bearer: account.access).error == nil)
    }
}
