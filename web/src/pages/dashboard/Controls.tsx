import { useId, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { ErrorMessage } from "../../components/ErrorMessage";
import type { SaveState } from "./useSave";

/** A problem paragraph tied to its control (`aria-describedby`), or nothing. */
function Problem({ id, problem }: { id: string; problem?: string }) {
    return problem ? (
        <p className="problem" id={id}>
            {problem}
        </p>
    ) : null;
}

/** A labelled select with its problem. */
export function SelectField({
    label,
    problem,
    options,
    ...select
}: { label: string; problem?: string; options: readonly { value: string; label: string }[] } & SelectHTMLAttributes<HTMLSelectElement>) {
    const id = useId();
    return (
        <div className="field">
            <label htmlFor={id}>{label}</label>
            <select id={id} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} {...select}>
                {options.map((o) => (
                    <option key={o.value} value={o.value}>
                        {o.label}
                    </option>
                ))}
            </select>
            <Problem id={`${id}-problem`} problem={problem} />
        </div>
    );
}

/** A labelled textarea with its hint and problem; `wide`: the whole width of its row. */
export function TextAreaField({
    label,
    problem,
    hint,
    wide,
    ...area
}: { label: string; problem?: string; hint?: string; wide?: boolean } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
    const id = useId();
    const described = [hint ? `${id}-hint` : "", problem ? `${id}-problem` : ""].filter(Boolean).join(" ") || undefined;
    return (
        <div className={wide ? "field dash-wide" : "field"}>
            <label htmlFor={id}>{label}</label>
            <textarea id={id} aria-invalid={problem ? true : undefined} aria-describedby={described} {...area} />
            {hint ? (
                <p className="hint" id={`${id}-hint`}>
                    {hint}
                </p>
            ) : null}
            <Problem id={`${id}-problem`} problem={problem} />
        </div>
    );
}

/** One row of a repeated group (a session type, a window, a question): a fieldset named by `legend`. */
export function Row({ legend, children, actions }: { legend: string; children: ReactNode; actions: ReactNode }) {
    return (
        <fieldset className="dash-row">
            <legend>{legend}</legend>
            <div className="dash-row-fields">{children}</div>
            <div className="dash-row-actions">{actions}</div>
        </fieldset>
    );
}

/**
 * The Save button and what came of it: a status ("Profile saved."), the error, and the problems no field shows
 * (`inline` says which paths a field shows next to itself).
 */
export function SaveBar({ label, state, inline }: { label: string; state: SaveState; inline: (field: string) => boolean }) {
    const others = Object.entries(state.problems).filter(([field]) => !inline(field));
    return (
        <div className="dash-save">
            <button type="submit" className="primary" disabled={state.busy}>
                {label}
            </button>
            <p role="status" className="dash-status">
                {state.status ?? ""}
            </p>
            <ErrorMessage error={state.error} />
            {others.length > 0 ? (
                <ul className="problem">
                    {others.map(([field, problem]) => (
                        <li key={field}>
                            {field}: {problem}
                        </li>
                    ))}
                </ul>
            ) : null}
        </div>
    );
}
