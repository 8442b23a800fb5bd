import { useState } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";

/**
 * A reschedule proposal waiting for an answer. Its proposer reads "Waiting for <other> to accept" and may withdraw it;
 * the other participant gets "Accept new time" or "Decline" (`booking.respondReschedule`, sending back the time shown,
 * so a proposal that changed meanwhile is refused). `onAnswered` hears what happened, in words.
 */
export function RescheduleProposal({ bookingId, start, mine, other, onAnswered }: {
    bookingId: string;
    start: string;
    mine: boolean;
    other: string;
    onAnswered(notice: string): void;
}) {
    const { api } = useServices();
    const [sending, setSending] = useState(false);
    const [error, setError] = useState<unknown>();
    const when = formatLocal(start);

    const answer = async (accept: boolean) => {
        setSending(true);
        setError(undefined);
        try {
            await api.booking.respondReschedule({ bookingId, accept, proposedStart: start });
            onAnswered(accept ? `The session moved to ${when}.` : mine ? "The proposed new time was withdrawn." : `You declined moving the session to ${when}.`);
        } catch (e) {
            setError(e);
            setSending(false);
        }
    };

    return (
        <div className="proposal" role="group" aria-label="Proposed new time">
            {mine ? (
                <p>
                    You proposed moving this session to <time dateTime={start}>{when}</time>. Waiting for {other} to accept.
                </p>
            ) : (
                <p>
                    {other.charAt(0).toUpperCase() + other.slice(1)} proposes moving this session to <time dateTime={start}>{when}</time>.
                </p>
            )}
            <div className="actions">
                {mine ? (
                    <button type="button" onClick={() => answer(false)} disabled={sending}>
                        Withdraw proposal
                    </button>
                ) : (
                    <>
                        <button type="button" className="primary" onClick={() => answer(true)} disabled={sending}>
                            Accept new time
                        </button>
                        <button type="button" onClick={() => answer(false)} disabled={sending}>
                            Decline
                        </button>
                    </>
                )}
            </div>
            <ErrorMessage error={error} />
        </div>
    );
}
