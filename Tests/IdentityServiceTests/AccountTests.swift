import Foundation
import IdentityService
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import ServiceSupport
import Testing

/// Registration rules, login failures and their rate limits, on the in-memory ports.
@Suite struct AccountTests {
    func register(
        _ h: IdentityFixture, email: String? = nil, password: String = "long enough pass", name: String = "P", role: String = "mentee"
    ) async throws -> Outcome {
        let email = email ?? "p\(UUID().uuidString.prefix(8))@example.com"
        return try await h.call("identity.register", #"{"email":"\#(email)","password":"\#(password)","name":"\#(name)","role":"\#(role)"}"#)
    }

    @Test func passwordRules() async throws {
        let h = try await IdentityFixture.make()
        #expect(try await register(h, password: "short1").reason == "weak_password")
        #expect(try await register(h, password: "qwertyuiop").reason == "weak_password")
        #expect(try await register(h, password: String(repeating: "a", count: 1025)).reason == "weak_password")
        #expect(PasswordPolicy().listSize >= 1000)
        // Long passwords are accepted whole: changing the 100th character matters.
        let long = String(repeating: "abcdefghij", count: 10)
        let email = "long\(UUID().uuidString.prefix(8))@example.com"
        #expect(try await register(h, email: email, password: long, role: "mentor").error == nil)
        let altered = String(long.dropLast()) + "X"
        #expect(try await h.call("identity.login", #"{"email":"\#(email)","password":"\#(altered)"}"#).reason == "invalid_credentials")
        #expect(try await h.call("identity.login", #"{"email":"\#(email)","password":"\#(long)"}"#).error == nil)
    }

    @Test func anEmailIsTakenWhateverItsCase() async throws {
        let h = try await IdentityFixture.make()
        #expect(try await register(h, email: "Same@Example.com").error == nil)
        let again = try await register(h, email: "same@example.COM")
        #expect(again.reason == "email_taken")
        #expect(again.error?.code == ErrorCode.emailTaken.code)
        // Login folds the case too.
        #expect(try await h.call("identity.login", #"{"email":" SAME@example.com ","password":"long enough pass"}"#).error == nil)
    }

    @Test(arguments: [
        (#"{"email":"not-an-email","password":"long enough pass","name":"P","role":"mentee"}"#, "email"),
        (#"{"email":"a b@example.com","password":"long enough pass","name":"P","role":"mentee"}"#, "email"),
        (#"{"email":"x@example.com","password":"long enough pass","name":"   ","role":"mentee"}"#, "name"),
        (#"{"email":"x@example.com","password":"long enough pass","name":"P","role":"admin"}"#, "role"),
        (#"{"email":"x@example.com","name":"P","role":"mentee"}"#, "password"),
    ]) func invalidRegistrationsNameTheField(params: String, field: String) async throws {
        let h = try await IdentityFixture.make()
        let outcome = try await h.call("identity.register", params)
        #expect(outcome.reason == "invalid_params")
        #expect(outcome.invalidFields.contains { $0.hasPrefix(field) }, "\(outcome.invalidFields)")
    }

    @Test func paramsNeverRaisePrivilege() async throws {
        let h = try await IdentityFixture.make()
        let sneaky = try await h.call(
            "identity.register", #"{"email":"y@example.com","password":"long enough pass","name":"Y","role":"mentee","roles":["admin"]}"#)
        #expect(sneaky.error?.code == -32602)
        let mentee = try await h.signUp()
        let other = try await h.signUp()
        #expect(try await h.call("admin.setRole", #"{"userId":"\#(other.id)","role":"admin"}"#, bearer: mentee.access).reason == "forbidden")
        #expect(try await h.call("admin.disableUser", #"{"userId":"\#(other.id)"}"#, bearer: mentee.access).reason == "forbidden")
        #expect(try await h.call("identity.me", bearer: mentee.access).object("user")?["roles"] as? [String] == ["mentee"])
    }

    @Test func unknownEmailAndWrongPasswordLookTheSame() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        let wrong = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"not the password"}"#)
        let unknown = try await h.call("identity.login", #"{"email":"nobody@example.com","password":"not the password"}"#)
        #expect(wrong.error == unknown.error)
        #expect(wrong.reason == "invalid_credentials")
        #expect(wrong.cookies.isEmpty && unknown.cookies.isEmpty)
        let failures = try await h.store.auditEntries(AuditQuery(action: "login")).filter { $0.outcome == "failure" }
        #expect(failures.map { $0.details["reason"] } == ["invalid_credentials", "invalid_credentials"])
    }

    @Test func loginIsRateLimitedPerAccountAndRefillsWithTime() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        var reasons: [String] = []
        var retryAfter: JSONValue?
        for _ in 0..<8 {
            let outcome = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"wrong password!"}"#, ip: "10.9.9.9")
            reasons.append(outcome.reason ?? "ok")
            if outcome.reason == "rate_limited" { retryAfter = outcome.error?.data["retryAfter"] }
        }
        #expect(reasons == Array(repeating: "invalid_credentials", count: 5) + Array(repeating: "rate_limited", count: 3))
        guard case .int(let seconds)? = retryAfter else {
            Issue.record("no retryAfter")
            return
        }
        #expect(seconds >= 1 && seconds <= 60)
        // The budget refills with time.
        h.clock.advance(seconds: Int(seconds))
        let later = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"\#(IdentityFixture.password)"}"#, ip: "10.9.9.9")
        #expect(later.error == nil, "\(String(describing: later.error))")
    }

    @Test func failedLoginsElsewhereDoNotLockTheOwnerOut() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        for attempt in 0..<12 {
            let outcome = try await h.call(
                "identity.login", #"{"email":"\#(account.email)","password":"wrong password!"}"#, ip: "203.0.113.\(attempt % 3 + 1)")
            #expect(outcome.reason == "invalid_credentials" || outcome.reason == "rate_limited")
        }
        let owner = try await h.call(
            "identity.login", #"{"email":"\#(account.email)","password":"\#(IdentityFixture.password)"}"#, ip: "198.51.100.7")
        #expect(owner.error == nil, "\(String(describing: owner.error))")
    }

    @Test func theLoginAddressLimitComesFromTheMiddleware() async throws {
        let h = try await IdentityFixture.make()
        var reasons: [String] = []
        for attempt in 0..<11 {
            let outcome = try await h.call("identity.login", #"{"email":"n\#(attempt)@example.com","password":"wrong password!"}"#, ip: "10.7.7.7")
            reasons.append(outcome.reason ?? "ok")
        }
        #expect(reasons.last == "rate_limited" && reasons.dropLast().allSatisfy { $0 == "invalid_credentials" })
    }

    @Test func loginAndRegistrationFailClosedWhenTheLimiterIsDown() async throws {
        let h = try await IdentityFixture.make()
        let account = try await h.signUp()
        h.limiter.outage.set(true)
        let login = try await h.call("identity.login", #"{"email":"\#(account.email)","password":"\#(IdentityFixture.password)"}"#)
        #expect(login.reason == "unavailable" && login.error?.data["retryable"] == .bool(true))
        #expect(try await register(h).reason == "unavailable")
        // Everything else fails open.
        #expect(try await h.call("identity.me", bearer: account.access).error == nil)
    }

    @Test func aDisabledAccountCannotSignIn() async throws {
        let h = try await IdentityFixture.make()
        let admin = try await h.signUpAdmin()
        let user = try await h.signUp()
        #expect(
            try await h.call("admin.disableUser", #"{"userId":"\#(user.id)"}"#, bearer: admin.access).object("user")?["disabled"] as? Bool == true)
        let again = try await h.call("identity.login", #"{"email":"\#(user.email)","password":"\#(IdentityFixture.password)"}"#)
        #expect(again.reason == "account_disabled")
        #expect(try await h.call("identity.refresh", cookies: ["__Host-ml_rt": user.refresh]).reason == "unauthenticated")
        #expect(try await h.call("identity.me", bearer: user.access).reason == "unauthenticated")
    }
}
