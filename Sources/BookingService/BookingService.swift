import Foundation
public import JSONRPC
public import MentorLinkCore
import ServiceSupport

/// Booking: `availability.*` (rules, slots), `booking.*` and `sessions.*` (holds, race-free 1:1 bookings, group
/// seats, cancel and reschedule), `forms.*` and the agenda. One service over one store; each part registers its
/// methods from its own file. Profiles and search are the discovery service's, reviews the feedback service's.
public struct BookingService: RPCService {
    let store: any BookingStore
    let configuration: BookingConfiguration
    let availability: (any AvailabilityNotifying)?

    /// Creates the service; `availability` hears of every change to a mentor's free slots (none: nobody is told).
    public init(store: any BookingStore, configuration: BookingConfiguration, availability: (any AvailabilityNotifying)? = nil) {
        self.store = store
        self.configuration = configuration
        self.availability = availability
    }

    public func register(into registry: inout MethodRegistry) {
        registerAvailability(into: &registry)
        registerBookings(into: &registry)
        registerForms(into: &registry)
    }

    func registerBookings(into registry: inout MethodRegistry) {
        registry.register("booking.hold", summary: "Hold a free slot for a few minutes.", access: .authenticated, rateLimit: .booking, handler: hold)
        registry.register(
            "booking.create", summary: "Book a free slot (or a held one); an idempotency key makes retries safe.", access: .authenticated,
            rateLimit: .booking, idempotent: true, handler: create)
        registry.register(
            "sessions.createGroup", summary: "Create a group session with a seat count.", access: .only(.mentor), rateLimit: .booking,
            handler: createGroup)
        registry.register(
            "sessions.listGroups", summary: "A mentor's upcoming group sessions (with seats taken).", access: .public, handler: listGroups)
        registry.register("booking.join", summary: "Take a seat in a group session.", access: .authenticated, rateLimit: .booking, handler: join)
        registry.register(
            "booking.cancel", summary: "Cancel a booking, hold, seat or group session; returns the policy.", access: .authenticated,
            rateLimit: .booking, handler: cancel)
        registry.register(
            "booking.cancelPreview",
            summary: "The cancellation policy that would apply if you cancelled now (refund or release, late or not); changes nothing.",
            access: .authenticated, handler: cancelPreview)
        registry.register(
            "booking.reschedule",
            summary:
                "Move a 1:1 booking to another free slot (at once for an admin, or the mentee outside the late-cancellation window; else a proposal the other side answers).",
            access: .authenticated, rateLimit: .booking, handler: reschedule)
        registry.register(
            "booking.respondReschedule",
            summary:
                "Accept (the booking moves) or decline the other participant's reschedule proposal; send back the proposedStart you saw (proposal_changed if it changed).",
            access: .authenticated, rateLimit: .booking, handler: respondReschedule)
        registry.register("booking.list", summary: "Your bookings in start order.", access: .authenticated, handler: list)
        registry.register("booking.get", summary: "One booking (its participants and admins).", access: .authenticated, handler: get)
    }

    /// Checks a 1:1 session length against the mentor's session types (any length, free, when they list none);
    /// returns its price in credits.
    @discardableResult func checkLength(mentorId: UUID, minutes: Int) async throws -> Int {
        guard configuration.sessionMinutes.contains(minutes) else { throw BookingError.invalid("minutes", "5 to 480") }
        let offered = (try await store.profile(mentorId: mentorId))?.sessionTypes.filter { $0.kind == .oneOnOne } ?? []
        if offered.isEmpty { return 0 }
        guard let type = offered.first(where: { $0.minutes == minutes }) else { throw BookingError.unknownSessionType(minutes) }
        return type.priceCredits
    }

    func hold(_ params: HoldParams, _ context: RPCContext) async throws -> HoldResult {
        let caller = try context.caller()
        guard params.mentorId != caller.id else { throw BookingError.core(.forbidden("you cannot book yourself")) }
        let price = try await checkLength(mentorId: params.mentorId, minutes: params.minutes)
        let now = configuration.now()
        var request = PlaceBooking(
            mentorId: params.mentorId, menteeId: caller.id, start: params.start, end: params.start.adding(minutes: params.minutes), status: .held,
            holdExpiresAt: now.adding(minutes: configuration.holdMinutes), priceCredits: price)
        request.holdLimits = configuration.holdLimits
        let (booking, _) = try await mapped {
            try await store.place(
                request, now: now, freeRuns: configuration.freeRuns, slot: SlotRequest(start: params.start, minutes: params.minutes))
        }
        await availability?.availabilityChanged(mentorId: params.mentorId, reason: "booking.held")
        return HoldResult(holdId: booking.id, expiresAt: booking.holdExpiresAt ?? request.holdExpiresAt!, booking: booking)
    }

