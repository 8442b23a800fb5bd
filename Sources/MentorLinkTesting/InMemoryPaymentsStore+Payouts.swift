public import Foundation
public import MentorLinkCore

extension InMemoryPaymentsStore {
    public func requestPayout(mentorId: UUID, credits: Int, audit: AuditEntry) async throws -> Payout {
        let now = database.now()
        return try database.transaction { tables in
            try PayoutRules.checkRequest(debt: tables.ledger.balance(mentorId, .debt))
            let payout = Payout(payoutId: UUID(), mentorId: mentorId, credits: credits, status: "requested", transferRef: nil, createdAt: now)
            tables.payouts[payout.payoutId] = payout
            try tables.ledger.post(
                "payout_request", reference: payout.payoutId.uuidString,
                legs: [
                    LedgerLeg(owner: mentorId, kind: .earnings, amount: -Int64(credits)),
                    LedgerLeg(owner: nil, kind: .payouts, amount: Int64(credits)),
                ], at: now)
            tables.event("payout.requested", aggregate: "payout", id: payout.payoutId)
            tables.audit.append(audit.targeting(payout.payoutId), at: now.date)
            return payout
        }
    }

    public func payouts(mentorId: UUID?, limit: Int) async throws -> [Payout] {
        try database.read { tables in
            let selected = tables.payouts.values.filter { payout in mentorId.map { payout.mentorId == $0 } ?? true }
            let sorted = selected.sorted { ($1.createdAt, $0.payoutId.uuidString) < ($0.createdAt, $1.payoutId.uuidString) }
            return Array(sorted.prefix(max(0, limit)))
        }
    }

    public func payout(id: UUID) async throws -> Payout? { try database.read { $0.payouts[id] } }

    public func claimPayout(id: UUID, by adminId: UUID, audit: AuditEntry) async throws -> Payout {
        let now = database.now()
        return try database.transaction { tables in
            guard var payout = tables.payouts[id] else { throw CoreError.notFound }
            try PayoutRules.checkClaim(payout)
            payout.status = "processing"
            tables.payouts[id] = payout
            tables.audit.append(audit.targeting(id), at: now.date)
            return payout
        }
    }

    public func finishPayout(id: UUID, transferRef: String?, by adminId: UUID, audit: AuditEntry) async throws -> Payout {
        let now = database.now()
        return try database.transaction { tables in
            guard var payout = tables.payouts[id] else { throw CoreError.notFound }
            try PayoutRules.checkFinish(payout)
            let paid = transferRef != nil
            let credits = Int64(payout.credits)
            try tables.ledger.post(
                paid ? "payout_paid" : "payout_failed", reference: id.uuidString,
                legs: [
                    LedgerLeg(owner: nil, kind: .payouts, amount: -credits),
                    paid
                        ? LedgerLeg(owner: nil, kind: .stripeClearing, amount: credits)
                        : LedgerLeg(owner: payout.mentorId, kind: .earnings, amount: credits),
                ], at: now)
            payout.status = paid ? "paid" : "failed"
            payout.transferRef = transferRef
            tables.payouts[id] = payout
            tables.event("payout.\(payout.status)", aggregate: "payout", id: id)
            tables.audit.append(audit.targeting(id), at: now.date)
            return payout
        }
    }

    public func reportNoShow(
        bookingId: UUID, by menteeId: UUID, reason: String?, now: Instant, window: Duration, audit: AuditEntry
    ) async throws -> BookingEscrow {
        let at = database.now().date
        return try database.transaction { tables in
            var row = try tables.escrowRow(bookingId)
            try EscrowDisputeRules.checkNoShowReport(row.booking, by: menteeId, now: now, window: window)
            row.noShowReason = reason
            tables.bookings[bookingId] = row
            let escrow = tables.setEscrow(bookingId, "disputed")
            tables.audit.append(audit, at: at)
            return escrow
        }
    }

    public func resolveEscrow(bookingId: UUID, decision: EscrowDecision, fees: PlatformFeePolicy, audit: AuditEntry) async throws -> BookingEscrow {
        let now = database.now()
        return try database.transaction { tables in
            let booking = try tables.escrowRow(bookingId).booking
            let canEarn = decision != .release || tables.users[booking.mentorId]?.canEarn == true
            let mentee = try EscrowDisputeRules.checkResolution(booking, decision: decision, mentorCanEarn: canEarn)
            let settlement = MarketplaceTables.settlement(decision, price: booking.priceCredits, mentee: mentee, mentor: booking.mentorId, fees: fees)
            if booking.priceCredits > 0 {
                try tables.ledger.postOnce(settlement.kind, reference: bookingId.uuidString, legs: settlement.legs, memo: "resolved", at: now)
            }
            let escrow = tables.setEscrow(bookingId, settlement.state)
            var entry = audit
            entry.target = bookingId.uuidString
            entry.details["decision"] = settlement.state
            tables.audit.append(entry, at: now.date)
            return escrow
        }
    }
}

extension MarketplaceTables {
    /// A 1:1 booking or seat (the rows that hold escrow); `notFound` for anything else.
    func escrowRow(_ id: UUID) throws -> BookingRow {
        guard let row = bookings[id], row.booking.kind == .oneOnOne || row.booking.kind == .groupSeat else { throw CoreError.notFound }
        return row
    }

    /// Sets a booking's escrow state, with its outbox event.
    mutating func setEscrow(_ id: UUID, _ state: String) -> BookingEscrow {
        bookings[id]?.booking.escrowState = state
        event("escrow.\(state)", id: id)
        return BookingEscrow(bookingId: id, escrowState: state, priceCredits: bookings[id]?.booking.priceCredits ?? 0)
    }
}
