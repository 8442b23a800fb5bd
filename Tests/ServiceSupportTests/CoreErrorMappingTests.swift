import JSONRPC
import MentorLinkCore
import ServiceSupport
import Testing

/// Every core error's code, reason, message and data on the wire, pinned: clients branch on these, so changing one
/// must fail here first.
@Suite struct CoreErrorMappingTests {
    struct Pinned: Sendable, CustomTestStringConvertible {
        var error: CoreError
        var code: Int
        var reason: String
        var message: String
        var data: [String: JSONValue] = [:]

        var testDescription: String { "\(error)" }
    }

    static let table: [Pinned] = [
        Pinned(error: .emailTaken, code: -32010, reason: "email_taken", message: "Email already registered"),
        Pinned(
            error: .unavailable("postgres"), code: -32050, reason: "unavailable", message: "Service temporarily unavailable",
            data: ["retryable": .bool(true), "dependency": .string("postgres")]),
        Pinned(error: .slotTaken, code: -32021, reason: "slot_taken", message: "That time was just taken"),
        Pinned(error: .outsideAvailability, code: -32020, reason: "outside_availability", message: "That time is not one of the mentor's free slots"),
        Pinned(error: .minNotice, code: -32022, reason: "min_notice", message: "That time is inside the mentor's minimum notice"),
        Pinned(error: .capacityFull, code: -32023, reason: "capacity_full", message: "The session is full"),
        Pinned(error: .holdExpired, code: -32024, reason: "hold_expired", message: "The hold has expired"),
        Pinned(error: .invalidState("already paid"), code: -32025, reason: "invalid_state", message: "Not possible now: already paid"),
        Pinned(error: .notFound, code: -32004, reason: "not_found", message: "Not found"),
        Pinned(error: .forbidden("not yours"), code: -32003, reason: "forbidden", message: "Forbidden: not yours"),
        Pinned(
            error: .idempotencyMismatch, code: -32026, reason: "idempotency_mismatch",
            message: "This idempotency key was used with different parameters"),
        Pinned(error: .duplicate("joined"), code: -32027, reason: "already_joined", message: "Already joined"),
        Pinned(error: .duplicate("reviewed"), code: -32027, reason: "already_reviewed", message: "Already reviewed"),
        Pinned(error: .duplicate("replied"), code: -32027, reason: "already_replied", message: "Already replied"),
        Pinned(error: .insufficientCredits, code: -32030, reason: "insufficient_credits", message: "Not enough credits"),
        Pinned(error: .mentorUnavailable, code: -32028, reason: "mentor_unavailable", message: "This mentor cannot be booked"),
        Pinned(error: .menteeBusy, code: -32019, reason: "mentee_busy", message: "You already have a session at that time"),
        Pinned(
            error: .tooManyHolds("2 with this mentor"), code: -32018, reason: "too_many_holds",
            message: "Too many live holds (2 with this mentor): confirm or cancel one first"),
        Pinned(
            error: .inDebt(40), code: -32033, reason: "in_debt", message: "You owe 40 credits: a top-up repays them first", data: ["owed": .int(40)]),
    ]

    @Test(arguments: table) func rendersAsPinned(_ pinned: Pinned) {
        let error = pinned.error.rpcError
        #expect(error.code == pinned.code)
        #expect(error.reason == pinned.reason)
        #expect(error.message == pinned.message)
        var data = pinned.data
        data["reason"] = .string(pinned.reason)
        #expect(error.data == data)
    }

    /// The table above names every case: adding a `CoreError` case without pinning its rendering fails to compile
    /// here (the switch is exhaustive), and a case left out of the table fails at run time.
    @Test func tableCoversEveryCase() {
        func name(_ error: CoreError) -> String {
            switch error {
            case .emailTaken: "emailTaken"
            case .unavailable: "unavailable"
            case .slotTaken: "slotTaken"
            case .outsideAvailability: "outsideAvailability"
            case .minNotice: "minNotice"
            case .capacityFull: "capacityFull"
            case .holdExpired: "holdExpired"
            case .invalidState: "invalidState"
            case .notFound: "notFound"
            case .forbidden: "forbidden"
            case .idempotencyMismatch: "idempotencyMismatch"
            case .duplicate: "duplicate"
            case .insufficientCredits: "insufficientCredits"
            case .mentorUnavailable: "mentorUnavailable"
            case .menteeBusy: "menteeBusy"
            case .tooManyHolds: "tooManyHolds"
            case .inDebt: "inDebt"
            }
        }
        let all: Set = [
            "emailTaken", "unavailable", "slotTaken", "outsideAvailability", "minNotice", "capacityFull", "holdExpired", "invalidState", "notFound",
            "forbidden", "idempotencyMismatch", "duplicate", "insufficientCredits", "mentorUnavailable", "menteeBusy", "tooManyHolds", "inDebt",
        ]
        #expect(Set(Self.table.map { name($0.error) }) == all)
    }

    /// A core error that reaches the dispatcher unwrapped renders itself, not as -32603 `internal`.
    @Test func isConvertibleOnItsOwn() {
        let error: any Error = CoreError.unavailable("postgres")
        #expect((error as? any RPCErrorConvertible)?.rpcError.reason == "unavailable")
    }
}
