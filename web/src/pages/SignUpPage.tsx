import { useState, type FormEvent } from "react";
import { useServices } from "../app/context";
import { navigate } from "../app/router";
import { ErrorMessage } from "../components/ErrorMessage";
import { Field } from "../components/Field";
import { RpcError } from "../rpc/RpcError";

/** Create a mentee or mentor account, then signed in at once. */
export function SignUpPage({ next }: { next: string }) {
    const { client } = useServices();
    const [name, setName] = useState("");
    const [email, setEmail] = useState("");
    const [password, setPassword] = useState("");
    const [role, setRole] = useState<"mentee" | "mentor">("mentee");
    const [error, setError] = useState<unknown>(null);
    const [busy, setBusy] = useState(false);
    const problems = error instanceof RpcError ? error.fieldProblems : {};

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
            await client.signUp({ name: name.trim(), email: email.trim(), password, role });
            navigate(next, true);
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };

    return (
        <section className="auth" aria-labelledby="signup-title">
            <h1 id="signup-title">Create your account</h1>
            <form onSubmit={submit} noValidate>
                <Field label="Name" name="name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} problem={problems.name} />
                <Field label="Email" name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} problem={problems.email} />
                <Field
                    label="Password"
                    name="password"
                    type="password"
                    autoComplete="new-password"
                    required
                    minLength={8}
                    hint="At least 8 characters."
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    problem={problems.password}
                />
                <fieldset className="choice">
                    <legend>I want to join as</legend>
                    <label>
                        <input type="radio" name="role" value="mentee" checked={role === "mentee"} onChange={() => setRole("mentee")} /> Mentee
                    </label>
                    <label>
                        <input type="radio" name="role" value="mentor" checked={role === "mentor"} onChange={() => setRole("mentor")} /> Mentor
                    </label>
                </fieldset>
                <ErrorMessage error={error} />
                <button type="submit" className="primary" disabled={busy}>
                    Create account
                </button>
            </form>
        </section>
    );
}
