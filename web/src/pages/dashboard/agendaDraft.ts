import type { FormsGetResult, FormsSetTemplateParams } from "../../api";
import { nextRowKey, ProblemList, type Checked } from "./fields";

/** A question's kind as the API spells it. */
export type QuestionKind = FormsSetTemplateParams["questions"][number]["kind"];

/** The kinds, with their names. */
export const QUESTION_KINDS: readonly { kind: QuestionKind; label: string }[] = [
    { kind: "text", label: "Text" },
    { kind: "choice", label: "Choice" },
    { kind: "url", label: "Link (URL)" },
];

/** One question as typed; `id` is kept from the saved template (answers refer to it), new ones get one on save. */
export interface QuestionDraft {
    key: number;
    id?: string;
    label: string;
    kind: QuestionKind;
    required: boolean;
    /** One choice per line (kind choice only). */
    choices: string;
}

/** A new, empty, optional text question. */
export function newQuestion(): QuestionDraft {
    return { key: nextRowKey(), label: "", kind: "text", required: false, choices: "" };
}

/** The form for a saved template. */
export function agendaDraft(questions: FormsGetResult["questions"]): QuestionDraft[] {
    return questions.map((q) => ({ key: nextRowKey(), id: q.id, label: q.label, kind: q.kind, required: q.required, choices: (q.choices ?? []).join("\n") }));
}

/** An id for a new question from its label (letters, digits, `-`; at most 40), unique among `taken`. */
export function questionId(label: string, taken: ReadonlySet<string>): string {
    const base =
        label
            .toLowerCase()
            .normalize("NFKD")
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-+|-+$/g, "")
            .slice(0, 40)
            .replace(/-+$/, "") || "question";
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    return id;
}

/** `forms.setTemplate`'s params from the form (ids kept or made, choices only for choice questions), or what is wrong. */
export function templateParams(drafts: readonly QuestionDraft[]): Checked<FormsSetTemplateParams> {
    const check = new ProblemList();
    const taken = new Set(drafts.flatMap((d) => (d.id ? [d.id] : [])));
    const questions = drafts.map((d, i) => {
        const label = d.label.trim();
        check.expect(label !== "", `questions[${i}].label`, "required");
        const id = d.id ?? questionId(label, taken);
        taken.add(id);
        const question: FormsSetTemplateParams["questions"][number] = { id, label, kind: d.kind, required: d.required };
        if (d.kind === "choice") {
            const choices = d.choices
                .split("\n")
                .map((c) => c.trim())
                .filter(Boolean);
            check.expect(choices.length > 0, `questions[${i}].choices`, "at least one choice");
            question.choices = choices;
        }
        return question;
    });
    return check.result({ questions });
}
