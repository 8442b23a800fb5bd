public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

/// Escrow held back from the release job: no-show reports (disputed) and an admin's resolution of disputed or
/// frozen escrow. The release job (``PostgresBookingStore/releaseDueEscrows``) releases only `held`.
extension PostgresPaymentsStore {
    /// Locks a 1:1 booking or seat (the rows that hold escrow); `notFound` for anything else.
    static func lockEscrow(_ bookingId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Booking {
        guard let booking = try await connection.fetchFirst(
            BookingRow.self,
            "SELECT \(unescaped: BookingRow.columns) FROM bookings b WHERE b.id = \(bookingId) AND b.kind IN ('one_on_one', 'group_seat') FOR UPDATE",
            logger: logger)
        else { throw CoreError.notFound }
        return booking
    }

    static func setEscrow(_ booking: Booking, _ state: String, on connection: PostgresConnection, logger: Logger) async throws -> BookingEscrow {
        try await connection.query("UPDATE bookings SET escrow_state = \(state), updated_at = now() WHERE id = \(booking.id)", logger: logger)
        let escrow = BookingEscrow(bookingId: booking.id, escrowState: state, priceCredits: booking.priceCredits)
        try await connection.appendEvent("escrow.\(state)", aggregate: "booking", id: booking.id, payload: escrow, logger: logger)
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
            guard row.escrowState == "held" || row.escrowState == "frozen" else { throw CoreError.invalidState("the escrow is \(row.escrowState)") }
            let deadline = row.end.date.addingTimeInterval(TimeInterval(window.components.seconds))
            guard row.start <= now else { throw CoreError.invalidState("the session has not started") }
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
            guard row.escrowState == "disputed" || row.escrowState == "frozen" else {
                throw CoreError.invalidState("the escrow is \(row.escrowState), not disputed or frozen")
            }
            guard let mentee = row.menteeId else { throw CoreError.invalidState("the booking has no mentee") }
            let kind: String, state: String, legs: [LedgerLeg]
            switch decision {
            case .refund:
                (kind, state) = ("escrow_refund", "refunded")
                legs = LedgerLeg.move(row.priceCredits, from: (mentee, .escrow), to: (mentee, .available))
            case .release:
                var canEarn = false
                for try await value in try await connection.query("SELECT mentor_can_earn(\(row.mentorId))", logger: logger).decode(Bool.self) {
                    canEarn = value
                }
                guard canEarn else { throw CoreError.invalidState("the mentor is disabled or no longer a mentor") }
                (kind, state) = ("escrow_release", "released")
                let fee = PlatformFee.credits(of: row.priceCredits, percent: feePercent)
                legs = [
                    LedgerLeg(owner: mentee, kind: .escrow, amount: -Int64(row.priceCredits)), LedgerLeg(owner: row.mentorId, kind: .earnings, amount: Int64(row.priceCredits - fee)),
                    LedgerLeg(owner: nil, kind: .revenue, amount: Int64(fee)),
                ]
            }
            if row.priceCredits > 0 {
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
