import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// `audit.list` and `audit.verify` over the hash-chained audit log (admin only).
public struct AuditService: RPCService {
    let log: any AuditLog
    let cursors: CursorCodec

    /// Creates the service; `cursors` seals its page cursors (shared by every worker).
    public init(log: any AuditLog, cursors: CursorCodec = .random()) {
        self.log = log
        self.cursors = cursors
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register("audit.list", summary: "Audit entries in id order, filtered.", access: .only(.admin), handler: list)
        registry.register("audit.verify", summary: "Recompute the hash chain; name the first broken entry.", access: .only(.admin)) {
            (_: NoParams, _) in try await log.verifyAudit()
        }
    }

    func list(_ params: AuditListParams, _ context: RPCContext) async throws -> AuditPage {
        var checks = FieldChecks()
        func date(_ text: String?, _ field: String) -> Date? {
            guard let text else { return nil }
            let date = ISO8601DateFormatter().date(from: text)
            checks.expect(date != nil, field, "expected an ISO 8601 time")
            return date
        }
        let from = date(params.from, "from")
        let to = date(params.to, "to")
        var afterId: Int64?
        if let cursor = params.cursor {
            afterId = cursors.keyset(cursor, scope: "audit.list", timeKeyed: false)?.key
            checks.expect(afterId != nil, "cursor", "invalid")
        }
        try checks.check()
        let limit = min(max(params.limit ?? 50, 1), 500)
        let items = try await log.auditEntries(
            AuditQuery(actorId: params.actorId, action: params.action, from: from, to: to, afterId: afterId, limit: limit))
        return AuditPage(items: items, nextCursor: cursors.nextCursor(items, limit: limit, scope: "audit.list") { PageCursor(key: $0.id) })
    }
}
