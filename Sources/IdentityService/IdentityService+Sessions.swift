import Foundation
import JSONRPC
import MentorLinkCore
import ServiceSupport

extension IdentityService {
    func login(_ params: LoginParams, _ context: RPCContext) async throws -> SessionResult {
        let email = params.email.trimmingCharacters(in: .whitespaces).lowercased()
        // Per account *and* address, so nobody locks a victim out from elsewhere; the account-wide ceiling is higher
        // and still stops a spread-out guessing run.
        try await limit("login.account_address:\(email):\(context.clientAddress ?? "local")", rule: "login.account_address")
        try await limit("login.account:\(email)", rule: "login.account")
        let credentials = try await store.credentials(email: email)
        // An unknown email costs one hash verification, like a wrong password, and looks the same.
        let matches = try await hasher.verify(params.password, against: credentials?.passwordHash ?? decoyHash)
        guard let credentials, matches else {
            try await store.appendAudit(context.auditEntry("login", target: email, outcome: "failure", details: ["reason": "invalid_credentials"]))
            throw IdentityError.invalidCredentials
        }
        let user = credentials.user
        guard !user.disabled else {
            try await store.appendAudit(
                context.auditEntry("login", target: user.id.uuidString, outcome: "failure", details: ["reason": "account_disabled"]))
            throw IdentityError.accountDisabled
        }
        let now = Date()
        let refresh = RefreshToken.make()
        var entry = context.auditEntry("login", target: user.id.uuidString)
        entry.actorId = user.id
        let sessionId = try await store.createSession(
            userId: user.id, tokenHash: RefreshToken.hash(refresh),
            idleExpiresAt: now.addingTimeInterval(Double(configuration.refreshIdleLifetime.components.seconds)),
            absoluteExpiresAt: now.addingTimeInterval(Double(configuration.refreshAbsoluteLifetime.components.seconds)), audit: entry)
        return try await session(
            user: user, sessionId: sessionId, refresh: refresh, returnRefresh: params.returnRefreshToken == true, context: context)
    }

    func refresh(_ params: RefreshParams, _ context: RPCContext) async throws -> SessionResult {
        // A WebSocket cannot set the rotated cookie: refreshing there would spend the token and lose its successor.
        guard context.transport != .webSocket else { throw IdentityError.httpRequired }
        guard let presented = params.refreshToken ?? context.credentials.cookies[Cookies.refresh], presented.utf8.count <= 128 else {
            throw IdentityError.unauthenticated
        }
        let now = Date()
        let next = RefreshToken.make()
        let outcome = try await store.rotate(
            tokenHash: RefreshToken.hash(presented), newTokenHash: RefreshToken.hash(next), now: now,
            idleExpiresAt: now.addingTimeInterval(Double(configuration.refreshIdleLifetime.components.seconds)),
            reuseGrace: Double(configuration.refreshReuseGrace.components.seconds), ip: context.clientAddress, requestId: context.requestId)
        switch outcome {
        case .rotated(let user, let sessionId):
            return try await session(user: user, sessionId: sessionId, refresh: next, returnRefresh: params.refreshToken != nil, context: context)
        case .reused(_, let sessionId):
            await publishRevocation([sessionId])
            clearCookies(context)
            throw IdentityError.tokenReused
        case .invalid:
            clearCookies(context)
            throw IdentityError.unauthenticated
        }
    }

    func logout(_: NoParams, _ context: RPCContext) async throws -> OkResult {
        let sessionId = try currentSession(context)
        try await store.revokeSession(id: sessionId, reason: "logout", audit: context.auditEntry("logout", target: sessionId.uuidString))
        await publishRevocation([sessionId])
        clearCookies(context)
        return OkResult(ok: true)
    }

    func logoutAll(_: NoParams, _ context: RPCContext) async throws -> OkResult {
        let userId = try currentUser(context)
        let revoked = try await store.revokeSessions(
            userId: userId, except: nil, reason: "logout_all", audit: context.auditEntry("logout_all", target: userId.uuidString))
        await publishRevocation(revoked)
        clearCookies(context)
        return OkResult(ok: true)
    }

    func changePassword(_ params: ChangePasswordParams, _ context: RPCContext) async throws -> OkResult {
        let userId = try currentUser(context)
        guard let user = try await store.user(id: userId), let credentials = try await store.credentials(email: user.email) else {
            throw IdentityError.unauthenticated
        }
        guard try await hasher.verify(params.currentPassword, against: credentials.passwordHash) else {
            try await store.appendAudit(context.auditEntry("password.change", target: userId.uuidString, outcome: "failure"))
            throw IdentityError.invalidCredentials
        }
        try policy.check(params.newPassword)
        let hash = try await hasher.hash(params.newPassword)
        let revoked = try await store.changePassword(
            userId: userId, passwordHash: hash, keepSession: context.signedInCaller?.sessionId,
            audit: context.auditEntry("password.change", target: userId.uuidString))
        await publishRevocation(revoked)
        return OkResult(ok: true)
    }

    /// Issues the access token, sets both cookies, and builds the result.
    private func session(user: User, sessionId: UUID, refresh: String, returnRefresh: Bool, context: RPCContext) async throws -> SessionResult {
        let (token, expiresAt) = try await tokens.issue(for: user, sessionId: sessionId)
        context.response.setCookie(Cookies.set(Cookies.access, token, maxAge: configuration.accessLifetime))
        context.response.setCookie(Cookies.set(Cookies.refresh, refresh, maxAge: configuration.refreshIdleLifetime))
        return SessionResult(user: user, accessToken: token, accessExpiresAt: expiresAt.iso8601, refreshToken: returnRefresh ? refresh : nil)
    }

    private func clearCookies(_ context: RPCContext) {
        context.response.setCookie(Cookies.clear(Cookies.access))
        context.response.setCookie(Cookies.clear(Cookies.refresh))
    }

    func currentUser(_ context: RPCContext) throws -> UUID {
        let id = try context.caller().id
        return id
    }

    private func currentSession(_ context: RPCContext) throws -> UUID {
        guard let id = try context.caller().sessionId else { throw IdentityError.unauthenticated }
        return id
    }

    /// A rate limit inside a handler (per account on login); Redis down means login fails closed.
    private func limit(_ key: String, rule name: String) async throws {
        guard let rule = configuration.rateRules[name] else { return }
        let wait: Int?
        do { wait = try await limiter.take(key: key, rule: rule) } catch { throw IdentityError.unavailable("redis") }
        if let wait { throw IdentityError.rateLimited(retryAfter: wait) }
    }
}
