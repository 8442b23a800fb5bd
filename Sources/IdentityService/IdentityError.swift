public import JSONRPC

/// Errors of the identity and audit services, each with its stable reason.
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
        case .invalidCredentials: RPCError(code: -32002, message: "Invalid email or password", reason: "invalid_credentials")
        case .forbidden(let why): RPCError(code: -32003, message: "Forbidden: \(why)", reason: "forbidden")
        case .emailTaken: RPCError(code: -32010, message: "Email already registered", reason: "email_taken")
        case .weakPassword(let rule): RPCError(code: -32011, message: "Password must be \(rule)", reason: "weak_password")
        case .rateLimited(let retryAfter): .rateLimited(retryAfter: retryAfter)
        case .tokenReused: RPCError(code: -32012, message: "Refresh token reuse detected; the session was revoked", reason: "token_reused")
        case .accountDisabled: RPCError(code: -32013, message: "Account disabled", reason: "account_disabled")
        case .notFound: RPCError(code: -32004, message: "Not found", reason: "not_found")
        case .unavailable(let what): .unavailable(what)
        case .internalFailure: .internalError()
        case .httpRequired:
            RPCError(code: -32014, message: "Call this over HTTP (POST /rpc): it sets cookies a WebSocket cannot", reason: "http_required")
        }
    }
}
