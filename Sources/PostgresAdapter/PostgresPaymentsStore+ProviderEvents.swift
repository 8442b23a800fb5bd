import Foundation
import Logging
import MentorLinkCore
import PostgresNIO

/// Refunds and disputes reported by the provider (made in its dashboard, by the bank, or the answers to our own
/// refunds): each moves the ledger once, keyed by the provider's own ids.
extension PostgresPaymentsStore {
    /// The user's available and debt balances (0 for an account not made yet), with those accounts and the platform
    /// account the legs also touch locked for the rest of the transaction: in one statement and in id order, the
    /// order ledger_post locks in, so two postings for one user (a top-up and a provider refund) cannot deadlock.
    static func lockedBalances(
        _ owner: UUID, platform: LedgerAccountKind, on connection: PostgresConnection, logger: Logger
    ) async throws -> (available: Int64, debt: Int64) {
        let rows = try await connection.query(
            """
            SELECT kind, balance FROM ledger_accounts
            WHERE (owner_id = \(owner) AND kind IN ('available', 'debt')) OR (owner_id IS NULL AND kind = \(platform.rawValue))
            ORDER BY id FOR UPDATE
            """, logger: logger)
        var balances: (available: Int64, debt: Int64) = (0, 0)
        for try await (kind, balance) in rows.decode((String, Int64).self) {
            switch LedgerAccountKind(rawValue: kind) {
            case .available: balances.available = balance
            case .debt: balances.debt = balance
            default: break
            }
        }
        return balances
    }

    /// Legs giving `credits` to a user from a platform account, what they owe paid first (``LedgerLeg/give(_:to:from:owed:)``),
    /// their accounts locked.
    static func giveLegs(
        _ credits: Int, to user: UUID, from source: LedgerAccountKind, on connection: PostgresConnection, logger: Logger
    ) async throws -> [LedgerLeg] {
        let owed = -(try await lockedBalances(user, platform: source, on: connection, logger: logger).debt)
        return LedgerLeg.give(credits, to: user, from: source, owed: owed)
    }

    /// Legs taking `credits` back from a user into a platform account, into debt when spent
    /// (``LedgerLeg/take(_:from:to:available:)``), their accounts locked.
    static func takeLegs(
        _ credits: Int, from user: UUID, to sink: LedgerAccountKind, on connection: PostgresConnection, logger: Logger
    ) async throws -> [LedgerLeg] {
        let available = try await lockedBalances(user, platform: sink, on: connection, logger: logger).available
        return LedgerLeg.take(credits, from: user, to: sink, available: available)
    }

