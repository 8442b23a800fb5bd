public import Foundation

/// A payment provider.
public enum PaymentProviderName: String, Codable, Sendable, CaseIterable {
    case stripe, upi

    /// The platform account that mirrors money held at this provider.
    public var clearingAccount: LedgerAccountKind { self == .stripe ? .stripeClearing : .upiClearing }
}

/// A top-up with a provider.
public struct Payment: Codable, Sendable, Hashable {
    public var paymentId: UUID
    public var userId: UUID
    public var provider: PaymentProviderName
    public var credits: Int
    /// Minor units of `currency` (cents, paise).
    public var amount: Int64
    public var currency: String
    public var status: String
    public var providerRef: String?
    public var providerChargeRef: String?
    public var clientSecret: String?
    public var upiLink: String?
    public var refundedCredits: Int
    public var createdAt: Instant

    public init(
        paymentId: UUID, userId: UUID, provider: PaymentProviderName, credits: Int, amount: Int64, currency: String, status: String,
        providerRef: String?, providerChargeRef: String?, clientSecret: String?, upiLink: String?, refundedCredits: Int, createdAt: Instant
    ) {
        self.paymentId = paymentId
        self.userId = userId
        self.provider = provider
        self.credits = credits
        self.amount = amount
        self.currency = currency
        self.status = status
        self.providerRef = providerRef
        self.providerChargeRef = providerChargeRef
        self.clientSecret = clientSecret
        self.upiLink = upiLink
        self.refundedCredits = refundedCredits
        self.createdAt = createdAt
    }
}

/// A payment to record before the provider is called.
public struct NewPayment: Sendable {
    public var userId: UUID
    public var provider: PaymentProviderName
    public var credits: Int
    public var amount: Int64
    public var currency: String
    public var idempotencyKey: String
    public var audit: AuditEntry

    public init(userId: UUID, provider: PaymentProviderName, credits: Int, amount: Int64, currency: String, idempotencyKey: String, audit: AuditEntry)
    {
        self.userId = userId
        self.provider = provider
        self.credits = credits
        self.amount = amount
        self.currency = currency
        self.idempotencyKey = idempotencyKey
        self.audit = audit
    }
}

/// What a verified provider event reports about money.
public enum ProviderEventAction: Sendable, Hashable {
    /// The payment succeeded (Stripe `payment_intent.succeeded`, Razorpay `payment.captured`).
    case paymentSucceeded
    /// The charge's refunded amount so far, in minor units (Stripe `charge.refunded`'s `amount_refunded`).
    case refundedTotal(Int64)
    /// One refund at the provider (Razorpay `refund.processed` / `refund.failed`, Stripe `refund.updated`): the
    /// provider's id, its amount, our refund id when we asked for it, and whether it went through.
    case refund(id: String, amount: Int64, ours: UUID?, succeeded: Bool)
    /// A dispute (chargeback) was opened for `amount` minor units (Stripe `charge.dispute.created`).
    case disputeOpened(id: String, amount: Int64)
    /// A dispute was closed, won (the money comes back) or lost (Stripe `charge.dispute.closed`).
    case disputeClosed(id: String, won: Bool)
    /// Nothing that moves money.
    case none
}

/// A verified webhook event, in the provider-neutral shape the store processes.
public struct ProviderEvent: Sendable, Hashable {
    public var provider: PaymentProviderName
    public var eventId: String
    public var type: String
    /// Whether the event says the payment succeeded (Stripe `payment_intent.succeeded`, Razorpay `payment.captured`).
    public var succeeded: Bool
    /// The provider's payment reference we stored (`pi_…`, `order_…`).
    public var providerRef: String?
    /// The captured charge (`pay_…`), when the provider has one.
    public var chargeRef: String?
    public var amount: Int64?
    public var currency: String?
    /// What the event reports.
    public var action: ProviderEventAction

    public init(
        provider: PaymentProviderName, eventId: String, type: String, succeeded: Bool, providerRef: String?, chargeRef: String?, amount: Int64?,
        currency: String?, action: ProviderEventAction? = nil
    ) {
        self.action = action ?? (succeeded ? .paymentSucceeded : .none)
        self.provider = provider
        self.eventId = eventId
        self.type = type
        self.succeeded = succeeded
        self.providerRef = providerRef
        self.chargeRef = chargeRef
        self.amount = amount
        self.currency = currency
    }
}

/// What processing an event did.
public enum EventOutcome: Sendable, Hashable {
    /// Credits granted (the first delivery of a success).
    case granted(paymentId: UUID, credits: Int)
    /// Credits taken back for a refund or dispute at the provider (beyond the available credits: a debt).
    case debited(paymentId: UUID, credits: Int)
    /// A refund, payment or dispute we knew of was settled by the provider's record.
    case settled(String)
    /// Seen before (this event id, or another event for an already granted payment): nothing done.
    case duplicate(String)
    /// Not an event that moves money.
    case ignored(String)
    /// Refused (unknown payment, amount or currency mismatch) and audited.
    case refused(String)
}

/// One refund of a payment: `pending` (credits already debited) until the provider's answer or webhook makes it
/// `succeeded` or `failed` (credits given back).
public struct Refund: Codable, Sendable, Hashable {
    public var refundId: UUID
    public var paymentId: UUID
    public var credits: Int
    /// Minor units of the payment's currency.
    public var amount: Int64
    public var status: String
    public var providerRef: String?
    public var createdAt: Instant

