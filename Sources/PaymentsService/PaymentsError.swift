public import JSONRPC
public import MentorLinkCore
import ServiceSupport

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
            ErrorCode.providerError.error("The payment provider refused or could not be reached", data: ["status": .int(Int64(error.status))])
        case .pending(let what):
            ErrorCode.providerPending.error("The provider has not confirmed the \(what) yet; it stays pending until the provider's record settles it")
        case .core(let error): error.rpcError
        }
    }
}

/// Runs a store or gateway call, turning the core's and the providers' errors into this module's.
func mapped<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as CoreError { throw PaymentsError.core(error) } catch let error as GatewayError {
        throw PaymentsError.provider(error)
    }
}
