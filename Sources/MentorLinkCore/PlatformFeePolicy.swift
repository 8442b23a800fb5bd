/// How a released escrow is split between the mentor and the platform: the platform keeps ``percent`` of the price,
/// rounded up (``PlatformFee/credits(of:percent:)``), the mentor earns the rest. The services pass their configured
/// policy to the store with each release; the store only posts the split.
public struct PlatformFeePolicy: Sendable, Hashable {
    /// The platform's share of a released price, in percent.
    public var percent: Int

    /// A policy keeping `percent` of each released price.
    public init(percent: Int) { self.percent = percent }

    /// 10 percent, the deployment default (`MENTORLINK_PLATFORM_FEE_PERCENT`).
    public static let standard = PlatformFeePolicy(percent: 10)

    /// What releasing an escrow of `price` credits pays the mentor and the platform (together, the price).
    public func split(_ price: Int) -> EscrowSplit {
        let fee = PlatformFee.credits(of: price, percent: percent)
        return EscrowSplit(mentorShare: price - fee, fee: fee)
    }
}

/// A released escrow's credits: the mentor's earnings and the platform's fee.
public struct EscrowSplit: Sendable, Hashable {
    /// Credits into the mentor's earnings.
    public var mentorShare: Int
    /// Credits into the platform's revenue.
    public var fee: Int

    /// A split of `mentorShare + fee` credits.
    public init(mentorShare: Int, fee: Int) {
        self.mentorShare = mentorShare
        self.fee = fee
    }
}
