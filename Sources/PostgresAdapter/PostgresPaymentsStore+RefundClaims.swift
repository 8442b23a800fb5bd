import Foundation
import Logging
import MentorLinkCore
import PostgresNIO

/// Refunds made on the provider's side, claimed once by the provider's refund id (`provider_refund_claims`). The
/// provider reports one refund as its charge's refunded total (`charge.refunded`, no refund id) and as the refund
/// itself (`refund.created`, `refund.updated`), in any order; the ledger takes each refund once:
///
/// - a total adds (as a refund row without a provider_ref) only what exceeds every refund row of the payment;
/// - a refund named by its id is claimed once; what totals took that no claim accounts for yet covers it first, and
///   only the rest is taken (a refund row with the provider's id).
///
/// So the payment's refunded amount is always the largest of the totals seen and the refunds claimed, whatever the
/// order of delivery.
extension PostgresPaymentsStore {
    /// A claimed provider refund, locked.
    struct RefundClaim {
        var amount: Int64
        var covered: Int64
        var status: String
    }

    static func refundClaim(
        _ provider: PaymentProviderName, _ id: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> RefundClaim? {
        let rows = try await connection.query(
            """
            SELECT amount_minor, covered_minor, status FROM provider_refund_claims
            WHERE provider = \(provider.rawValue) AND refund_ref = \(id) FOR UPDATE
            """, logger: logger)
        for try await (amount, covered, status) in rows.decode((Int64, Int64, String).self) {
            return RefundClaim(amount: amount, covered: covered, status: status)
        }
        return nil
    }

    /// Minor units that totals took (refund rows without a provider id) and no claimed refund accounts for yet.
    static func unclaimedTotal(_ paymentId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query(
            """
            SELECT ((SELECT coalesce(sum(amount_minor), 0) FROM refunds
                     WHERE payment_id = \(paymentId) AND origin = 'provider' AND provider_ref IS NULL AND status <> 'failed')
                  - (SELECT coalesce(sum(covered_minor), 0) FROM provider_refund_claims WHERE payment_id = \(paymentId)))::int8
            """, logger: logger)
        for try await unclaimed in rows.decode(Int64.self) { return max(unclaimed, 0) }
        return 0
    }

    /// A claimed provider refund that failed after it succeeded, part of which was taken with a charge's refunded
    /// total: which credits that part took is not known, so nothing is given back automatically; the claim is marked
    /// failed and the failure audited for an admin (who can give credits back with `admin.adjustCredits`).
    static func reviewFailedClaim(
        _ payment: Payment, id: String, audit: AuditEntry, on connection: PostgresConnection, logger: Logger
    ) async throws -> EventOutcome {
        try await connection.query(
            "UPDATE provider_refund_claims SET status = 'failed' WHERE provider = \(payment.provider.rawValue) AND refund_ref = \(id)", logger: logger
        )
        var entry = audit
        entry.action = "payment.provider_refund_failed"
        entry.outcome = "needs_review"
        entry.details["refund"] = id
        try await connection.appendAudit(entry, logger: logger)
        return .ignored("a provider refund that failed after it was taken with a charge total: left for review")
    }

    /// A refund the provider reports by its id that is not one of ours (its payment locked), decided as
    /// ``ProviderRefundClaim`` says: claimed once; a failed one moves nothing; a succeeded one takes what the totals
    /// have not taken already.
    static func claimProviderRefund(
        _ payment: Payment, id: String, amount: Int64, succeeded: Bool, audit: AuditEntry, on connection: PostgresConnection, logger: Logger
    ) async throws -> EventOutcome {
        let decision: ProviderRefundClaim
        if let claim = try await refundClaim(payment.provider, id, on: connection, logger: logger) {
            decision = .again(claimStatus: claim.status, succeeded: succeeded)
        } else {
            let unclaimed = succeeded ? try await unclaimedTotal(payment.paymentId, on: connection, logger: logger) : 0
            decision = .first(amount: amount, succeeded: succeeded, unclaimedTotal: unclaimed)
        }
        switch decision {
        case .duplicate: return .duplicate("refund already claimed")
        case .reviewFailure:
            // All of it was taken with a charge's refunded total (its own refund row, when it has one, is settled by the caller).
            return try await reviewFailedClaim(payment, id: id, audit: audit, on: connection, logger: logger)
        case .claimFailed:
            try await insertClaim(payment, id: id, amount: amount, covered: 0, status: "failed", on: connection, logger: logger)
            return .ignored("a failed refund we did not ask for")
        case .claimSucceeded(let covered, let take):
            try await insertClaim(payment, id: id, amount: amount, covered: covered, status: "succeeded", on: connection, logger: logger)
            guard take > 0 else {
                var entry = audit
                entry.action = "payment.provider_refund_claimed"
                entry.details["covered"] = "\(covered)"
                try await connection.appendAudit(entry, logger: logger)
                return .duplicate("refund already taken with the charge's refunded total")
            }
            let outcome = try await providerRefund(payment, amount: take, providerRef: id, audit: audit, on: connection, logger: logger)
            try await connection.query(
                """
                UPDATE provider_refund_claims c SET refund_id = r.id FROM refunds r
                WHERE r.provider_ref = \(id) AND c.provider = \(payment.provider.rawValue) AND c.refund_ref = \(id)
                """, logger: logger)
            return outcome
        }
    }

    static func insertClaim(
        _ payment: Payment, id: String, amount: Int64, covered: Int64, status: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO provider_refund_claims (provider, refund_ref, payment_id, amount_minor, covered_minor, status)
            VALUES (\(payment.provider.rawValue), \(id), \(payment.paymentId), \(amount), \(covered), \(status))
            """, logger: logger)
    }
}
