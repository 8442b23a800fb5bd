/// The rules of refunds, applied by the payments store to the payment and refund rows it has locked.
public enum RefundRules {
    /// What refunding `credits` of `payment` takes back in minor units, or why it cannot: only a payment that
    /// succeeded (and is not wholly refunded or disputed) is refunded, at most its credits not refunded yet, each
    /// credit at the price it was bought for.
    public static func amount(refunding credits: Int, of payment: Payment) throws -> Int64 {
        guard payment.status == "succeeded" || payment.status == "partially_refunded" else {
            throw CoreError.invalidState("the payment is \(payment.status)")
        }
        let refundable = payment.credits - payment.refundedCredits
        guard credits > 0, credits <= refundable else {
            throw CoreError.invalidState("at most \(refundable) credits of this payment can be refunded")
        }
        // The payment's amount is its credits times the price: the refund is the same share of it.
        let (amount, overflow) = (payment.amount / Int64(payment.credits)).multipliedReportingOverflow(by: Int64(credits))
        guard !overflow, amount > 0 else { throw CoreError.invalidState("the refund amount is out of range") }
        return amount
    }

    /// What the provider's word (`succeeded` or failed) does to a refund in `status`: pending becomes either, and a
    /// succeeded refund can still fail at the provider; the same word again changes nothing; a failed refund is final.
    public static func transition(from status: String, succeeded: Bool) -> RefundTransition {
        switch (status, succeeded) {
        case ("pending", _), ("succeeded", false): .settles
        case ("succeeded", true), ("failed", false): .alreadySettled
        default: .final
        }
    }

    /// A payment's status once `refunded` of its `credits` are refunded.
    public static func paymentStatus(refunded: Int, of credits: Int) -> String {
        refunded == 0 ? "succeeded" : refunded >= credits ? "refunded" : "partially_refunded"
    }

    /// The credits `amount` minor units of `payment` stand for, rounded up (in the platform's favour).
    public static func credits(for amount: Int64, of payment: Payment) -> Int {
        let perCredit = max(payment.amount / Int64(max(payment.credits, 1)), 1)
        return Int((amount + perCredit - 1) / perCredit)
    }
}

/// What settling a refund does (``RefundRules/transition(from:succeeded:)``).
public enum RefundTransition: Sendable, Hashable {
    /// The refund moves to the provider's state (a failure gives its credits back).
    case settles
    /// The refund is already in that state: nothing happens.
    case alreadySettled
    /// The refund failed before: it stays failed.
    case final
}
