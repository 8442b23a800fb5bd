public import Foundation

/// The kinds of ledger account. Users have `available`, `escrow` and `earnings` (never negative); the platform
/// has the rest.
public enum LedgerAccountKind: String, Codable, Sendable, CaseIterable {
    /// `debt` is a user's account at or below zero: credits refunded or disputed at the provider after they were spent.
    case available, escrow, earnings, debt, revenue
    case stripeClearing = "provider_clearing:stripe"
    case upiClearing = "provider_clearing:upi"
    case payouts, adjustments

    /// Whether the account belongs to a user and may not go negative (`debt` belongs to a user and is never positive).
    public var isUserAccount: Bool { self == .available || self == .escrow || self == .earnings }
}

/// One leg of a ledger transaction: whole credits into (+) or out of (−) an account.
public struct LedgerLeg: Sendable, Hashable {
    /// The account's owner; `nil` for the platform's accounts.
    public var owner: UUID?
    public var kind: LedgerAccountKind
    public var amount: Int64

    public init(owner: UUID?, kind: LedgerAccountKind, amount: Int64) {
        self.owner = owner
        self.kind = kind
        self.amount = amount
    }
}

/// A user's balances in credits.
public struct Wallet: Codable, Sendable, Hashable {
    public var available: Int64
    public var escrow: Int64
    public var earnings: Int64
    /// Credits owed (refunded or disputed at the provider after they were spent); paid first by the next top-up.
    public var debt: Int64

    public init(available: Int64, escrow: Int64, earnings: Int64, debt: Int64 = 0) {
        self.available = available
        self.escrow = escrow
        self.earnings = earnings
        self.debt = debt
    }
}

/// One entry of a user's history.
public struct WalletEntry: Codable, Sendable, Hashable {
    public var id: Int64
    public var account: LedgerAccountKind
    public var amount: Int64
    /// The transaction's kind: `topup`, `escrow_hold`, `escrow_release`, `escrow_refund`, `refund`, `payout`, `adjustment`.
    public var kind: String
    /// What it is about: a payment, booking or payout id.
    public var reference: String
    public var memo: String?
    public var at: Instant

    public init(id: Int64, account: LedgerAccountKind, amount: Int64, kind: String, reference: String, memo: String?, at: Instant) {
        self.id = id
        self.account = account
        self.amount = amount
        self.kind = kind
        self.reference = reference
        self.memo = memo
        self.at = at
    }
}

/// What `payments.reconcile` and `mentorlink ledger check` found.
public struct LedgerReport: Codable, Sendable, Hashable {
    public var ok: Bool
    public var transactionsChecked: Int
    public var accountsChecked: Int
    /// Transactions whose entries do not sum to zero.
    public var unbalancedTransactions: [Int64]
    /// Accounts whose cached balance differs from their entries.
    public var mismatchedAccounts: [Int64]
    /// Succeeded payments without exactly one credit grant.
    public var paymentsWithoutOneGrant: [UUID]
    /// User accounts below zero.
    public var negativeAccounts: [Int64]
    /// Payments whose `refundedCredits` differ from their refunds in the ledger (refunds minus reversals).
    public var refundMismatches: [UUID]

    public init(
        transactionsChecked: Int, accountsChecked: Int, unbalancedTransactions: [Int64], mismatchedAccounts: [Int64], paymentsWithoutOneGrant: [UUID],
        negativeAccounts: [Int64], refundMismatches: [UUID] = []
    ) {
        self.transactionsChecked = transactionsChecked
        self.accountsChecked = accountsChecked
        self.unbalancedTransactions = unbalancedTransactions
        self.mismatchedAccounts = mismatchedAccounts
        self.paymentsWithoutOneGrant = paymentsWithoutOneGrant
        self.negativeAccounts = negativeAccounts
        self.refundMismatches = refundMismatches
        self.ok =
            unbalancedTransactions.isEmpty && mismatchedAccounts.isEmpty && paymentsWithoutOneGrant.isEmpty && negativeAccounts.isEmpty
            && refundMismatches.isEmpty
    }
}

/// Where a cancelled booking's escrow goes.
public enum EscrowDecision: Sendable, Hashable {
    /// Back to the mentee's available credits.
    case refund
    /// To the mentor (a late cancellation by the mentee), minus the platform fee.
    case release
}

/// The platform's share of a released escrow.
public enum PlatformFee {
    /// `percent` of `price` credits, rounded up (in the platform's favour: a fee is never rounded away to 0 on a
    /// cheap session), and never more than the price. No overflow for any price.
    public static func credits(of price: Int, percent: Int) -> Int {
        guard price > 0, percent > 0 else { return 0 }
        guard percent < 100 else { return price }
        // ceil(price × percent / 100) without forming price × percent (which could overflow).
        let (whole, rest) = price.quotientAndRemainder(dividingBy: 100)
        let fee = whole * percent + (rest * percent + 99) / 100
        return min(fee, price)
    }
}
