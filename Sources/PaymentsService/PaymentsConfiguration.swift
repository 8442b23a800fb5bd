public import Foundation
public import MentorLinkCore

/// Payments settings. Credits are whole numbers; their price is configured per currency in minor units.
public struct PaymentsConfiguration: Sendable {
    /// Price of one credit in US cents (Stripe payments are in USD): $1.00.
    public var creditPriceUSDCents: Int64 = 100
    /// Price of one credit in paise (UPI payments are in INR): ₹90.00, $1.00 at ``inrPerUSD``.
    public var creditPriceINRPaise: Int64 = 9000
    /// The most credits one top-up may buy.
    public var maxTopUpCredits = 10_000
    /// Stripe endpoint secrets (`whsec_…`); several are accepted while one is being rotated.
    public var stripeWebhookSecrets: [String] = []
    /// UPI gateway webhook secrets; several are accepted while one is being rotated.
    public var upiWebhookSecrets: [String] = []
    /// How old a Stripe signature's timestamp may be: 5 minutes.
    public var webhookTolerance: TimeInterval = 300
    /// The payee address in UPI intent links.
    public var upiPayeeAddress = "mentorlink@upi"
    /// Payouts are paid in this currency (US dollars).
    public var payoutCurrency = "usd"
    /// Rupees per US dollar for valuing UPI money against payouts: set it at or above the market rate (a
    /// conservative rate values rupees low, so a payout never exceeds what the credits brought in).
    public var inrPerUSD: Int64 = 90
    /// How long after a session's end its mentee may report a no-show (`booking.reportNoShow`): the booking
    /// configuration's `completionGrace`, after which the release job pays the mentor (1 hour).
    public var noShowReportWindow: Duration = .seconds(3600)
    /// How an escrow an admin releases (`admin.resolveEscrow`) is split between the mentor and the platform: the
    /// booking configuration's `platformFee` (10 percent to the platform).
    public var platformFee = PlatformFeePolicy.standard
    /// The clock.
    public var now: @Sendable () -> Date = { Date() }

    /// The defaults.
    public init() {}

    /// What one earned credit pays out, in US cents: the least that one credit brings in through any provider,
    /// rupees converted at ``inrPerUSD`` and rounded down. Credits are one currency whichever way they were bought,
    /// so no price (or a change of price) can make a payout return more money than came in.
    public var payoutCentsPerCredit: Int64 {
        let rate = max(inrPerUSD, 1)
        return max(0, min(creditPriceUSDCents, creditPriceINRPaise / rate))
    }

    /// Minor units of ``payoutCurrency`` paid for `credits` earned; `invalid_params` rather than an overflow.
    public func payoutAmount(_ credits: Int) throws -> Int64 {
        let (amount, overflow) = Int64(credits).multipliedReportingOverflow(by: payoutCentsPerCredit)
        guard credits > 0, !overflow, amount > 0 else { throw PaymentsError.invalid("credits", "out of range") }
        return amount
    }

    /// Minor units and currency of `credits` with a provider.
    public func price(_ credits: Int, provider: PaymentProviderName) -> (amount: Int64, currency: String) {
        switch provider {
        case .stripe: (Int64(credits) * creditPriceUSDCents, "usd")
        case .upi: (Int64(credits) * creditPriceINRPaise, "inr")
        }
    }
}