    func create(_ params: CreateBookingParams, _ context: RPCContext) async throws -> BookingResult {
        let caller = try context.caller()
        guard params.mentorId != caller.id else { throw BookingError.core(.forbidden("you cannot book yourself")) }
        let price = try await checkLength(mentorId: params.mentorId, minutes: params.minutes)
        if let agenda = params.agenda { try AgendaValidator(questions: try await store.template(mentorId: params.mentorId)).validate(agenda) }
        let now = configuration.now()
        let end = params.start.adding(minutes: params.minutes)
        let request = PlaceBooking(
            mentorId: params.mentorId, menteeId: caller.id, start: params.start, end: end, status: .confirmed, holdId: params.holdId,
            idempotencyKey: params.idempotencyKey, requestHash: "\(params.mentorId)|\(params.start)|\(params.minutes)", agenda: params.agenda,
            priceCredits: price,
            audit: context.auditEntry("booking.create", details: ["mentor": params.mentorId.uuidString, "start": params.start.description]))
        let (booking, replayed) = try await mapped {
            try await store.place(
                request, now: now, freeRuns: configuration.freeRuns, slot: SlotRequest(start: params.start, minutes: params.minutes))
        }
        if !replayed { await availability?.availabilityChanged(mentorId: params.mentorId, reason: "booking.created") }
        return BookingResult(booking: booking, replayed: replayed ? true : nil)
    }

    func createGroup(_ params: CreateGroupParams, _ context: RPCContext) async throws -> BookingResult {
        let caller = try context.caller()
        var checks = FieldChecks()
        checks.range(params.minutes, configuration.sessionMinutes, "minutes")
        checks.range(params.capacity, 1...configuration.maxGroupCapacity, "capacity")
        let title = params.title.trimmingCharacters(in: .whitespacesAndNewlines)
        checks.length(title, 1...200, "title")
        checks.maxLength(params.topic, 200, "topic")
        checks.range(params.priceCredits, 0...100_000, "priceCredits")
        let now = configuration.now()
        checks.expect(params.start > now, "start", "in the future")
        try checks.check()
        let session = NewGroupSession(
            mentorId: caller.id, start: params.start, end: params.start.adding(minutes: params.minutes), capacity: params.capacity, title: title,
            topic: params.topic, priceCredits: params.priceCredits ?? 0, audit: context.auditEntry("sessions.create_group"))
        let created = try await mapped { try await store.createGroup(session, now: now, freeRuns: configuration.freeRuns) }
        await availability?.availabilityChanged(mentorId: caller.id, reason: "group.created")
        return BookingResult(booking: created)
    }

    func listGroups(_ params: MentorIdParams, _ context: RPCContext) async throws -> BookingPage {
        BookingPage(items: try await store.groupSessions(mentorId: params.mentorId, now: configuration.now(), limit: 100), nextCursor: nil)
    }

    func join(_ params: JoinParams, _ context: RPCContext) async throws -> BookingResult {
        let caller = try context.caller()
        let now = configuration.now()
        let outcome = try await mapped {
            try await store.join(
                groupSessionId: params.groupSessionId, menteeId: caller.id, now: now,
                audit: context.auditEntry("booking.join", details: ["group": params.groupSessionId.uuidString]))
        }
        switch outcome {
        case .joined(let seat): return BookingResult(booking: seat)
        case .refused(let group): throw BookingError.core(Self.joinRefusal(group, menteeId: caller.id, now: now))
        }
    }

    /// Why no seat was taken in `group` (as the store found it under its row lock; `nil`: no such session).
    static func joinRefusal(_ group: Booking?, menteeId: UUID, now: Instant) -> CoreError {
        guard let group else { return .notFound }
        if group.mentorId == menteeId { return .forbidden("mentors cannot join their own session") }
        if group.status != .confirmed || group.start <= now {
            return .invalidState("the session is \(group.status == .confirmed ? "over" : group.status.rawValue)")
        }
        return .capacityFull
    }

    func cancel(_ params: CancelParams, _ context: RPCContext) async throws -> CancelResult {
        let caller = try context.caller()
        if let reason = params.reason, reason.count > 1000 { throw BookingError.invalid("reason", "at most 1000 characters") }
        let (current, side, rule) = try await cancellation(params.bookingId, by: caller)
        let booking = try await mapped {
            try await store.cancel(
                bookingId: current.id, by: caller.id, reason: params.reason, now: rule.now,
                audit: context.auditEntry("booking.cancel", details: ["by": side]), escrow: rule, fees: configuration.platformFee,
                freeRuns: configuration.freeRuns)
        }
        if booking.kind != .groupSeat { await availability?.availabilityChanged(mentorId: booking.mentorId, reason: "booking.cancelled") }
        return CancelResult(booking: booking, policy: policy(booking, side: side, rule: rule, escrow: booking.escrowState))
    }

