import Foundation
import Logging
import MentorLinkCore
import PostgresNIO

extension PostgresConnection {
    /// Appends an entry to the hash-chained audit log inside the caller's transaction (`audit_append`).
    func appendAudit(_ entry: AuditEntry, logger: Logger) async throws {
        let details = String(decoding: try JSONSerialization.data(withJSONObject: entry.details, options: [.sortedKeys]), as: UTF8.self)
        try await query(
            """
            SELECT audit_append(\(entry.actorId), \(entry.action), \(entry.target), \(entry.outcome), \(entry.ip), \
            \(entry.requestId), \(details)::jsonb)
            """, logger: logger)
    }
}
