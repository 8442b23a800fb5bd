public import Foundation
public import MentorLinkCore
import Synchronization

/// ``MentorLinkCore/IdentityStore`` (and so ``MentorLinkCore/AuditLog``) in memory, with the tables' rules: emails
/// unique regardless of case (`citext`, ``MentorLinkCore/CoreError/emailTaken``), refresh-token families that rotate,
/// tolerate a second presentation inside the grace window and revoke the family on a later reuse, and every mutating
/// call's audit entry appended to one hash chain in the same step as the change.
///
/// Each call runs under one lock: the atomicity a transaction gives (not its isolation under real concurrency, which
/// the live-stack tests keep showing).
public final class InMemoryIdentityStore: IdentityStore {
    struct Account {
        var user: User
        var passwordHash: String
    }

    struct Session {
        var userId: UUID
        var absoluteExpiresAt: Date
        var revokedReason: String?
    }

    struct Token {
        var sessionId: UUID
        var rotatedAt: Date?
        var idleExpiresAt: Date
    }

    struct State {
        var accounts: [UUID: Account] = [:]
        var sessions: [UUID: Session] = [:]
        var tokens: [[UInt8]: Token] = [:]
        var audit = AuditChain()
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Instant
    /// Takes PostgreSQL away.
    public let outage = Outage("postgres")

    /// An empty store on `now`'s time (audit entries' `at`).
    public init(now: @escaping @Sendable () -> Instant = { .now }) { self.now = now }

    public func createUser(email: String, name: String, passwordHash: String, roles: [Role], audit: AuditEntry) async throws -> User {
        try outage.check()
        let at = now().date
        return try state.withLock { state throws(CoreError) -> User in
            guard !state.accounts.values.contains(where: { $0.user.email.lowercased() == email.lowercased() }) else { throw .emailTaken }
            let user = User(id: UUID(), email: email, name: name, roles: roles)
            state.accounts[user.id] = Account(user: user, passwordHash: passwordHash)
            var audit = audit
            audit.actorId = audit.actorId ?? user.id
            audit.target = user.id.uuidString
            state.audit.append(audit, at: at)
            return user
        }
    }

    public func credentials(email: String) async throws -> Credentials? {
        try outage.check()
        return state.withLock { state in
            state.accounts.values.first { $0.user.email.lowercased() == email.lowercased() }.map {
                Credentials(user: $0.user, passwordHash: $0.passwordHash)
            }
        }
    }

    public func user(id: UUID) async throws -> User? {
        try outage.check()
        return state.withLock { $0.accounts[id]?.user }
    }

    public func createSession(userId: UUID, tokenHash: [UInt8], idleExpiresAt: Date, absoluteExpiresAt: Date, audit: AuditEntry) async throws -> UUID
    {
        try outage.check()
        let at = now().date
        return state.withLock { state in
            let sessionId = UUID()
            state.sessions[sessionId] = Session(userId: userId, absoluteExpiresAt: absoluteExpiresAt)
            state.tokens[tokenHash] = Token(sessionId: sessionId, idleExpiresAt: idleExpiresAt)
            var audit = audit
            audit.details["session"] = sessionId.uuidString
            state.audit.append(audit, at: at)
            return sessionId
        }
    }

    public func rotate(
        tokenHash: [UInt8], newTokenHash: [UInt8], now: Date, idleExpiresAt: Date, reuseGrace: TimeInterval, ip: String?, requestId: String?
    ) async throws -> RefreshOutcome {
        try outage.check()
        let at = self.now().date
        return state.withLock { state in
            guard let token = state.tokens[tokenHash], let session = state.sessions[token.sessionId] else { return .invalid }
            let sessionId = token.sessionId
            let revoked = session.revokedReason != nil
            let withinGrace = token.rotatedAt.map { $0 > now.addingTimeInterval(-reuseGrace) } ?? false
            if token.rotatedAt != nil, !withinGrace || revoked {
                if !revoked { state.sessions[sessionId]?.revokedReason = "token_reused" }
                state.audit.append(
                    AuditEntry(
                        actorId: session.userId, action: "token.reused", target: sessionId.uuidString, outcome: "revoked", ip: ip,
                        requestId: requestId), at: at)
                return .reused(userId: session.userId, sessionId: sessionId)
            }
            guard !revoked, token.idleExpiresAt > now, session.absoluteExpiresAt > now else { return .invalid }
            guard let user = state.accounts[session.userId]?.user, !user.disabled else { return .invalid }
            if token.rotatedAt == nil { state.tokens[tokenHash]?.rotatedAt = now }
            state.tokens[newTokenHash] = Token(sessionId: sessionId, idleExpiresAt: min(idleExpiresAt, session.absoluteExpiresAt))
            return .rotated(user: user, sessionId: sessionId)
        }
    }