    public init(refundId: UUID, paymentId: UUID, credits: Int, amount: Int64, status: String, providerRef: String?, createdAt: Instant) {
        self.refundId = refundId
        self.paymentId = paymentId
        self.credits = credits
        self.amount = amount
        self.status = status
        self.providerRef = providerRef
        self.createdAt = createdAt
    }
}

/// A booking's escrow, as the payments side sees it.
public struct BookingEscrow: Codable, Sendable, Hashable {
    public var bookingId: UUID
    /// `held`, `disputed` (a no-show report), `frozen` (the mentor cannot earn), `released`, `refunded`, `none`.
    public var escrowState: String
    public var priceCredits: Int

    public init(bookingId: UUID, escrowState: String, priceCredits: Int) {
        self.bookingId = bookingId
        self.escrowState = escrowState
        self.priceCredits = priceCredits
    }
}

/// A mentor's request to be paid their earnings.
public struct Payout: Codable, Sendable, Hashable {
    public var payoutId: UUID
    public var mentorId: UUID
    public var credits: Int
    public var status: String
    public var transferRef: String?
    public var createdAt: Instant

    public init(payoutId: UUID, mentorId: UUID, credits: Int, status: String, transferRef: String?, createdAt: Instant) {
        self.payoutId = payoutId
        self.mentorId = mentorId
        self.credits = credits
        self.status = status
        self.transferRef = transferRef
        self.createdAt = createdAt
    }
}

/// The durable side of payments: the ledger, provider payments and events, refunds and payouts. Every money
/// movement posts one balanced ledger transaction with an outbox event and an audit entry, in one transaction.
public protocol PaymentsStore: Sendable {
    /// A user's balances.
    func wallet(userId: UUID) async throws -> Wallet
    /// A user's ledger entries, newest first, before `beforeId`.
    func history(userId: UUID, beforeId: Int64?, limit: Int) async throws -> [WalletEntry]
    /// Support's correction: credits (±) between the user's available credits and the platform's adjustments.
    func adjust(userId: UUID, credits: Int, reason: String, audit: AuditEntry) async throws -> Wallet
    /// Records a top-up, or returns the one recorded with the same (user, idempotency key) and `created: false`.
    func createPayment(_ payment: NewPayment) async throws -> (Payment, created: Bool)
    /// Stores what the provider answered.
    func attachProvider(paymentId: UUID, providerRef: String, clientSecret: String?, upiLink: String?) async throws -> Payment
    /// One payment.
    func payment(id: UUID) async throws -> Payment?
    /// Processes a verified webhook event exactly once per provider event id, granting credits once per payment.
    func process(_ event: ProviderEvent, requestId: String?) async throws -> EventOutcome
    /// Records a pending refund and debits its unspent credits (before the provider is asked), under the refund's
    /// own ledger reference; `insufficientCredits` when spent.
    func reserveRefund(paymentId: UUID, credits: Int, audit: AuditEntry) async throws -> (payment: Payment, refund: Refund)
    /// Settles a refund by the provider's answer: a pending one `succeeded` or `failed`, a succeeded one `failed`
    /// (the provider's word: a refund may fail after it succeeded). A failure gives the credits back, once. Settling
    /// again the same way does nothing; a failed refund is final (`invalidState`).
    func settleRefund(refundId: UUID, succeeded: Bool, providerRef: String?, audit: AuditEntry) async throws -> Refund
    /// One refund.
    func refund(id: UUID) async throws -> Refund?
    /// Keeps the provider's id of a refund the provider has not settled yet (it stays pending).
    func recordRefundReference(refundId: UUID, providerRef: String) async throws -> Refund
    /// Moves earnings into a payout request; `inDebt` while the mentor owes credits (a debt is never netted).
    func requestPayout(mentorId: UUID, credits: Int, audit: AuditEntry) async throws -> Payout
    /// Payouts, newest first (one mentor's, or all for admins).
    func payouts(mentorId: UUID?, limit: Int) async throws -> [Payout]
    /// One payout.
    func payout(id: UUID) async throws -> Payout?
    /// Claims a requested payout for the one approval that calls the provider (`requested` → `processing`, under
    /// the row lock); `invalidState` when it is not requested (a second approval, a double click).
    func claimPayout(id: UUID, by adminId: UUID, audit: AuditEntry) async throws -> Payout
    /// Marks a requested or processing payout paid (after the transfer) or failed (earnings given back).
    func finishPayout(id: UUID, transferRef: String?, by adminId: UUID, audit: AuditEntry) async throws -> Payout
    /// The mentee's no-show report: a held (or frozen) escrow of a session that started and ended at most
    /// `window` ago becomes `disputed`, so it is not released; `forbidden` for anyone but the booking's mentee.
    func reportNoShow(
        bookingId: UUID, by menteeId: UUID, reason: String?, now: Instant, window: Duration, audit: AuditEntry
    ) async throws -> BookingEscrow
    /// An admin's decision on a disputed or frozen escrow: back to the mentee, or to the mentor and the platform split
    /// by `fees` (only a mentor who can earn, ``EscrowDisputeRules``); audited.
    func resolveEscrow(bookingId: UUID, decision: EscrowDecision, fees: PlatformFeePolicy, audit: AuditEntry) async throws -> BookingEscrow
    /// Checks the whole ledger.
    func reconcile() async throws -> LedgerReport
}
