import Foundation
public import JSONRPC
public import MentorLinkCore

/// Checks a mentee's answers against a mentor's pre-session form.
public struct AgendaValidator: Sendable {
    let questions: [FormQuestion]

    /// A validator for a form.
    public init(questions: [FormQuestion]) { self.questions = questions }

    /// Every problem with the answers: unknown questions, missing required ones, a choice not offered, a URL that is
    /// not http(s), text over 2,000 characters.
    public func problems(_ answers: [String: String]) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let known = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, $0) })
        for id in answers.keys.sorted() where known[id] == nil { problems.append(FieldProblem(field: "answers.\(id)", problem: "no such question")) }
        for question in questions {
            let answer = answers[question.id]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let field = "answers.\(question.id)"
            if answer.isEmpty {
                if question.required { problems.append(FieldProblem(field: field, problem: "required")) }
                continue
            }
            switch question.kind {
            case .text where answer.count > 2000:
                problems.append(FieldProblem(field: field, problem: "at most 2000 characters"))
            case .choice where !(question.choices ?? []).contains(answer):
                problems.append(FieldProblem(field: field, problem: "one of: \((question.choices ?? []).joined(separator: ", "))"))
            case .url:
                let url = URL(string: answer)
                if answer.count > 2000 || !["http", "https"].contains(url?.scheme?.lowercased() ?? "") || (url?.host ?? "").isEmpty {
                    problems.append(FieldProblem(field: field, problem: "an http(s) URL"))
                }
            default:
                break
            }
        }
        return problems
    }

    /// Throws `invalid_agenda` with every problem.
    public func validate(_ answers: [String: String]) throws {
        let problems = problems(answers)
        guard problems.isEmpty else { throw BookingError.agendaInvalid(problems) }
    }

    /// Everything wrong with a form itself.
    public static func problems(template questions: [FormQuestion]) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if questions.count > 30 { problems.append(FieldProblem(field: "questions", problem: "at most 30")) }
        var ids: Set<String> = []
        for (index, question) in questions.enumerated() {
            let field = "questions[\(index)]"
            let validId = (1...64).contains(question.id.count)
                && question.id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            if !validId { problems.append(FieldProblem(field: "\(field).id", problem: "1 to 64 of A-Z a-z 0-9 _ -")) }
            if !ids.insert(question.id).inserted { problems.append(FieldProblem(field: "\(field).id", problem: "duplicate")) }
            if !(1...500).contains(question.label.count) { problems.append(FieldProblem(field: "\(field).label", problem: "1 to 500 characters")) }
            switch (question.kind, question.choices) {
            case (.choice, let choices?) where (1...50).contains(choices.count) && choices.allSatisfy({ (1...200).contains($0.count) }): break
            case (.choice, _): problems.append(FieldProblem(field: "\(field).choices", problem: "1 to 50 choices of 1 to 200 characters"))
            case (_, nil): break
            case (_, .some): problems.append(FieldProblem(field: "\(field).choices", problem: "only for kind choice"))
            }
        }
        return problems
    }
}
