public import Foundation
public import Logging
public import MentorLinkCore
import PostgresNIO

/// ``IdentityStore`` on PostgreSQL: one transaction per command, the audit entry inside it.
public struct PostgresIdentityStore: IdentityStore {
    let pool: PostgresPool
    let logger: Logger

    /// Creates the store over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await pool.transaction(logger: logger, body)
    }

    public func createUser(email: String, name: String, passwordHash: String, roles: [Role], audit: AuditEntry) async throws -> User {
        let logger = self.logger
        return try await transaction { connection in
            let user = try await connection.fetchOne(
                UserRow.self,
                """
                INSERT INTO users (email, name, password_hash, roles) VALUES (\(email), \(name), \(passwordHash), \(roles.map(\.rawValue)))
                RETURNING \(unescaped: UserRow.columns)
                """, logger: logger)
            var audit = audit
            audit.actorId = audit.actorId ?? user.id
            audit.target = user.id.uuidString
            try await connection.appendAudit(audit, logger: logger)
            return user
        }
    }

    public func credentials(email: String) async throws -> Credentials? {
        try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: UserRow.columns), password_hash FROM users WHERE email = \(email)::citext", logger: logger)
            for try await row in rows {
                return Credentials(user: try UserRow.decode(row), passwordHash: try row.makeRandomAccess()["password_hash"].decode(String.self))
            }
            return nil
        }
    }

    public func user(id: UUID) async throws -> User? {
        try await pool.read(logger: logger) { connection in
            try await connection.fetchFirst(UserRow.self, "SELECT \(unescaped: UserRow.columns) FROM users WHERE id = \(id)", logger: logger)
        }
    }

    public func createSession(userId: UUID, tokenHash: [UInt8], idleExpiresAt: Date, absoluteExpiresAt: Date, audit: AuditEntry) async throws -> UUID
    {
        let logger = self.logger
        return try await transaction { connection in
            let rows = try await connection.query(
                "INSERT INTO sessions (user_id, absolute_expires_at) VALUES (\(userId), \(absoluteExpiresAt)) RETURNING id", logger: logger)
            var sessionId: UUID?
            for try await id in rows.decode(UUID.self) { sessionId = id }
            guard let sessionId else { throw PostgresAdapterError.unexpectedEmptyResult }
            try await connection.query(
                "INSERT INTO refresh_tokens (token_hash, session_id, idle_expires_at) VALUES (\(Data(tokenHash)), \(sessionId), \(idleExpiresAt))",
                logger: logger)
            var audit = audit
            audit.details["session"] = sessionId.uuidString
            try await connection.appendAudit(audit, logger: logger)
            return sessionId
        }
    }

    public func rotate(
        tokenHash: [UInt8], newTokenHash: [UInt8], now: Date, idleExpiresAt: Date, reuseGrace: TimeInterval, ip: String?, requestId: String?
    ) async throws -> RefreshOutcome {
        let logger = self.logger
        if let rotated = try await rotateCurrent(tokenHash: tokenHash, newTokenHash: newTokenHash, now: now, idleExpiresAt: idleExpiresAt) {
            return rotated
        }
        return try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT rt.session_id, rt.rotated_at IS NOT NULL, rt.idle_expires_at, s.revoked_at IS NOT NULL, s.absolute_expires_at, s.user_id,
                       rt.rotated_at IS NOT NULL AND rt.rotated_at > \(now.addingTimeInterval(-reuseGrace))
                FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
                WHERE rt.token_hash = \(Data(tokenHash)) FOR UPDATE OF rt, s
                """, logger: logger)
            var found: (UUID, Bool, Date, Bool, Date, UUID, Bool)?
            for try await row in rows.decode((UUID, Bool, Date, Bool, Date, UUID, Bool).self) { found = row }
            guard let (sessionId, rotated, idleExpiry, revoked, absoluteExpiry, userId, withinGrace) = found else { return .invalid }
            if rotated, !withinGrace || revoked {
                try await connection.query(
                    "UPDATE sessions SET revoked_at = now(), revoked_reason = 'token_reused' WHERE id = \(sessionId) AND revoked_at IS NULL",
                    logger: logger)
                try await connection.appendAudit(
                    AuditEntry(
                        actorId: userId, action: "token.reused", target: sessionId.uuidString, outcome: "revoked", ip: ip, requestId: requestId),
                    logger: logger)
                return .reused(userId: userId, sessionId: sessionId)
            }
            guard !revoked, idleExpiry > now, absoluteExpiry > now else { return .invalid }
            let user = try await connection.fetchFirst(
                UserRow.self, "SELECT \(unescaped: UserRow.columns) FROM users WHERE id = \(userId)", logger: logger)
            guard let user, !user.disabled else { return .invalid }
            if !rotated {
                try await connection.query("UPDATE refresh_tokens SET rotated_at = \(now) WHERE token_hash = \(Data(tokenHash))", logger: logger)
            }
            let expiry = min(idleExpiresAt, absoluteExpiry)
            try await connection.query(
                "INSERT INTO refresh_tokens (token_hash, session_id, idle_expires_at) VALUES (\(Data(newTokenHash)), \(sessionId), \(expiry))",
                logger: logger)
            return .rotated(user: user, sessionId: sessionId)
        }
    }

    /// The common rotation in one statement, one round trip instead of the transaction's six (issue 17): the presented
    /// token is current (never rotated), its session live and unexpired and its user enabled, so it is marked rotated
    /// and its successor inserted (expiring at the idle or the absolute limit, whichever is first). A statement is its
    /// own transaction, and `FOR UPDATE` holds both rows: a concurrent rotation of the same token waits, then sees it
    /// rotated and answers `nil`. `nil` also for anything else (a reuse inside the grace or not, an expired, revoked
    /// or unknown token): ``rotate(tokenHash:newTokenHash:now:idleExpiresAt:reuseGrace:ip:requestId:)``'s transaction
    /// decides those.
    func rotateCurrent(tokenHash: [UInt8], newTokenHash: [UInt8], now: Date, idleExpiresAt: Date) async throws -> RefreshOutcome? {
        let logger = self.logger
        do {
            return try await pool.client.withConnection { connection in
                let rows = try await connection.query(
                    """
                    WITH presented AS (
                        SELECT rt.token_hash, rt.session_id, s.user_id, s.absolute_expires_at
                        FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
                        WHERE rt.token_hash = \(Data(tokenHash)) AND rt.rotated_at IS NULL AND rt.idle_expires_at > \(now)
                          AND s.revoked_at IS NULL AND s.absolute_expires_at > \(now)
                        FOR UPDATE OF rt, s
                    ), live AS (
                        SELECT presented.* FROM presented JOIN users u ON u.id = presented.user_id WHERE u.disabled_at IS NULL
                    ), spent AS (
                        UPDATE refresh_tokens SET rotated_at = \(now) WHERE token_hash IN (SELECT token_hash FROM live)
                    ), successor AS (
                        INSERT INTO refresh_tokens (token_hash, session_id, idle_expires_at)
                        SELECT \(Data(newTokenHash)), session_id, LEAST(\(idleExpiresAt), absolute_expires_at) FROM live
                    )
                    SELECT \(unescaped: UserRow.columns), live_session FROM users JOIN (SELECT user_id AS live_user, session_id AS live_session FROM live) l
                        ON users.id = l.live_user
                    """, logger: logger)
                for try await row in rows {
                    let user = try UserRow.decode(row)
                    return .rotated(user: user, sessionId: try row.makeRandomAccess()["live_session"].decode(UUID.self))
                }
                return nil
            }
        } catch { throw PostgresPool.translate(error) }
    }

    public func revokeSession(id: UUID, reason: String, audit: AuditEntry?) async throws -> Bool {
        let logger = self.logger
        return try await transaction { connection in
            let rows = try await connection.query(
                "UPDATE sessions SET revoked_at = now(), revoked_reason = \(reason) WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
                logger: logger)
            var revoked = false
            for try await _ in rows.decode(UUID.self) { revoked = true }
            if let audit { try await connection.appendAudit(audit, logger: logger) }
            return revoked
        }
    }

    public func revokeSessions(userId: UUID, except: UUID?, reason: String, audit: AuditEntry?) async throws -> [UUID] {
        let logger = self.logger
        return try await transaction { connection in
            let ids = try await Self.revokeAll(userId: userId, except: except, reason: reason, on: connection, logger: logger)
            if let audit { try await connection.appendAudit(audit, logger: logger) }
            return ids
        }
    }

    static func revokeAll(userId: UUID, except: UUID?, reason: String, on connection: PostgresConnection, logger: Logger) async throws -> [UUID] {
        let rows = try await connection.query(
            """
            UPDATE sessions SET revoked_at = now(), revoked_reason = \(reason)
            WHERE user_id = \(userId) AND revoked_at IS NULL AND id IS DISTINCT FROM \(except) RETURNING id
            """, logger: logger)
        var ids: [UUID] = []
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }

    public func changePassword(userId: UUID, passwordHash: String, keepSession: UUID?, audit: AuditEntry) async throws -> [UUID] {
        let logger = self.logger
        return try await transaction { connection in
            try await connection.query("UPDATE users SET password_hash = \(passwordHash) WHERE id = \(userId)", logger: logger)
            let ids = try await Self.revokeAll(userId: userId, except: keepSession, reason: "password_changed", on: connection, logger: logger)
            try await connection.appendAudit(audit, logger: logger)
            return ids
        }
    }

    public func setRoles(userId: UUID, roles: [Role], audit: AuditEntry) async throws -> User? {
        let logger = self.logger
        return try await transaction { connection in
            let user = try await connection.fetchFirst(
                UserRow.self, "UPDATE users SET roles = \(roles.map(\.rawValue)) WHERE id = \(userId) RETURNING \(unescaped: UserRow.columns)",
                logger: logger)
            if user != nil { try await connection.appendAudit(audit, logger: logger) }
            return user
        }
    }

    public func disable(userId: UUID, audit: AuditEntry) async throws -> [UUID]? {
        let logger = self.logger
        return try await transaction { connection in
            let rows = try await connection.query(
                "UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = \(userId) RETURNING id", logger: logger)
            var exists = false
            for try await _ in rows.decode(UUID.self) { exists = true }
            guard exists else { return nil }
            let ids = try await Self.revokeAll(userId: userId, except: nil, reason: "account_disabled", on: connection, logger: logger)
            try await connection.appendAudit(audit, logger: logger)
            return ids
        }
    }

    public func listUsers(afterId: UUID?, limit: Int) async throws -> [User] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                UserRow.self,
                "SELECT \(unescaped: UserRow.columns) FROM users WHERE \(afterId)::uuid IS NULL OR id > \(afterId) ORDER BY id LIMIT \(limit)",
                logger: logger)
        }
    }

    public func appendAudit(_ entry: AuditEntry) async throws {
        let logger = self.logger
        try await transaction { connection in try await connection.appendAudit(entry, logger: logger) }
    }

    /// Chains committed entries of `audit_pending` onto `audit_log` (`audit_seal`, under the log's lock). One
    /// statement, so one round trip: it is its own transaction, and the lock ends with it.
    public func sealAudit(limit: Int, wait: Bool) async throws -> Int {
        let logger = self.logger
        return try await pool.read(logger: logger) { connection in
            let rows = try await connection.query("SELECT audit_seal(\(limit)::int, \(wait))", logger: logger)
            for try await sealed in rows.decode(Int.self) { return sealed }
            return 0
        }
    }

    /// Entries in id order; every entry committed before the call is chained first, so it is among them.
    public func auditEntries(_ query: AuditQuery) async throws -> [AuditRecord] {
        try await sealAll()
        return try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                AuditRecordRow.self,
                """
                SELECT \(unescaped: AuditRecordRow.columns) FROM audit_log
                WHERE (\(query.actorId)::uuid IS NULL OR actor_id = \(query.actorId))
                  AND (\(query.action)::text IS NULL OR action = \(query.action))
                  AND (\(query.from)::timestamptz IS NULL OR at >= \(query.from))
                  AND (\(query.to)::timestamptz IS NULL OR at < \(query.to))
                  AND id > \(query.afterId ?? 0)
                ORDER BY id LIMIT \(query.limit)
                """, logger: logger)
        }
    }

    /// Recomputes the whole chain, after chaining every entry committed before the call.
    public func verifyAudit() async throws -> AuditVerification {
        try await sealAll()
        return try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT id, prev_hash, hash, digest(prev_hash || convert_to(audit_canonical(a), 'UTF8'), 'sha256')
                FROM audit_log a ORDER BY id
                """, logger: logger)
            var expectedPrevious = Data(count: 32)
            var checked = 0
            for try await (id, previous, hash, recomputed) in rows.decode((Int64, Data, Data, Data).self) {
                guard previous == expectedPrevious, hash == recomputed else {
                    return AuditVerification(ok: false, checked: checked, firstBrokenId: id)
                }
                expectedPrevious = hash
                checked += 1
            }
            return AuditVerification(ok: true, checked: checked, firstBrokenId: nil)
        }
    }

    /// Seals until nothing committed is left pending.
    private func sealAll() async throws {
        while try await sealAudit(limit: Self.sealBatch, wait: true) == Self.sealBatch {}
    }

    /// How many entries one `audit_seal` transaction chains at most.
    static let sealBatch = 5_000
}
