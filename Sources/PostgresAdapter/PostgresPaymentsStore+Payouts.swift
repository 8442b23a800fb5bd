public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresPaymentsStore {
    public func requestPayout(mentorId: UUID, credits: Int, audit: AuditEntry) async throws -> Payout {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            // A debt comes from a refund or dispute at the provider of credits already spent (see PayoutRules).
            for try await debt in try await connection.query(
                "SELECT balance FROM ledger_accounts WHERE owner_id = \(mentorId) AND kind = 'debt'", logger: logger
            ).decode(Int64.self) { try PayoutRules.checkRequest(debt: debt) }
            let payout = try await connection.fetchOne(
                PayoutRow.self,
                "INSERT INTO payouts AS o (mentor_id, credits) VALUES (\(mentorId), \(credits)) RETURNING \(unescaped: PayoutRow.columns)",
                logger: logger)
            // Earnings leave the mentor's account now, so the same credits cannot be requested twice.
            try await connection.post(
                "payout_request", reference: payout.payoutId.uuidString,
                legs: LedgerLeg.move(credits, from: (mentorId, .earnings), to: (nil, .payouts)), logger: logger)
            try await connection.appendEvent("payout.requested", aggregate: "payout", id: payout.payoutId, payload: payout, logger: logger)
            try await connection.appendAudit(audit.targetingPayment(payout.payoutId), logger: logger)
            return payout
        }
    }

    public func payouts(mentorId: UUID?, limit: Int) async throws -> [Payout] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                PayoutRow.self,
                """
                SELECT \(unescaped: PayoutRow.columns) FROM payouts o WHERE \(mentorId)::uuid IS NULL OR o.mentor_id = \(mentorId)
                ORDER BY o.created_at DESC, o.id LIMIT \(limit)
                """, logger: logger)
        }
    }

    public func payout(id: UUID) async throws -> Payout? {
        try await pool.read(logger: logger) { connection in
            try await connection.fetchFirst(
                PayoutRow.self, "SELECT \(unescaped: PayoutRow.columns) FROM payouts o WHERE o.id = \(id)", logger: logger)
        }
    }

    public func claimPayout(id: UUID, by adminId: UUID, audit: AuditEntry) async throws -> Payout {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard
                let payout = try await connection.fetchFirst(
                    PayoutRow.self, "SELECT \(unescaped: PayoutRow.columns) FROM payouts o WHERE o.id = \(id) FOR UPDATE", logger: logger)
            else { throw CoreError.notFound }
            try PayoutRules.checkClaim(payout)
            let claimed = try await connection.fetchOne(
                PayoutRow.self,
                """
                UPDATE payouts o SET status = 'processing', claimed_at = now(), claimed_by = \(adminId)
                WHERE o.id = \(id) RETURNING \(unescaped: PayoutRow.columns)
                """, logger: logger)
            try await connection.appendAudit(audit.targetingPayment(id), logger: logger)
            return claimed
        }
    }

    public func finishPayout(id: UUID, transferRef: String?, by adminId: UUID, audit: AuditEntry) async throws -> Payout {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard
                let payout = try await connection.fetchFirst(
                    PayoutRow.self, "SELECT \(unescaped: PayoutRow.columns) FROM payouts o WHERE o.id = \(id) FOR UPDATE", logger: logger)
            else { throw CoreError.notFound }
            try PayoutRules.checkFinish(payout)
            let paid = transferRef != nil
            try await connection.post(
                paid ? "payout_paid" : "payout_failed", reference: id.uuidString,
                legs: paid
                    ? LedgerLeg.move(payout.credits, from: (nil, .payouts), to: (nil, .stripeClearing))
                    : LedgerLeg.move(payout.credits, from: (nil, .payouts), to: (payout.mentorId, .earnings)), logger: logger)
            let updated = try await connection.fetchOne(
                PayoutRow.self,
                """
                UPDATE payouts o SET status = \(paid ? "paid" : "failed"), transfer_ref = \(transferRef), decided_at = now(), decided_by = \(adminId)
                WHERE o.id = \(id) RETURNING \(unescaped: PayoutRow.columns)
                """, logger: logger)
            try await connection.appendEvent("payout.\(updated.status)", aggregate: "payout", id: id, payload: updated, logger: logger)
            try await connection.appendAudit(audit.targetingPayment(id), logger: logger)
            return updated
        }
    }

    public func reconcile() async throws -> LedgerReport {
        try await pool.read(logger: logger) { connection in
            func ids<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type) async throws -> [T] {
                var result: [T] = []
                for try await id in try await connection.query(query, logger: logger).decode(T.self) { result.append(id) }
                return result
            }
            let unbalanced = try await ids(
                "SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0 ORDER BY 1", as: Int64.self)
            let mismatched = try await ids(
                """
                SELECT a.id FROM ledger_accounts a LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) e
                    ON e.account_id = a.id
                WHERE a.balance <> coalesce(e.total, 0) ORDER BY 1
                """, as: Int64.self)
            let negative = try await ids(
                """
                SELECT a.id FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id
                WHERE a.owner_id IS NOT NULL AND a.kind <> 'debt' GROUP BY a.id HAVING sum(e.amount) < 0 ORDER BY 1
                """, as: Int64.self)
            let grants = try await ids(
                """
                SELECT p.id FROM payments p
                WHERE (SELECT count(*) FROM ledger_transactions t WHERE t.kind = 'topup' AND lower(t.reference) = p.id::text)
                      <> CASE WHEN p.status IN ('succeeded', 'refunded', 'partially_refunded', 'disputed') THEN 1 ELSE 0 END
                ORDER BY 1
                """, as: UUID.self)
            // refunded_credits must equal what the ledger moved for the payment's refunds: refunds (ours and the
            // provider's) minus reversals, each transaction's credits being the sum of its positive legs.
            let refundMismatches = try await ids(
                """
                SELECT p.id FROM payments p LEFT JOIN (
                    SELECT lower(t.memo) AS payment, sum(CASE WHEN t.kind = 'refund_reversal' THEN -e.amount ELSE e.amount END) AS credits
                    FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id AND e.amount > 0
                    WHERE t.kind IN ('refund', 'refund_reversal', 'provider_refund') GROUP BY lower(t.memo)
                ) l ON l.payment = p.id::text
                WHERE p.refunded_credits <> coalesce(l.credits, 0) ORDER BY 1
                """, as: UUID.self)
            var counts = (0, 0)
            for try await (transactions, accounts) in try await connection.query(
                "SELECT (SELECT count(*)::int FROM ledger_transactions), (SELECT count(*)::int FROM ledger_accounts)", logger: logger
            ).decode((Int, Int).self) { counts = (transactions, accounts) }
            return LedgerReport(
                transactionsChecked: counts.0, accountsChecked: counts.1, unbalancedTransactions: unbalanced, mismatchedAccounts: mismatched,
                paymentsWithoutOneGrant: grants, negativeAccounts: negative, refundMismatches: refundMismatches)
        }
    }
}
