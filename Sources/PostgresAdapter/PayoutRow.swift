import Foundation
import MentorLinkCore
import PostgresNIO

/// A `payouts` row (alias `o`) as a ``Payout``.
enum PayoutRow: TableRow {
    static let columns = "o.id, o.mentor_id, o.credits, o.status, o.transfer_ref, o.created_at"

    static func decode(_ row: PostgresRow) throws -> Payout {
        let r = try row.decode((UUID, UUID, Int, String, String?, Date).self)
        return Payout(payoutId: r.0, mentorId: r.1, credits: r.2, status: r.3, transferRef: r.4, createdAt: Instant(r.5))
    }
}
