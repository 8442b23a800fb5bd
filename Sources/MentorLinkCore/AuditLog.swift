/// The tamper-evident audit log: entries appended in one hash chain, read back by query, and the chain recomputed.
///
/// Actions that change state append their entry in the same transaction as the change (the stores take an
/// ``AuditEntry`` for that); this port is for entries on their own (a failed login) and for reading the log.
public protocol AuditLog: Sendable {
    /// Appends an entry on its own (e.g. a failed login).
    func appendAudit(_ entry: AuditEntry) async throws
    /// Entries matching a query, in id order.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditRecord]
    /// Recomputes the chain.
    func verifyAudit() async throws -> AuditVerification
}
