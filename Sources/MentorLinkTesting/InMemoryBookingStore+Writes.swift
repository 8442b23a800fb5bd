public import Foundation
public import MentorLinkCore

extension InMemoryBookingStore {
    public func place(_ request: PlaceBooking, now: Instant, freeRuns: FreeRunPolicy, slot: SlotRequest) async throws -> (Booking, replayed: Bool) {
        let at = database.now().date
        return try database.transaction { tables in
            try tables.lockMentor(request.mentorId, bookable: true)
            if let key = request.idempotencyKey,
                let earlier = tables.bookings.values.first(where: { $0.booking.menteeId == request.menteeId && $0.idempotencyKey == key })
            {
                guard earlier.requestHash == request.requestHash else { throw CoreError.idempotencyMismatch }
                return (earlier.booking, true)
            }
            tables.expireHolds(request.mentorId, now: now)
            let hold = try Self.hold(for: request, now: now, in: tables)
            try slot.check(tables.check(request.mentorId, start: request.start, end: request.end, now: now, excluding: hold?.id))
            try tables.checkMenteeFree(request.menteeId, start: request.start, end: request.end, now: now, excluding: hold?.id)
            if request.status == .held {
                let holds = tables.liveHolds(request.menteeId, mentorId: request.mentorId, now: now)
                try HoldRules.checkCaps(withMentor: holds.withMentor, all: holds.all, limits: request.holdLimits)
                if request.priceCredits > 0, tables.ledger.balance(request.menteeId, .available) < request.priceCredits {
                    throw CoreError.insufficientCredits
                }
            }
            let blocked = tables.rules[request.mentorId]?.blocked(start: request.start, end: request.end) ?? (request.start, request.end)
            var row: MarketplaceTables.BookingRow
            if let hold, var held = tables.bookings[hold.id] {
                held.booking.status = .confirmed
                held.booking.holdExpiresAt = nil
                held.booking.agenda = request.agenda
                held.idempotencyKey = request.idempotencyKey
                held.requestHash = request.requestHash
                row = held
            } else {
                let booking = Booking(
                    id: UUID(), kind: .oneOnOne, mentorId: request.mentorId, menteeId: request.menteeId, groupSessionId: nil, start: request.start,
                    end: request.end, status: request.status, holdExpiresAt: request.holdExpiresAt, agenda: request.agenda, createdAt: now)
                row = MarketplaceTables.BookingRow(
                    booking: booking, blockedFrom: blocked.0, blockedUntil: blocked.1, idempotencyKey: request.idempotencyKey,
                    requestHash: request.requestHash)
            }
            try tables.write(row)
            if row.booking.status == .confirmed, request.priceCredits > 0 {
                try tables.holdEscrow(row.booking.id, price: request.priceCredits, mentee: request.menteeId, now: now)
            }
            let booking = try tables.row(row.booking.id).booking
            tables.event(booking.status == .held ? "booking.held" : "booking.created", id: booking.id)
            tables.runPolicies[request.mentorId] = freeRuns
            if booking.status == .confirmed, let audit = request.audit { tables.audit.append(audit.targeting(booking.id), at: at) }
            return (booking, false)
        }
    }

    /// The hold a confirmation consumes: the one named (``MentorLinkCore/HoldRules/namedHold(_:for:now:)``), or the
    /// mentee's own live hold on exactly this slot.
    static func hold(for request: PlaceBooking, now: Instant, in tables: MarketplaceTables) throws -> Booking? {
        guard request.status == .confirmed else { return nil }
        if let holdId = request.holdId {
            let named = tables.bookings[holdId].map(\.booking).flatMap { $0.kind == .oneOnOne ? $0 : nil }
            return try HoldRules.namedHold(named, for: request, now: now)
        }
        return tables.bookings.values.map(\.booking).first { booking in
            booking.mentorId == request.mentorId && booking.menteeId == request.menteeId && booking.status == .held
                && (booking.holdExpiresAt.map { $0 > now } ?? false) && booking.start == request.start && booking.end == request.end
        }
    }

