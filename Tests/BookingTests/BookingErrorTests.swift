import BookingService
import JSONRPC
import MentorLinkCore
import ServiceSupport
import Testing

/// Booking's own errors keep their wire form, and its core cases are the shared mapping's.
@Suite struct BookingErrorTests {
    @Test func ownCases() {
        #expect(
            BookingError.unknownSessionType(45).rpcError
                == RPCError(code: -32020, message: "The mentor offers no 45-minute session", reason: "outside_availability"))
        #expect(
            BookingError.proposalChanged.rpcError
                == RPCError(code: -32017, message: "The reschedule proposal changed since you saw it: look at it again", reason: "proposal_changed"))
        let problems = [FieldProblem(field: "agenda.answers.q1", problem: "required")]
        #expect(
            BookingError.agendaInvalid(problems).rpcError
                == RPCError(
                    code: -32602, message: "The answers do not fit the mentor's form", reason: "invalid_agenda", data: RPCError.fieldsData(problems)))
    }

    @Test(arguments: [CoreError.slotTaken, .menteeBusy, .tooManyHolds("2 with this mentor"), .mentorUnavailable, .inDebt(7), .duplicate("joined")])
    func coreCaseDelegates(_ error: CoreError) { #expect(BookingError.core(error).rpcError == error.rpcError) }
}
