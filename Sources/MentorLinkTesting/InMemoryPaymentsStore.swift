public import Foundation
public import MentorLinkCore

/// ``MentorLinkCore/PaymentsStore`` in memory, on an ``InMemoryMarketplace`` (the ledger and the bookings' escrow it
/// shares with ``InMemoryBookingStore``): the PostgreSQL store's rules in the same order — one payment per (user,
/// idempotency key) and `idempotencyMismatch` for other parameters, credits granted once per payment and provider
/// event, refunds by ``MentorLinkCore/RefundRules``, payouts by ``MentorLinkCore/PayoutRules``, no-shows and
/// resolutions by ``MentorLinkCore/EscrowDisputeRules`` — each a balanced ledger transaction with its outbox event and
/// audit entry.
///
/// What it leaves out: provider events other than a payment's success (refunds, refunded totals and disputes made
/// at the provider throw ``TestingError/notSimulated(_:)``; the live webhook tests keep them).
public struct InMemoryPaymentsStore: PaymentsStore {
    /// The database it works on.
    public let database: InMemoryMarketplace

    /// A store on `database`.
    public init(database: InMemoryMarketplace) { self.database = database }

    public func wallet(userId: UUID) async throws -> Wallet { try database.read { $0.ledger.wallet(userId) } }

    public func history(userId: UUID, beforeId: Int64?, limit: Int) async throws -> [WalletEntry] {
        try database.read { $0.ledger.history(userId, beforeId: beforeId, limit: limit) }
    }

    public func adjust(userId: UUID, credits: Int, reason: String, audit: AuditEntry) async throws -> Wallet {
        let now = database.now()
        return try database.transaction { tables in
            let legs = [
                LedgerLeg(owner: nil, kind: .adjustments, amount: -Int64(credits)),
                LedgerLeg(owner: userId, kind: .available, amount: Int64(credits)),
            ]
            try tables.ledger.post("adjustment", reference: UUID().uuidString, legs: legs, memo: reason, at: now)
            tables.event("wallet.adjusted", aggregate: "wallet", id: userId)
            tables.audit.append(audit, at: now.date)
            return tables.ledger.wallet(userId)
        }
    }

    public func createPayment(_ payment: NewPayment) async throws -> (Payment, created: Bool) {
        let now = database.now()
        return try database.transaction { tables in
            let key = "\(payment.userId)|\(payment.idempotencyKey)"
            if let id = tables.paymentKeys[key], let found = tables.payments[id] {
                guard found.provider == payment.provider, found.credits == payment.credits else { throw CoreError.idempotencyMismatch }
                return (found, false)
            }
            let created = Payment(
                paymentId: UUID(), userId: payment.userId, provider: payment.provider, credits: payment.credits, amount: payment.amount,
                currency: payment.currency, status: "pending", providerRef: nil, providerChargeRef: nil, clientSecret: nil, upiLink: nil,
                refundedCredits: 0, createdAt: now)
            tables.payments[created.paymentId] = created
            tables.paymentKeys[key] = created.paymentId
            tables.audit.append(payment.audit.targeting(created.paymentId), at: now.date)
            return (created, true)
        }
    }

    public func attachProvider(paymentId: UUID, providerRef: String, clientSecret: String?, upiLink: String?) async throws -> Payment {
        try database.transaction { tables in
            guard var payment = tables.payments[paymentId] else { throw CoreError.notFound }
            payment.providerRef = providerRef
            payment.clientSecret = clientSecret
            payment.upiLink = upiLink
            tables.payments[paymentId] = payment
            return payment
        }
    }

    public func payment(id: UUID) async throws -> Payment? { try database.read { $0.payments[id] } }

    public func process(_ event: ProviderEvent, requestId: String?) async throws -> EventOutcome {
        let now = database.now()
        return try database.transaction { tables in
            let claim = "\(event.provider.rawValue)|\(event.eventId)"
            guard tables.providerEvents[claim] == nil else { return .duplicate("event already processed") }
            let outcome = try Self.apply(event, requestId: requestId, now: now, in: &tables)
            tables.providerEvents[claim] = "\(outcome)"
            return outcome
        }
    }

    static func apply(_ event: ProviderEvent, requestId: String?, now: Instant, in tables: inout MarketplaceTables) throws -> EventOutcome {
        switch event.action {
        case .none: return .ignored(event.type)
        case .paymentSucceeded: break
        default: throw TestingError.notSimulated("provider event \(event.type)")
        }
        func refuse(_ why: String, target: String?) -> EventOutcome {
            tables.audit.append(
                AuditEntry(
                    actorId: nil, action: "payment.webhook_refused", target: target, outcome: "refused", requestId: requestId,
                    details: ["provider": event.provider.rawValue, "event": event.eventId, "why": why]), at: now.date)
            return .refused(why)
        }
        guard let reference = event.providerRef,
            var payment = tables.payments.values.first(where: { $0.provider == event.provider && $0.providerRef == reference })
        else { return refuse("unknown payment", target: event.providerRef) }
        if let why = ProviderEventRules.refusalToGrant(event, for: payment) { return refuse(why, target: payment.paymentId.uuidString) }
        let legs = tables.giveLegs(payment.credits, to: payment.userId, from: event.provider.clearingAccount)
        guard try tables.ledger.post("topup", reference: payment.paymentId.uuidString, legs: legs, memo: event.eventId, at: now) != nil else {
            return .duplicate("payment already granted")
        }
        payment.status = "succeeded"
        payment.providerChargeRef = event.chargeRef ?? payment.providerChargeRef
        tables.payments[payment.paymentId] = payment
        tables.event("payment.succeeded", aggregate: "payment", id: payment.paymentId)
        tables.audit.append(
            AuditEntry(
                actorId: payment.userId, action: "payment.topup", target: payment.paymentId.uuidString, requestId: requestId,
                details: ["credits": "\(payment.credits)", "provider": event.provider.rawValue, "event": event.eventId]), at: now.date)
        return .granted(paymentId: payment.paymentId, credits: payment.credits)
    }

    public func reconcile() async throws -> LedgerReport { try database.read { $0.ledger.report(payments: Array($0.payments.values)) } }
}
