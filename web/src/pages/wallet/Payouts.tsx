import { useState, type FormEvent } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { formatLocal } from "../../components/time";
import { RpcError } from "../../rpc/RpcError";
import { useCall } from "../useCall";
import { parsePayoutCredits, payoutRefusal, payoutStatusText } from "./payoutRules";

/**
 * A mentor's "Payouts": the earnings available, "Request payout" ("Payout credits", `payouts.request`: the credits
 * leave the earnings at once and wait for an admin's approval; `onChanged`: the earnings changed or were stale) and the mentor's payouts with their status
 * (`payouts.list`, read again after each request and whenever the earnings change).
 */
export function Payouts({ earnings, onChanged }: { earnings: number; onChanged(): void }) {
    const { api } = useServices();
    const [tick, setTick] = useState(0);
    const list = useCall(() => api.payouts.list({}), [api, tick, earnings]);
    const [text, setText] = useState("");
    const [problem, setProblem] = useState<string>();
    const [refusal, setRefusal] = useState<string>();
    const [error, setError] = useState<unknown>();
    const [sending, setSending] = useState(false);
    const [done, setDone] = useState<string>();

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        const { credits, problem } = parsePayoutCredits(text, earnings);
        setProblem(problem);
        setRefusal(undefined);
        setError(undefined);
        setDone(undefined);
        if (!credits) return;
        setSending(true);
        try {
            const payout = await api.payouts.request({ credits });
            setDone(`${payout.credits} credits requested; an admin approves the payout.`);
            setText("");
            setTick((n) => n + 1);
            onChanged();
        } catch (e) {
            if (e instanceof RpcError && e.fieldProblems.credits) setProblem(e.fieldProblems.credits);
            else if (e instanceof RpcError && payoutRefusal(e.reason, earnings)) {
                setRefusal(payoutRefusal(e.reason, earnings));
                onChanged(); // the earnings shown were out of date: read them again
            } else setError(e);
        } finally {
            setSending(false);
        }
    };

    const items = list.value?.items;
    return (
        <section className="payouts" aria-labelledby="payouts-heading">
            <h2 id="payouts-heading">Payouts</h2>
            <p>
                <span id="payable-label">Earnings available</span>: <strong aria-labelledby="payable-label" role="status">{earnings}</strong> credits
            </p>
            <form className="payout-form" onSubmit={submit} noValidate aria-labelledby="payout-form-heading">
                <h3 id="payout-form-heading">Request payout</h3>
                <Field
                    label="Payout credits"
                    name="payoutCredits"
                    inputMode="numeric"
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                    problem={problem}
                    hint="Paid from your earnings once an admin approves it."
                />
                {refusal ? (
                    <p role="alert" className="error">
                        {refusal}
                    </p>
                ) : null}
                <ErrorMessage error={error} />
                {done ? (
                    <p role="status" className="notice success">
                        {done}
                    </p>
                ) : null}
                <div className="actions">
                    <button type="submit" className="primary" disabled={sending}>
                        Request payout
                    </button>
                </div>
            </form>
            <ErrorMessage error={list.error} />
            {items && items.length === 0 ? <p>No payouts yet.</p> : null}
            {items && items.length > 0 ? (
                <table className="history">
                    <caption className="visually-hidden">Your payouts</caption>
                    <thead>
                        <tr>
                            <th scope="col">Requested</th>
                            <th scope="col" className="num">
                                Credits
                            </th>
                            <th scope="col">Status</th>
                        </tr>
                    </thead>
                    <tbody>
                        {items.map((p) => (
                            <tr key={p.payoutId}>
                                <td>
                                    <time dateTime={p.createdAt}>{formatLocal(p.createdAt)}</time>
                                </td>
                                <td className="num">{p.credits}</td>
                                <td>{payoutStatusText(p.status)}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            ) : null}
        </section>
    );
}
