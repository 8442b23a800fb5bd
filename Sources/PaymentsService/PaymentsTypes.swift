public import Foundation
public import JSONRPC
public import MentorLinkCore
public import ServiceSupport

public struct HistoryParams: Codable, Sendable {
    public var cursor: String?
    public var limit: Int?
}

public struct HistoryPage: Codable, Sendable {
    public var items: [WalletEntry]
    public var nextCursor: String?
}

public struct AdjustParams: Codable, Sendable {
    public var userId: UUID
    public var credits: Int
    public var reason: String
}

public struct WalletResult: Codable, Sendable {
    public var userId: UUID
    public var available: Int64
    public var escrow: Int64
    public var earnings: Int64
    /// Credits owed after a refund or dispute at the provider of credits already spent.
    public var debt: Int64

    init(userId: UUID, _ wallet: Wallet) {
        self.userId = userId
        self.available = wallet.available
        self.escrow = wallet.escrow
        self.earnings = wallet.earnings
        self.debt = wallet.debt
    }
}

public struct TopUpParams: Codable, Sendable {
    public var credits: Int
    public var provider: PaymentProviderName
    public var idempotencyKey: String
}

public struct PaymentIdParams: Codable, Sendable { public var paymentId: UUID }

public struct RefundParams: Codable, Sendable {
    public var paymentId: UUID
    public var credits: Int?
}

public struct RefundIdParams: Codable, Sendable { public var refundId: UUID }

public struct PayoutRequestParams: Codable, Sendable { public var credits: Int }

public struct PayoutIdParams: Codable, Sendable { public var payoutId: UUID }

public struct PayoutPage: Codable, Sendable { public var items: [Payout] }

public struct NoShowParams: Codable, Sendable {
    public var bookingId: UUID
    public var reason: String?
}

public struct ResolveEscrowParams: Codable, Sendable {
    public var bookingId: UUID
    /// `refund` (to the mentee) or `release` (to the mentor, minus the fee).
    public var decision: String
    public var reason: String
}
