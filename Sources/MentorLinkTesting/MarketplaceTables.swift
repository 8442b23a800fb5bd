import Foundation
import MentorLinkCore

/// The rows the booking, directory, review and payments fakes share, as PostgreSQL's tables hold them for the real
/// stores: one value, so a fake's call can work on a copy and commit it whole (``InMemoryMarketplace``).
struct MarketplaceTables {
    /// A `users` row as the stores read it.
    struct UserRow {
        var name: String
        var roles: [Role]
        var disabled = false

        /// `mentor_can_earn`: not disabled, still a mentor.
        var canEarn: Bool { !disabled && roles.contains(.mentor) }
    }

    /// A `mentor_profiles` row.
    struct ProfileRow {
        var input: ProfileInput
        var ratingSum: Int64 = 0
        var reviewCount = 0
    }

    /// A `bookings` row: the booking and the columns only the store reads.
    struct BookingRow {
        var booking: Booking
        var blockedFrom: Instant
        var blockedUntil: Instant
        var idempotencyKey: String?
        var requestHash: String?
        var cancelledBy: UUID?
        var noShowReason: String?
    }

    /// An `outbox` row (its payload left out).
    struct OutboxRow: Sendable, Hashable {
        var type: String
        var aggregate: String
        var aggregateId: String
    }

    var users: [UUID: UserRow] = [:]
    var profiles: [UUID: ProfileRow] = [:]
    var rules: [UUID: AvailabilityRules] = [:]
    /// The free-run policy each mentor's last write was given (search computes free time by it).
    var runPolicies: [UUID: FreeRunPolicy] = [:]
    var bookings: [UUID: BookingRow] = [:]
    var templates: [UUID: [FormQuestion]] = [:]
    var reviews: [UUID: Review] = [:]
    /// `search_terms`: every skill, topic and tag ever saved, lowercased.
    var searchTerms: Set<String> = []
    /// `reminders`: the (booking, kind) pairs scheduled.
    var reminders: Set<String> = []
    var ledger = InMemoryLedger()
    var payments: [UUID: Payment] = [:]
    var paymentKeys: [String: UUID] = [:]
    var refunds: [UUID: Refund] = [:]
    var payouts: [UUID: Payout] = [:]
    /// Provider event ids already claimed, with what processing them did.
    var providerEvents: [String: String] = [:]
    var outbox: [OutboxRow] = []
    var audit = AuditChain()
}

extension MarketplaceTables {
    /// Appends an outbox event.
    mutating func event(_ type: String, aggregate: String = "booking", id: UUID) {
        outbox.append(OutboxRow(type: type, aggregate: aggregate, aggregateId: id.uuidString))
    }

    /// A booking row, `notFound` when there is none.
    func row(_ id: UUID) throws -> BookingRow {
        guard let row = bookings[id] else { throw CoreError.notFound }
        return row
    }

    /// Writes a booking row after the table's constraints: no two active 1:1 or group sessions of a mentor overlap
    /// (by their times or their blocked ranges: `slotTaken`, SQLSTATE 23P01), one confirmed seat per mentee and group
    /// session (`duplicate("joined")`), seats within capacity.
    mutating func write(_ row: BookingRow) throws {
        let booking = row.booking
        if Self.isActiveSession(booking) {
            let clash = bookings.values.contains { other in
                other.booking.id != booking.id && other.booking.mentorId == booking.mentorId && Self.isActiveSession(other.booking)
                    && (other.booking.start < booking.end && other.booking.end > booking.start
                        || other.blockedFrom < row.blockedUntil && other.blockedUntil > row.blockedFrom)
            }
            if clash { throw CoreError.slotTaken }
        }
        if booking.kind == .groupSeat, booking.status == .confirmed {
            let again = bookings.values.contains { other in
                other.booking.id != booking.id && other.booking.kind == .groupSeat && other.booking.status == .confirmed
                    && other.booking.groupSessionId == booking.groupSessionId && other.booking.menteeId == booking.menteeId
            }
            if again { throw CoreError.duplicate("joined") }
        }
        if booking.kind == .group, let taken = booking.seatsTaken, let capacity = booking.capacity, taken < 0 || taken > capacity {
            throw CoreError.capacityFull
        }
        var written = row
        // The escrow trigger: escrow put on a booking whose mentor cannot earn is frozen at once.
        if written.booking.escrowState == "held", bookings[booking.id]?.booking.escrowState != "held", users[booking.mentorId]?.canEarn == false {
            written.booking.escrowState = "frozen"
        }
        bookings[booking.id] = written
    }

    /// A held or confirmed 1:1 or group session: what the exclusion constraints count.
    static func isActiveSession(_ booking: Booking) -> Bool {
        (booking.status == .held || booking.status == .confirmed) && (booking.kind == .oneOnOne || booking.kind == .group)
    }

    /// The mentor's row as a booking write takes it: `notFound` without the user; with `bookable`, a disabled mentor
    /// or one no longer a mentor is `mentorUnavailable`.
    func lockMentor(_ mentorId: UUID, bookable: Bool) throws {
        guard let user = users[mentorId] else { throw CoreError.notFound }
        if bookable, !user.canEarn { throw CoreError.mentorUnavailable }
    }

