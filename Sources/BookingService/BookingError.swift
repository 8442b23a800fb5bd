public import JSONRPC
public import MentorLinkCore
import ServiceSupport

/// Errors of booking, each with its stable `error.data.reason`.
public enum BookingError: Error, RPCErrorConvertible, Equatable {
    case core(CoreError)
    case invalid([FieldProblem])
    case unknownSessionType(Int)
    case agendaInvalid([FieldProblem])
    /// The reschedule proposal being accepted is not (or no longer) the one the responder saw.
    case proposalChanged

    /// A single bad field.
    static func invalid(_ field: String, _ problem: String) -> BookingError { .invalid([FieldProblem(field: field, problem: problem)]) }

    public var rpcError: RPCError {
        switch self {
        case .invalid(let problems): .invalidParams(problems)
        case .unknownSessionType(let minutes): ErrorCode.outsideAvailability.error("The mentor offers no \(minutes)-minute session")
        case .agendaInvalid(let problems):
            ErrorCode.invalidAgenda.error("The answers do not fit the mentor's form", data: RPCError.fieldsData(problems))
        case .proposalChanged: ErrorCode.proposalChanged.error("The reschedule proposal changed since you saw it: look at it again")
        case .core(let error): error.rpcError
        }
    }
}

/// Runs a store call, turning the core's errors into this module's.
func mapped<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as CoreError { throw BookingError.core(error) }
}