    /// Refuses a provider's event: audited as `payment.webhook_refused` with why, nothing else written.
    static func refusal(
        of event: ProviderEvent, _ why: String, target: String?, requestId: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> EventOutcome {
        try await connection.appendAudit(
            AuditEntry(
                actorId: nil, action: "payment.webhook_refused", target: target, outcome: "refused", requestId: requestId,
                details: ["provider": event.provider.rawValue, "event": event.eventId, "why": why]), logger: logger)
        return .refused(why)
    }

    static func applyAfterPayment(
        _ event: ProviderEvent, requestId: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> EventOutcome {
        func refuse(_ why: String, target: String?) async throws -> EventOutcome {
            try await refusal(of: event, why, target: target, requestId: requestId, on: connection, logger: logger)
        }
        // The payment, by the provider's payment reference or its charge.
        guard
            let payment = try await connection.fetchFirst(
                PaymentRow.self,
                """
                SELECT \(unescaped: PaymentRow.columns) FROM payments p WHERE p.provider = \(event.provider.rawValue)
                  AND ((\(event.providerRef)::text IS NOT NULL AND p.provider_ref = \(event.providerRef))
                    OR (\(event.chargeRef)::text IS NOT NULL AND p.provider_charge_ref = \(event.chargeRef)))
                ORDER BY p.created_at LIMIT 1 FOR UPDATE
                """, logger: logger)
        else { return try await refuse("unknown payment", target: event.providerRef ?? event.chargeRef) }
        if let why = ProviderEventRules.refusalToApply(event, to: payment) { return try await refuse(why, target: payment.paymentId.uuidString) }
        func audit(_ action: String, _ details: [String: String]) -> AuditEntry {
            AuditEntry(
                actorId: nil, action: action, target: payment.paymentId.uuidString, requestId: requestId,
                details: details.merging(["provider": event.provider.rawValue, "event": event.eventId]) { a, _ in a })
        }
        switch event.action {
        case .refundedTotal(let total):
            guard ProviderEventRules.totalFits(total, payment) else {
                return try await refuse("refunded amount out of range", target: payment.paymentId.uuidString)
            }
            // What we already account for: our refunds not failed, and the provider's recorded before.
            var known: Int64 = 0
            for try await sum in try await connection.query(
                "SELECT coalesce(sum(amount_minor), 0)::int8 FROM refunds WHERE payment_id = \(payment.paymentId) AND status <> 'failed'",
                logger: logger
            ).decode(Int64.self) { known = sum }
            // The provider's total covers our pending refunds: they went through.
            if total >= known {
                for pending in try await connection.fetch(
                    RefundRow.self,
                    "SELECT \(unescaped: RefundRow.columns) FROM refunds r WHERE r.payment_id = \(payment.paymentId) AND r.status = 'pending'",
                    logger: logger)
                {
                    _ = try await settle(
                        refundId: pending.refundId, payment: payment, succeeded: true, providerRef: nil,
                        audit: audit("payment.refund_succeeded", [:]), on: connection, logger: logger)
                }
            }
            // Only what exceeds every refund row is new; a refund claimed by its id later takes this part first.
            guard total > known else { return .duplicate("refunds already accounted for") }
            return try await providerRefund(
                payment, amount: total - known, providerRef: nil, audit: audit("payment.provider_refund", ["amount": "\(total - known)"]),
                on: connection, logger: logger)
        case .refund(let id, let amount, let ours, let succeeded):
            let mine = try await connection.fetchFirst(
                RefundRow.self,
                """
                SELECT \(unescaped: RefundRow.columns) FROM refunds r WHERE r.payment_id = \(payment.paymentId)
                  AND (r.provider_ref = \(id) OR (\(ours)::uuid IS NOT NULL AND r.id = \(ours)))
                """, logger: logger)
            if let mine {
                // The provider's word, as RefundRules.transition says; the same word again or a failed refund is a duplicate.
                guard RefundRules.transition(from: mine.status, succeeded: succeeded) == .settles else {
                    return .duplicate("refund already \(mine.status)")
                }
                if !succeeded, let claim = try await refundClaim(payment.provider, id, on: connection, logger: logger) {
                    if claim.covered > 0 {
                        return try await reviewFailedClaim(
                            payment, id: id, audit: audit("payment.provider_refund_failed", [:]), on: connection, logger: logger)
                    }
                    try await connection.query(
                        "UPDATE provider_refund_claims SET status = 'failed' WHERE provider = \(payment.provider.rawValue) AND refund_ref = \(id)",
                        logger: logger)
                }
                let settled = try await settle(
                    refundId: mine.refundId, payment: payment, succeeded: succeeded, providerRef: id,
                    audit: audit(succeeded ? "payment.refund_succeeded" : "payment.refund_failed", [:]), on: connection, logger: logger)
                return .settled("refund \(settled.status)")
            }
            guard ProviderEventRules.amountFits(amount, payment) else {
                return try await refuse("refund amount out of range", target: payment.paymentId.uuidString)
            }
            // Not ours: claimed once by its id, whichever of its events comes first (see +RefundClaims).
            return try await claimProviderRefund(
                payment, id: id, amount: amount, succeeded: succeeded,
                audit: audit("payment.provider_refund", ["refund": id, "amount": "\(amount)"]), on: connection, logger: logger)
        case .disputeOpened(let id, let amount):
            guard ProviderEventRules.amountFits(amount, payment) else {
                return try await refuse("dispute amount out of range", target: payment.paymentId.uuidString)
            }
            let credits = ProviderEventRules.creditsTaken(by: amount, of: payment)
            let inserted = try await connection.query(
                """
                INSERT INTO disputes (id, payment_id, credits, amount_minor) VALUES (\(id), \(payment.paymentId), \(max(credits, 0)), \(amount))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: logger)
            var isNew = false
            for try await _ in inserted.decode(String.self) { isNew = true }
            guard isNew else { return .duplicate("dispute already recorded") }
            if credits > 0 {
                try await connection.postOnce(
                    "dispute", reference: id,
                    legs: try await takeLegs(credits, from: payment.userId, to: payment.provider.clearingAccount, on: connection, logger: logger),
                    memo: payment.paymentId.uuidString, logger: logger)
            }
            let updated = try await connection.fetchOne(
                PaymentRow.self,
                "UPDATE payments p SET status = 'disputed', updated_at = now() WHERE p.id = \(payment.paymentId) RETURNING \(unescaped: PaymentRow.columns)",
                logger: logger)
            try await connection.appendEvent(PaymentEvent(name: .disputed, payload: updated), logger: logger)
            try await connection.appendAudit(audit("payment.dispute_opened", ["dispute": id, "credits": "\(credits)"]), logger: logger)
            return .debited(paymentId: payment.paymentId, credits: credits)
        case .disputeClosed(let id, let won):
            var found: (Int, String)?
            for try await row in try await connection.query(
                "SELECT credits, status FROM disputes WHERE id = \(id) AND payment_id = \(payment.paymentId) FOR UPDATE", logger: logger
            ).decode((Int, String).self) { found = row }
            guard let (credits, status) = found else { return try await refuse("unknown dispute", target: payment.paymentId.uuidString) }
            guard status == "open" else { return .duplicate("dispute already closed") }
            try await connection.query("UPDATE disputes SET status = \(won ? "won" : "lost"), closed_at = now() WHERE id = \(id)", logger: logger)
            if won {
                if credits > 0 {
                    try await connection.postOnce(
                        "dispute_reversal", reference: id,
                        legs: try await giveLegs(credits, to: payment.userId, from: payment.provider.clearingAccount, on: connection, logger: logger),
                        memo: payment.paymentId.uuidString, logger: logger)
                }
                try await connection.query(
                    """
                    UPDATE payments SET status = \(RefundRules.paymentStatus(refunded: payment.refundedCredits, of: payment.credits)), updated_at = now()
                    WHERE id = \(payment.paymentId) AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.payment_id = \(payment.paymentId) AND d.status = 'open')
                    """, logger: logger)
            }
            try await connection.appendAudit(audit("payment.dispute_closed", ["dispute": id, "won": "\(won)"]), logger: logger)
            return .settled("dispute \(won ? "won" : "lost")")
        case .paymentSucceeded, .none: return .ignored(event.type)
        }
    }

    /// A refund made at the provider that we did not ask for: a succeeded refund row (origin `provider`) and the
    /// credits taken back (into debt when spent), counted in the payment's refunded credits.
    static func providerRefund(
        _ payment: Payment, amount: Int64, providerRef: String?, audit: AuditEntry, on connection: PostgresConnection, logger: Logger
    ) async throws -> EventOutcome {
        let credits = ProviderEventRules.creditsTaken(by: amount, of: payment)
        guard credits > 0 else { return .duplicate("nothing left to refund") }
        let refund = try await connection.fetchOne(
            RefundRow.self,
            """
            INSERT INTO refunds AS r (payment_id, credits, amount_minor, status, origin, provider_ref, settled_at)
            VALUES (\(payment.paymentId), \(credits), \(amount), 'succeeded', 'provider', \(providerRef), now())
            RETURNING \(unescaped: RefundRow.columns)
            """, logger: logger)
        try await connection.postOnce(
            "provider_refund", reference: refund.refundId.uuidString,
            legs: try await takeLegs(credits, from: payment.userId, to: payment.provider.clearingAccount, on: connection, logger: logger),
            memo: payment.paymentId.uuidString, logger: logger)
        let updated = try await setRefunded(payment, payment.refundedCredits + credits, on: connection, logger: logger)
        try await connection.appendEvent(PaymentEvent(name: .refunded, payload: updated), logger: logger)
        var entry = audit
        entry.details["credits"] = "\(credits)"
        try await connection.appendAudit(entry, logger: logger)
        return .debited(paymentId: payment.paymentId, credits: credits)
    }
}
