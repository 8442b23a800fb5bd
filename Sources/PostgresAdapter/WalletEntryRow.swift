import Foundation
import MentorLinkCore
import PostgresNIO

/// A `ledger_entries` row (alias `e`) with its account (`a`) and transaction (`t`), as a ``WalletEntry``.
enum WalletEntryRow: TableRow {
    static let columns = "e.id, a.kind, e.amount, t.kind, t.reference, t.memo, t.created_at"

    /// The `FROM` clause that gives ``columns`` their aliases.
    static let from = """
        ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_transactions t ON t.id = e.transaction_id
        """

    static func decode(_ row: PostgresRow) throws -> WalletEntry {
        let r = try row.decode((Int64, String, Int64, String, String, String?, Date).self)
        return WalletEntry(
            id: r.0, account: LedgerAccountKind(rawValue: r.1) ?? .available, amount: r.2, kind: r.3, reference: r.4, memo: r.5, at: Instant(r.6))
    }
}
