import { RpcError } from "../rpc/RpcError";

/** Words for the reasons a person can act on; anything else gets the server's (client-safe) message. */
const MESSAGES: Record<string, string> = {
    invalid_credentials: "The email or password is wrong.",
    email_taken: "An account with this email exists already. Sign in instead?",
    weak_password: "Choose a longer password (at least 8 characters, not a common one).",
    account_disabled: "This account is disabled.",
    rate_limited: "Too many attempts. Wait a minute and try again.",
    unavailable: "The service is busy or partly down. Try again in a moment.",
    connection_lost: "The connection was lost. Check your network and try again.",
    timeout: "The server did not answer in time. Try again.",
    invalid_params: "Some fields need attention.",
};

/** The text shown for an error. */
export function errorText(error: unknown): string {
    if (error instanceof RpcError) return MESSAGES[error.reason] ?? error.message;
    return "Something went wrong. Try again.";
}

/** An error announced to screen readers (role=alert), or nothing. */
export function ErrorMessage({ error }: { error: unknown }) {
    if (!error) return null;
    return (
        <p role="alert" className="error">
            {errorText(error)}
        </p>
    );
}