    /// What `booking.cancel` would answer as its policy now, without cancelling: where the held price would go (the
    /// store decides it under its lock when it happens; a booking that changes meanwhile may end otherwise).
    func cancelPreview(_ params: BookingIdParams, _ context: RPCContext) async throws -> CancelPreviewResult {
        let caller = try context.caller()
        let (booking, side, rule) = try await cancellation(params.bookingId, by: caller)
        let escrow: String =
            switch booking.escrowState {
            case "held": rule.decision(for: booking) == .release ? "released" : "refunded"
            case "frozen": "refunded"
            default: booking.escrowState
            }
        return CancelPreviewResult(booking: booking, policy: policy(booking, side: side, rule: rule, escrow: escrow))
    }

    /// The booking a cancellation by `caller` is of, the side they cancel as, and the rule for its escrow.
    func cancellation(_ bookingId: UUID, by caller: Caller) async throws -> (Booking, side: String, rule: LateCancellationRule) {
        guard let current = try await store.booking(id: bookingId) else { throw BookingError.core(.notFound) }
        guard current.involves(caller.id) || caller.isAdmin else { throw BookingError.core(.forbidden("not your booking")) }
        let side = caller.id == current.mentorId ? "mentor" : caller.id == current.menteeId ? "mentee" : "admin"
        // Full refund when the mentor (or an admin) cancels, or the mentee does with enough notice.
        let rule = LateCancellationRule(
            byMentee: side == "mentee", lateNotice: .seconds(configuration.lateCancellationHours * 3600), now: configuration.now())
        return (current, side, rule)
    }

    /// The policy a cancellation of `booking` by `side` under `rule` is answered with; `escrow` says where the price went.
    func policy(_ booking: Booking, side: String, rule: LateCancellationRule, escrow: String) -> CancellationPolicy {
        CancellationPolicy(
            cancellableUntil: booking.start, lateNoticeHours: configuration.lateCancellationHours, late: rule.isLate(booking), cancelledBy: side,
            summary: "Either participant may cancel until the session starts. Cancelled by the mentor (or an admin), or by the mentee at least "
                + "\(configuration.lateCancellationHours) hours ahead: the price is refunded in full. Cancelled by the mentee later: no refund, "
                + "the price goes to the mentor. A group session is cancelled by its mentor, with every seat refunded.", escrow: escrow)
    }

    /// The reschedule policy, in one place. An admin moves a booking at once; so does the mentee while the session is
    /// still outside the late-cancellation window (they could cancel for a full refund then anyway). Anything else
    /// (the mentor, or the mentee inside the window) is a proposal the other participant accepts or declines with
    /// `booking.respondReschedule`: nobody moves a paid session without the other's consent.
    func reschedule(_ params: RescheduleParams, _ context: RPCContext) async throws -> BookingResult {
        let caller = try context.caller()
        guard let current = try await store.booking(id: params.bookingId) else { throw BookingError.core(.notFound) }
        guard current.involves(caller.id) || caller.isAdmin else { throw BookingError.core(.forbidden("not your booking")) }
        let now = configuration.now()
        guard params.start > now else { throw BookingError.invalid("start", "in the future") }
        // Both the current and the new start outside the window: a mentee cannot move a session to minutes away alone.
        let window = Double(configuration.lateCancellationHours) * 3600
        let outsideLateWindow = current.start.date.timeIntervalSince(now.date) >= window && params.start.date.timeIntervalSince(now.date) >= window
        let movesAlone = caller.isAdmin && !current.involves(caller.id) || caller.id == current.menteeId && outsideLateWindow
        guard movesAlone else {
            // Checked now so a proposal names a time that is free; checked again when accepted.
            let minutes = Int(current.end.epochSeconds - current.start.epochSeconds) / 60
            guard let rules = try await store.availability(mentorId: current.mentorId), let calculator = SlotCalculator(rules: rules) else {
                throw BookingError.core(.outsideAvailability)
            }
            let busy = try await store.busy(
                mentorId: current.mentorId, from: params.start.adding(minutes: -2 * 1440), to: params.start.adding(minutes: 2 * 1440), now: now)
            guard calculator.isFree(start: params.start, minutes: minutes, busy: busy.filter { $0.start != current.start || $0.isHold }, now: now)
            else { throw BookingError.core(.slotTaken) }
            let booking = try await mapped {
                try await store.setRescheduleProposal(
                    bookingId: current.id, start: params.start, by: caller.id, now: now,
                    audit: context.auditEntry(
                        "booking.reschedule_proposed", details: ["from": current.start.description, "to": params.start.description]))
            }
            return BookingResult(booking: booking, pendingAcceptance: true)
        }
        return BookingResult(booking: try await move(current, to: params.start, now: now, context: context))
    }

