import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

/// `wallet.*` and `admin.adjustCredits`: balances, ledger history, support corrections.
public struct WalletService: RPCService {
    let store: any PaymentsStore
    let cursors: CursorCodec

    /// Creates the service; `cursors` seals `wallet.history` cursors (shared by every worker).
    public init(store: any PaymentsStore, cursors: CursorCodec = .random()) {
        self.store = store
        self.cursors = cursors
    }

    public func register(into registry: inout MethodRegistry) {
        registry.register("wallet.get", summary: "Your available, escrow and earnings credits.", access: .authenticated, handler: get)
        registry.register("wallet.history", summary: "Your ledger entries, newest first.", access: .authenticated, handler: history)
        registry.register(
            "admin.adjustCredits", summary: "Add (or remove) a user's available credits, audited.", access: .only(.admin), rateLimit: .payments,
            handler: adjust)
    }

    func get(_: NoParams, _ context: RPCContext) async throws -> WalletResult {
        let caller = try context.caller().id
        return WalletResult(userId: caller, try await store.wallet(userId: caller))
    }

    func history(_ params: HistoryParams, _ context: RPCContext) async throws -> HistoryPage {
        let caller = try context.caller().id
        let limit = params.limit ?? 50
        guard (1...200).contains(limit) else { throw PaymentsError.invalid("limit", "1 to 200") }
        let before = try cursors.cursorParam(params.cursor, scope: "wallet.history", timeKeyed: false)?.key
        let items = try await store.history(userId: caller, beforeId: before, limit: limit)
        return HistoryPage(items: items, nextCursor: cursors.nextCursor(items, limit: limit, scope: "wallet.history") { PageCursor(key: $0.id) })
    }

    func adjust(_ params: AdjustParams, _ context: RPCContext) async throws -> WalletResult {
        var problems: [FieldProblem] = []
        if params.credits == 0 || params.credits.magnitude > 1_000_000 {
            problems.append(FieldProblem(field: "credits", problem: "non-zero, at most 1000000 either way"))
        }
        let reason = params.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(3...500).contains(reason.count) { problems.append(FieldProblem(field: "reason", problem: "3 to 500 characters")) }
        guard problems.isEmpty else { throw PaymentsError.invalid(problems) }
        let audit = context.auditEntry(
            "admin.adjust_credits", target: params.userId.uuidString, details: ["credits": "\(params.credits)", "reason": reason])
        let wallet = try await mapped { try await store.adjust(userId: params.userId, credits: params.credits, reason: reason, audit: audit) }
        return WalletResult(userId: params.userId, wallet)
    }
}
