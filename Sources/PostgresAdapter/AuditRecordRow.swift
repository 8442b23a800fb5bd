import Foundation
import MentorLinkCore
import PostgresNIO

/// An `audit_log` row as an ``AuditRecord`` (rows are written by ``PostgresConnection/appendAudit(_:logger:)``).
enum AuditRecordRow: TableRow {
    static let columns = """
        id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor_id, action, target, outcome, ip, request_id, details::text
        """

    static func decode(_ row: PostgresRow) throws -> AuditRecord {
        let r = try row.decode((Int64, String, UUID?, String, String?, String, String?, String?, String).self)
        let details = (try? JSONSerialization.jsonObject(with: Data(r.8.utf8)) as? [String: Any])?.mapValues { "\($0)" } ?? [:]
        let entry = AuditEntry(actorId: r.2, action: r.3, target: r.4, outcome: r.5, ip: r.6, requestId: r.7, details: details)
        return AuditRecord(id: r.0, at: r.1, entry: entry)
    }
}