    /// The other participant's answer to a reschedule proposal: accepted, the booking moves (if the time is still
    /// free); declined, the proposal is cleared and the booking stays. An accept moves the booking only to the
    /// proposal it answers: the one the client saw (`proposedStart`, when sent) and, under the booking's lock, still
    /// the pending one by the same proposer (`proposal_changed` otherwise).
    func respondReschedule(_ params: RescheduleAnswerParams, _ context: RPCContext) async throws -> BookingResult {
        let caller = try context.caller()
        guard let current = try await store.booking(id: params.bookingId) else { throw BookingError.core(.notFound) }
        guard current.involves(caller.id) else { throw BookingError.core(.forbidden("not your booking")) }
        guard let proposed = current.proposedStart, let proposer = current.proposedBy else {
            throw BookingError.core(.invalidState("no reschedule is waiting for an answer"))
        }
        let now = configuration.now()
        guard proposer != caller.id || !params.accept else { throw BookingError.core(.forbidden("the other participant answers a proposal")) }
        guard params.accept else {
            let booking = try await mapped {
                try await store.setRescheduleProposal(
                    bookingId: current.id, start: nil, by: nil, now: now, audit: context.auditEntry("booking.reschedule_declined"))
            }
            return BookingResult(booking: booking)
        }
        if let seen = params.proposedStart, !Self.sameMoment(seen, proposed) { throw BookingError.proposalChanged }
        return BookingResult(booking: try await move(current, to: proposed, now: now, context: context, answering: proposer))
    }

    /// Two instants within a millisecond (a client echoes the start it was shown; the database keeps microseconds).
    static func sameMoment(_ a: Instant, _ b: Instant) -> Bool { abs(a.date.timeIntervalSince(b.date)) < 0.001 }

    /// Moves the booking; `answering` a proposal by that proposer, only while it is still the pending proposal.
    private func move(
        _ current: Booking, to start: Instant, now: Instant, context: RPCContext, answering proposer: UUID? = nil
    ) async throws -> Booking {
        let minutes = Int(current.end.epochSeconds - current.start.epochSeconds) / 60
        let slot = SlotRequest(start: start, minutes: minutes, answering: proposer.map { SlotRequest.Proposal(start: start, proposer: $0) })
        let outcome = try await mapped {
            try await store.reschedule(
                bookingId: current.id, start: start, now: now,
                audit: context.auditEntry("booking.reschedule", details: ["from": current.start.description, "to": start.description]),
                freeRuns: configuration.freeRuns, slot: slot)
        }
        guard case .moved(let booking) = outcome else { throw BookingError.proposalChanged }
        await availability?.availabilityChanged(mentorId: booking.mentorId, reason: "booking.rescheduled")
        return booking
    }

    func list(_ params: ListBookingsParams, _ context: RPCContext) async throws -> BookingPage {
        let caller = try context.caller()
        let limit = params.limit ?? 50
        guard (1...200).contains(limit) else { throw BookingError.invalid("limit", "1 to 200") }
        let cursors = configuration.cursors
        let after = try cursors.cursorParam(params.cursor, scope: "booking.list", timeKeyed: true)
        let items = try await store.bookings(
            BookingListQuery(
                userId: caller.id, side: params.as, status: params.status, from: params.from, to: params.to,
                after: after.flatMap { position in position.instant.map { ($0, position.id) } }, limit: limit))
        let next = cursors.nextCursor(items, limit: limit, scope: "booking.list") { PageCursor(instant: $0.start, id: $0.id) }
        return BookingPage(items: items, nextCursor: next)
    }

    func get(_ params: BookingIdParams, _ context: RPCContext) async throws -> BookingResult {
        let caller = try context.caller()
        // A group session is public to signed-in users (they join it by id); anything else only to its participants.
        guard let booking = try await store.booking(id: params.bookingId) else { throw BookingError.core(.notFound) }
        guard booking.kind == .group || booking.involves(caller.id) || caller.isAdmin else { throw BookingError.core(.forbidden("not your booking")) }
        return BookingResult(booking: booking)
    }
}
