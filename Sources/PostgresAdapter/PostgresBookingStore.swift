public import Foundation
public import Logging
public import MentorLinkCore
import PostgresNIO

/// ``BookingStore`` on PostgreSQL. Writes for one mentor are serialized by a row lock on the mentor's `users`
/// row, so the rules, the busy time and the search runs are read and rewritten consistently; the exclusion
/// constraints on `bookings` and the seat check on the group row are what make overlaps and over-fills impossible.
public struct PostgresBookingStore: BookingStore, MentorDirectory, ReviewStore {
    let pool: PostgresPool
    let logger: Logger

    /// Creates the store over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Takes the mentor's write lock (their `users` row); `notFound` when there is no such user.
    /// Takes the mentor's `users` row lock (every booking write of one mentor queues here). With `bookable`, a mentor
    /// who is disabled or no longer holds the mentor role is `mentorUnavailable`: nothing new is booked with them.
    static func lockMentor(
        _ mentorId: UUID, bookable: Bool = false, locking: Bool = true, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let rows = try await connection.query(
            "SELECT disabled_at IS NULL AND 'mentor' = ANY(roles) FROM users WHERE id = \(mentorId) \(unescaped: locking ? "FOR NO KEY UPDATE" : "")",
            logger: logger)
        var found: Bool?
        for try await active in rows.decode(Bool.self) { found = active }
        guard let active = found else { throw CoreError.notFound }
        if bookable, !active { throw CoreError.mentorUnavailable }
    }

    /// Refuses a time the mentee already spends in another session or a live hold (any mentor, 1:1 or seat).
    static func checkMenteeFree(
        _ menteeId: UUID, start: Instant, end: Instant, now: Instant, excluding: UUID?, on connection: PostgresConnection, logger: Logger,
        group: UUID? = nil
    ) async throws {
        // The mentee's own lock (always taken last, after any mentor or booking row lock): concurrent calls of one
        // mentee with different mentors (a batch) queue here, so each sees the other's booking or hold.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('mentee:' || \(menteeId.uuidString), 0))", logger: logger)
        let rows = try await connection.query(
            """
            SELECT count(*)::int FROM bookings
            WHERE mentee_id = \(menteeId) AND kind IN ('one_on_one', 'group_seat')
              AND (status = 'confirmed' OR (status = 'held' AND hold_expires_at > \(now.date)))
              AND starts_at < \(end.date) AND ends_at > \(start.date) AND id IS DISTINCT FROM \(excluding)
              AND (\(group)::uuid IS NULL OR parent_id IS DISTINCT FROM \(group))
            """, logger: logger)
        for try await overlapping in rows.decode(Int.self) where overlapping > 0 { throw CoreError.menteeBusy }
    }

