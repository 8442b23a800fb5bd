public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresBookingStore {
    public func place(_ request: PlaceBooking, now: Instant, freeRuns: FreeRunPolicy, slot: SlotRequest) async throws -> (Booking, replayed: Bool) {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            try await Self.lockMentor(request.mentorId, bookable: true, on: connection, logger: logger)
            if let key = request.idempotencyKey {
                let rows = try await connection.query(
                    "SELECT b.id, b.request_hash FROM bookings b WHERE b.mentee_id = \(request.menteeId) AND b.idempotency_key = \(key)",
                    logger: logger)
                for try await (id, hash) in rows.decode((UUID, String?).self) {
                    guard hash == request.requestHash else { throw CoreError.idempotencyMismatch }
                    let booking = try await connection.fetchOne(
                        BookingRow.self, "SELECT \(unescaped: BookingRow.columns) FROM bookings b WHERE b.id = \(id)", logger: logger)
                    return (booking, true)
                }
            }
            try await Self.expireHolds(request.mentorId, now: now, on: connection, logger: logger)
            let hold = try await Self.hold(for: request, now: now, on: connection, logger: logger)
            let checked = try await Self.check(
                request.mentorId, start: request.start, end: request.end, now: now, excluding: hold?.id, on: connection, logger: logger)
            try slot.check(checked)
            try await Self.checkMenteeFree(
                request.menteeId, start: request.start, end: request.end, now: now, excluding: hold?.id, on: connection, logger: logger)
            if request.status == .held {
                try await Self.checkHoldCaps(
                    request.menteeId, mentorId: request.mentorId, now: now, limits: request.holdLimits, on: connection, logger: logger)
                if request.priceCredits > 0, try await Self.availableCredits(request.menteeId, on: connection, logger: logger) < request.priceCredits
                {
                    throw CoreError.insufficientCredits
                }
            }
            // The rules were read under the mentor's lock by the check: they are the same for the rest of the transaction.
            let rules = checked.rules
            let blocked = rules?.blocked(start: request.start, end: request.end) ?? (from: request.start, until: request.end)
            let agenda = try request.agenda.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            let placed: Booking
            if let hold {
                placed = try await connection.fetchOne(
                    BookingRow.self,
                    """
                    UPDATE bookings b SET status = 'confirmed', hold_expires_at = NULL, idempotency_key = \(request.idempotencyKey),
                        request_hash = \(request.requestHash), agenda = \(agenda)::jsonb, updated_at = now()
                    WHERE b.id = \(hold.id) RETURNING \(unescaped: BookingRow.columns)
                    """, logger: logger)
            } else {
                placed = try await connection.fetchOne(
                    BookingRow.self,
                    """
                    INSERT INTO bookings AS b (kind, mentor_id, mentee_id, starts_at, ends_at, blocked_from, blocked_until, status,
                        hold_expires_at, idempotency_key, request_hash, agenda)
                    VALUES ('one_on_one', \(request.mentorId), \(request.menteeId), \(request.start.date), \(request.end.date),
                        \(blocked.from.date), \(blocked.until.date), \(request.status.rawValue), \(request.holdExpiresAt?.date),
                        \(request.idempotencyKey), \(request.requestHash), \(agenda)::jsonb)
                    RETURNING \(unescaped: BookingRow.columns)
                    """, logger: logger)
            }
            var booking = placed
            if booking.status == .confirmed, request.priceCredits > 0 {
                booking = try await Self.holdEscrow(booking, price: request.priceCredits, mentee: request.menteeId, on: connection, logger: logger)
            }
            try await connection.appendEvent(BookingEvent(name: booking.status == .held ? .held : .created, payload: booking), logger: logger)
            if booking.status == .confirmed {
                try await Self.refreshRuns(
                    request.mentorId, rules: rules, now: now, around: (booking.start, booking.end), policy: freeRuns, on: connection, logger: logger)
                if let audit = request.audit { try await connection.appendAudit(audit.targeting(booking.id), logger: logger) }
            }
            return (booking, false)
        }
    }

    /// Marks the mentor's lapsed holds expired, so the exclusion constraints stop counting them.
    static func expireHolds(_ mentorId: UUID, now: Instant, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "UPDATE bookings SET status = 'expired', updated_at = now() WHERE mentor_id = \(mentorId) AND status = 'held' AND hold_expires_at <= \(now.date)",
            logger: logger)
    }

    /// The hold a confirmation consumes: the one named, or the mentee's own live hold on exactly this slot.
    static func hold(for request: PlaceBooking, now: Instant, on connection: PostgresConnection, logger: Logger) async throws -> Booking? {
        guard request.status == .confirmed else { return nil }
        if let holdId = request.holdId {
            let hold = try await connection.fetchFirst(
                BookingRow.self,
                "SELECT \(unescaped: BookingRow.columns) FROM bookings b WHERE b.id = \(holdId) AND b.kind = 'one_on_one' FOR UPDATE", logger: logger)
            return try HoldRules.namedHold(hold, for: request, now: now)
        }
        return try await connection.fetchFirst(
            BookingRow.self,
            """
            SELECT \(unescaped: BookingRow.columns) FROM bookings b
            WHERE b.mentor_id = \(request.mentorId) AND b.mentee_id = \(request.menteeId) AND b.status = 'held'
              AND b.hold_expires_at > \(now.date) AND b.starts_at = \(request.start.date) AND b.ends_at = \(request.end.date)
            FOR UPDATE
            """, logger: logger)
    }

    public func createGroup(_ session: NewGroupSession, now: Instant, freeRuns: FreeRunPolicy) async throws -> Booking {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            try await Self.lockMentor(session.mentorId, bookable: true, on: connection, logger: logger)
            try await Self.expireHolds(session.mentorId, now: now, on: connection, logger: logger)
            let rules = try await Self.rules(session.mentorId, on: connection, logger: logger)
            let blocked = rules?.blocked(start: session.start, end: session.end) ?? (from: session.start, until: session.end)
            let booking = try await connection.fetchOne(
                BookingRow.self,
                """
                INSERT INTO bookings AS b (kind, mentor_id, starts_at, ends_at, blocked_from, blocked_until, status, capacity, title, topic,
                    price_credits)
                VALUES ('group', \(session.mentorId), \(session.start.date), \(session.end.date), \(blocked.from.date), \(blocked.until.date),
                    'confirmed', \(session.capacity), \(session.title), \(session.topic), \(session.priceCredits))
                RETURNING \(unescaped: BookingRow.columns)
                """, logger: logger)
            try await connection.appendEvent(BookingEvent(name: .groupCreated, payload: booking), logger: logger)
            try await Self.refreshRuns(
                session.mentorId, now: now, around: (booking.start, booking.end), policy: freeRuns, on: connection, logger: logger)
            if let audit = session.audit { try await connection.appendAudit(audit.targeting(booking.id), logger: logger) }
            return booking
        }
    }

    public func join(groupSessionId: UUID, menteeId: UUID, now: Instant, audit: AuditEntry?) async throws -> GroupJoinOutcome {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            // The seat is counted on the group row under its row lock: concurrent joins queue here, and each re-checks
            // `seats_taken < capacity` against the committed count (the CHECK constraint backs it up).
            let taken = try await connection.fetchFirst(
                BookingRow.self,
                """
                UPDATE bookings b SET seats_taken = seats_taken + 1, updated_at = now()
                WHERE b.id = \(groupSessionId) AND b.kind = 'group' AND b.status = 'confirmed' AND b.starts_at > \(now.date)
                  AND b.seats_taken < b.capacity AND b.mentor_id <> \(menteeId)
                RETURNING \(unescaped: BookingRow.columns)
                """, logger: logger)
            guard let group = taken else {
                // No seat counted: the session as it is says why (the booking service answers).
                return .refused(
                    group: try await connection.fetchFirst(
                        BookingRow.self,
                        "SELECT \(unescaped: BookingRow.columns) FROM bookings b WHERE b.id = \(groupSessionId) AND b.kind = 'group'", logger: logger)
                )
            }
            // Not the mentor's row lock here: the group row is already locked, and `cancel` takes them the other way round.
            try await Self.lockMentor(group.mentorId, bookable: true, locking: false, on: connection, logger: logger)
            // A second seat in the same group is `already_joined` (the unique index), not a clash.
            try await Self.checkMenteeFree(
                menteeId, start: group.start, end: group.end, now: now, excluding: nil, on: connection, logger: logger, group: group.id)
            var seat = try await connection.fetchOne(
                BookingRow.self,
                """
                INSERT INTO bookings AS b (kind, mentor_id, mentee_id, parent_id, starts_at, ends_at, blocked_from, blocked_until, status)
                VALUES ('group_seat', \(group.mentorId), \(menteeId), \(group.id), \(group.start.date), \(group.end.date),
                    \(group.start.date), \(group.end.date), 'confirmed')
                RETURNING \(unescaped: BookingRow.columns)
                """, logger: logger)
            if group.priceCredits > 0 {
                seat = try await Self.holdEscrow(seat, price: group.priceCredits, mentee: menteeId, on: connection, logger: logger)
            }
            try await connection.appendEvent(BookingEvent(name: .joined, payload: seat), logger: logger)
            if let audit { try await connection.appendAudit(audit.targeting(seat.id), logger: logger) }
            return .joined(seat)
        }
    }

    public func cancel(
        bookingId: UUID, by actorId: UUID, reason: String?, now: Instant, audit: AuditEntry?, escrow: LateCancellationRule, fees: PlatformFeePolicy,
        freeRuns: FreeRunPolicy
    ) async throws -> Booking {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            // Lock order: the mentor first, then the booking row, as in `place`.
            guard
                let current = try await connection.fetchFirst(
                    BookingRow.self, "SELECT \(unescaped: BookingRow.columns) FROM bookings b WHERE b.id = \(bookingId)", logger: logger)
            else { throw CoreError.notFound }
            try await Self.lockMentor(current.mentorId, on: connection, logger: logger)
            guard
                var booking = try await connection.fetchFirst(
                    BookingRow.self,
                    """
                    UPDATE bookings b SET status = 'cancelled', cancel_reason = \(reason), cancelled_by = \(actorId), cancelled_at = now(),
                        updated_at = now()
                    WHERE b.id = \(bookingId) AND b.status IN ('held', 'confirmed') AND b.starts_at > \(now.date)
                    RETURNING \(unescaped: BookingRow.columns)
                    """, logger: logger)
            else { throw CoreError.invalidState(current.start <= now ? "the session has started" : "the booking is \(current.status.rawValue)") }
            switch booking.kind {
            case .groupSeat:
                try await connection.query(
                    "UPDATE bookings SET seats_taken = seats_taken - 1, updated_at = now() WHERE id = \(booking.groupSessionId) AND seats_taken > 0",
                    logger: logger)
            case .group:
                let seats = try await connection.fetch(
                    BookingRow.self,
                    """
                    UPDATE bookings b SET status = 'cancelled', cancel_reason = 'group session cancelled', cancelled_by = \(actorId),
                        cancelled_at = now(), updated_at = now()
                    WHERE b.parent_id = \(booking.id) AND b.status = 'confirmed'
                    RETURNING \(unescaped: BookingRow.columns)
                    """, logger: logger)
                for seat in seats where seat.escrowState == "held" || seat.escrowState == "frozen" {
                    _ = try await Self.settle(seat, .refund, fees: fees, on: connection, logger: logger)
                }
            case .oneOnOne: break
            }
            if booking.escrowState == "held" {
                booking = try await Self.settle(booking, escrow.decision(for: booking), fees: fees, on: connection, logger: logger)
            } else if booking.escrowState == "frozen" {
                // The mentor can no longer earn (disabled or demoted): a cancelled session is refunded whoever cancels.
                booking = try await Self.settle(booking, .refund, fees: fees, on: connection, logger: logger)
            }
            try await connection.appendEvent(BookingEvent(name: .cancelled, payload: booking), logger: logger)
            if booking.kind != .groupSeat {
                try await Self.refreshRuns(
                    booking.mentorId, now: now, around: (booking.start, booking.end), policy: freeRuns, on: connection, logger: logger)
            }
            if let audit { try await connection.appendAudit(audit.targeting(booking.id), logger: logger) }
            return booking
        }
    }

    public func reschedule(
        bookingId: UUID, start: Instant, now: Instant, audit: AuditEntry?, freeRuns: FreeRunPolicy, slot: SlotRequest
    ) async throws -> RescheduleOutcome {
        let logger = self.logger
        do {
            return .moved(try await move(bookingId, to: start, now: now, audit: audit, freeRuns: freeRuns, slot: slot, logger: logger))
        } catch is ProposalChanged { return .proposalChanged }
    }

    /// Thrown inside ``move(_:to:now:audit:freeRuns:slot:logger:)`` to roll it back when the proposal changed.
    private struct ProposalChanged: Error {}

    private func move(
        _ bookingId: UUID, to start: Instant, now: Instant, audit: AuditEntry?, freeRuns: FreeRunPolicy, slot: SlotRequest, logger: Logger
    ) async throws -> Booking {
        try await pool.transaction(logger: logger) { connection in
            guard
                let current = try await connection.fetchFirst(
                    BookingRow.self, "SELECT \(unescaped: BookingRow.columns) FROM bookings b WHERE b.id = \(bookingId)", logger: logger)
            else { throw CoreError.notFound }
            try await Self.lockMentor(current.mentorId, bookable: true, on: connection, logger: logger)
            try await Self.expireHolds(current.mentorId, now: now, on: connection, logger: logger)
            guard
                let locked = try await connection.fetchFirst(
                    BookingRow.self, "SELECT \(unescaped: BookingRow.columns) FROM bookings b WHERE b.id = \(bookingId) FOR UPDATE", logger: logger),
                locked.kind == .oneOnOne, locked.status == .confirmed, locked.start > now
            else { throw CoreError.invalidState("only a confirmed 1:1 booking that has not started can be rescheduled") }
            let end = start.adding(seconds: Int(locked.end.epochSeconds - locked.start.epochSeconds))
            var found = try await Self.check(locked.mentorId, start: start, end: end, now: now, excluding: locked.id, on: connection, logger: logger)
            // The proposal as it is under the lock: an accept checks it is still the one it answers.
            (found.proposedStart, found.proposedBy) = (locked.proposedStart, locked.proposedBy)
            guard slot.answersPendingProposal(found) else { throw ProposalChanged() }
            try slot.check(found)
            if let mentee = locked.menteeId {
                try await Self.checkMenteeFree(mentee, start: start, end: end, now: now, excluding: locked.id, on: connection, logger: logger)
            }
            let rules = try await Self.rules(locked.mentorId, on: connection, logger: logger)
            let blocked = rules?.blocked(start: start, end: end) ?? (from: start, until: end)
            // One statement moves the row: the exclusion constraints see the new range and no longer the old one.
            let booking = try await connection.fetchOne(
                BookingRow.self,
                """
                UPDATE bookings b SET starts_at = \(start.date), ends_at = \(end.date), blocked_from = \(blocked.from.date),
                    blocked_until = \(blocked.until.date), proposed_start = NULL, proposed_by = NULL, updated_at = now()
                WHERE b.id = \(bookingId) RETURNING \(unescaped: BookingRow.columns)
                """, logger: logger)
            try await connection.appendEvent(
                BookingRescheduled(payload: .init(booking: booking, previousStart: locked.start)), logger: logger)
            try await Self.refreshRuns(
                booking.mentorId, now: now, around: (locked.start, locked.end), policy: freeRuns, on: connection, logger: logger)
            try await Self.refreshRuns(
                booking.mentorId, now: now, around: (booking.start, booking.end), policy: freeRuns, on: connection, logger: logger)
            if let audit { try await connection.appendAudit(audit.targeting(booking.id), logger: logger) }
            return booking
        }
    }
}

