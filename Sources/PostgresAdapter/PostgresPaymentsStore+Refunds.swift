public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresPaymentsStore {
    /// Locks a payment row (refunds lock their payment first, then the refund: one order, no deadlocks).
    static func lockPayment(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Payment {
        guard
            let payment = try await connection.fetchFirst(
                PaymentRow.self, "SELECT \(unescaped: PaymentRow.columns) FROM payments p WHERE p.id = \(id) FOR UPDATE", logger: logger)
        else { throw CoreError.notFound }
        return payment
    }

    /// Sets a payment's refunded credits (and its status by them, ``RefundRules/paymentStatus(refunded:of:)``).
    static func setRefunded(_ payment: Payment, _ refunded: Int, on connection: PostgresConnection, logger: Logger) async throws -> Payment {
        try await connection.fetchOne(
            PaymentRow.self,
            """
            UPDATE payments p SET refunded_credits = \(refunded), updated_at = now(),
                status = CASE WHEN p.status = 'disputed' THEN 'disputed' ELSE \(RefundRules.paymentStatus(refunded: refunded, of: payment.credits)) END
            WHERE p.id = \(payment.paymentId) RETURNING \(unescaped: PaymentRow.columns)
            """, logger: logger)
    }

    public func reserveRefund(paymentId: UUID, credits: Int, audit: AuditEntry) async throws -> (payment: Payment, refund: Refund) {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let payment = try await Self.lockPayment(paymentId, on: connection, logger: logger)
            let amount = try RefundRules.amount(refunding: credits, of: payment)
            let refund = try await connection.fetchOne(
                RefundRow.self,
                """
                INSERT INTO refunds AS r (payment_id, credits, amount_minor) VALUES (\(paymentId), \(credits), \(amount))
                RETURNING \(unescaped: RefundRow.columns)
                """, logger: logger)
            try await connection.postOnce(
                "refund", reference: refund.refundId.uuidString,
                legs: LedgerLeg.move(credits, from: (payment.userId, .available), to: (nil, payment.provider.clearingAccount)),
                memo: paymentId.uuidString, logger: logger)
            let updated = try await Self.setRefunded(payment, payment.refundedCredits + credits, on: connection, logger: logger)
            try await connection.appendEvent(PaymentEvent(name: .refunded, payload: updated), logger: logger)
            var entry = audit
            entry.details["refund"] = refund.refundId.uuidString
            try await connection.appendAudit(entry, logger: logger)
            return (updated, refund)
        }
    }

    public func settleRefund(refundId: UUID, succeeded: Bool, providerRef: String?, audit: AuditEntry) async throws -> Refund {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard
                let found = try await connection.fetchFirst(
                    RefundRow.self, "SELECT \(unescaped: RefundRow.columns) FROM refunds r WHERE r.id = \(refundId)", logger: logger)
            else { throw CoreError.notFound }
            let payment = try await Self.lockPayment(found.paymentId, on: connection, logger: logger)
            return try await Self.settle(
                refundId: refundId, payment: payment, succeeded: succeeded, providerRef: providerRef, audit: audit, on: connection, logger: logger)
        }
    }

    public func refund(id: UUID) async throws -> Refund? {
        try await pool.read(logger: logger) { connection in
            try await connection.fetchFirst(
                RefundRow.self, "SELECT \(unescaped: RefundRow.columns) FROM refunds r WHERE r.id = \(id)", logger: logger)
        }
    }

    public func recordRefundReference(refundId: UUID, providerRef: String) async throws -> Refund {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard
                let refund = try await connection.fetchFirst(
                    RefundRow.self,
                    """
                    UPDATE refunds r SET provider_ref = coalesce(r.provider_ref, \(providerRef)) WHERE r.id = \(refundId)
                    RETURNING \(unescaped: RefundRow.columns)
                    """, logger: logger)
            else { throw CoreError.notFound }
            return refund
        }
    }

    /// Settles a refund in the caller's transaction (its payment already locked) as ``RefundRules/transition(from:succeeded:)``
    /// says. A failure gives back what the refund took (a debt paid first), once: the reversal's ledger reference is
    /// the refund's id.
    static func settle(
        refundId: UUID, payment: Payment, succeeded: Bool, providerRef: String?, audit: AuditEntry, on connection: PostgresConnection, logger: Logger
    ) async throws -> Refund {
        let refund = try await connection.fetchOne(
            RefundRow.self, "SELECT \(unescaped: RefundRow.columns) FROM refunds r WHERE r.id = \(refundId) FOR UPDATE", logger: logger)
        switch RefundRules.transition(from: refund.status, succeeded: succeeded) {
        case .settles: break
        case .alreadySettled: return refund
        case .final: throw CoreError.invalidState("the refund is \(refund.status)")
        }
        if !succeeded {
            try await connection.postOnce(
                "refund_reversal", reference: refundId.uuidString,
                legs: try await giveLegs(refund.credits, to: payment.userId, from: payment.provider.clearingAccount, on: connection, logger: logger),
                memo: payment.paymentId.uuidString, logger: logger)
            _ = try await setRefunded(payment, payment.refundedCredits - refund.credits, on: connection, logger: logger)
        }
        let settled = try await connection.fetchOne(
            RefundRow.self,
            """
            UPDATE refunds r SET status = \(succeeded ? "succeeded" : "failed"), provider_ref = coalesce(\(providerRef), r.provider_ref),
                settled_at = now()
            WHERE r.id = \(refundId) RETURNING \(unescaped: RefundRow.columns)
            """, logger: logger)
        try await connection.appendEvent("refund.\(settled.status)", aggregate: "payment", id: payment.paymentId, payload: settled, logger: logger)
        var entry = audit
        entry.target = payment.paymentId.uuidString
        entry.details["refund"] = refundId.uuidString
        try await connection.appendAudit(entry, logger: logger)
        return settled
    }
}
