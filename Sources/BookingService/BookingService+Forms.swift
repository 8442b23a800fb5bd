import Foundation
import JSONRPC
import MentorLinkCore
import ServiceSupport

/// `forms.*` and `booking.submitAgenda`: a mentor's pre-session questions and the mentee's answers.
extension BookingService {
    func registerForms(into registry: inout MethodRegistry) {
        registry.register("forms.setTemplate", summary: "Replace your pre-session questions.", access: .only(.mentor), handler: setTemplate)
        registry.register("forms.get", summary: "A mentor's pre-session questions.", access: .public, handler: getTemplate)
        registry.register(
            "booking.submitAgenda", summary: "Answer the mentor's questions before the session.", access: .authenticated, handler: submitAgenda)
    }

    func setTemplate(_ params: SetTemplateParams, _ context: RPCContext) async throws -> TemplateResult {
        let caller = try context.caller()
        let problems = AgendaValidator.problems(template: params.questions)
        guard problems.isEmpty else { throw BookingError.invalid(problems) }
        try await store.saveTemplate(mentorId: caller.id, questions: params.questions)
        return TemplateResult(mentorId: caller.id, questions: params.questions)
    }

    func getTemplate(_ params: MentorIdParams, _ context: RPCContext) async throws -> TemplateResult {
        TemplateResult(mentorId: params.mentorId, questions: try await store.template(mentorId: params.mentorId))
    }

    func submitAgenda(_ params: SubmitAgendaParams, _ context: RPCContext) async throws -> BookingResult {
        let caller = try context.caller()
        guard let booking = try await store.booking(id: params.bookingId) else { throw BookingError.core(.notFound) }
        guard booking.menteeId == caller.id else { throw BookingError.core(.forbidden("only the booking's mentee answers its form")) }
        try AgendaValidator(questions: try await store.template(mentorId: booking.mentorId)).validate(params.answers)
        return BookingResult(
            booking: try await mapped { try await store.saveAgenda(bookingId: params.bookingId, answers: params.answers, now: configuration.now()) })
    }
}
