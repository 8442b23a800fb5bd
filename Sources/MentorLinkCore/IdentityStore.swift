public import Foundation

/// The durable side of identity: accounts, sessions (refresh-token families), and the audit log.
/// Every mutating call writes its audit entry in the same transaction.
public protocol IdentityStore: AuditLog {
    /// Creates an account; throws ``CoreError/emailTaken`` when the email is in use.
    func createUser(email: String, name: String, passwordHash: String, roles: [Role], audit: AuditEntry) async throws -> User
    /// The account and its hash, for login.
    func credentials(email: String) async throws -> Credentials?
    /// The account by id.
    func user(id: UUID) async throws -> User?
    /// Starts a session family holding its first refresh token.
    func createSession(userId: UUID, tokenHash: [UInt8], idleExpiresAt: Date, absoluteExpiresAt: Date, audit: AuditEntry) async throws -> UUID
    /// Presents a refresh token: rotates it to `newTokenHash`, or detects reuse and revokes its family.
    /// Rotates a refresh token. A token already rotated less than `reuseGrace` ago (two tabs refreshing at once) gets
    /// another successor in the same session instead of counting as reuse; later, reuse revokes the session.
    func rotate(
        tokenHash: [UInt8], newTokenHash: [UInt8], now: Date, idleExpiresAt: Date, reuseGrace: TimeInterval, ip: String?, requestId: String?
    ) async throws -> RefreshOutcome
    /// Revokes one session (logout); returns whether it was live.
    @discardableResult func revokeSession(id: UUID, reason: String, audit: AuditEntry?) async throws -> Bool
    /// Revokes every session of a user, optionally sparing one; returns the revoked ids.
    @discardableResult func revokeSessions(userId: UUID, except: UUID?, reason: String, audit: AuditEntry?) async throws -> [UUID]
    /// Replaces the password hash and revokes the other sessions.
    func changePassword(userId: UUID, passwordHash: String, keepSession: UUID?, audit: AuditEntry) async throws -> [UUID]
    /// Replaces a user's roles.
    func setRoles(userId: UUID, roles: [Role], audit: AuditEntry) async throws -> User?
    /// Disables an account and revokes its sessions.
    func disable(userId: UUID, audit: AuditEntry) async throws -> [UUID]?
    /// Accounts in id order after `afterId`.
    func listUsers(afterId: UUID?, limit: Int) async throws -> [User]
}

/// Answers whether a session or a user's older tokens were revoked, across all workers (Redis behind it).
public protocol RevocationList: Sendable {
    /// Marks a session revoked for at least `ttl`.
    func revoke(sessionIds: [UUID], ttl: Duration) async throws
    /// Whether the session was revoked.
    func isRevoked(sessionId: UUID) async throws -> Bool
}
