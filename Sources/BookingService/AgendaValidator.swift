import Foundation
public import JSONRPC
public import MentorLinkCore
import ServiceSupport

/// Checks a mentee's answers against a mentor's pre-session form.
public struct AgendaValidator: Sendable {
    let questions: [FormQuestion]

    /// A validator for a form.
    public init(questions: [FormQuestion]) { self.questions = questions }

    /// Every problem with the answers: unknown questions, missing required ones, a choice not offered, a URL that is
    /// not http(s), text over 2,000 characters.
    public func problems(_ answers: [String: String]) -> [FieldProblem] {
        var checks = FieldChecks()
        let known = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, $0) })
        for id in answers.keys.sorted() where known[id] == nil { checks.add("answers.\(id)", "no such question") }
        for question in questions {
            let answer = answers[question.id]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let field = "answers.\(question.id)"
            if answer.isEmpty {
                if question.required { checks.add(field, "required") }
                continue
            }
            switch question.kind {
            case .text: checks.maxLength(answer, 2000, field)
            case .choice:
                checks.expect((question.choices ?? []).contains(answer), field, "one of: \((question.choices ?? []).joined(separator: ", "))")
            case .url:
                let url = URL(string: answer)
                checks.expect(
                    answer.count <= 2000 && ["http", "https"].contains(url?.scheme?.lowercased() ?? "") && !(url?.host ?? "").isEmpty, field,
                    "an http(s) URL")
            default: break
            }
        }
        return checks.problems
    }

    /// Throws `invalid_agenda` with every problem.
    public func validate(_ answers: [String: String]) throws {
        let problems = problems(answers)
        guard problems.isEmpty else { throw BookingError.agendaInvalid(problems) }
    }

    /// Everything wrong with a form itself.
    public static func problems(template questions: [FormQuestion]) -> [FieldProblem] {
        var checks = FieldChecks()
        checks.maxCount(questions, 30, "questions")
        var ids: Set<String> = []
        for (index, question) in questions.enumerated() {
            let field = "questions[\(index)]"
            let validId =
                (1...64).contains(question.id.count)
                && question.id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            checks.expect(validId, "\(field).id", "1 to 64 of A-Z a-z 0-9 _ -")
            checks.expect(ids.insert(question.id).inserted, "\(field).id", "duplicate")
            checks.length(question.label, 1...500, "\(field).label")
            switch (question.kind, question.choices) {
            case (.choice, let choices?) where (1...50).contains(choices.count) && choices.allSatisfy({ (1...200).contains($0.count) }): break
            case (.choice, _): checks.add("\(field).choices", "1 to 50 choices of 1 to 200 characters")
            case (_, nil): break
            case (_, .some): checks.add("\(field).choices", "only for kind choice")
            }
        }
        return checks.problems
    }
}
