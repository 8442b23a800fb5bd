import { useId, useState, type FormEvent } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { RpcError } from "../../rpc/RpcError";

const RATINGS = [1, 2, 3, 4, 5] as const;

/** "Leave a review" after the session ended (`reviews.create`: a rating of 1–5 and an optional comment, once). */
export function ReviewForm({ bookingId }: { bookingId: string }) {
    const { api } = useServices();
    const id = useId();
    const [open, setOpen] = useState(false);
    const [rating, setRating] = useState<number>();
    const [comment, setComment] = useState("");
    const [state, setState] = useState<"editing" | "sending" | "done">("editing");
    const [error, setError] = useState<unknown>();

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        if (!rating) return;
        setState("sending");
        setError(undefined);
        try {
            await api.reviews.create({ bookingId, rating, comment: comment.trim() || undefined });
            setState("done");
        } catch (e) {
            if (e instanceof RpcError && e.reason === "already_reviewed") setState("done");
            else {
                setError(e);
                setState("editing");
            }
        }
    };

    if (state === "done") return <p role="status">Thank you: your review is on the mentor's profile.</p>;
    if (!open) {
        return (
            <button type="button" onClick={() => setOpen(true)}>
                Leave a review
            </button>
        );
    }
    return (
        <form className="review-form" onSubmit={submit} aria-label="Review">
            <fieldset className="choice">
                <legend>Rating</legend>
                {RATINGS.map((r) => (
                    <label key={r}>
                        <input type="radio" name={`${id}-rating`} value={r} checked={rating === r} onChange={() => setRating(r)} />
                        {r} {r === 1 ? "star" : "stars"}
                    </label>
                ))}
            </fieldset>
            <div className="field">
                <label htmlFor={`${id}-comment`}>Comment</label>
                <textarea id={`${id}-comment`} rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
            </div>
            <div className="actions">
                <button type="submit" className="primary" disabled={!rating || state === "sending"}>
                    Submit review
                </button>
                <button type="button" onClick={() => setOpen(false)}>
                    Not now
                </button>
            </div>
            <ErrorMessage error={error} />
        </form>
    );
}
