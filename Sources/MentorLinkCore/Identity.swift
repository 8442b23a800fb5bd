public import Foundation

/// A role of the product.
public enum Role: String, Codable, Sendable, CaseIterable, Hashable {
    case admin
    case mentor
    case mentee
}

/// An account as the rest of the system sees it (never with its password hash).
public struct User: Codable, Sendable, Hashable {
    public var id: UUID
    public var email: String
    public var name: String
    public var roles: [Role]
    public var disabled: Bool

    public init(id: UUID, email: String, name: String, roles: [Role], disabled: Bool = false) {
        self.id = id
        self.email = email
        self.name = name
        self.roles = roles
        self.disabled = disabled
    }
}

/// An account with its password hash, for the login path only.
public struct Credentials: Sendable, Hashable {
    public var user: User
    public var passwordHash: String

    public init(user: User, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

/// One entry for the tamper-evident audit log. No passwords or tokens ever go in `details`.
public struct AuditEntry: Sendable, Hashable {
    public var actorId: UUID?
    public var action: String
    public var target: String?
    public var outcome: String
    public var ip: String?
    public var requestId: String?
    /// Flat, non-secret facts as JSON text (an object).
    public var details: [String: String]

    public init(
        actorId: UUID?, action: String, target: String? = nil, outcome: String = "success", ip: String? = nil, requestId: String? = nil,
        details: [String: String] = [:]
    ) {
        self.actorId = actorId
        self.action = action
        self.target = target
        self.outcome = outcome
        self.ip = ip
        self.requestId = requestId
        self.details = details
    }
}

/// What presenting a refresh token led to.
public enum RefreshOutcome: Sendable, Hashable {
    /// The token was current: it is now rotated, and the new one is stored.
    case rotated(user: User, sessionId: UUID)
    /// The token had already been rotated: the whole family is now revoked.
    case reused(userId: UUID, sessionId: UUID)
    /// Unknown, expired, revoked, or the account is disabled.
    case invalid
}

/// A stored audit entry, as `audit.list` returns it: the entry with its id and time.
public struct AuditRecord: Codable, Sendable, Hashable {
    public var id: Int64
    /// ISO 8601 UTC with microseconds.
    public var at: String
    public var actorId: UUID?
    public var action: String
    public var target: String?
    public var outcome: String
    public var ip: String?
    public var requestId: String?
    public var details: [String: String]

    /// A stored `entry` with the id and time the log gave it.
    public init(id: Int64, at: String, entry: AuditEntry) {
        self.id = id
        self.at = at
        actorId = entry.actorId
        action = entry.action
        target = entry.target
        outcome = entry.outcome
        ip = entry.ip
        requestId = entry.requestId
        details = entry.details
    }
}

/// Filter of `audit.list`.
public struct AuditQuery: Sendable, Hashable {
    public var actorId: UUID?
    public var action: String?
    public var from: Date?
    public var to: Date?
    public var afterId: Int64?
    public var limit: Int

    public init(actorId: UUID? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil, afterId: Int64? = nil, limit: Int = 50) {
        self.actorId = actorId
        self.action = action
        self.from = from
        self.to = to
        self.afterId = afterId
        self.limit = limit
    }
}

/// The result of re-computing the audit chain.
public struct AuditVerification: Codable, Sendable, Hashable {
    public var ok: Bool
    public var checked: Int
    public var firstBrokenId: Int64?

    public init(ok: Bool, checked: Int, firstBrokenId: Int64?) {
        self.ok = ok
        self.checked = checked
        self.firstBrokenId = firstBrokenId
    }
}
