public import JSONRPC
import MentorLinkCore
import ServiceSupport

/// Errors of the identity and audit services, each with its stable reason; the cases the core shares render as the
/// core's (``MentorLinkCore/CoreError/rpcError``).
public enum IdentityError: Error, RPCErrorConvertible, Equatable {
    case unauthenticated
    case invalidCredentials
    case forbidden(String)
    case emailTaken
    case weakPassword(String)
    case rateLimited(retryAfter: Int)
    case tokenReused
    case accountDisabled
    case notFound
    case unavailable(String)
    case internalFailure(String)
    /// The method sets cookies, which only an HTTP response can carry (`identity.refresh` over a WebSocket).
    case httpRequired

    public var rpcError: RPCError {
        switch self {
        case .unauthenticated: .unauthenticated()
        case .invalidCredentials: ErrorCode.invalidCredentials.error("Invalid email or password")
        case .forbidden(let why): CoreError.forbidden(why).rpcError
        case .emailTaken: CoreError.emailTaken.rpcError
        case .weakPassword(let rule): ErrorCode.weakPassword.error("Password must be \(rule)")
        case .rateLimited(let retryAfter): .rateLimited(retryAfter: retryAfter)
        case .tokenReused: ErrorCode.tokenReused.error("Refresh token reuse detected; the session was revoked")
        case .accountDisabled: ErrorCode.accountDisabled.error("Account disabled")
        case .notFound: CoreError.notFound.rpcError
        case .unavailable(let what): CoreError.unavailable(what).rpcError
        case .internalFailure: .internalError()
        case .httpRequired: ErrorCode.httpRequired.error("Call this over HTTP (POST /rpc): it sets cookies a WebSocket cannot")
        }
    }
}
