public import JSONRPC
public import MentorLinkCore
import ServiceSupport

/// Errors of `recordings.*`, each with its stable `error.data.reason`.
public enum RecordingError: Error, RPCErrorConvertible {
    case invalid([FieldProblem])
    /// No such room or recording (or not one the caller takes part in).
    case notFound
    /// The caller may not do this.
    case forbidden(String)
    /// The booking was made without consent to record.
    case noConsent
    /// Not possible in the recording's state (`invalid_state`), e.g. deleting one that is still recorded or processed.
    case busy(String)
    /// The object store or the database cannot be reached; retry.
    case unavailable(String)

    public var rpcError: RPCError {
        switch self {
        case .invalid(let problems): .invalidParams(problems)
        case .notFound: ErrorCode.notFound.error("No such recording or room")
        case .forbidden(let why): CoreError.forbidden(why).rpcError
        case .noConsent: ErrorCode.forbidden.error("This session was booked without consent to record", data: ["consent": .bool(false)])
        case .busy(let why): CoreError.invalidState(why).rpcError
        case .unavailable(let why): CoreError.unavailable(why).rpcError
        }
    }
}
