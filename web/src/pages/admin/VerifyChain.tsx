import { useState } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { verifyText } from "./adminFormat";

/** "Verify chain": `audit.verify` recomputes the log's hash chain; the answer is announced in a status element. */
export function VerifyChain() {
    const { api } = useServices();
    const [result, setResult] = useState<{ text: string; ok: boolean }>();
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>();
    const verify = async () => {
        setBusy(true);
        setError(undefined);
        setResult(undefined);
        try {
            const answer = await api.audit.verify({});
            setResult({ text: verifyText(answer), ok: answer.ok });
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };
    return (
        <div className="verify-chain">
            <button type="button" onClick={verify} disabled={busy}>
                Verify chain
            </button>
            <p role="status" className={result ? (result.ok ? "verified" : "error") : undefined}>
                {busy ? "Verifying…" : (result?.text ?? "")}
            </p>
            <ErrorMessage error={error} />
        </div>
    );
}
