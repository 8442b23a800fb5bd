public import JSONRPC
public import MentorLinkCore
import ServiceSupport

/// Errors of subscriptions, notifications and rooms, each with its stable `error.data.reason`.
public enum RealtimeError: Error, RPCErrorConvertible {
    case webSocketRequired
    case tooManySubscriptions(Int)
    case unknownSubscription
    case sessionClosed
    case invalid([FieldProblem])
    /// No such room (or not one the caller can see).
    case roomNotFound
    /// The caller may not do this in the room.
    case forbidden(String)
    /// The caller is muted in the room.
    case muted
    /// More people than a full mesh can carry.
    case meshFull(Int)
    /// The room is outside its opening window.
    case roomClosed(opens: Instant, closes: Instant)
    /// The SFU the room needs cannot be reached (or is not configured); retryable.
    case sfuUnavailable(String)

    public var rpcError: RPCError {
        switch self {
        case .webSocketRequired: ErrorCode.webSocketRequired.error("Subscriptions need a WebSocket (GET /rpc/ws)")
        case .tooManySubscriptions(let limit): ErrorCode.tooManySubscriptions.error("At most \(limit) subscriptions per connection")
        case .unknownSubscription: ErrorCode.notFound.error("No such subscription on this connection")
        case .sessionClosed: ErrorCode.sessionClosed.error("The connection closed while subscribing")
        case .invalid(let problems): .invalidParams(problems)
        case .roomNotFound: ErrorCode.notFound.error("No such room")
        case .forbidden(let why): CoreError.forbidden(why).rpcError
        case .muted: ErrorCode.muted.error("You are muted in this room")
        case .meshFull(let cap): ErrorCode.meshFull.error("More than \(cap) people: a full mesh cannot carry this call")
        case .sfuUnavailable: RPCError.unavailable("sfu")
        case .roomClosed(let opens, let closes):
            ErrorCode.roomClosed.error(
                "The room is open from \(opens) until \(closes)", data: ["opens": .string(opens.description), "closes": .string(closes.description)])
        }
    }
}
