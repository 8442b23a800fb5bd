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
    slot_taken: "Someone else took that time a moment ago. Choose another one.",
    hold_expired: "Your hold on that time ran out. Choose a time again.",
    insufficient_credits: "You do not have enough credits for this session. Buy credits in your wallet, then try again.",
    too_many_holds: "You are holding too many times at once. Book or release one first.",
    mentee_busy: "You have another session at that time.",
    min_notice: "That time is too soon to book.",
    outside_availability: "That time is no longer offered.",
    capacity_full: "Every seat is taken.",
    invalid_agenda: "Some agenda answers need attention.",
    already_joined: "You have a seat already.",
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