    public func createGroup(_ session: NewGroupSession, now: Instant, freeRuns: FreeRunPolicy) async throws -> Booking {
        let at = database.now().date
        return try database.transaction { tables in
            try tables.lockMentor(session.mentorId, bookable: true)
            tables.expireHolds(session.mentorId, now: now)
            let blocked = tables.rules[session.mentorId]?.blocked(start: session.start, end: session.end) ?? (session.start, session.end)
            let booking = Booking(
                id: UUID(), kind: .group, mentorId: session.mentorId, menteeId: nil, groupSessionId: nil, start: session.start, end: session.end,
                status: .confirmed, capacity: session.capacity, seatsTaken: 0, title: session.title, topic: session.topic, createdAt: now,
                priceCredits: session.priceCredits)
            try tables.write(MarketplaceTables.BookingRow(booking: booking, blockedFrom: blocked.0, blockedUntil: blocked.1))
            tables.event("group.created", id: booking.id)
            tables.runPolicies[session.mentorId] = freeRuns
            if let audit = session.audit { tables.audit.append(audit.targeting(booking.id), at: at) }
            return booking
        }
    }

    public func join(groupSessionId: UUID, menteeId: UUID, now: Instant, audit: AuditEntry?) async throws -> GroupJoinOutcome {
        let at = database.now().date
        return try database.transaction { tables in
            guard var group = tables.bookings[groupSessionId], group.booking.kind == .group else { return .refused(group: nil) }
            guard group.booking.status == .confirmed, group.booking.start > now, (group.booking.seatsTaken ?? 0) < (group.booking.capacity ?? 0),
                group.booking.mentorId != menteeId
            else { return .refused(group: group.booking) }
            group.booking.seatsTaken = (group.booking.seatsTaken ?? 0) + 1
            try tables.write(group)
            try tables.lockMentor(group.booking.mentorId, bookable: true)
            try tables.checkMenteeFree(
                menteeId, start: group.booking.start, end: group.booking.end, now: now, excluding: nil, group: group.booking.id)
            let seat = Booking(
                id: UUID(), kind: .groupSeat, mentorId: group.booking.mentorId, menteeId: menteeId, groupSessionId: group.booking.id,
                start: group.booking.start, end: group.booking.end, status: .confirmed, createdAt: now)
            try tables.write(MarketplaceTables.BookingRow(booking: seat, blockedFrom: seat.start, blockedUntil: seat.end))
            if group.booking.priceCredits > 0 { try tables.holdEscrow(seat.id, price: group.booking.priceCredits, mentee: menteeId, now: now) }
            tables.event("booking.joined", id: seat.id)
            if let audit { tables.audit.append(audit.targeting(seat.id), at: at) }
            return .joined(try tables.row(seat.id).booking)
        }
    }

