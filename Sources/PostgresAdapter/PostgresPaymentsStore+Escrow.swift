public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

/// Escrow held back from the release job: no-show reports (disputed) and an admin's resolution of disputed or
/// frozen escrow. The release job (``PostgresBookingStore/releaseDueEscrows``) releases only `held`.
extension PostgresPaymentsStore {
    struct EscrowRow {
        var id: UUID, mentorId: UUID, menteeId: UUID?, start: Date, end: Date, price: Int, state: String
    }

    static func lockEscrow(_ bookingId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> EscrowRow {
        let rows = try await connection.query(
            """
            SELECT id, mentor_id, mentee_id, starts_at, ends_at, price_credits, escrow_state FROM bookings
            WHERE id = \(bookingId) AND kind IN ('one_on_one', 'group_seat') FOR UPDATE
            """,
            logger: logger)
        for try await r in rows.decode((UUID, UUID, UUID?, Date, Date, Int, String).self) {
            return EscrowRow(id: r.0, mentorId: r.1, menteeId: r.2, start: r.3, end: r.4, price: r.5, state: r.6)
        }
        throw CoreError.notFound
    }

    static func setEscrow(_ row: EscrowRow, _ state: String, on connection: PostgresConnection, logger: Logger) async throws -> BookingEscrow {
        try await connection.query("UPDATE bookings SET escrow_state = \(state), updated_at = now() WHERE id = \(row.id)", logger: logger)
        let escrow = BookingEscrow(bookingId: row.id, escrowState: state, priceCredits: row.price)
        try await connection.appendEvent("escrow.\(state)", aggregate: "booking", id: row.id, payload: escrow, logger: logger)
        return escrow
    }

    public func reportNoShow(
        bookingId: UUID, by menteeId: UUID, reason: String?, now: Instant, window: Duration, audit: AuditEntry
    ) async throws -> BookingEscrow {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            // The row lock orders this against the release job: whichever comes second sees the other's state.
            let row = try await Self.lockEscrow(bookingId, on: connection, logger: logger)
            guard row.menteeId == menteeId else { throw CoreError.forbidden("only the booking's mentee can report a no-show") }
            guard row.state == "held" || row.state == "frozen" else { throw CoreError.invalidState("the escrow is \(row.state)") }
            let deadline = row.end.addingTimeInterval(TimeInterval(window.components.seconds))
            guard row.start <= now.date else { throw CoreError.invalidState("the session has not started") }
            guard now.date <= deadline else { throw CoreError.invalidState("no-shows are reported within \(window.components.seconds / 60) minutes of the end") }
            try await connection.query(
                "UPDATE bookings SET noshow_reported_at = \(now.date), noshow_reason = \(reason) WHERE id = \(bookingId)", logger: logger)
            let escrow = try await Self.setEscrow(row, "disputed", on: connection, logger: logger)
            try await connection.appendAudit(audit, logger: logger)
            return escrow
        }
    }

    public func resolveEscrow(bookingId: UUID, decision: EscrowDecision, audit: AuditEntry) async throws -> BookingEscrow {
        let logger = self.logger, feePercent = platformFeePercent
        return try await pool.transaction(logger: logger) { connection in
            let row = try await Self.lockEscrow(bookingId, on: connection, logger: logger)
            guard row.state == "disputed" || row.state == "frozen" else { throw CoreError.invalidState("the escrow is \(row.state), not disputed or frozen") }
            guard let mentee = row.menteeId else { throw CoreError.invalidState("the booking has no mentee") }
            let kind: String, state: String, legs: [LedgerLeg]
            switch decision {
            case .refund:
                (kind, state) = ("escrow_refund", "refunded")
                legs = LedgerLeg.move(row.price, from: (mentee, .escrow), to: (mentee, .available))
            case .release:
                var canEarn = false
                for try await value in try await connection.query("SELECT mentor_can_earn(\(row.mentorId))", logger: logger).decode(Bool.self) {
                    canEarn = value
                }
                guard canEarn else { throw CoreError.invalidState("the mentor is disabled or no longer a mentor") }
                (kind, state) = ("escrow_release", "released")
                let fee = PlatformFee.credits(of: row.price, percent: feePercent)
                legs = [
                    LedgerLeg(owner: mentee, kind: .escrow, amount: -Int64(row.price)), LedgerLeg(owner: row.mentorId, kind: .earnings, amount: Int64(row.price - fee)),
                    LedgerLeg(owner: nil, kind: .revenue, amount: Int64(fee)),
                ]
            }
            if row.price > 0 {
                try await connection.postOnce(kind, reference: row.id.uuidString, legs: legs, memo: "resolved", logger: logger)
            }
            let escrow = try await Self.setEscrow(row, state, on: connection, logger: logger)
            var entry = audit
            entry.target = row.id.uuidString
            entry.details["decision"] = state
            try await connection.appendAudit(entry, logger: logger)
            return escrow
        }
    }
}