    /// Confirmed sessions (and, with `holds`, live holds) of a mentor whose blocked range meets `[from, to)`.
    func busy(_ mentorId: UUID, from: Instant, to: Instant, now: Instant, holds: Bool, excluding: UUID? = nil) -> [BusyInterval] {
        bookings.values.filter { row in
            let booking = row.booking
            let live = booking.status == .confirmed || holds && booking.status == .held && (booking.holdExpiresAt.map { $0 > now } ?? false)
            return booking.mentorId == mentorId && (booking.kind == .oneOnOne || booking.kind == .group) && live && row.blockedFrom < to
                && row.blockedUntil > from && booking.id != excluding
        }.map {
            BusyInterval(start: $0.booking.start, blockedFrom: $0.blockedFrom, blockedUntil: $0.blockedUntil, isHold: $0.booking.status == .held)
        }.sorted { $0.blockedFrom < $1.blockedFrom }
    }

    /// What a slot check sees around `[start, end)`: the rules and two days of busy time either side.
    func check(_ mentorId: UUID, start: Instant, end: Instant, now: Instant, excluding: UUID? = nil) -> BookingCheck {
        BookingCheck(
            rules: rules[mentorId],
            busy: busy(
                mentorId, from: start.adding(minutes: -2 * 1440), to: end.adding(minutes: 2 * 1440), now: now, holds: true, excluding: excluding),
            now: now)
    }

    /// Marks the mentor's lapsed holds expired.
    mutating func expireHolds(_ mentorId: UUID, now: Instant) {
        for (id, row) in bookings where row.booking.mentorId == mentorId && row.booking.status == .held {
            if let expiry = row.booking.holdExpiresAt, expiry <= now { bookings[id]?.booking.status = .expired }
        }
    }

    /// Refuses a time the mentee already spends in another session or live hold (`menteeBusy`); a seat in `group`
    /// itself is left to the seat constraint.
    func checkMenteeFree(_ menteeId: UUID, start: Instant, end: Instant, now: Instant, excluding: UUID?, group: UUID? = nil) throws {
        let busy = bookings.values.contains { row in
            let booking = row.booking
            let live = booking.status == .confirmed || booking.status == .held && (booking.holdExpiresAt.map { $0 > now } ?? false)
            return booking.menteeId == menteeId && (booking.kind == .oneOnOne || booking.kind == .groupSeat) && live && booking.start < end
                && booking.end > start && booking.id != excluding && (group == nil || booking.groupSessionId != group)
        }
        if busy { throw CoreError.menteeBusy }
    }

    /// The mentee's live holds: with `mentorId`, and in all.
    func liveHolds(_ menteeId: UUID, mentorId: UUID, now: Instant) -> (withMentor: Int, all: Int) {
        let holds = bookings.values.filter {
            $0.booking.menteeId == menteeId && $0.booking.status == .held && ($0.booking.holdExpiresAt.map { $0 > now } ?? false)
        }
        return (holds.filter { $0.booking.mentorId == mentorId }.count, holds.count)
    }

    /// Moves a booking's price from the mentee's available credits into escrow (`insufficientCredits` rolls it back).
    mutating func holdEscrow(_ id: UUID, price: Int, mentee: UUID, now: Instant) throws {
        try ledger.post(
            "escrow_hold", reference: id.uuidString,
            legs: [LedgerLeg(owner: mentee, kind: .available, amount: -Int64(price)), LedgerLeg(owner: mentee, kind: .escrow, amount: Int64(price))],
            memo: "booking", at: now)
        var row = try row(id)
        row.booking.priceCredits = price
        row.booking.escrowState = "held"
        try write(row)
    }

    /// The legs and resulting state of settling `price` credits of escrow by `decision`.
    static func settlement(
        _ decision: EscrowDecision, price: Int, mentee: UUID, mentor: UUID, fees: PlatformFeePolicy
    ) -> (kind: String, state: String, legs: [LedgerLeg]) {
        switch decision {
        case .refund:
            (
                "escrow_refund", "refunded",
                [LedgerLeg(owner: mentee, kind: .escrow, amount: -Int64(price)), LedgerLeg(owner: mentee, kind: .available, amount: Int64(price))]
            )
        case .release: ("escrow_release", "released", LedgerLeg.release(price, of: mentee, to: mentor, split: fees.split(price)))
        }
    }

    /// Settles a booking's escrow by `decision`, once per booking; with its outbox event and audit entry.
    mutating func settle(_ id: UUID, _ decision: EscrowDecision, fees: PlatformFeePolicy, now: Instant) throws -> Booking {
        var row = try row(id)
        guard let mentee = row.booking.menteeId, row.booking.priceCredits > 0 else { return row.booking }
        let settlement = Self.settlement(decision, price: row.booking.priceCredits, mentee: mentee, mentor: row.booking.mentorId, fees: fees)
        guard try ledger.post(settlement.kind, reference: id.uuidString, legs: settlement.legs, at: now) != nil else { return row.booking }
        row.booking.escrowState = settlement.state
        try write(row)
        event("escrow.\(settlement.state)", id: id)
        audit.append(
            AuditEntry(actorId: nil, action: "ledger.\(settlement.kind)", target: id.uuidString, details: ["credits": "\(row.booking.priceCredits)"]),
            at: now.date)
        return row.booking
    }

    /// The legs giving `credits` to `user` from a platform account, what they owe paid first.
    func giveLegs(_ credits: Int, to user: UUID, from source: LedgerAccountKind) -> [LedgerLeg] {
        LedgerLeg.give(credits, to: user, from: source, owed: -ledger.balance(user, .debt))
    }
}