    public func cancel(
        bookingId: UUID, by actorId: UUID, reason: String?, now: Instant, audit: AuditEntry?, escrow: LateCancellationRule, fees: PlatformFeePolicy,
        freeRuns: FreeRunPolicy
    ) async throws -> Booking {
        let at = database.now().date
        return try database.transaction { tables in
            var row = try tables.row(bookingId)
            try tables.lockMentor(row.booking.mentorId, bookable: false)
            let current = row.booking
            guard current.status == .held || current.status == .confirmed, current.start > now else {
                throw CoreError.invalidState(current.start <= now ? "the session has started" : "the booking is \(current.status.rawValue)")
            }
            row.booking.status = .cancelled
            row.booking.cancelReason = reason
            row.cancelledBy = actorId
            try tables.write(row)
            switch current.kind {
            case .groupSeat:
                if let groupId = current.groupSessionId, var group = tables.bookings[groupId], let taken = group.booking.seatsTaken, taken > 0 {
                    group.booking.seatsTaken = taken - 1
                    try tables.write(group)
                }
            case .group:
                for seat in tables.bookings.values where seat.booking.groupSessionId == current.id && seat.booking.status == .confirmed {
                    var cancelled = seat
                    cancelled.booking.status = .cancelled
                    cancelled.booking.cancelReason = "group session cancelled"
                    cancelled.cancelledBy = actorId
                    try tables.write(cancelled)
                    if seat.booking.escrowState == "held" || seat.booking.escrowState == "frozen" {
                        _ = try tables.settle(seat.booking.id, .refund, fees: fees, now: now)
                    }
                }
            case .oneOnOne: break
            }
            var booking = try tables.row(bookingId).booking
            if booking.escrowState == "held" {
                booking = try tables.settle(booking.id, escrow.decision(for: booking), fees: fees, now: now)
            } else if booking.escrowState == "frozen" {
                // The mentor can no longer earn: a cancelled session is refunded whoever cancels.
                booking = try tables.settle(booking.id, .refund, fees: fees, now: now)
            }
            tables.event("booking.cancelled", id: booking.id)
            if booking.kind != .groupSeat { tables.runPolicies[booking.mentorId] = freeRuns }
            if let audit { tables.audit.append(audit.targeting(booking.id), at: at) }
            return booking
        }
    }

    public func reschedule(
        bookingId: UUID, start: Instant, now: Instant, audit: AuditEntry?, freeRuns: FreeRunPolicy, slot: SlotRequest
    ) async throws -> RescheduleOutcome {
        let at = database.now().date
        return try database.transaction { tables -> RescheduleOutcome in
            let current = try tables.row(bookingId)
            try tables.lockMentor(current.booking.mentorId, bookable: true)
            tables.expireHolds(current.booking.mentorId, now: now)
            var row = try tables.row(bookingId)
            let locked = row.booking
            guard locked.kind == .oneOnOne, locked.status == .confirmed, locked.start > now else {
                throw CoreError.invalidState("only a confirmed 1:1 booking that has not started can be rescheduled")
            }
            let end = start.adding(seconds: Int(locked.end.epochSeconds - locked.start.epochSeconds))
            var found = tables.check(locked.mentorId, start: start, end: end, now: now, excluding: locked.id)
            (found.proposedStart, found.proposedBy) = (locked.proposedStart, locked.proposedBy)
            // Nothing moves: the proposal this answers is no longer the pending one.
            guard slot.answersPendingProposal(found) else { return .proposalChanged }
            try slot.check(found)
            if let mentee = locked.menteeId { try tables.checkMenteeFree(mentee, start: start, end: end, now: now, excluding: locked.id) }
            let blocked = tables.rules[locked.mentorId]?.blocked(start: start, end: end) ?? (start, end)
            row.booking.start = start
            row.booking.end = end
            row.blockedFrom = blocked.0
            row.blockedUntil = blocked.1
            row.booking.proposedStart = nil
            row.booking.proposedBy = nil
            try tables.write(row)
            tables.event("booking.rescheduled", id: bookingId)
            tables.runPolicies[locked.mentorId] = freeRuns
            if let audit { tables.audit.append(audit.targeting(bookingId), at: at) }
            return .moved(row.booking)
        }
    }

    public func setRescheduleProposal(bookingId: UUID, start: Instant?, by proposer: UUID?, now: Instant, audit: AuditEntry?) async throws -> Booking
    {
        let at = database.now().date
        return try database.transaction { tables in
            guard var row = tables.bookings[bookingId], row.booking.kind == .oneOnOne, row.booking.status == .confirmed, row.booking.start > now
            else { throw CoreError.invalidState("only a confirmed 1:1 booking that has not started can be rescheduled") }
            row.booking.proposedStart = start
            row.booking.proposedBy = proposer
            try tables.write(row)
            tables.event(start == nil ? "booking.reschedule_withdrawn" : "booking.reschedule_proposed", id: bookingId)
            if let audit { tables.audit.append(audit.targeting(bookingId), at: at) }
            return row.booking
        }
    }
}
