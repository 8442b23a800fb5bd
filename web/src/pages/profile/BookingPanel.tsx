import { useCallback, useEffect, useRef, type Dispatch, type FormEvent } from "react";
import { useServices } from "../../app/context";
import { Link } from "../../app/router";
import { Countdown } from "../../components/Countdown";
import { ErrorMessage } from "../../components/ErrorMessage";
import { RpcError } from "../../rpc/RpcError";
import { agendaToSend, missingAnswers, type BookingFlow, type FlowEvent, type Question } from "./bookingFlow";
import { slotLabel } from "./slots";

/** What a price reads as. */
export function priceText(credits: number): string {
    return credits === 0 ? "Free" : `${credits} credit${credits === 1 ? "" : "s"}`;
}

/**
 * The booking in progress, as the region "Your booking": the held slot with its countdown, the mentor's agenda
 * questions ("Book"), then the price and "Confirm booking". Focus moves to each step's heading.
 */
export function BookingPanel({ mentorId, flow, dispatch, questions }: { mentorId: string; flow: BookingFlow; dispatch: Dispatch<FlowEvent>; questions: readonly Question[] }) {
    const { api } = useServices();
    const heading = useRef<HTMLHeadingElement>(null);
    const key = useRef<{ holdId: string; key: string }>({ holdId: "", key: "" });
    useEffect(() => heading.current?.focus(), [flow.step]);
    const expired = useCallback(() => dispatch({ type: "expired" }), [dispatch]);

    if (flow.step === "idle") return flow.notice ? <p className="notice" role="alert">{flow.notice}</p> : null;
    if (flow.step === "holding") return <p role="status">Holding {slotLabel(flow.slot.start)} for you…</p>;
    if (flow.step === "booked") {
        return (
            <section className="booking-panel" aria-labelledby="booking-heading">
                <h2 id="booking-heading" ref={heading} tabIndex={-1}>
                    Booked
                </h2>
                <p role="status">
                    Your session on <time dateTime={flow.booking.start}>{slotLabel(flow.booking.start)}</time> is booked
                    {flow.booking.priceCredits > 0 ? `; ${priceText(flow.booking.priceCredits)} are held in escrow until it has taken place` : ""}.
                </p>
                <p>
                    <Link to="/sessions">See it in My sessions</Link>
                </p>
            </section>
        );
    }

    const hold = flow.hold;
    const cancel = () => {
        void api.booking.cancel({ bookingId: hold.holdId }).catch(() => undefined);
        dispatch({ type: "cancel" });
    };
    const missing = flow.step === "agenda" ? missingAnswers(questions, flow.answers) : [];
    const review = (event: FormEvent) => {
        event.preventDefault();
        if (missing.length === 0) dispatch({ type: "review" });
    };
    const confirm = async () => {
        // One idempotency key per hold: a retry after a lost answer books once.
        if (key.current.holdId !== hold.holdId) key.current = { holdId: hold.holdId, key: crypto.randomUUID() };
        dispatch({ type: "confirm" });
        try {
            const result = await api.booking.create({
                mentorId,
                start: hold.slot.start,
                minutes: hold.minutes,
                holdId: hold.holdId,
                idempotencyKey: key.current.key,
                agenda: agendaToSend(flow.answers),
            });
            dispatch({ type: "booked", result });
        } catch (error) {
            dispatch({ type: "failed", error });
            if (error instanceof RpcError && error.reason === "hold_expired") dispatch({ type: "expired" });
        }
    };

    return (
        <section className="booking-panel" aria-labelledby="booking-heading">
            <h2 id="booking-heading" ref={heading} tabIndex={-1}>
                {flow.step === "agenda" ? "Your booking: agenda" : "Your booking: confirm"}
            </h2>
            <p>
                <time dateTime={hold.slot.start}>{slotLabel(hold.slot.start)}</time>, {hold.minutes} minutes.
            </p>
            <Countdown until={hold.expiresAt} label="Held for you for" onDone={expired} />
            {flow.step === "agenda" ? (
                <form onSubmit={review} noValidate className="agenda">
                    {questions.length === 0 ? <p>The mentor asks no questions beforehand.</p> : null}
                    {questions.map((q) => (
                        <AgendaQuestion key={q.id} question={q} value={flow.answers[q.id] ?? ""} onChange={(value) => dispatch({ type: "answer", id: q.id, value })} />
                    ))}
                    <div className="actions">
                        <button type="submit" className="primary" disabled={missing.length > 0}>
                            Book
                        </button>
                        <button type="button" onClick={cancel}>
                            Release this time
                        </button>
                    </div>
                </form>
            ) : (
                <div className="confirm">
                    <dl className="facts">
                        <div>
                            <dt>Price</dt>
                            <dd aria-label="Price">{priceText(hold.priceCredits)}</dd>
                        </div>
                    </dl>
                    {hold.priceCredits > 0 ? <p className="hint">The credits move from your wallet into escrow now and reach the mentor after the session.</p> : null}
                    <Answers questions={questions} answers={flow.answers} />
                    {flow.step === "confirm" ? <ErrorMessage error={flow.error} /> : null}
                    {flow.step === "confirm" && flow.error instanceof RpcError && flow.error.reason === "insufficient_credits" ? (
                        <p>
                            <Link to="/wallet">Go to your wallet</Link>
                        </p>
                    ) : null}
                    <div className="actions">
                        <button type="button" className="primary" onClick={confirm} disabled={flow.step === "booking"}>
                            Confirm booking
                        </button>
                        <button type="button" onClick={() => dispatch({ type: "back" })} disabled={flow.step === "booking"}>
                            Back
                        </button>
                        <button type="button" onClick={cancel} disabled={flow.step === "booking"}>
                            Release this time
                        </button>
                    </div>
                </div>
            )}
        </section>
    );
}

function AgendaQuestion({ question, value, onChange }: { question: Question; value: string; onChange: (value: string) => void }) {
    const id = `agenda-${question.id}`;
    const label = (
        <label htmlFor={id}>
            {question.label}
            {question.required ? " (required)" : ""}
        </label>
    );
    if (question.kind === "choice") {
        return (
            <div className="field">
                {label}
                <select id={id} value={value} required={question.required} onChange={(e) => onChange(e.target.value)}>
                    <option value="">Choose…</option>
                    {(question.choices ?? []).map((c) => (
                        <option key={c} value={c}>
                            {c}
                        </option>
                    ))}
                </select>
            </div>
        );
    }
    if (question.kind === "url") {
        return (
            <div className="field">
                {label}
                <input id={id} type="url" value={value} required={question.required} onChange={(e) => onChange(e.target.value)} />
            </div>
        );
    }
    return (
        <div className="field">
            {label}
            <textarea id={id} rows={3} value={value} required={question.required} onChange={(e) => onChange(e.target.value)} />
        </div>
    );
}

function Answers({ questions, answers }: { questions: readonly Question[]; answers: Record<string, string> }) {
    const given = questions.filter((q) => (answers[q.id] ?? "").trim());
    if (given.length === 0) return null;
    return (
        <dl className="answers">
            {given.map((q) => (
                <div key={q.id}>
                    <dt>{q.label}</dt>
                    <dd>{answers[q.id]}</dd>
                </div>
            ))}
        </dl>
    );
}
