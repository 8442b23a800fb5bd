import { useRef, useState, type FormEvent } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { RpcError } from "../../rpc/RpcError";
import { checkoutUrl, parseCredits } from "./checkout";

/** "Buy credits": how many ("Credits") and how (card through Stripe, or UPI), then "Continue to payment" to the provider's page. */
export function BuyCredits() {
    const { api } = useServices();
    const [open, setOpen] = useState(false);
    const [text, setText] = useState("50");
    const [provider, setProvider] = useState<"stripe" | "upi">("stripe");
    const [problem, setProblem] = useState<string>();
    const [error, setError] = useState<unknown>();
    const [sending, setSending] = useState(false);
    // One key per (credits, provider) choice: a retry after a lost answer returns the same payment.
    const key = useRef({ for: "", key: "" });

    if (!open) {
        return (
            <button type="button" className="primary" onClick={() => setOpen(true)}>
                Buy credits
            </button>
        );
    }
    const submit = async (event: FormEvent) => {
        event.preventDefault();
        const { credits, problem } = parseCredits(text);
        setProblem(problem);
        setError(undefined);
        if (!credits) return;
        const choice = `${credits}/${provider}`;
        if (key.current.for !== choice) key.current = { for: choice, key: crypto.randomUUID() };
        setSending(true);
        try {
            const payment = await api.payments.createTopUp({ credits, provider, idempotencyKey: key.current.key });
            const url = checkoutUrl(payment);
            if (!url) throw new RpcError(-32000, "The payment provider did not answer. Try again.", "provider_error");
            window.location.assign(url);
        } catch (e) {
            if (e instanceof RpcError && e.fieldProblems.credits) setProblem(e.fieldProblems.credits);
            else setError(e);
            setSending(false);
        }
    };
    return (
        <form className="buy" onSubmit={submit} noValidate aria-labelledby="buy-heading">
            <h2 id="buy-heading">Top up</h2>
            <Field label="Credits" name="credits" inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} problem={problem} />
            <fieldset className="choice">
                <legend>Pay with</legend>
                <label>
                    <input type="radio" name="provider" checked={provider === "stripe"} onChange={() => setProvider("stripe")} /> Card (Stripe)
                </label>
                <label>
                    <input type="radio" name="provider" checked={provider === "upi"} onChange={() => setProvider("upi")} /> UPI
                </label>
            </fieldset>
            <ErrorMessage error={error} />
            <div className="actions">
                <button type="submit" className="primary" disabled={sending}>
                    Continue to payment
                </button>
                <button type="button" onClick={() => setOpen(false)} disabled={sending}>
                    Cancel
                </button>
            </div>
        </form>
    );
}