    /// The live-hold caps, per mentee (``HoldRules/checkCaps(withMentor:all:limits:)``).
    static func checkHoldCaps(
        _ menteeId: UUID, mentorId: UUID, now: Instant, limits: HoldLimits, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let rows = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE mentor_id = \(mentorId))::int, count(*)::int FROM bookings
            WHERE mentee_id = \(menteeId) AND status = 'held' AND hold_expires_at > \(now.date)
            """, logger: logger)
        for try await (withMentor, all) in rows.decode((Int, Int).self) { try HoldRules.checkCaps(withMentor: withMentor, all: all, limits: limits) }
    }

    /// The mentee's available credits.
    static func availableCredits(_ userId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query(
            "SELECT coalesce(sum(balance), 0)::bigint FROM ledger_accounts WHERE owner_id = \(userId) AND kind = 'available'", logger: logger)
        for try await balance in rows.decode(Int64.self) { return balance }
        return 0
    }

    static func rules(_ mentorId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> AvailabilityRules? {
        try await connection.fetchFirst(
            AvailabilityRulesRow.self, "SELECT \(unescaped: AvailabilityRulesRow.columns) FROM availability_rules WHERE mentor_id = \(mentorId)",
            logger: logger)
    }

    /// Confirmed sessions (and, with `holds`, live holds) of a mentor whose blocked range meets `[from, to)`.
    static func busy(
        _ mentorId: UUID, from: Instant, to: Instant, now: Instant, holds: Bool, excluding: UUID? = nil, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [BusyInterval] {
        let rows = try await connection.query(
            """
            SELECT starts_at, blocked_from, blocked_until, status = 'held' FROM bookings
            WHERE mentor_id = \(mentorId) AND kind IN ('one_on_one', 'group')
              AND (status = 'confirmed' OR (\(holds) AND status = 'held' AND hold_expires_at > \(now.date)))
              AND blocked_from < \(to.date) AND blocked_until > \(from.date)
              AND id IS DISTINCT FROM \(excluding)
            """, logger: logger)
        var busy: [BusyInterval] = []
        for try await (start, from, until, hold) in rows.decode((Date, Date, Date, Bool).self) {
            busy.append(BusyInterval(start: Instant(start), blockedFrom: Instant(from), blockedUntil: Instant(until), isHold: hold))
        }
        return busy
    }

    /// What a check sees around `[start, end)`: two days either side covers the daily cap in any zone.
    static func check(
        _ mentorId: UUID, start: Instant, end: Instant, now: Instant, excluding: UUID? = nil, on connection: PostgresConnection, logger: Logger
    ) async throws -> BookingCheck {
        let rules = try await rules(mentorId, on: connection, logger: logger)
        let busy = try await busy(
            mentorId, from: start.adding(minutes: -2 * 1440), to: end.adding(minutes: 2 * 1440), now: now, holds: true, excluding: excluding,
            on: connection, logger: logger)
        return BookingCheck(rules: rules, busy: busy, now: now)
    }

    /// Rewrites the mentor's free runs for search as `policy` computes them (``FreeRunPolicy``): all of them, or only
    /// those near a changed range, widened to the whole stored runs it meets. The mentor's lock is held by the caller.
    static func refreshRuns(
        _ mentorId: UUID, now: Instant, around changed: (start: Instant, end: Instant)? = nil, policy: FreeRunPolicy,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let rules = try await rules(mentorId, on: connection, logger: logger)
        try await refreshRuns(mentorId, rules: rules, now: now, around: changed, policy: policy, on: connection, logger: logger)
    }

    /// ``refreshRuns(_:now:around:policy:on:logger:)`` with the mentor's rules already read under their lock.
    static func refreshRuns(
        _ mentorId: UUID, rules: AvailabilityRules?, now: Instant, around changed: (start: Instant, end: Instant)? = nil, policy: FreeRunPolicy,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard let rules, let initial = policy.range(rules: rules, now: now, around: changed) else {
            try await connection.query("DELETE FROM availability_runs WHERE mentor_id = \(mentorId)", logger: logger)
            try await noteFirstFreeRun(mentorId, now: now, on: connection, logger: logger)
            return
        }
        var range = initial
        if changed != nil {
            var edges: (first: Date?, last: Date?) = (nil, nil)
            for try await row in try await connection.query(
                """
                SELECT min(starts_at), max(ends_at) FROM availability_runs
                WHERE mentor_id = \(mentorId) AND starts_at < \(initial.until.date) AND ends_at > \(initial.from.date)
                """, logger: logger
            ).decode((Date?, Date?).self) { edges = row }
            guard let widened = policy.widened(initial, toRunsFrom: edges.first.map(Instant.init), until: edges.last.map(Instant.init), now: now)
            else { return }
            range = widened
            try await connection.query(
                "DELETE FROM availability_runs WHERE mentor_id = \(mentorId) AND starts_at < \(range.until.date) AND ends_at > \(range.from.date)",
                logger: logger)
        } else {
            try await connection.query("DELETE FROM availability_runs WHERE mentor_id = \(mentorId)", logger: logger)
        }
        var sessionTypes: [SessionType] = []
        let types = try await connection.query("SELECT session_types::text FROM mentor_profiles WHERE user_id = \(mentorId)", logger: logger)
        for try await text in types.decode(String.self) { sessionTypes = MentorProfileRow.sessionTypes(text) }
        let busyRange = policy.busyRange(for: range)
        let busy = try await busy(mentorId, from: busyRange.from, to: busyRange.until, now: now, holds: false, on: connection, logger: logger)
        let free = policy.runs(rules: rules, sessionTypes: sessionTypes, busy: busy, in: range, now: now)
        guard !free.runs.isEmpty else { return try await noteFirstFreeRun(mentorId, now: now, on: connection, logger: logger) }
        // One round trip: the new runs, and the first free run noted from the stored ones and the new (which the
        // statement's own snapshot does not see in the table).
        try await connection.query(
            """
            WITH added AS (
                INSERT INTO availability_runs (mentor_id, starts_at, ends_at, step_seconds, slot_seconds)
                SELECT \(mentorId), s, e, \(free.stepMinutes * 60), \(free.slotMinutes * 60)
                FROM unnest(\(free.runs.map(\.start.date))::timestamptz[], \(free.runs.map(\.end.date))::timestamptz[]) AS u(s, e)
                RETURNING starts_at, ends_at)
            UPDATE mentor_profiles SET next_free_at = (
                SELECT min(greatest(starts_at, \(now.date))) FROM (
                    SELECT starts_at, ends_at FROM availability_runs WHERE mentor_id = \(mentorId)
                    UNION ALL SELECT starts_at, ends_at FROM added) AS r
                WHERE ends_at > \(now.date))
            WHERE user_id = \(mentorId)
            """, logger: logger)
    }

    /// Stores the start of the mentor's first free run from now on (search's "soonest" order).
    static func noteFirstFreeRun(_ mentorId: UUID, now: Instant, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE mentor_profiles SET next_free_at =
                (SELECT min(greatest(starts_at, \(now.date))) FROM availability_runs WHERE mentor_id = \(mentorId) AND ends_at > \(now.date))
            WHERE user_id = \(mentorId)
            """, logger: logger)
    }

    public func booking(id: UUID) async throws -> Booking? {
        try await pool.read(logger: logger) { connection in
            try await connection.fetchFirst(
                BookingRow.self, "SELECT \(unescaped: BookingRow.columns) FROM bookings b WHERE b.id = \(id)", logger: logger)
        }
    }

    public func groupSessions(mentorId: UUID, now: Instant, limit: Int) async throws -> [Booking] {
        try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                BookingRow.self,
                """
                SELECT \(unescaped: BookingRow.columns) FROM bookings b
                WHERE b.mentor_id = \(mentorId) AND b.kind = 'group' AND b.status = 'confirmed' AND b.starts_at > \(now.date)
                ORDER BY b.starts_at, b.id LIMIT \(limit)
                """, logger: logger)
        }
    }

    public func bookings(_ query: BookingListQuery) async throws -> [Booking] {
        let side = query.side?.rawValue
        return try await pool.read(logger: logger) { connection in
            try await connection.fetch(
                BookingRow.self,
                """
                SELECT \(unescaped: BookingRow.columns) FROM bookings b
                WHERE ((\(side)::text IS DISTINCT FROM 'mentee' AND b.mentor_id = \(query.userId) AND b.kind IN ('one_on_one', 'group'))
                    OR (\(side)::text IS DISTINCT FROM 'mentor' AND b.mentee_id = \(query.userId)))
                  AND (\(query.status?.rawValue)::text IS NULL OR b.status = \(query.status?.rawValue))
                  AND (\(query.from?.date)::timestamptz IS NULL OR b.ends_at > \(query.from?.date))
                  AND (\(query.to?.date)::timestamptz IS NULL OR b.starts_at < \(query.to?.date))
                  AND (\(query.after?.start.date)::timestamptz IS NULL OR (b.starts_at, b.id) > (\(query.after?.start.date), \(query.after?.id)))
                ORDER BY b.starts_at, b.id LIMIT \(query.limit)
                """, logger: logger)
        }
    }
}
