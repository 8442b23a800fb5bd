/// Errors of the core's ports that callers react to.
public enum CoreError: Error, Equatable, CustomStringConvertible {
    /// The email belongs to another account.
    case emailTaken
    /// A dependency cannot be reached; the call may be retried.
    case unavailable(String)
    /// The time is taken by another booking or hold (SQLSTATE 23P01 on the exclusion constraints).
    case slotTaken
    /// The time is not a free slot of the mentor's rules.
    case outsideAvailability
    /// The time is too close to now for the mentor's minimum notice.
    case minNotice
    /// The group session has no seat left.
    case capacityFull
    /// The hold is gone.
    case holdExpired
    /// The thing is not in a state that allows this.
    case invalidState(String)
    /// No such thing, or not visible to the caller.
    case notFound
    /// The caller may not do this.
    case forbidden(String)
    /// The idempotency key was used with different parameters.
    case idempotencyMismatch
    /// The mentee already has a seat / a review.
    case duplicate(String)
    /// The wallet cannot pay (a user account would go below zero).
    case insufficientCredits
    /// The mentor is disabled or no longer a mentor: nothing new can be booked with them.
    case mentorUnavailable
    /// The mentee already has a session (or a live hold) that overlaps this time.
    case menteeBusy
    /// The mentee holds as many live holds as allowed (with this mentor, or in all).
    case tooManyHolds(String)
    /// The user owes this many credits (a refund or dispute at the provider of credits already spent): nothing is
    /// paid out to them until a top-up has repaid it.
    case inDebt(Int64)

    public var description: String {
        switch self {
        case .emailTaken: "email taken"
        case .unavailable(let what): "\(what) unavailable"
        case .slotTaken: "slot taken"
        case .outsideAvailability: "outside availability"
        case .minNotice: "inside the minimum notice"
        case .capacityFull: "capacity full"
        case .holdExpired: "hold expired"
        case .invalidState(let why): "invalid state: \(why)"
        case .notFound: "not found"
        case .forbidden(let why): "forbidden: \(why)"
        case .idempotencyMismatch: "idempotency key reused with different parameters"
        case .duplicate(let what): "already \(what)"
        case .insufficientCredits: "insufficient credits"
        case .mentorUnavailable: "mentor unavailable"
        case .menteeBusy: "mentee busy"
        case .tooManyHolds(let why): "too many holds: \(why)"
        case .inDebt(let owed): "in debt: \(owed) credits owed"
        }
    }
}
