import Foundation
import MentorLinkCore

/// The ledger side of settling an escrow by a decision.
struct EscrowSettlement {
    /// The ledger transaction's kind: `escrow_refund` or `escrow_release`.
    var kind: String
    /// The escrow's state after it: `refunded` or `released`.
    var state: String
    /// The legs: the price back to the mentee's available credits, or to the mentor and the platform by the split.
    var legs: [LedgerLeg]
}
