public import JSONRPC

/// Errors of subscriptions and notifications, each with its stable `error.data.reason`.
public enum RealtimeError: Error, RPCErrorConvertible {
    case webSocketRequired
    case tooManySubscriptions(Int)
    case unknownSubscription
    case sessionClosed
    case invalid([FieldProblem])

    public var rpcError: RPCError {
        switch self {
        case .webSocketRequired:
            RPCError(code: -32040, message: "Subscriptions need a WebSocket (GET /rpc/ws)", reason: "websocket_required")
        case .tooManySubscriptions(let limit):
            RPCError(code: -32041, message: "At most \(limit) subscriptions per connection", reason: "too_many_subscriptions")
        case .unknownSubscription: RPCError(code: -32004, message: "No such subscription on this connection", reason: "not_found")
        case .sessionClosed: RPCError(code: -32045, message: "The connection closed while subscribing", reason: "session_closed")
        case .invalid(let problems): .invalidParams(problems)
        }
    }
}
