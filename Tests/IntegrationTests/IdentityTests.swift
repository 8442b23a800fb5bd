import Foundation
import IdentityService
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import PostgresAdapter
import PostgresNIO
import Testing

@Suite(.serialized, .timeLimit(.minutes(3))) struct IdentityTests {
    @Test func registerLoginMeAndCookies() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            let me = try await h.call("identity.me", bearer: account.access)
            #expect((me.result?["user"] as? [String: Any])?["email"] as? String == account.email)
            let login = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"correct horse battery staple"}"#)
            for name in ["__Host-ml_at", "__Host-ml_rt"] {
                let cookie = try #require(login.cookies.first { $0.hasPrefix(name + "=") })
                #expect(cookie.contains("; Path=/; Secure; HttpOnly; SameSite=Strict"))
                #expect(!cookie.contains("Domain"))
            }
            #expect(login.cookies.first { $0.hasPrefix("__Host-ml_at=") }?.contains("Max-Age=900") == true)
            // The access cookie works from an allowed origin only.
            let viaCookie = try await h.call("identity.me", cookies: ["__Host-ml_at": account.access])
            #expect(viaCookie.error == nil)
            let crossSite = try await h.call("identity.me", cookies: ["__Host-ml_at": account.access], origin: "https://evil.example")
            #expect(crossSite.reason == "unauthenticated")
            let noOrigin = try await h.call("identity.me", cookies: ["__Host-ml_at": account.access], origin: nil)
            #expect(noOrigin.reason == "unauthenticated")
        }
    }

    @Test func refreshRotatesAndReuseRevokesTheFamily() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            let first = try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh])
            let second = try #require(first.cookie("__Host-ml_rt"))
            #expect(second != account.refresh)
            let newAccess = try #require(first.result?["accessToken"] as? String)
            #expect(try await h.call("identity.me", bearer: newAccess).error == nil)
            // Replaying the rotated token after the grace window: the family is revoked, the newest token stops working too.
            try await h.pool.client.query("UPDATE refresh_tokens SET rotated_at = rotated_at - interval '1 minute' WHERE rotated_at IS NOT NULL")
            let replay = try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh])
            #expect(replay.reason == "token_reused")
            #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": second]).reason == "unauthenticated")
            #expect(try await h.call("identity.me", bearer: newAccess).reason == "unauthenticated")
            let entries = try await h.store.auditEntries(AuditQuery(action: "token.reused"))
            #expect(entries.count == 1)
        }
    }

    @Test func logoutEndsRefreshAndAccessAtOnce() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            #expect(try await h.call("identity.logout", bearer: account.access).error == nil)
            #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh]).reason == "unauthenticated")
            #expect(try await h.call("identity.me", bearer: account.access).reason == "unauthenticated")
        }
    }

    @Test func logoutAllAndChangePasswordEndOtherSessions() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            let other = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"correct horse battery staple"}"#)
            let otherAccess = try #require(other.result?["accessToken"] as? String)
            let changed = try await h.call(
                "identity.changePassword", #"{"currentPassword":"correct horse battery staple","newPassword":"a brand new passphrase"}"#,
                bearer: account.access)
            #expect(changed.error == nil)
            #expect(try await h.call("identity.me", bearer: otherAccess).reason == "unauthenticated")
            #expect(try await h.call("identity.me", bearer: account.access).error == nil)
            let old = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"correct horse battery staple"}"#)
            #expect(old.reason == "invalid_credentials")
            #expect(try await h.call("identity.logoutAll", bearer: account.access).error == nil)
            #expect(try await h.call("identity.me", bearer: account.access).reason == "unauthenticated")
        }
    }

    @Test func passwordRules() async throws {
        try await IdentityHarness.with { h in
            func register(_ password: String) async throws -> Outcome {
                try await h.call(
                    "identity.register",
                    #"{"email":"p\#(UUID().uuidString.prefix(8))@example.com","password":"\#(password)","name":"P","role":"mentee"}"#)
            }
            #expect(try await register("short1").reason == "weak_password")
            #expect(try await register("qwertyuiop").reason == "weak_password")
            #expect(try await register("Password1").reason == "weak_password" || PasswordPolicy().listSize >= 1000)
            #expect(PasswordPolicy().listSize >= 1000)
            // Long passwords are accepted whole: changing the 100th character matters.
            let long = String(repeating: "abcdefghij", count: 10)
            let email = "long\(UUID().uuidString.prefix(8))@example.com"
            let registered = try await h.call("identity.register", #"{"email":"\#(email)","password":"\#(long)","name":"L","role":"mentor"}"#)
            #expect(registered.error == nil)
            let altered = String(long.dropLast()) + "X"
            #expect(try await h.call("identity.login", #"{"email":"\#(email)","password":"\#(altered)"}"#).reason == "invalid_credentials")
            let loggedIn = try await h.call("identity.login", #"{"email":"\#(email)","password":"\#(long)"}"#)
            #expect(loggedIn.error == nil)
            #expect(
                try await h.call("identity.register", #"{"email":"\#(email)","password":"\#(long)","name":"L","role":"mentor"}"#).reason
                    == "email_taken")
        }
    }

    @Test func unknownEmailAndWrongPasswordLookTheSame() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            let wrong = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"not the password"}"#)
            let unknown = try await h.call("identity.login", #"{"email":"nobody@example.com","password":"not the password"}"#)
            #expect(wrong.error == unknown.error)
            #expect(wrong.reason == "invalid_credentials")
            #expect(wrong.cookies.isEmpty && unknown.cookies.isEmpty)
        }
    }

    @Test func badTokensAreUnauthenticated() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            let parts = account.access.split(separator: ".").map(String.init)
            #expect(parts.count == 3)
            let tamperedPayload = parts[0] + "." + String(parts[1].dropLast()) + (parts[1].last == "A" ? "B" : "A") + "." + parts[2]
            let none = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "") + "." + parts[1] + "."
            let otherAudience = try await AccessTokens(configuration: IdentityHarness.configuration(audience: "someone-else")).issue(
                for: User(id: UUID(uuidString: account.id)!, email: account.email, name: "x", roles: [.admin]), sessionId: UUID()
            ).token
            var expiredConfiguration = IdentityHarness.configuration()
            expiredConfiguration.accessLifetime = .seconds(-60)
            let expired = try await AccessTokens(configuration: expiredConfiguration).issue(
                for: User(id: UUID(uuidString: account.id)!, email: account.email, name: "x", roles: [.mentee]), sessionId: UUID()
            ).token
            for token in [tamperedPayload, none, otherAudience, expired, account.refresh, "garbage", ""] {
                #expect(try await h.call("identity.me", bearer: token).reason == "unauthenticated", "accepted \(token)")
            }
        }
    }

    @Test func everyMethodTimesEveryRoleFromTheRegistry() async throws {
        try await IdentityHarness.with { h in
            for method in h.dispatcher.methods.values.sorted(by: { $0.name < $1.name }) {
                let anonymous = try await h.call(method.name, "{}")
                switch method.access {
                case .public: #expect(anonymous.reason != "forbidden", "\(method.name) refused an anonymous caller")
                case .authenticated, .roles: #expect(anonymous.reason == "unauthenticated", "\(method.name) let an anonymous caller in")
                }
                for role in RPCRole.all {
                    let principal = Principal(userId: UUID().uuidString, roles: [role], sessionId: UUID().uuidString)
                    let outcome = try await h.call(method.name, "{}", principal: principal)
                    let allowed = method.access.check(principal) == nil
                    if allowed {
                        #expect(
                            outcome.reason != "forbidden" && outcome.reason != "unauthenticated" || method.name.hasPrefix("identity."),
                            "\(method.name) refused \(role)")
                    } else {
                        #expect(outcome.reason == "forbidden", "\(method.name) let \(role) in")
                    }
                }
            }
        }
    }

    @Test func paramsNeverRaisePrivilege() async throws {
        try await IdentityHarness.with { h in
            let asAdmin = try await h.call("identity.register", #"{"email":"x@example.com","password":"long enough pass","name":"X","role":"admin"}"#)
            #expect(asAdmin.error?.code == -32602)
            let sneaky = try await h.call(
                "identity.register", #"{"email":"y@example.com","password":"long enough pass","name":"Y","role":"mentee","roles":["admin"]}"#)
            #expect(sneaky.error?.code == -32602)
            let mentee = try await h.signUp()
            let other = try await h.signUp()
            #expect(try await h.call("admin.setRole", #"{"userId":"\#(other.id)","role":"admin"}"#, bearer: mentee.access).reason == "forbidden")
            #expect(try await h.call("admin.disableUser", #"{"userId":"\#(other.id)"}"#, bearer: mentee.access).reason == "forbidden")
        }
    }

    @Test func adminsManageUsersAndEveryActionIsAudited() async throws {
        try await IdentityHarness.with { h in
            let admin = try await h.signUpAdmin()
            let user = try await h.signUp()
            #expect(try await h.call("admin.setRole", #"{"userId":"\#(admin.id)","role":"mentee"}"#, bearer: admin.access).reason == "forbidden")
            let promoted = try await h.call("admin.setRole", #"{"userId":"\#(user.id)","role":"mentor"}"#, bearer: admin.access)
            #expect((promoted.result?["user"] as? [String: Any])?["roles"] as? [String] == ["mentor"])
            #expect(try await h.call("identity.me", bearer: user.access).reason == "unauthenticated")
            #expect(try await h.call("admin.disableUser", #"{"userId":"\#(user.id)"}"#, bearer: admin.access).error == nil)
            let again = try await h.call("identity.login", #"{"email":"\#(user.email)","password":"correct horse battery staple"}"#)
            #expect(again.reason == "account_disabled")
            let listed = try await h.call("admin.listUsers", #"{"limit":10}"#, bearer: admin.access)
            #expect((listed.result?["items"] as? [Any])?.count == 2)
            let audit = try await h.call("audit.list", #"{"limit":100}"#, bearer: admin.access)
            let actions = Set((audit.result?["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String })
            #expect(actions.isSuperset(of: ["user.create", "login", "admin.set_role", "admin.disable_user"]))
            let text = String(describing: audit.result)
            #expect(!text.contains("correct horse") && !text.contains(user.refresh) && !text.contains(user.access))
        }
    }

    @Test func auditChainDetectsTampering() async throws {
        try await IdentityHarness.with { h in
            for index in 0..<5 { try await h.store.appendAudit(AuditEntry(actorId: nil, action: "test.entry", target: "\(index)")) }
            #expect(try await h.store.verifyAudit() == AuditVerification(ok: true, checked: 5, firstBrokenId: nil))
            await #expect(throws: (any Error).self) { try await h.pool.client.query("UPDATE audit_log SET outcome = 'x' WHERE id = 2") }
            await #expect(throws: (any Error).self) { try await h.pool.client.query("DELETE FROM audit_log WHERE id = 2") }
            // As a superuser with the trigger disabled: alter entry 3, then delete entry 5.
            try await h.pool.client.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
            try await h.pool.client.query("UPDATE audit_log SET outcome = 'forged' WHERE id = 3")
            #expect(try await h.store.verifyAudit().firstBrokenId == 3)
            try await h.pool.client.query("UPDATE audit_log SET outcome = 'success' WHERE id = 3")
            #expect(try await h.store.verifyAudit().ok)
            try await h.pool.client.query("DELETE FROM audit_log WHERE id = 4")
            #expect(try await h.store.verifyAudit().firstBrokenId == 5)
            try await h.pool.client.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
        }
    }

    @Test func loginIsRateLimitedPerAccount() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            var reasons: [String] = []
            var retryAfter: JSONValue?
            for _ in 0..<8 {
                let outcome = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"wrong password!"}"#, ip: "10.9.9.9")
                reasons.append(outcome.reason ?? "ok")
                if outcome.reason == "rate_limited" { retryAfter = outcome.error?.data["retryAfter"] }
            }
            #expect(reasons.contains("rate_limited"))
            #expect(reasons.prefix(4).allSatisfy { $0 == "invalid_credentials" })
            if case .int(let seconds)? = retryAfter { #expect(seconds >= 1) } else { Issue.record("no retryAfter") }
        }
    }

    /// Issue 11 §17: five failed logins a minute from anywhere locked the owner out of their own account.
    @Test func failedLoginsElsewhereDoNotLockTheOwnerOut() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            for attempt in 0..<12 {
                let outcome = try await h.call(
                    "identity.login", #"{"email":"\#(account.email)","password":"wrong password!"}"#, ip: "203.0.113.\(attempt % 3 + 1)")
                #expect(outcome.reason == "invalid_credentials" || outcome.reason == "rate_limited")
            }
            let owner = try await h.call(
                "identity.login", #"{"email":"\#(account.email)","password":"correct horse battery staple"}"#, ip: "198.51.100.7")
            #expect(owner.error == nil, "\(String(describing: owner.error))")
        }
    }

    /// Issue 11 §17: two tabs refreshing at once looked like token reuse and ended the session.
    @Test func concurrentRefreshesInTheGraceWindowKeepTheSession() async throws {
        try await IdentityHarness.with { h in
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
    }

    /// Issue 11 §17: `identity.refresh` over a WebSocket spent the token but could not set the rotated cookie.
    @Test func refreshIsRefusedOverWebSocket() async throws {
        try await IdentityHarness.with { h in
            let account = try await h.signUp()
            let refused = try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh], transport: .webSocket)
            #expect(refused.reason == "http_required")
            #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": account.refresh]).error == nil)
        }
    }
}
