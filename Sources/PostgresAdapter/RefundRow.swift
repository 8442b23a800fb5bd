import Foundation
import MentorLinkCore
import PostgresNIO

/// A `refunds` row (alias `r`) as a ``Refund``.
enum RefundRow: TableRow {
    static let columns = "r.id, r.payment_id, r.credits, r.amount_minor, r.status, r.provider_ref, r.created_at"

    static func decode(_ row: PostgresRow) throws -> Refund {
        let r = try row.decode((UUID, UUID, Int, Int64, String, String?, Date).self)
        return Refund(refundId: r.0, paymentId: r.1, credits: r.2, amount: r.3, status: r.4, providerRef: r.5, createdAt: Instant(r.6))
    }
}
