public import Foundation

/// What a booking decision sees, read under the mentor's lock: the rules, the busy time and the clock.
public struct BookingCheck: Sendable {
    public var rules: AvailabilityRules?
    public var busy: [BusyInterval]
    public var now: Instant
    /// When a booking is being rescheduled: its pending proposal (start and proposer), read under its row lock.
    public var proposedStart: Instant?
    public var proposedBy: UUID?

    public init(rules: AvailabilityRules?, busy: [BusyInterval], now: Instant, proposedStart: Instant? = nil, proposedBy: UUID? = nil) {
        self.rules = rules
        self.busy = busy
        self.now = now
        self.proposedStart = proposedStart
        self.proposedBy = proposedBy
    }
}

/// A 1:1 booking or a hold to place.
/// How many live holds one mentee may keep, so no account can hold a mentor's whole calendar.
public struct HoldLimits: Sendable, Hashable {
    /// With one mentor: 2.
    public var perMentor = 2
    /// With all mentors together: 5.
    public var total = 5

    /// The defaults.
    public init() {}
}

public struct PlaceBooking: Sendable {
    public var mentorId: UUID
    public var menteeId: UUID
    public var start: Instant
    public var end: Instant
    /// `held` for a hold (with `holdExpiresAt`), `confirmed` for a booking.
    public var status: BookingStatus
    public var holdExpiresAt: Instant?
    /// A hold of the mentee's to turn into this booking.
    public var holdId: UUID?
    public var idempotencyKey: String?
    /// A digest of the parameters, to tell a replay from a reuse of the key.
    public var requestHash: String?
    public var agenda: [String: String]?
    /// Moved from the mentee's available credits to escrow with the booking; for a hold, what the mentee must be
    /// able to afford (nothing moves).
    public var priceCredits: Int
    public var audit: AuditEntry?
    /// Live holds a mentee may have: with one mentor, and in all.
    public var holdLimits = HoldLimits()

    public init(
        mentorId: UUID, menteeId: UUID, start: Instant, end: Instant, status: BookingStatus, holdExpiresAt: Instant? = nil, holdId: UUID? = nil,
        idempotencyKey: String? = nil, requestHash: String? = nil, agenda: [String: String]? = nil, priceCredits: Int = 0, audit: AuditEntry? = nil
    ) {
        self.mentorId = mentorId
        self.menteeId = menteeId
        self.start = start
        self.end = end
        self.status = status
        self.holdExpiresAt = holdExpiresAt
        self.holdId = holdId
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.agenda = agenda
        self.priceCredits = priceCredits
        self.audit = audit
    }
}

/// A group session to create.
public struct NewGroupSession: Sendable {
    public var mentorId: UUID
    public var start: Instant
    public var end: Instant
    public var capacity: Int
    public var title: String
    public var topic: String
    /// The price of a seat; 0 is free.
    public var priceCredits: Int
    public var audit: AuditEntry?

    public init(mentorId: UUID, start: Instant, end: Instant, capacity: Int, title: String, topic: String, priceCredits: Int = 0, audit: AuditEntry?)
    {
        self.mentorId = mentorId
        self.start = start
        self.end = end
        self.capacity = capacity
        self.title = title
        self.topic = topic
        self.priceCredits = priceCredits
        self.audit = audit
    }
}

/// Which bookings to list.
public struct BookingListQuery: Sendable {
    public enum Side: String, Codable, Sendable, CaseIterable { case mentor, mentee }
    public var userId: UUID
    public var side: Side?
    public var status: BookingStatus?
    public var from: Instant?
    public var to: Instant?
    public var after: (start: Instant, id: UUID)?
    public var limit: Int

    public init(userId: UUID, side: Side?, status: BookingStatus?, from: Instant?, to: Instant?, after: (start: Instant, id: UUID)?, limit: Int) {
        self.userId = userId
        self.side = side
        self.status = status
        self.from = from
        self.to = to
        self.after = after
        self.limit = limit
    }
}