extension PostgresBookingStore {
    public func setRescheduleProposal(bookingId: UUID, start: Instant?, by proposer: UUID?, now: Instant, audit: AuditEntry?) async throws -> Booking
    {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard
                let booking = try await connection.fetchFirst(
                    BookingRow.self,
                    """
                    UPDATE bookings b SET proposed_start = \(start?.date), proposed_by = \(proposer), updated_at = now()
                    WHERE b.id = \(bookingId) AND b.kind = 'one_on_one' AND b.status = 'confirmed' AND b.starts_at > \(now.date)
                    RETURNING \(unescaped: BookingRow.columns)
                    """, logger: logger)
            else { throw CoreError.invalidState("only a confirmed 1:1 booking that has not started can be rescheduled") }
            try await connection.appendEvent(
                BookingEvent(name: start == nil ? .rescheduleWithdrawn : .rescheduleProposed, payload: booking), logger: logger)
            if let audit { try await connection.appendAudit(audit.targeting(booking.id), logger: logger) }
            return booking
        }
    }
}

extension PostgresBookingStore {
    /// Moves a booking's price from the mentee's available credits into their escrow (`insufficientCredits` when
    /// they cannot pay, which rolls the booking back with it).
    static func holdEscrow(_ booking: Booking, price: Int, mentee: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Booking {
        try await connection.post(
            "escrow_hold", reference: booking.id.uuidString, legs: LedgerLeg.move(price, from: (mentee, .available), to: (mentee, .escrow)),
            memo: "booking", logger: logger)
        return try await connection.fetchOne(
            BookingRow.self,
            "UPDATE bookings b SET price_credits = \(price), escrow_state = 'held' WHERE b.id = \(booking.id) RETURNING \(unescaped: BookingRow.columns)",
            logger: logger)
    }

    /// Settles a booking's held escrow: back to the mentee, or to the mentor and the platform split by `fees`. Posted
    /// once per booking (the ledger's unique (kind, reference)); with an outbox event and an audit entry.
    static func settle(
        _ booking: Booking, _ decision: EscrowDecision, fees: PlatformFeePolicy, on connection: PostgresConnection, logger: Logger
    ) async throws -> Booking {
        guard let mentee = booking.menteeId, booking.priceCredits > 0 else { return booking }
        let settlement = decision.settlement(of: booking.priceCredits, mentee: mentee, mentor: booking.mentorId, fees: fees)
        guard try await connection.post(settlement.kind, reference: booking.id.uuidString, legs: settlement.legs, memo: nil, logger: logger) != nil
        else { return booking }
        let settled = try await connection.fetchOne(
            BookingRow.self,
            "UPDATE bookings b SET escrow_state = \(settlement.state) WHERE b.id = \(booking.id) RETURNING \(unescaped: BookingRow.columns)",
            logger: logger)
        try await connection.appendEvent("escrow.\(settlement.state)", aggregate: "booking", id: booking.id, payload: settled, logger: logger)
        try await connection.appendAudit(
            AuditEntry(
                actorId: nil, action: "ledger.\(settlement.kind)", target: booking.id.uuidString, details: ["credits": "\(booking.priceCredits)"]),
            logger: logger)
        return settled
    }

    public func scheduleReminders(now: Instant) async throws -> Int {
        try await pool.read(logger: logger) { connection in
            let rows = try await connection.query(
                """
                WITH due AS (
                    INSERT INTO reminders (booking_id, kind)
                    SELECT b.id, k.kind FROM bookings b
                    JOIN (VALUES ('24h', interval '24 hours', interval '15 minutes'), ('15m', interval '15 minutes', interval '0')) AS k(kind, ahead, after)
                        ON b.starts_at <= \(now.date)::timestamptz + k.ahead AND b.starts_at > \(now.date)::timestamptz + k.after
                    -- Reminders (event-pipeline helper, issue 11): one per 1:1, per seat (its mentee) and per group session (its mentor).
                    WHERE b.status = 'confirmed' AND b.kind IN ('one_on_one', 'group_seat', 'group')
                    ON CONFLICT DO NOTHING
                    RETURNING booking_id, kind
                )
                INSERT INTO outbox (aggregate, aggregate_id, event_type, payload)
                SELECT 'booking', d.booking_id::text, 'booking.reminder',
                       jsonb_build_object('kind', d.kind, 'bookingKind', b.kind, 'id', b.id, 'mentorId', b.mentor_id, 'menteeId', b.mentee_id,
                                          'start', to_char(b.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                FROM due d JOIN bookings b ON b.id = d.booking_id
                RETURNING id
                """, logger: logger)
            var count = 0
            for try await _ in rows.decode(Int64.self) { count += 1 }
            return count
        }
    }

    public func releaseDueEscrows(now: Instant, grace: Duration, limit: Int, fees: PlatformFeePolicy) async throws -> Int {
        let logger = self.logger
        let cutoff = now.adding(seconds: -Int(grace.components.seconds))
        return try await pool.transaction(logger: logger) { connection in
            let due = try await connection.fetch(
                BookingRow.self,
                """
                SELECT \(unescaped: BookingRow.columns) FROM bookings b
                WHERE b.escrow_state = 'held' AND b.status = 'confirmed' AND b.ends_at <= \(cutoff.date)
                ORDER BY b.ends_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger: logger)
            for booking in due { _ = try await Self.settle(booking, .release, fees: fees, on: connection, logger: logger) }
            return due.count
        }
    }
}

extension AuditEntry {
    /// The entry with its target set.
    func targeting(_ id: UUID) -> AuditEntry {
        var entry = self
        entry.target = id.uuidString
        return entry
    }
}
