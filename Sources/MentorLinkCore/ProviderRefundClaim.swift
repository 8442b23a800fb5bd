/// The decision on a refund the provider reports by its id that is not one of ours, claimed once by that id. The
/// provider also reports refunds as its charge's refunded total (no id), in any order: what totals took that no
/// claim accounts for yet covers a new claim first, and only the rest is taken, so the payment's refunded amount
/// is the largest of the totals seen and the refunds claimed. The payments store applies it under the payment's lock.
public enum ProviderRefundClaim: Sendable, Hashable {
    /// Claimed before and nothing new: a duplicate.
    case duplicate
    /// Claimed as succeeded (and taken with a charge's total) and now failed: which credits that part took is not
    /// known, so nothing is given back; the claim is marked failed and left for an admin.
    case reviewFailure
    /// First seen as failed: claimed, nothing moves.
    case claimFailed
    /// First seen as succeeded: claimed with `covered` minor units that totals already took; `take` more are taken
    /// now (0: the totals took all of it).
    case claimSucceeded(covered: Int64, take: Int64)

    /// The decision on a refund claimed before in `status`, now reported `succeeded` or failed.
    public static func again(claimStatus status: String, succeeded: Bool) -> ProviderRefundClaim {
        status == "succeeded" && !succeeded ? .reviewFailure : .duplicate
    }

    /// The decision on a refund of `amount` reported for the first time; `unclaimedTotal`: minor units that totals
    /// took and no claim accounts for yet (only read for a succeeded refund).
    public static func first(amount: Int64, succeeded: Bool, unclaimedTotal: Int64) -> ProviderRefundClaim {
        guard succeeded else { return .claimFailed }
        let covered = min(amount, max(unclaimedTotal, 0))
        return .claimSucceeded(covered: covered, take: amount - covered)
    }
}
