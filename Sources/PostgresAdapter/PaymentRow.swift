import Foundation
import MentorLinkCore
import PostgresNIO

/// A `payments` row (alias `p`) as a ``Payment``.
enum PaymentRow: TableRow {
    static let columns = """
        p.id, p.user_id, p.provider, p.credits, p.amount_minor, p.currency, p.status, p.provider_ref, p.provider_charge_ref,
        p.client_secret, p.upi_link, p.refunded_credits, p.created_at
        """

    static func decode(_ row: PostgresRow) throws -> Payment {
        let r = try row.decode((UUID, UUID, String, Int, Int64, String, String, String?, String?, String?, String?, Int, Date).self)
        return Payment(
            paymentId: r.0, userId: r.1, provider: PaymentProviderName(rawValue: r.2) ?? .stripe, credits: r.3, amount: r.4, currency: r.5,
            status: r.6, providerRef: r.7, providerChargeRef: r.8, clientSecret: r.9, upiLink: r.10, refundedCredits: r.11, createdAt: Instant(r.12))
    }
}
