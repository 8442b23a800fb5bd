public import Foundation
public import MentorLinkCore

/// The double-entry ledger in memory, as `ledger_post` keeps it: one transaction per `(kind, reference)`, balances
/// cached per account, and a user's `available`, `escrow` and `earnings` never below zero
/// (``MentorLinkCore/CoreError/insufficientCredits``, the `ledger_non_negative` check).
public struct InMemoryLedger: Sendable {
    /// One account: its owner (`nil` for the platform's) and kind.
    public struct Account: Hashable, Sendable {
        public var owner: UUID?
        public var kind: LedgerAccountKind
    }

    struct Transaction {
        var id: Int64
        var kind: String
        var reference: String
        var memo: String?
        var at: Instant
    }

    struct Entry {
        var id: Int64
        var transactionId: Int64
        var account: Account
        var amount: Int64
    }

    private(set) var balances: [Account: Int64] = [:]
    private(set) var transactions: [Transaction] = []
    private(set) var entries: [Entry] = []
    private var posted: Set<String> = []
    /// Each account's id, given on first use (what reconcile reports).
    private var accountIds: [Account: Int64] = [:]

    /// An empty ledger.
    public init() {}

    /// Posts a balanced transaction: its id, or `nil` when `(kind, reference)` was already posted. Legs of 0 are
    /// dropped; a user account going below zero throws `insufficientCredits` and posts nothing.
    @discardableResult mutating func post(
        _ kind: String, reference: String, legs allLegs: [LedgerLeg], memo: String? = nil, at: Instant
    ) throws -> Int64? {
        precondition(allLegs.reduce(0) { $0 + $1.amount } == 0, "a ledger transaction must balance")
        let key = "\(kind)|\(reference.lowercased())"
        guard !posted.contains(key) else { return nil }
        let legs = allLegs.filter { $0.amount != 0 }
        var next = balances
        for leg in legs {
            let account = Account(owner: leg.owner, kind: leg.kind)
            let balance = next[account, default: 0] + leg.amount
            if leg.owner != nil, leg.kind.isUserAccount, balance < 0 { throw CoreError.insufficientCredits }
            next[account] = balance
            if accountIds[account] == nil { accountIds[account] = Int64(accountIds.count + 1) }
        }
        balances = next
        posted.insert(key)
        let id = Int64(transactions.count + 1)
        transactions.append(Transaction(id: id, kind: kind, reference: reference, memo: memo, at: at))
        for leg in legs {
            entries.append(
                Entry(id: Int64(entries.count + 1), transactionId: id, account: Account(owner: leg.owner, kind: leg.kind), amount: leg.amount))
        }
        return id
    }

    /// Posts a transaction that must be new (`invalidState` when `(kind, reference)` was already posted).
    @discardableResult mutating func postOnce(_ kind: String, reference: String, legs: [LedgerLeg], memo: String? = nil, at: Instant) throws -> Int64
    {
        guard let id = try post(kind, reference: reference, legs: legs, memo: memo, at: at) else {
            throw CoreError.invalidState("ledger \(kind) \(reference) was already posted")
        }
        return id
    }

    /// An account's balance.
    public func balance(_ owner: UUID?, _ kind: LedgerAccountKind) -> Int64 { balances[Account(owner: owner, kind: kind)] ?? 0 }

    /// A user's wallet (their debt as a positive number owed).
    public func wallet(_ user: UUID) -> Wallet {
        Wallet(available: balance(user, .available), escrow: balance(user, .escrow), earnings: balance(user, .earnings), debt: -balance(user, .debt))
    }

    /// A user's entries, newest first, before `beforeId`.
    func history(_ user: UUID, beforeId: Int64?, limit: Int) -> [WalletEntry] {
        let selected = entries.reversed().lazy.filter { $0.account.owner == user && $0.id < (beforeId ?? .max) }
        return selected.prefix(max(0, limit)).map { entry in
            let transaction = transactions[Int(entry.transactionId - 1)]
            return WalletEntry(
                id: entry.id, account: entry.account.kind, amount: entry.amount, kind: transaction.kind, reference: transaction.reference,
                memo: transaction.memo, at: transaction.at)
        }
    }

    /// The transactions of `kind` posted for `reference`.
    func count(kind: String, reference: String) -> Int { posted.contains("\(kind)|\(reference.lowercased())") ? 1 : 0 }

    /// The credits each payment's refunds moved (refunds and provider refunds minus reversals; the memo names the payment).
    func refundedCredits() -> [String: Int64] {
        var byPayment: [String: Int64] = [:]
        for transaction in transactions where ["refund", "refund_reversal", "provider_refund"].contains(transaction.kind) {
            guard let payment = transaction.memo?.lowercased() else { continue }
            let credits = entries.filter { $0.transactionId == transaction.id && $0.amount > 0 }.reduce(0) { $0 + $1.amount }
            byPayment[payment, default: 0] += transaction.kind == "refund_reversal" ? -credits : credits
        }
        return byPayment
    }

    /// Checks the ledger as `payments.reconcile` does (accounts are numbered in their order of first use).
    func report(payments: [Payment]) -> LedgerReport {
        let accounts = Array(accountIds.keys)
        let numbered = accountIds
        let unbalanced = Dictionary(grouping: entries, by: \.transactionId).filter { $0.value.reduce(0) { $0 + $1.amount } != 0 }.keys.sorted()
        let sums = Dictionary(grouping: entries, by: \.account).mapValues { $0.reduce(0) { $0 + $1.amount } }
        let mismatched = accounts.filter { balances[$0, default: 0] != sums[$0, default: 0] }.compactMap { numbered[$0] }.sorted()
        let negative = accounts.filter { $0.owner != nil && $0.kind != .debt && sums[$0, default: 0] < 0 }.compactMap { numbered[$0] }.sorted()
        let paid: Set<String> = ["succeeded", "refunded", "partially_refunded", "disputed"]
        let grants = payments.filter { count(kind: "topup", reference: $0.paymentId.uuidString) != (paid.contains($0.status) ? 1 : 0) }
        let refunded = refundedCredits()
        let refundMismatches = payments.filter { Int64($0.refundedCredits) != refunded[$0.paymentId.uuidString.lowercased(), default: 0] }
        return LedgerReport(
            transactionsChecked: transactions.count, accountsChecked: accounts.count, unbalancedTransactions: unbalanced,
            mismatchedAccounts: mismatched, paymentsWithoutOneGrant: grants.map(\.paymentId).sorted { $0.uuidString < $1.uuidString },
            negativeAccounts: negative, refundMismatches: refundMismatches.map(\.paymentId).sorted { $0.uuidString < $1.uuidString })
    }

    /// Changes an account's cached balance without an entry, as a corrupting write would (reconcile must see it).
    mutating func corrupt(_ owner: UUID?, _ kind: LedgerAccountKind, by amount: Int64) {
        let account = Account(owner: owner, kind: kind)
        if accountIds[account] == nil { accountIds[account] = Int64(accountIds.count + 1) }
        balances[Account(owner: owner, kind: kind), default: 0] += amount
    }
}
