import { useEffect, useState, type FormEvent } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { agendaDraft, newQuestion, QUESTION_KINDS, templateParams, type QuestionDraft, type QuestionKind } from "./agendaDraft";
import { Row, SaveBar, SelectField, TextAreaField } from "./Controls";
import { moveItem, removeItem, updateItem } from "./fields";
import { useSave } from "./useSave";

const INLINE = /^questions\[\d+\]\.(label|kind|choices)$/;
const KIND_OPTIONS = QUESTION_KINDS.map((k) => ({ value: k.kind, label: k.label }));

/**
 * "Agenda template": the questions a mentee answers before a session (`forms.get`), with add, remove and reorder,
 * saved whole with "Save agenda template" (`forms.setTemplate`).
 */
export function AgendaSection({ mentorId }: { mentorId: string }) {
    const { api } = useServices();
    const [rows, setRows] = useState<QuestionDraft[]>();
    const [loadError, setLoadError] = useState<unknown>();
    const save = useSave();
    const problems = save.state.problems;

    useEffect(() => {
        let live = true;
        api.forms.get({ mentorId }).then(
            (r) => live && setRows(agendaDraft(r.questions)),
            (e) => live && setLoadError(e),
        );
        return () => {
            live = false;
        };
    }, [api, mentorId]);

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        if (!rows) return;
        await save.run(templateParams(rows), async (params) => {
            const r = await api.forms.setTemplate(params);
            // The saved ids stay with their questions (a mentee's answers refer to them).
            setRows((now) => now?.map((q, i) => ({ ...q, id: r.questions[i]?.id ?? q.id })));
            return r.questions.length === 0 ? "Agenda template saved: no questions." : `Agenda template saved: ${r.questions.length} ${r.questions.length === 1 ? "question" : "questions"}.`;
        });
    };

    return (
        <section aria-label="Agenda template" className="dash-section">
            <h2>Agenda template</h2>
            <p className="hint">Questions a mentee answers when booking you.</p>
            <ErrorMessage error={loadError} />
            {!rows && !loadError ? <p role="status">Loading…</p> : null}
            {rows ? (
                <form onSubmit={submit} noValidate className="dash-form">
                    {rows.length === 0 ? <p>No questions yet.</p> : null}
                    {rows.map((q, i) => {
                        const n = i + 1;
                        const at = `questions[${i}]`;
                        const set = (patch: Partial<QuestionDraft>) => setRows(updateItem(rows, i, patch));
                        return (
                            <Row
                                key={q.key}
                                legend={`Question ${n}`}
                                actions={
                                    <>
                                        <button type="button" onClick={() => setRows(moveItem(rows, i, -1))} disabled={i === 0} aria-label={`Move question ${n} up`}>
                                            Up
                                        </button>
                                        <button type="button" onClick={() => setRows(moveItem(rows, i, 1))} disabled={i === rows.length - 1} aria-label={`Move question ${n} down`}>
                                            Down
                                        </button>
                                        <button type="button" onClick={() => setRows(removeItem(rows, i))} aria-label={`Remove question ${n}`}>
                                            Remove
                                        </button>
                                    </>
                                }
                            >
                                <Field label="Question" value={q.label} maxLength={500} onChange={(e) => set({ label: e.target.value })} problem={problems[`${at}.label`]} />
                                <SelectField label="Answer kind" value={q.kind} options={KIND_OPTIONS} onChange={(e) => set({ kind: e.target.value as QuestionKind })} problem={problems[`${at}.kind`]} />
                                <label className="dash-check">
                                    <input type="checkbox" checked={q.required} onChange={(e) => set({ required: e.target.checked })} /> Required
                                </label>
                                {q.kind === "choice" ? (
                                    <TextAreaField wide label="Choices" hint="One per line." rows={3} value={q.choices} onChange={(e) => set({ choices: e.target.value })} problem={problems[`${at}.choices`]} />
                                ) : null}
                            </Row>
                        );
                    })}
                    <div className="actions">
                        <button type="button" onClick={() => setRows([...rows, newQuestion()])}>
                            Add question
                        </button>
                    </div>
                    <SaveBar label="Save agenda template" state={save.state} inline={(f) => INLINE.test(f)} />
                </form>
            ) : null}
        </section>
    );
}
