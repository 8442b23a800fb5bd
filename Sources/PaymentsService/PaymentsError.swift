public import JSONRPC
public import MentorLinkCore

/// Errors of wallets, payments and payouts, each with its stable `error.data.reason`.
public enum PaymentsError: Error, RPCErrorConvertible {
    case core(CoreError)
    case invalid([FieldProblem])
    case provider(GatewayError)
    /// The provider's answer was not final (a timeout, 409, 5xx) and its record does not show the outcome yet: the
    /// payout or refund stays pending and is settled later by the provider's record (`payouts.settle`, a webhook).
    case pending(String)

    static func invalid(_ field: String, _ problem: String) -> PaymentsError { .invalid([FieldProblem(field: field, problem: problem)]) }

    public var rpcError: RPCError {
        switch self {
        case .invalid(let problems): .invalidParams(problems)
        case .provider(let error):
            RPCError(code: -32031, message: "The payment provider refused or could not be reached", reason: "provider_error",
                     data: ["status": .int(Int64(error.status))])
        case .pending(let what):
            RPCError(code: -32032, message: "The provider has not confirmed the \(what) yet; it stays pending until the provider's record settles it",
                     reason: "provider_pending")
        case .core(.insufficientCredits): RPCError(code: -32030, message: "Not enough credits", reason: "insufficient_credits")
        case .core(.inDebt(let owed)):
            RPCError(code: -32033, message: "You owe \(owed) credits: a top-up repays them first", reason: "in_debt", data: ["owed": .int(owed)])
        case .core(.notFound): RPCError(code: -32004, message: "Not found", reason: "not_found")
        case .core(.forbidden(let why)): RPCError(code: -32003, message: "Forbidden: \(why)", reason: "forbidden")
        case .core(.invalidState(let why)): RPCError(code: -32025, message: "Not possible now: \(why)", reason: "invalid_state")
        case .core(.idempotencyMismatch):
            RPCError(code: -32026, message: "This idempotency key was used with different parameters", reason: "idempotency_mismatch")
        case .core(.unavailable(let what)): .unavailable(what)
        case .core: .internalError()
        }
    }
}

/// Runs a store or gateway call, turning the core's and the providers' errors into this module's.
func mapped<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as CoreError {
        throw PaymentsError.core(error)
    } catch let error as GatewayError {
        throw PaymentsError.provider(error)
    }
}
