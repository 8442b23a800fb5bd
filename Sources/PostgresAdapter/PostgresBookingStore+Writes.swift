public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresBookingStore {
    public func place(_ request: PlaceBooking, now: Instant, check: @escaping @Sendable (BookingCheck) throws -> Void) async throws -> (Booking, replayed: Bool) {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            try await Self.lockMentor(request.mentorId, on: connection, logger: logger)
            if let key = request.idempotencyKey {
                let rows = try await connection.query(
                    "SELECT \(unescaped: Self.columns), b.request_hash FROM bookings b WHERE b.mentee_id = \(request.menteeId) AND b.idempotency_key = \(key)",
                    logger: logger)
                for try await row in rows.decode((UUID, String, UUID, UUID?, UUID?, Date, Date, String, Date?, Int?, Int, String?, String?, String?, String?, Date, String?).self) {
                    guard row.16 == request.requestHash else { throw CoreError.idempotencyMismatch }
                    let booking = Self.booking((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13, row.14, row.15))
                    return (booking, true)
                }
            }
            try await Self.expireHolds(request.mentorId, now: now, on: connection, logger: logger)
            let hold = try await Self.hold(for: request, now: now, on: connection, logger: logger)
            try check(try await Self.check(request.mentorId, start: request.start, end: request.end, now: now, excluding: hold?.id, on: connection, logger: logger))
            let rules = try await Self.rules(request.mentorId, on: connection, logger: logger)
            let blocked = rules?.blocked(start: request.start, end: request.end) ?? (from: request.start, until: request.end)
            let agenda = try request.agenda.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            let booking: Booking
            if let hold {
                booking = try await Self.one(
                    """
                    UPDATE bookings b SET status = 'confirmed', hold_expires_at = NULL, idempotency_key = \(request.idempotencyKey),
                        request_hash = \(request.requestHash), agenda = \(agenda)::jsonb, updated_at = now()
                    WHERE b.id = \(hold.id) RETURNING \(unescaped: Self.columns)
                    """,
                    on: connection, logger: logger)
            } else {
                booking = try await Self.one(
                    """
                    INSERT INTO bookings AS b (kind, mentor_id, mentee_id, starts_at, ends_at, blocked_from, blocked_until, status,
                        hold_expires_at, idempotency_key, request_hash, agenda)
                    VALUES ('one_on_one', \(request.mentorId), \(request.menteeId), \(request.start.date), \(request.end.date),
                        \(blocked.from.date), \(blocked.until.date), \(request.status.rawValue), \(request.holdExpiresAt?.date),
                        \(request.idempotencyKey), \(request.requestHash), \(agenda)::jsonb)
                    RETURNING \(unescaped: Self.columns)
                    """,
                    on: connection, logger: logger)
            }
            let type = booking.status == .held ? "booking.held" : "booking.created"
            try await Self.event(type, aggregate: "booking", id: booking.id, payload: booking, on: connection, logger: logger)
            if booking.status == .confirmed {
                try await Self.refreshRuns(request.mentorId, now: now, around: (booking.start, booking.end), on: connection, logger: logger)
                // Last: the audit append holds the log's global lock until commit.
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
            let rows = try await bookings(
                "SELECT \(unescaped: columns) FROM bookings b WHERE b.id = \(holdId) AND b.kind = 'one_on_one' FOR UPDATE", on: connection, logger: logger)
            guard let hold = rows.first, hold.menteeId == request.menteeId, hold.mentorId == request.mentorId else { throw CoreError.notFound }
            guard hold.status == .held || hold.status == .expired else { throw CoreError.invalidState("the hold was already used or cancelled") }
            guard hold.status == .held, let expiry = hold.holdExpiresAt, expiry > now else { throw CoreError.holdExpired }
            guard hold.start == request.start, hold.end == request.end else { throw CoreError.invalidState("the hold is for another time") }
            return hold
        }
        return try await bookings(
            """
            SELECT \(unescaped: columns) FROM bookings b
            WHERE b.mentor_id = \(request.mentorId) AND b.mentee_id = \(request.menteeId) AND b.status = 'held'
              AND b.hold_expires_at > \(now.date) AND b.starts_at = \(request.start.date) AND b.ends_at = \(request.end.date)
            FOR UPDATE
            """,
            on: connection, logger: logger
        ).first
    }

    public func createGroup(_ session: NewGroupSession, now: Instant) async throws -> Booking {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            try await Self.lockMentor(session.mentorId, on: connection, logger: logger)
            try await Self.expireHolds(session.mentorId, now: now, on: connection, logger: logger)
            let rules = try await Self.rules(session.mentorId, on: connection, logger: logger)
            let blocked = rules?.blocked(start: session.start, end: session.end) ?? (from: session.start, until: session.end)
            let booking = try await Self.one(
                """
                INSERT INTO bookings AS b (kind, mentor_id, starts_at, ends_at, blocked_from, blocked_until, status, capacity, title, topic)
                VALUES ('group', \(session.mentorId), \(session.start.date), \(session.end.date), \(blocked.from.date), \(blocked.until.date),
                    'confirmed', \(session.capacity), \(session.title), \(session.topic))
                RETURNING \(unescaped: Self.columns)
                """,
                on: connection, logger: logger)
            try await Self.event("group.created", aggregate: "booking", id: booking.id, payload: booking, on: connection, logger: logger)
            try await Self.refreshRuns(session.mentorId, now: now, around: (booking.start, booking.end), on: connection, logger: logger)
            if let audit = session.audit { try await connection.appendAudit(audit.targeting(booking.id), logger: logger) }
            return booking
        }
    }

    public func join(groupSessionId: UUID, menteeId: UUID, now: Instant, audit: AuditEntry?) async throws -> Booking {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            // The seat is counted on the group row under its row lock: concurrent joins queue here, and each re-checks
            // `seats_taken < capacity` against the committed count (the CHECK constraint backs it up).
            let taken = try await Self.bookings(
                """
                UPDATE bookings b SET seats_taken = seats_taken + 1, updated_at = now()
                WHERE b.id = \(groupSessionId) AND b.kind = 'group' AND b.status = 'confirmed' AND b.starts_at > \(now.date)
                  AND b.seats_taken < b.capacity AND b.mentor_id <> \(menteeId)
                RETURNING \(unescaped: Self.columns)
                """,
                on: connection, logger: logger)
            guard let group = taken.first else {
                let rows = try await Self.bookings(
                    "SELECT \(unescaped: Self.columns) FROM bookings b WHERE b.id = \(groupSessionId) AND b.kind = 'group'", on: connection, logger: logger)
                guard let group = rows.first else { throw CoreError.notFound }
                if group.mentorId == menteeId { throw CoreError.forbidden("mentors cannot join their own session") }
                if group.status != .confirmed || group.start <= now { throw CoreError.invalidState("the session is \(group.status == .confirmed ? "over" : group.status.rawValue)") }
                throw CoreError.capacityFull
            }
            let seat = try await Self.one(
                """
                INSERT INTO bookings AS b (kind, mentor_id, mentee_id, parent_id, starts_at, ends_at, blocked_from, blocked_until, status)
                VALUES ('group_seat', \(group.mentorId), \(menteeId), \(group.id), \(group.start.date), \(group.end.date),
                    \(group.start.date), \(group.end.date), 'confirmed')
                RETURNING \(unescaped: Self.columns)
                """,
                on: connection, logger: logger)
            try await Self.event("booking.joined", aggregate: "booking", id: seat.id, payload: seat, on: connection, logger: logger)
            if let audit { try await connection.appendAudit(audit.targeting(seat.id), logger: logger) }
            return seat
        }
    }

    public func cancel(bookingId: UUID, by actorId: UUID, reason: String?, now: Instant, audit: AuditEntry?) async throws -> Booking {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            // Lock order: the mentor first, then the booking row, as in `place`.
            guard let current = try await Self.bookings("SELECT \(unescaped: Self.columns) FROM bookings b WHERE b.id = \(bookingId)", on: connection, logger: logger).first
            else { throw CoreError.notFound }
            try await Self.lockMentor(current.mentorId, on: connection, logger: logger)
            guard let booking = try await Self.bookings(
                """
                UPDATE bookings b SET status = 'cancelled', cancel_reason = \(reason), cancelled_by = \(actorId), cancelled_at = now(),
                    updated_at = now()
                WHERE b.id = \(bookingId) AND b.status IN ('held', 'confirmed') AND b.starts_at > \(now.date)
                RETURNING \(unescaped: Self.columns)
                """,
                on: connection, logger: logger
            ).first else { throw CoreError.invalidState(current.start <= now ? "the session has started" : "the booking is \(current.status.rawValue)") }
            switch booking.kind {
            case .groupSeat:
                try await connection.query(
                    "UPDATE bookings SET seats_taken = seats_taken - 1, updated_at = now() WHERE id = \(booking.groupSessionId) AND seats_taken > 0",
                    logger: logger)
            case .group:
                try await connection.query(
                    """
                    UPDATE bookings SET status = 'cancelled', cancel_reason = 'group session cancelled', cancelled_by = \(actorId),
                        cancelled_at = now(), updated_at = now()
                    WHERE parent_id = \(booking.id) AND status = 'confirmed'
                    """,
                    logger: logger)
            case .oneOnOne:
                break
            }
            try await Self.event("booking.cancelled", aggregate: "booking", id: booking.id, payload: booking, on: connection, logger: logger)
            if booking.kind != .groupSeat {
                try await Self.refreshRuns(booking.mentorId, now: now, around: (booking.start, booking.end), on: connection, logger: logger)
            }
            if let audit { try await connection.appendAudit(audit.targeting(booking.id), logger: logger) }
            return booking
        }
    }

    public func reschedule(bookingId: UUID, start: Instant, now: Instant, audit: AuditEntry?, check: @escaping @Sendable (BookingCheck) throws -> Void) async throws -> Booking {
        let logger = self.logger
        return try await pool.transaction(logger: logger) { connection in
            guard let current = try await Self.bookings("SELECT \(unescaped: Self.columns) FROM bookings b WHERE b.id = \(bookingId)", on: connection, logger: logger).first
            else { throw CoreError.notFound }
            try await Self.lockMentor(current.mentorId, on: connection, logger: logger)
            try await Self.expireHolds(current.mentorId, now: now, on: connection, logger: logger)
            guard let locked = try await Self.bookings("SELECT \(unescaped: Self.columns) FROM bookings b WHERE b.id = \(bookingId) FOR UPDATE", on: connection, logger: logger).first,
                locked.kind == .oneOnOne, locked.status == .confirmed, locked.start > now
            else { throw CoreError.invalidState("only a confirmed 1:1 booking that has not started can be rescheduled") }
            let end = start.adding(seconds: Int(locked.end.epochSeconds - locked.start.epochSeconds))
            try check(try await Self.check(locked.mentorId, start: start, end: end, now: now, excluding: locked.id, on: connection, logger: logger))
            let rules = try await Self.rules(locked.mentorId, on: connection, logger: logger)
            let blocked = rules?.blocked(start: start, end: end) ?? (from: start, until: end)
            // One statement moves the row: the exclusion constraints see the new range and no longer the old one.
            let booking = try await Self.one(
                """
                UPDATE bookings b SET starts_at = \(start.date), ends_at = \(end.date), blocked_from = \(blocked.from.date),
                    blocked_until = \(blocked.until.date), updated_at = now()
                WHERE b.id = \(bookingId) RETURNING \(unescaped: Self.columns)
                """,
                on: connection, logger: logger)
            struct Moved: Encodable { var booking: Booking; var previousStart: Instant }
            try await Self.event("booking.rescheduled", aggregate: "booking", id: booking.id, payload: Moved(booking: booking, previousStart: locked.start), on: connection, logger: logger)
            try await Self.refreshRuns(booking.mentorId, now: now, around: (locked.start, locked.end), on: connection, logger: logger)
            try await Self.refreshRuns(booking.mentorId, now: now, around: (booking.start, booking.end), on: connection, logger: logger)
            if let audit { try await connection.appendAudit(audit.targeting(booking.id), logger: logger) }
            return booking
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
