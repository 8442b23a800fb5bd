/// The rules of holds, applied by the booking store to the rows it reads under the mentor's lock.
public enum HoldRules {
    /// The hold `request` names, as the store found it (a 1:1 booking row, locked; `nil`: none), if it can become
    /// the booking: the mentee's own live hold with that mentor, for exactly that time.
    public static func namedHold(_ hold: Booking?, for request: PlaceBooking, now: Instant) throws -> Booking {
        guard let hold, hold.menteeId == request.menteeId, hold.mentorId == request.mentorId else { throw CoreError.notFound }
        guard hold.status == .held || hold.status == .expired else { throw CoreError.invalidState("the hold was already used or cancelled") }
        guard hold.status == .held, let expiry = hold.holdExpiresAt, expiry > now else { throw CoreError.holdExpired }
        guard hold.start == request.start, hold.end == request.end else { throw CoreError.invalidState("the hold is for another time") }
        return hold
    }

    /// Refuses one more live hold when the mentee already has `withMentor` with this mentor or `all` in all (``HoldLimits``).
    public static func checkCaps(withMentor: Int, all: Int, limits: HoldLimits) throws {
        if withMentor >= limits.perMentor { throw CoreError.tooManyHolds("\(limits.perMentor) with one mentor") }
        if all >= limits.total { throw CoreError.tooManyHolds("\(limits.total) in all") }
    }
}
