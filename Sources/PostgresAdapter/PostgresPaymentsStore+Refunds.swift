public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresPaymentsStore {
    static let refundColumns = "r.id, r.payment_id, r.credits, r.amount_minor, r.status, r.provider_ref, r.created_at"

    static func refunds(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Refund] {
        var result: [Refund] = []
        for try await r in try await connection.query(query, logger: logger).decode((UUID, UUID, Int, Int64, String, String?, Date).self) {
            result.append(Refund(refundId: r.0, paymentId: r.1, credits: r.2, amount: r.3, status: r.4, providerRef: r.5, createdAt: Instant(r.6)))
        }
        return result
    }

    /// The payment's status for a refunded credit count.
    static func refundStatus(refunded: Int, of credits: Int) -> String {
        refunded == 0 ? "succeeded" : refunded >= credits ? "refunded" : "partially_refunded"
    }

    /// Locks a payment row (refunds lock their payment first, then the refund: one order, no deadlocks).
    static func lockPayment(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Payment {
        guard let payment = try await payments(
            "SELECT \(unescaped: columns) FROM payments p WHERE p.id = \(id) FOR UPDATE", on: connection, logger: logger
        ).first else { throw CoreError.notFound }
        return payment
    }

    /// Sets a payment's refunded credits (and its status by them).
    static func setRefunded(_ payment: Payment, _ refunded: Int, on connection: PostgresConnection, logger: Logger) async throws -> Payment {
        try await payments(
            """
            UPDATE payments p SET refunded_credits = \(refunded), updated_at = now(),
                status = CASE WHEN p.status = 'disputed' THEN 'disputed' ELSE \(refundStatus(refunded: refunded, of: payment.credits)) END
            WHERE p.id = \(payment.paymentId) RETURNING \(unescaped: columns)
            """,
            on: connection, logger: logger)[0]
    }

    public func reserveRefund(paymentId: UUID, credits: Int, audit: AuditEntry) async throws -> (payment: Payment, refund: Refund) {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let payment = try await Self.lockPayment(paymentId, on: connection, logger: logger)
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
            let refund = try await Self.refunds(
                """
                INSERT INTO refunds AS r (payment_id, credits, amount_minor) VALUES (\(paymentId), \(credits), \(amount))
                RETURNING \(unescaped: Self.refundColumns)
                """,
                on: connection, logger: logger)[0]
            try await connection.postOnce(
                "refund", reference: refund.refundId.uuidString,
                legs: LedgerLeg.move(credits, from: (payment.userId, .available), to: (nil, payment.provider.clearingAccount)), memo: paymentId.uuidString,
                logger: logger)
            let updated = try await Self.setRefunded(payment, payment.refundedCredits + credits, on: connection, logger: logger)
            try await connection.appendEvent("payment.refunded", aggregate: "payment", id: paymentId, payload: updated, logger: logger)
            var entry = audit
            entry.details["refund"] = refund.refundId.uuidString
            try await connection.appendAudit(entry, logger: logger)
            return (updated, refund)
        }
    }

    public func settleRefund(refundId: UUID, succeeded: Bool, providerRef: String?, audit: AuditEntry) async throws -> Refund {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard let found = try await Self.refunds(
                "SELECT \(unescaped: Self.refundColumns) FROM refunds r WHERE r.id = \(refundId)", on: connection, logger: logger
            ).first else { throw CoreError.notFound }
            let payment = try await Self.lockPayment(found.paymentId, on: connection, logger: logger)
            return try await Self.settle(refundId: refundId, payment: payment, succeeded: succeeded, providerRef: providerRef, audit: audit, on: connection, logger: logger)
        }
    }

    public func refund(id: UUID) async throws -> Refund? {
        try await pool.client.withConnection { connection in
            try await Self.refunds("SELECT \(unescaped: Self.refundColumns) FROM refunds r WHERE r.id = \(id)", on: connection, logger: logger).first
        }
    }

    public func recordRefundReference(refundId: UUID, providerRef: String) async throws -> Refund {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard let refund = try await Self.refunds(
                """
                UPDATE refunds r SET provider_ref = coalesce(r.provider_ref, \(providerRef)) WHERE r.id = \(refundId)
                RETURNING \(unescaped: Self.refundColumns)
                """,
                on: connection, logger: logger
            ).first else { throw CoreError.notFound }
            return refund
        }
    }

    /// Settles a refund in the caller's transaction (its payment already locked): pending → succeeded or failed, or
    /// succeeded → failed (a refund may fail at the provider after it succeeded). A failure gives back what the
    /// refund took (a debt paid first), once: the reversal's ledger reference is the refund's id.
    static func settle(
        refundId: UUID, payment: Payment, succeeded: Bool, providerRef: String?, audit: AuditEntry, on connection: PostgresConnection, logger: Logger
    ) async throws -> Refund {
        let refund = try await refunds(
            "SELECT \(unescaped: refundColumns) FROM refunds r WHERE r.id = \(refundId) FOR UPDATE", on: connection, logger: logger)[0]
        switch (refund.status, succeeded) {
        case ("succeeded", true), ("failed", false): return refund
        case ("pending", _), ("succeeded", false): break
        default: throw CoreError.invalidState("the refund is \(refund.status)")
        }
        if !succeeded {
            try await connection.postOnce(
                "refund_reversal", reference: refundId.uuidString,
                legs: try await giveLegs(refund.credits, to: payment.userId, from: payment.provider.clearingAccount, on: connection, logger: logger),
                memo: payment.paymentId.uuidString, logger: logger)
            _ = try await setRefunded(payment, payment.refundedCredits - refund.credits, on: connection, logger: logger)
        }
        let settled = try await refunds(
            """
            UPDATE refunds r SET status = \(succeeded ? "succeeded" : "failed"), provider_ref = coalesce(\(providerRef), r.provider_ref),
                settled_at = now()
            WHERE r.id = \(refundId) RETURNING \(unescaped: refundColumns)
            """,
            on: connection, logger: logger)[0]
        try await connection.appendEvent("refund.\(settled.status)", aggregate: "payment", id: payment.paymentId, payload: settled, logger: logger)
        var entry = audit
        entry.target = payment.paymentId.uuidString
        entry.details["refund"] = refundId.uuidString
        try await connection.appendAudit(entry, logger: logger)
        return settled
    }
}
