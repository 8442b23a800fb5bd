import { useState } from "react";
import type { ReviewsListResult } from "../../api";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";
import { useCall } from "../useCall";

type Review = ReviewsListResult["items"][number];

/** A mentor's reviews, newest first, with "More reviews" on the cursor. */
export function Reviews({ mentorId }: { mentorId: string }) {
    const { api } = useServices();
    const first = useCall(() => api.reviews.list({ mentorId, limit: 10 }), [api, mentorId]);
    const [more, setMore] = useState<{ items: Review[]; cursor?: string; error?: unknown }>({ items: [] });
    const items = [...(first.value?.items ?? []), ...more.items];
    const cursor = more.items.length ? more.cursor : first.value?.nextCursor;
    const loadMore = async () => {
        try {
            const page = await api.reviews.list({ mentorId, limit: 10, cursor });
            setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor }));
        } catch (error) {
            setMore((m) => ({ ...m, error }));
        }
    };
    return (
        <section aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">Reviews</h2>
            <ErrorMessage error={first.error ?? more.error} />
            {first.value && items.length === 0 ? <p>No reviews yet.</p> : null}
            <ul className="reviews">
                {items.map((r) => (
                    <li key={r.id}>
                        <article aria-label={`Review by ${r.authorName}`}>
                            <p className="review-head">
                                <span aria-label={`${r.rating} out of 5`}>{"★".repeat(r.rating) + "☆".repeat(Math.max(0, 5 - r.rating))}</span>{" "}
                                <strong>{r.authorName}</strong> · <time dateTime={r.createdAt}>{formatLocal(r.createdAt, { day: "numeric", month: "short", year: "numeric" })}</time>
                            </p>
                            {r.comment ? <p>{r.comment}</p> : null}
                            {r.reply ? <p className="reply">Mentor's reply: {r.reply}</p> : null}
                        </article>
                    </li>
                ))}
            </ul>
            {cursor ? (
                <button type="button" onClick={loadMore}>
                    More reviews
                </button>
            ) : null}
        </section>
    );
}
