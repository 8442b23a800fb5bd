public import Foundation
public import MentorLinkCore

/// ``MentorLinkCore/BookingStore`` (with ``MentorLinkCore/EscrowReleasing`` and ``MentorLinkCore/ReminderScheduling``)
/// in memory, on an ``InMemoryMarketplace``: the same decisions as the PostgreSQL store, in the same order (mentor
/// lock, idempotency replay, hold expiry, the hold named, ``MentorLinkCore/SlotRequest/check(_:)``, the mentee's own
/// time, the hold caps), the exclusion constraints as a check on every write (`slotTaken`), escrow legs posted in the
/// same step, and an outbox event and audit entry for each change.
///
/// What it leaves out: the stored free runs for search (``InMemoryMentorDirectory`` computes free time when it
/// searches, by the policy the last write was given), and the isolation of concurrent transactions.
public struct InMemoryBookingStore: BookingStore {
    /// The database it works on.
    public let database: InMemoryMarketplace

    /// A store on `database` (a fresh one by default).
    public init(database: InMemoryMarketplace = InMemoryMarketplace()) { self.database = database }

    /// Takes PostgreSQL away (from every store on the same database).
    public var outage: Outage { database.outage }

    public func profile(mentorId: UUID) async throws -> MentorProfile? { try database.read { $0.profile(mentorId) } }

    public func saveAvailability(mentorId: UUID, rules: AvailabilityRules, now: Instant, audit: AuditEntry?, freeRuns: FreeRunPolicy) async throws {
        let at = database.now().date
        try database.transaction { tables in
            try tables.lockMentor(mentorId, bookable: false)
            tables.rules[mentorId] = rules
            tables.runPolicies[mentorId] = freeRuns
            tables.event("availability.changed", aggregate: "mentor", id: mentorId)
            if let audit { tables.audit.append(audit.targeting(mentorId), at: at) }
        }
    }

    public func availability(mentorId: UUID) async throws -> AvailabilityRules? { try database.read { $0.rules[mentorId] } }

    public func busy(mentorId: UUID, from: Instant, to: Instant, now: Instant) async throws -> [BusyInterval] {
        try database.read { $0.busy(mentorId, from: from, to: to, now: now, holds: true) }
    }

    public func groupSessions(mentorId: UUID, now: Instant, limit: Int) async throws -> [Booking] {
        try database.read { tables in
            let groups = tables.bookings.values.map(\.booking).filter {
                $0.mentorId == mentorId && $0.kind == .group && $0.status == .confirmed && $0.start > now
            }
            return Array(groups.sorted(by: Self.startOrder).prefix(max(0, limit)))
        }
    }

    public func booking(id: UUID) async throws -> Booking? { try database.read { $0.bookings[id]?.booking } }

    public func bookings(_ query: BookingListQuery) async throws -> [Booking] {
        try database.read { tables in
            let selected = tables.bookings.values.map(\.booking).filter { booking in
                let asMentor = query.side != .mentee && booking.mentorId == query.userId && booking.kind != .groupSeat
                let asMentee = query.side != .mentor && booking.menteeId == query.userId
                return (asMentor || asMentee) && (query.status.map { booking.status == $0 } ?? true) && (query.from.map { booking.end > $0 } ?? true)
                    && (query.to.map { booking.start < $0 } ?? true) && (query.after.map { after in Self.startOrder(after, booking) } ?? true)
            }
            return Array(selected.sorted(by: Self.startOrder).prefix(max(0, query.limit)))
        }
    }

    /// `(start, id)` order, ids as PostgreSQL orders uuids (by their hex text).
    static func startOrder(_ a: Booking, _ b: Booking) -> Bool { startOrder((a.start, a.id), b) }

    static func startOrder(_ a: (start: Instant, id: UUID), _ b: Booking) -> Bool {
        a.start != b.start ? a.start < b.start : a.id.uuidString < b.id.uuidString
    }

    public func saveTemplate(mentorId: UUID, questions: [FormQuestion]) async throws {
        try database.transaction { $0.templates[mentorId] = questions }
    }

    public func template(mentorId: UUID) async throws -> [FormQuestion] { try database.read { $0.templates[mentorId] ?? [] } }

    public func saveAgenda(bookingId: UUID, answers: [String: String], now: Instant) async throws -> Booking {
        try database.transaction { tables in
            guard var row = tables.bookings[bookingId], row.booking.status == .confirmed, row.booking.start > now,
                row.booking.kind == .oneOnOne || row.booking.kind == .groupSeat
            else { throw CoreError.invalidState("an agenda can be sent only for a confirmed booking before it starts") }
            row.booking.agenda = answers
            try tables.write(row)
            tables.event("booking.agenda_submitted", id: bookingId)
            return row.booking
        }
    }

    public func scheduleReminders(now: Instant) async throws -> Int {
        try database.transaction { tables in
            var count = 0
            for row in tables.bookings.values where row.booking.status == .confirmed {
                let ahead = row.booking.start.date.timeIntervalSince(now.date)
                for (kind, within, after) in [("24h", 24.0 * 3600, 15.0 * 60), ("15m", 15.0 * 60, 0)] where ahead <= within && ahead > after {
                    guard tables.reminders.insert("\(row.booking.id)|\(kind)").inserted else { continue }
                    tables.event("booking.reminder", id: row.booking.id)
                    count += 1
                }
            }
            return count
        }
    }

    public func releaseDueEscrows(now: Instant, grace: Duration, limit: Int, fees: PlatformFeePolicy) async throws -> Int {
        let cutoff = now.adding(seconds: -Int(grace.components.seconds))
        let at = database.now()
        return try database.transaction { tables in
            let due = tables.bookings.values.map(\.booking).filter { $0.escrowState == "held" && $0.status == .confirmed && $0.end <= cutoff }.sorted
            { $0.end < $1.end }.prefix(max(0, limit))
            for booking in due { _ = try tables.settle(booking.id, .release, fees: fees, now: at) }
            return due.count
        }
    }
}

extension MarketplaceTables {
    /// A mentor's profile with its rating, as `mentor_profiles` computes it (the Bayesian average: a prior of 4.0
    /// worth 5 reviews).
    func profile(_ mentorId: UUID) -> MentorProfile? {
        guard let row = profiles[mentorId] else { return nil }
        let bayes = (Double(row.ratingSum) + 20) / Double(row.reviewCount + 5)
        return MentorProfile(
            id: mentorId, name: users[mentorId]?.name ?? "", input: row.input,
            rating: row.reviewCount > 0 ? (Double(row.ratingSum) / Double(row.reviewCount) * 100).rounded() / 100 : nil, reviewCount: row.reviewCount,
            bayesianRating: (((bayes * 10_000).rounded() / 10_000) * 1000).rounded() / 1000,
            priceCredits: row.input.sessionTypes.filter { $0.kind == .oneOnOne }.map(\.priceCredits).min() ?? 0)
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
