import JSONRPC
import MentorLinkCore
import PaymentsService
import ServiceSupport
import Testing

/// Payments renders every core error through the shared mapping: none becomes -32603 `internal` (a slot taken or a
/// duplicate during a payment used to).
@Suite struct PaymentsErrorTests {
    static let coreErrors: [CoreError] = [
        .emailTaken, .unavailable("postgres"), .slotTaken, .outsideAvailability, .minNotice, .capacityFull, .holdExpired, .invalidState("paid"),
        .notFound, .forbidden("no"), .idempotencyMismatch, .duplicate("joined"), .insufficientCredits, .mentorUnavailable, .menteeBusy,
        .tooManyHolds("5 in all"), .inDebt(3),
    ]

    @Test(arguments: coreErrors) func coreCaseDelegates(_ error: CoreError) {
        let rendered = PaymentsError.core(error).rpcError
        #expect(rendered == error.rpcError)
        #expect(rendered.reason != "internal")
    }

    @Test func ownCases() {
        #expect(PaymentsError.pending("refund").rpcError.code == -32032)
        #expect(PaymentsError.pending("refund").rpcError.reason == "provider_pending")
        #expect(PaymentsError.invalid([FieldProblem(field: "credits", problem: "positive")]).rpcError.reason == "invalid_params")
    }
}
