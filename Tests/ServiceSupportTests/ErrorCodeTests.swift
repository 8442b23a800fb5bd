import JSONRPC
import ServiceSupport
import Testing

/// The one table of application codes and reasons, pinned entry by entry.
@Suite struct ErrorCodeTests {
    static let pinned: [(ErrorCode, Int, String)] = [
        (.invalidCredentials, -32002, "invalid_credentials"), (.forbidden, -32003, "forbidden"), (.notFound, -32004, "not_found"),
        (.emailTaken, -32010, "email_taken"), (.weakPassword, -32011, "weak_password"), (.tokenReused, -32012, "token_reused"),
        (.accountDisabled, -32013, "account_disabled"), (.httpRequired, -32014, "http_required"), (.proposalChanged, -32017, "proposal_changed"),
        (.tooManyHolds, -32018, "too_many_holds"), (.menteeBusy, -32019, "mentee_busy"), (.outsideAvailability, -32020, "outside_availability"),
        (.slotTaken, -32021, "slot_taken"), (.minNotice, -32022, "min_notice"), (.capacityFull, -32023, "capacity_full"),
        (.holdExpired, -32024, "hold_expired"), (.invalidState, -32025, "invalid_state"), (.idempotencyMismatch, -32026, "idempotency_mismatch"),
        (.mentorUnavailable, -32028, "mentor_unavailable"), (.invalidAgenda, -32602, "invalid_agenda"),
        (.insufficientCredits, -32030, "insufficient_credits"), (.providerError, -32031, "provider_error"),
        (.providerPending, -32032, "provider_pending"), (.inDebt, -32033, "in_debt"), (.webSocketRequired, -32040, "websocket_required"),
        (.tooManySubscriptions, -32041, "too_many_subscriptions"), (.muted, -32042, "muted"), (.meshFull, -32043, "mesh_full"),
        (.roomClosed, -32044, "room_closed"), (.sessionClosed, -32045, "session_closed"),
    ]

    @Test func everyEntryPinned() {
        for (entry, code, reason) in Self.pinned {
            #expect(entry.code == code, "\(entry)")
            #expect(entry.reason == reason, "\(entry)")
        }
        #expect(Set(Self.pinned.map(\.0)) == Set(ErrorCode.all))
        #expect(ErrorCode.all.count == Self.pinned.count)
    }

    @Test func alreadyFamily() {
        #expect(ErrorCode.already("joined") == ErrorCode.already("joined"))
        #expect(ErrorCode.already("reviewed").code == -32027)
        #expect(ErrorCode.already("reviewed").reason == "already_reviewed")
    }

    /// No two entries share a code or a reason, and none takes a code of the central dispatch's own errors.
    @Test func codesAndReasonsAreDistinct() {
        #expect(Set(ErrorCode.all.map(\.code)).count == ErrorCode.all.count)
        #expect(Set(ErrorCode.all.map(\.reason)).count == ErrorCode.all.count)
        let dispatch = [RPCError.unauthenticated(), .rateLimited(retryAfter: 1), .unavailable("x"), .responseTooLarge(limit: 1), .internalError()]
        for error in dispatch { #expect(!ErrorCode.all.contains { $0.code == error.code }, "\(error)") }
    }

    @Test func buildsTheError() {
        let error = ErrorCode.meshFull.error("full", data: ["cap": .int(6)])
        #expect(error == RPCError(code: -32043, message: "full", reason: "mesh_full", data: ["cap": .int(6)]))
    }
}
