public import Foundation
public import MentorLinkCore

extension InMemoryPaymentsStore {
    public func reserveRefund(paymentId: UUID, credits: Int, audit: AuditEntry) async throws -> (payment: Payment, refund: Refund) {
        let now = database.now()
        return try database.transaction { tables in
            guard let payment = tables.payments[paymentId] else { throw CoreError.notFound }
            let amount = try RefundRules.amount(refunding: credits, of: payment)
            let refund = Refund(
                refundId: UUID(), paymentId: paymentId, credits: credits, amount: amount, status: "pending", providerRef: nil, createdAt: now)
            tables.refunds[refund.refundId] = refund
            try tables.ledger.postOnce(
                "refund", reference: refund.refundId.uuidString,
                legs: [
                    LedgerLeg(owner: payment.userId, kind: .available, amount: -Int64(credits)),
                    LedgerLeg(owner: nil, kind: payment.provider.clearingAccount, amount: Int64(credits)),
                ], memo: paymentId.uuidString, at: now)
            let updated = tables.setRefunded(payment, payment.refundedCredits + credits)
            tables.event("payment.refunded", aggregate: "payment", id: paymentId)
            var entry = audit
            entry.details["refund"] = refund.refundId.uuidString
            tables.audit.append(entry, at: now.date)
            return (updated, refund)
        }
    }

    public func settleRefund(refundId: UUID, succeeded: Bool, providerRef: String?, audit: AuditEntry) async throws -> Refund {
        let now = database.now()
        return try database.transaction { tables in
            guard var refund = tables.refunds[refundId], let payment = tables.payments[refund.paymentId] else { throw CoreError.notFound }
            switch RefundRules.transition(from: refund.status, succeeded: succeeded) {
            case .settles: break
            case .alreadySettled: return refund
            case .final: throw CoreError.invalidState("the refund is \(refund.status)")
            }
            if !succeeded {
                try tables.ledger.postOnce(
                    "refund_reversal", reference: refundId.uuidString,
                    legs: tables.giveLegs(refund.credits, to: payment.userId, from: payment.provider.clearingAccount),
                    memo: payment.paymentId.uuidString, at: now)
                _ = tables.setRefunded(payment, payment.refundedCredits - refund.credits)
            }
            refund.status = succeeded ? "succeeded" : "failed"
            refund.providerRef = providerRef ?? refund.providerRef
            tables.refunds[refundId] = refund
            tables.event("refund.\(refund.status)", aggregate: "payment", id: payment.paymentId)
            var entry = audit
            entry.target = payment.paymentId.uuidString
            entry.details["refund"] = refundId.uuidString
            tables.audit.append(entry, at: now.date)
            return refund
        }
    }

    public func refund(id: UUID) async throws -> Refund? { try database.read { $0.refunds[id] } }

    public func recordRefundReference(refundId: UUID, providerRef: String) async throws -> Refund {
        try database.transaction { tables in
            guard var refund = tables.refunds[refundId] else { throw CoreError.notFound }
            refund.providerRef = refund.providerRef ?? providerRef
            tables.refunds[refundId] = refund
            return refund
        }
    }
}

extension MarketplaceTables {
    /// Sets a payment's refunded credits and its status by them (a disputed payment stays disputed).
    mutating func setRefunded(_ payment: Payment, _ refunded: Int) -> Payment {
        var updated = payment
        updated.refundedCredits = refunded
        if payment.status != "disputed" { updated.status = RefundRules.paymentStatus(refunded: refunded, of: payment.credits) }
        payments[payment.paymentId] = updated
        return updated
    }
}