    @discardableResult public func revokeSession(id: UUID, reason: String, audit: AuditEntry?) async throws -> Bool {
        try outage.check()
        let at = now().date
        return state.withLock { state in
            let live = state.sessions[id].map { $0.revokedReason == nil } ?? false
            if live { state.sessions[id]?.revokedReason = reason }
            if let audit { state.audit.append(audit, at: at) }
            return live
        }
    }

    @discardableResult public func revokeSessions(userId: UUID, except: UUID?, reason: String, audit: AuditEntry?) async throws -> [UUID] {
        try outage.check()
        let at = now().date
        return state.withLock { state in
            let ids = Self.revokeAll(userId: userId, except: except, reason: reason, in: &state)
            if let audit { state.audit.append(audit, at: at) }
            return ids
        }
    }

    public func changePassword(userId: UUID, passwordHash: String, keepSession: UUID?, audit: AuditEntry) async throws -> [UUID] {
        try outage.check()
        let at = now().date
        return state.withLock { state in
            state.accounts[userId]?.passwordHash = passwordHash
            let ids = Self.revokeAll(userId: userId, except: keepSession, reason: "password_changed", in: &state)
            state.audit.append(audit, at: at)
            return ids
        }
    }

    public func setRoles(userId: UUID, roles: [Role], audit: AuditEntry) async throws -> User? {
        try outage.check()
        let at = now().date
        return state.withLock { state in
            guard state.accounts[userId] != nil else { return nil }
            state.accounts[userId]?.user.roles = roles
            state.audit.append(audit, at: at)
            return state.accounts[userId]?.user
        }
    }

    public func disable(userId: UUID, audit: AuditEntry) async throws -> [UUID]? {
        try outage.check()
        let at = now().date
        return state.withLock { state in
            guard state.accounts[userId] != nil else { return nil }
            state.accounts[userId]?.user.disabled = true
            let ids = Self.revokeAll(userId: userId, except: nil, reason: "account_disabled", in: &state)
            state.audit.append(audit, at: at)
            return ids
        }
    }

    public func listUsers(afterId: UUID?, limit: Int) async throws -> [User] {
        try outage.check()
        return state.withLock { state in
            // PostgreSQL orders uuids by their bytes: the order of their hex text.
            let sorted = state.accounts.values.map(\.user).sorted { $0.id.uuidString < $1.id.uuidString }
            return Array(sorted.filter { user in afterId.map { user.id.uuidString > $0.uuidString } ?? true }.prefix(max(0, limit)))
        }
    }

    public func appendAudit(_ entry: AuditEntry) async throws {
        try outage.check()
        let at = now().date
        state.withLock { $0.audit.append(entry, at: at) }
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditRecord] {
        try outage.check()
        return state.withLock { $0.audit.records(query) }
    }

    public func verifyAudit() async throws -> AuditVerification {
        try outage.check()
        return state.withLock { $0.audit.verify() }
    }

    // MARK: What only a test does

    /// Alters a stored audit record without fixing the chain, as a forger with write access could.
    public func tamperAudit(id: Int64, _ change: (inout AuditRecord) -> Void) { state.withLock { $0.audit.tamper(id: id, change) } }

    /// Deletes a stored audit record without fixing the chain.
    public func deleteAudit(id: Int64) { state.withLock { $0.audit.delete(id: id) } }

    /// Moves every rotation of a refresh token back by `seconds` (out of the reuse grace window).
    public func ageRotations(by seconds: TimeInterval) {
        state.withLock { state in for (hash, token) in state.tokens { state.tokens[hash]?.rotatedAt = token.rotatedAt?.addingTimeInterval(-seconds) }
        }
    }

    /// Why the session was revoked (`logout`, `token_reused` …), `nil` while it is live or unknown.
    public func revocationReason(session id: UUID) -> String? { state.withLock { $0.sessions[id]?.revokedReason } }

    static func revokeAll(userId: UUID, except: UUID?, reason: String, in state: inout State) -> [UUID] {
        let ids = state.sessions.filter { $0.value.userId == userId && $0.value.revokedReason == nil && $0.key != except }.map(\.key)
        for id in ids { state.sessions[id]?.revokedReason = reason }
        return ids
    }
}
