import { useServices } from "../app/context";
import { Link } from "../app/router";
import { ErrorMessage } from "../components/ErrorMessage";
import { formatLocal } from "../components/time";
import { useCall } from "./useCall";

/** Upcoming and past sessions. (Cancel, reschedule, agenda, joining and reviews come next.) */
export function MySessionsPage() {
    const { api } = useServices();
    const bookings = useCall(() => api.booking.list({ limit: 50 }), [api]);
    const now = Date.now();
    const items = bookings.value?.items.filter((b) => b.status === "confirmed" || b.status === "held") ?? [];
    const upcoming = items.filter((b) => Date.parse(b.end) >= now);
    const past = items.filter((b) => Date.parse(b.end) < now).reverse();
    const list = (title: string, rows: typeof items) => (
        <section aria-label={title}>
            <h2>{title}</h2>
            {rows.length === 0 ? (
                <p>None.</p>
            ) : (
                <ul className="sessions">
                    {rows.map((b) => (
                        <li key={b.id}>
                            <time dateTime={b.start}>{formatLocal(b.start)}</time> – {b.title ?? (b.kind === "one_on_one" ? "1:1 session" : "Group session")}{" "}
                            (<Link to={`/mentors/${encodeURIComponent(b.mentorId)}`}>mentor</Link>), {b.status}
                        </li>
                    ))}
                </ul>
            )}
        </section>
    );
    return (
        <div>
            <h1>My sessions</h1>
            {bookings.loading && !bookings.value ? <p role="status">Loading…</p> : null}
            <ErrorMessage error={bookings.error} />
            {bookings.value ? (
                <>
                    {list("Upcoming", upcoming)}
                    {list("Past", past)}
                </>
            ) : null}
        </div>
    );
}
