public import JSONRPC
public import MentorLinkCore

/// The one mapping of the core's errors to the wire: every service renders them through it.
///
/// The conformance also means a `CoreError` that reaches the dispatcher without being wrapped in a service's error
/// answers with its own code and reason (a write during a PostgreSQL outage is -32050 `unavailable`), not -32603.
extension CoreError: RPCErrorConvertible {
    /// The client-facing error: code and reason from ``ErrorCode``, a message safe to show.
    public var rpcError: RPCError {
        switch self {
        case .slotTaken: ErrorCode.slotTaken.error("That time was just taken")
        case .outsideAvailability: ErrorCode.outsideAvailability.error("That time is not one of the mentor's free slots")
        case .minNotice: ErrorCode.minNotice.error("That time is inside the mentor's minimum notice")
        case .capacityFull: ErrorCode.capacityFull.error("The session is full")
        case .holdExpired: ErrorCode.holdExpired.error("The hold has expired")
        case .invalidState(let why): ErrorCode.invalidState.error("Not possible now: \(why)")
        case .notFound: ErrorCode.notFound.error("Not found")
        case .forbidden(let why): ErrorCode.forbidden.error("Forbidden: \(why)")
        case .idempotencyMismatch: ErrorCode.idempotencyMismatch.error("This idempotency key was used with different parameters")
        case .duplicate(let what): ErrorCode.already(what).error("Already \(what)")
        case .insufficientCredits: ErrorCode.insufficientCredits.error("Not enough credits")
        case .emailTaken: ErrorCode.emailTaken.error("Email already registered")
        case .mentorUnavailable: ErrorCode.mentorUnavailable.error("This mentor cannot be booked")
        case .menteeBusy: ErrorCode.menteeBusy.error("You already have a session at that time")
        case .tooManyHolds(let why): ErrorCode.tooManyHolds.error("Too many live holds (\(why)): confirm or cancel one first")
        case .inDebt(let owed): ErrorCode.inDebt.error("You owe \(owed) credits: a top-up repays them first", data: ["owed": .int(owed)])
        case .unavailable(let what): .unavailable(what)
        }
    }
}
