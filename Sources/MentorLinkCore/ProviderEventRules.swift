/// The rules of payment providers' events (webhooks), applied by the payments store to the payment it has locked:
/// which events are refused, and how many credits an amount the provider reports stands for.
public enum ProviderEventRules {
    /// Why a payment-succeeded event cannot grant `payment`'s credits (its amount or currency differs); `nil` when it can.
    public static func refusalToGrant(_ event: ProviderEvent, for payment: Payment) -> String? {
        event.amount == payment.amount && event.currency?.lowercased() == payment.currency.lowercased()
            ? nil : "amount or currency does not match the payment"
    }

    /// Why a refund or dispute event cannot apply to `payment` (not paid, or another currency); `nil` when it can.
    public static func refusalToApply(_ event: ProviderEvent, to payment: Payment) -> String? {
        guard ["succeeded", "partially_refunded", "refunded", "disputed"].contains(payment.status) else { return "the payment is \(payment.status)" }
        if let currency = event.currency, currency.lowercased() != payment.currency.lowercased() { return "currency does not match the payment" }
        return nil
    }

    /// Whether a refunded total the provider reports fits `payment` (0 up to its amount).
    public static func totalFits(_ total: Int64, _ payment: Payment) -> Bool { total >= 0 && total <= payment.amount }

    /// Whether a refund or dispute amount the provider reports fits `payment` (more than 0, up to its amount).
    public static func amountFits(_ amount: Int64, _ payment: Payment) -> Bool { amount > 0 && amount <= payment.amount }

    /// The credits a refund or dispute of `amount` minor units takes back from `payment`: what the amount stands for
    /// (``RefundRules/credits(for:of:)``), at most the credits not refunded yet (0 or less: nothing left).
    public static func creditsTaken(by amount: Int64, of payment: Payment) -> Int {
        min(RefundRules.credits(for: amount, of: payment), payment.credits - payment.refundedCredits)
    }
}
