public import JSONRPC
public import MentorLinkCore

/// Errors of discovery and booking, each with its stable `error.data.reason`.
public enum BookingError: Error, RPCErrorConvertible, Equatable {
    case core(CoreError)
    case invalid([FieldProblem])
    case notAMentor
    case unknownSessionType(Int)
    case agendaInvalid([FieldProblem])
    /// The reschedule proposal being accepted is not (or no longer) the one the responder saw.
    case proposalChanged

    /// A single bad field.
    static func invalid(_ field: String, _ problem: String) -> BookingError { .invalid([FieldProblem(field: field, problem: problem)]) }

    public var rpcError: RPCError {
        switch self {
        case .invalid(let problems): return .invalidParams(problems)
        case .notAMentor: return RPCError(code: -32004, message: "No such mentor", reason: "not_found")
        case .unknownSessionType(let minutes):
            return RPCError(code: -32020, message: "The mentor offers no \(minutes)-minute session", reason: "outside_availability")
        case .agendaInvalid(let problems):
            return RPCError(
                code: -32602, message: "The answers do not fit the mentor's form", reason: "invalid_agenda",
                data: RPCError.fieldsData(problems))
        case .proposalChanged:
            return RPCError(code: -32017, message: "The reschedule proposal changed since you saw it: look at it again", reason: "proposal_changed")
        case .core(let error): return Self.rpcError(error)
        }
    }

    static func rpcError(_ error: CoreError) -> RPCError {
        switch error {
        case .slotTaken: RPCError(code: -32021, message: "That time was just taken", reason: "slot_taken")
        case .outsideAvailability: RPCError(code: -32020, message: "That time is not one of the mentor's free slots", reason: "outside_availability")
        case .minNotice: RPCError(code: -32022, message: "That time is inside the mentor's minimum notice", reason: "min_notice")
        case .capacityFull: RPCError(code: -32023, message: "The session is full", reason: "capacity_full")
        case .holdExpired: RPCError(code: -32024, message: "The hold has expired", reason: "hold_expired")
        case .invalidState(let why): RPCError(code: -32025, message: "Not possible now: \(why)", reason: "invalid_state")
        case .notFound: RPCError(code: -32004, message: "Not found", reason: "not_found")
        case .forbidden(let why): RPCError(code: -32003, message: "Forbidden: \(why)", reason: "forbidden")
        case .idempotencyMismatch:
            RPCError(code: -32026, message: "This idempotency key was used with different parameters", reason: "idempotency_mismatch")
        case .duplicate(let what): RPCError(code: -32027, message: "Already \(what)", reason: "already_\(what)")
        case .insufficientCredits: RPCError(code: -32030, message: "Not enough credits", reason: "insufficient_credits")
        case .emailTaken: RPCError(code: -32010, message: "Email already registered", reason: "email_taken")
        case .mentorUnavailable: RPCError(code: -32028, message: "This mentor cannot be booked", reason: "mentor_unavailable")
        case .menteeBusy: RPCError(code: -32019, message: "You already have a session at that time", reason: "mentee_busy")
        case .tooManyHolds(let why):
            RPCError(code: -32018, message: "Too many live holds (\(why)): confirm or cancel one first", reason: "too_many_holds")
        case .inDebt(let owed):
            RPCError(code: -32033, message: "You owe \(owed) credits: a top-up repays them first", reason: "in_debt", data: ["owed": .int(owed)])
        case .unavailable(let what): .unavailable(what)
        }
    }
}

/// Runs a store call, turning the core's errors into this module's.
func mapped<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as CoreError {
        throw BookingError.core(error)
    }
}
