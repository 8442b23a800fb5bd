public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

/// Escrow held back from the release job: no-show reports (disputed) and an admin's resolution of disputed or
/// frozen escrow. The release job (``PostgresBookingStore/releaseDueEscrows``) releases only `held`.
extension PostgresPaymentsStore {
    /// Locks a 1:1 booking or seat (the rows that hold escrow); `notFound` for anything else.
    static func lockEscrow(_ bookingId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Booking {
        guard
            let booking = try await connection.fetchFirst(
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
            let booking = try await Self.lockEscrow(bookingId, on: connection, logger: logger)
            try EscrowDisputeRules.checkNoShowReport(booking, by: menteeId, now: now, window: window)
            try await connection.query(
                "UPDATE bookings SET noshow_reported_at = \(now.date), noshow_reason = \(reason) WHERE id = \(bookingId)", logger: logger)
            let escrow = try await Self.setEscrow(booking, "disputed", on: connection, logger: logger)
            try await connection.appendAudit(audit, logger: logger)
            return escrow
        }
    }

    public func resolveEscrow(bookingId: UUID, decision: EscrowDecision, fees: PlatformFeePolicy, audit: AuditEntry) async throws -> BookingEscrow {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            let booking = try await Self.lockEscrow(bookingId, on: connection, logger: logger)
            var canEarn = true
            if decision == .release {
                for try await value in try await connection.query("SELECT mentor_can_earn(\(booking.mentorId))", logger: logger).decode(Bool.self) {
                    canEarn = value
                }
            }
            let mentee = try EscrowDisputeRules.checkResolution(booking, decision: decision, mentorCanEarn: canEarn)
            let settlement = decision.settlement(of: booking.priceCredits, mentee: mentee, mentor: booking.mentorId, fees: fees)
            if booking.priceCredits > 0 {
                try await connection.postOnce(
                    settlement.kind, reference: booking.id.uuidString, legs: settlement.legs, memo: "resolved", logger: logger)
            }
            let escrow = try await Self.setEscrow(booking, settlement.state, on: connection, logger: logger)
            var entry = audit
            entry.target = booking.id.uuidString
            entry.details["decision"] = settlement.state
            try await connection.appendAudit(entry, logger: logger)
            return escrow
        }
    }
}