/// The durable side of scheduling: availability, holds, bookings, group sessions, forms and agendas. Every state
/// change writes its outbox event (and, where it matters, its audit entry) in the same transaction; the database's
/// constraints are the last word on overlaps and seats. It also releases due escrows and schedules reminders
/// (``EscrowReleasing``, ``ReminderScheduling``). Profiles and search are ``MentorDirectory``'s, reviews
/// ``ReviewStore``'s (one store may implement all three).
public protocol BookingStore: EscrowReleasing, ReminderScheduling, Sendable {
    /// A mentor's profile (its session types and prices decide what may be booked).
    func profile(mentorId: UUID) async throws -> MentorProfile?
    /// Replaces a mentor's availability and recomputes their free time for search by `freeRuns`.
    func saveAvailability(mentorId: UUID, rules: AvailabilityRules, now: Instant, audit: AuditEntry?, freeRuns: FreeRunPolicy) async throws
    /// A mentor's availability.
    func availability(mentorId: UUID) async throws -> AvailabilityRules?
    /// Busy time (confirmed sessions and live holds) overlapping `[from, to)`.
    func busy(mentorId: UUID, from: Instant, to: Instant, now: Instant) async throws -> [BusyInterval]
    /// Places a hold or a booking under the mentor's lock if `slot` is free (``SlotRequest/check(_:)``); returns the booking and
    /// whether it is the replay of an earlier call with the same idempotency key. Every write below that changes a
    /// mentor's free time recomputes their free runs for search by `freeRuns`, in the same transaction.
    func place(_ request: PlaceBooking, now: Instant, freeRuns: FreeRunPolicy, slot: SlotRequest) async throws -> (Booking, replayed: Bool)
    /// Creates a group session.
    func createGroup(_ session: NewGroupSession, now: Instant, freeRuns: FreeRunPolicy) async throws -> Booking
    /// Takes a seat in a group session (counted under a row lock; `capacityFull` when none is left).
    /// When no seat can be counted, it takes nothing and returns the group session as it is (or `nil`: there is none)
    /// for the caller to say why.
    func join(groupSessionId: UUID, menteeId: UUID, now: Instant, audit: AuditEntry?) async throws -> GroupJoinOutcome
    /// Cancels a confirmed booking or hold that has not started (a group session cancels its seats too, refunding
    /// them); held escrow goes where the `escrow` rule says for the booking under its lock (a release split by
    /// `fees`), frozen escrow is refunded, in the same transaction.
    func cancel(
        bookingId: UUID, by actorId: UUID, reason: String?, now: Instant, audit: AuditEntry?, escrow: LateCancellationRule, fees: PlatformFeePolicy,
        freeRuns: FreeRunPolicy
    ) async throws -> Booking
    /// Moves a 1:1 booking to a new start in one transaction if `slot` is free there; `proposalChanged` (nothing moves)
    /// when `slot` answers a proposal that is no longer the pending one.
    func reschedule(
        bookingId: UUID, start: Instant, now: Instant, audit: AuditEntry?, freeRuns: FreeRunPolicy, slot: SlotRequest
    ) async throws -> RescheduleOutcome
    /// Records (or, with `start` nil, clears) a reschedule proposal on a confirmed 1:1 booking that has not started.
    func setRescheduleProposal(bookingId: UUID, start: Instant?, by proposer: UUID?, now: Instant, audit: AuditEntry?) async throws -> Booking
    /// A mentor's group sessions that have not started and are not cancelled, in start order.
    func groupSessions(mentorId: UUID, now: Instant, limit: Int) async throws -> [Booking]
    /// One booking.
    func booking(id: UUID) async throws -> Booking?
    /// A user's bookings in start order.
    func bookings(_ query: BookingListQuery) async throws -> [Booking]
    /// Replaces a mentor's pre-session form.
    func saveTemplate(mentorId: UUID, questions: [FormQuestion]) async throws
    /// A mentor's pre-session form (empty when none).
    func template(mentorId: UUID) async throws -> [FormQuestion]
    /// Stores the mentee's answers on a booking that has not started.
    func saveAgenda(bookingId: UUID, answers: [String: String], now: Instant) async throws -> Booking
}
