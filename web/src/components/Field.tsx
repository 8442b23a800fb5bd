import { useId, type InputHTMLAttributes } from "react";

/** A labelled input with its problem (from `invalid_params` fields) tied to it by aria-describedby. */
export function Field({ label, problem, hint, ...input }: { label: string; problem?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
    const id = useId();
    const problemId = `${id}-problem`;
    const hintId = `${id}-hint`;
    const described = [hint ? hintId : "", problem ? problemId : ""].filter(Boolean).join(" ") || undefined;
    return (
        <div className="field">
            <label htmlFor={id}>{label}</label>
            <input id={id} aria-invalid={problem ? true : undefined} aria-describedby={described} {...input} />
            {hint ? (
                <p className="hint" id={hintId}>
                    {hint}
                </p>
            ) : null}
            {problem ? (
                <p className="problem" id={problemId}>
                    {problem}
                </p>
            ) : null}
        </div>
    );
}
