import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// `audit.list` and `audit.verify` over the hash-chained audit log (admin only).
public struct AuditService: RPCService {
    let store: any IdentityStore
    let cursors: CursorCodec

    /// Creates the service; `cursors` seals its page cursors (shared by every worker).
    public init(store: any IdentityStore, cursors: CursorCodec = .random()) {
        self.store = store
        self.cursors = cursors
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register("audit.list", summary: "Audit entries in id order, filtered.", access: .only(.admin), handler: list)
        registry.register("audit.verify", summary: "Recompute the hash chain; name the first broken entry.", access: .only(.admin)) {
            (_: NoParams, _) in try await store.verifyAudit()
        }
    }

    func list(_ params: AuditListParams, _ context: RPCContext) async throws -> AuditPage {
        var problems: [FieldProblem] = []
        func date(_ text: String?, _ field: String) -> Date? {
            guard let text else { return nil }
            guard let date = ISO8601DateFormatter().date(from: text) else {
                problems.append(FieldProblem(field: field, problem: "expected an ISO 8601 time"))
                return nil
            }
            return date
        }
        let from = date(params.from, "from")
        let to = date(params.to, "to")
        var afterId: Int64?
        if let cursor = params.cursor {
            afterId = cursors.keyset(cursor, scope: "audit.list", timeKeyed: false)?.key
            if afterId == nil { problems.append(FieldProblem(field: "cursor", problem: "invalid")) }
        }
        guard problems.isEmpty else { throw RPCError.invalidParams(problems) }
        let limit = min(max(params.limit ?? 50, 1), 500)
        let items = try await store.auditEntries(AuditQuery(actorId: params.actorId, action: params.action, from: from, to: to, afterId: afterId, limit: limit))
        return AuditPage(items: items, nextCursor: cursors.nextCursor(items, limit: limit, scope: "audit.list") { KeysetCursor(key: $0.id) })
    }
}
