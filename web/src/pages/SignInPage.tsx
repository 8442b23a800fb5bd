import { useState, type FormEvent } from "react";
import { useServices } from "../app/context";
import { navigate } from "../app/router";
import { ErrorMessage } from "../components/ErrorMessage";
import { Field } from "../components/Field";

/** Sign in; back to the page the user came from (`next`) afterwards. */
export function SignInPage({ next, expired }: { next: string; expired: boolean }) {
    const { client } = useServices();
    const [email, setEmail] = useState("");
    const [password, setPassword] = useState("");
    const [error, setError] = useState<unknown>(null);
    const [busy, setBusy] = useState(false);

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
            await client.signIn(email.trim(), password);
            navigate(next, true);
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };

    return (
        <section className="auth" aria-labelledby="signin-title">
            <h1 id="signin-title">Sign in</h1>
            {expired ? (
                <p role="status" className="notice">
                    Your session ended. Sign in again to go on where you were.
                </p>
            ) : null}
            <form onSubmit={submit} noValidate>
                <Field label="Email" name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
                <Field label="Password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
                <ErrorMessage error={error} />
                <button type="submit" className="primary" disabled={busy}>
                    Sign in
                </button>
            </form>
        </section>
    );
}
