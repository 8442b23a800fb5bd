public import JSONRPC

/// An application error's stable JSON-RPC `code` and `error.data.reason`: the one table of them.
///
/// Clients branch on these, so a code or reason never changes once shipped. Each service's error type renders its
/// cases through this table (and the core's through ``MentorLinkCore/CoreError/rpcError``); the errors of the
/// central dispatch (`unauthenticated` -32001, `rate_limited` -32029, `unavailable` -32050, `response_too_large`
/// -32060) and of the JSON-RPC specification are `RPCError`'s own factories. `ErrorCodeTests` pins every entry.
public struct ErrorCode: Sendable, Hashable, CustomStringConvertible {
    /// The numeric JSON-RPC code.
    public let code: Int
    /// The stable machine-readable reason.
    public let reason: String

    init(_ code: Int, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The error with this code and reason, a client-safe `message` and any extra `data`.
    public func error(_ message: String, data: [String: JSONValue] = [:]) -> RPCError {
        RPCError(code: code, message: message, reason: reason, data: data)
    }

    public var description: String { "\(code) \(reason)" }
}

extension ErrorCode {
    // MARK: Identity
    /// -32002: the email or password is wrong.
    public static let invalidCredentials = ErrorCode(-32002, "invalid_credentials")
    /// -32003: the caller may not do this (also the central dispatch's role check, ``JSONRPC/RPCError/forbidden()``).
    public static let forbidden = ErrorCode(-32003, "forbidden")
    /// -32004: no such thing, or not visible to the caller.
    public static let notFound = ErrorCode(-32004, "not_found")
    /// -32010: the email belongs to another account.
    public static let emailTaken = ErrorCode(-32010, "email_taken")
    /// -32011: the password breaks the policy.
    public static let weakPassword = ErrorCode(-32011, "weak_password")
    /// -32012: a rotated refresh token was presented again; its family is revoked.
    public static let tokenReused = ErrorCode(-32012, "token_reused")
    /// -32013: the account is disabled.
    public static let accountDisabled = ErrorCode(-32013, "account_disabled")
    /// -32014: the method sets cookies, which only an HTTP response carries.
    public static let httpRequired = ErrorCode(-32014, "http_required")

    // MARK: Booking
    /// -32017: the reschedule proposal answered is not the one pending.
    public static let proposalChanged = ErrorCode(-32017, "proposal_changed")
    /// -32018: the mentee holds as many live holds as allowed.
    public static let tooManyHolds = ErrorCode(-32018, "too_many_holds")
    /// -32019: the mentee already has a session at that time.
    public static let menteeBusy = ErrorCode(-32019, "mentee_busy")
    /// -32020: the time (or session length) is not one the mentor offers.
    public static let outsideAvailability = ErrorCode(-32020, "outside_availability")
    /// -32021: another booking or hold took the time.
    public static let slotTaken = ErrorCode(-32021, "slot_taken")
    /// -32022: the time is inside the mentor's minimum notice.
    public static let minNotice = ErrorCode(-32022, "min_notice")
    /// -32023: the group session has no seat left.
    public static let capacityFull = ErrorCode(-32023, "capacity_full")
    /// -32024: the hold is gone.
    public static let holdExpired = ErrorCode(-32024, "hold_expired")
    /// -32025: the thing is not in a state that allows this.
    public static let invalidState = ErrorCode(-32025, "invalid_state")
    /// -32026: the idempotency key was used with different parameters.
    public static let idempotencyMismatch = ErrorCode(-32026, "idempotency_mismatch")
    /// -32027 `already_<what>`: done once already (`already_joined`, `already_reviewed`, `already_replied`).
    public static func already(_ what: String) -> ErrorCode { ErrorCode(-32027, "already_\(what)") }
    /// -32028: the mentor is disabled or no longer a mentor.
    public static let mentorUnavailable = ErrorCode(-32028, "mentor_unavailable")
    /// -32602 `invalid_agenda`: invalid params whose `fields` are the answers that do not fit the mentor's form.
    public static let invalidAgenda = ErrorCode(-32602, "invalid_agenda")

    // MARK: Payments
    /// -32030: the wallet cannot pay.
    public static let insufficientCredits = ErrorCode(-32030, "insufficient_credits")
    /// -32031: the payment provider refused or could not be reached.
    public static let providerError = ErrorCode(-32031, "provider_error")
    /// -32032: the provider has not confirmed the outcome yet.
    public static let providerPending = ErrorCode(-32032, "provider_pending")
    /// -32033: the user owes credits; a top-up repays them first.
    public static let inDebt = ErrorCode(-32033, "in_debt")

    // MARK: Realtime
    /// -32040: subscriptions need a WebSocket.
    public static let webSocketRequired = ErrorCode(-32040, "websocket_required")
    /// -32041: the connection holds as many subscriptions as allowed.
    public static let tooManySubscriptions = ErrorCode(-32041, "too_many_subscriptions")
    /// -32042: the caller is muted in the room.
    public static let muted = ErrorCode(-32042, "muted")
    /// -32043: more people than a full mesh carries.
    public static let meshFull = ErrorCode(-32043, "mesh_full")
    /// -32044: the room is outside its opening window.
    public static let roomClosed = ErrorCode(-32044, "room_closed")
    /// -32045: the connection closed while subscribing.
    public static let sessionClosed = ErrorCode(-32045, "session_closed")

    /// Every fixed entry of the table (``already(_:)`` is a family and not listed).
    public static let all: [ErrorCode] = [
        .invalidCredentials, .forbidden, .notFound, .emailTaken, .weakPassword, .tokenReused, .accountDisabled, .httpRequired, .proposalChanged,
        .tooManyHolds, .menteeBusy, .outsideAvailability, .slotTaken, .minNotice, .capacityFull, .holdExpired, .invalidState, .idempotencyMismatch,
        .mentorUnavailable, .invalidAgenda, .insufficientCredits, .providerError, .providerPending, .inDebt, .webSocketRequired,
        .tooManySubscriptions, .muted, .meshFull, .roomClosed, .sessionClosed,
    ]
}
