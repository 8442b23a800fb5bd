/// The tamper-evident audit log: entries appended in one hash chain, read back by query, and the chain recomputed.
///
/// Actions that change state append their entry in the same transaction as the change (the stores take an
/// ``AuditEntry`` for that); this port is for entries on their own (a failed login) and for reading the log.
///
/// A store may chain entries after they commit rather than while (PostgreSQL's does, so that audited writers do not
/// wait for each other): ``sealAudit(limit:wait:)`` chains what was appended since, and reads and verification see
/// every committed entry.
public protocol AuditLog: Sendable {
    /// Appends an entry on its own (e.g. a failed login).
    func appendAudit(_ entry: AuditEntry) async throws
    /// Entries matching a query, in id order.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditRecord]
    /// Recomputes the chain.
    func verifyAudit() async throws -> AuditVerification
    /// Chains up to `limit` committed entries not chained yet, oldest first; returns how many. With `wait` false it
    /// returns 0 at once when another sealer is at work.
    func sealAudit(limit: Int, wait: Bool) async throws -> Int
}

extension AuditLog {
    /// A store that chains each entry as it is appended has nothing to seal.
    public func sealAudit(limit: Int, wait: Bool) async throws -> Int { 0 }
}
