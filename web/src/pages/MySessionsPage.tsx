import { useCallback, useEffect, useState } from "react";
import { useServices, useSession } from "../app/context";
import { ErrorMessage } from "../components/ErrorMessage";
import { SessionCard } from "./sessions/SessionCard";
import { splitSessions, type Booking } from "./sessions/sessionRules";

/** How often the page re-evaluates what can be done (a room opening, a session ending). */
const TICK_MS = 30_000;
/** At most this many pages of `booking.list` (50 each). */
const MAX_PAGES = 4;

/**
 * Upcoming and past sessions (`booking.list`), each with its agenda, "Join session" while its room is open, "Cancel
 * session" with the policy shown first, and "Leave a review" after the end. Reloaded on every notification pushed to
 * the user (a booking, a cancellation by the other side) and re-evaluated every 30 s.
 */
export function MySessionsPage() {
    const { api, client } = useServices();
    const session = useSession();
    const [items, setItems] = useState<Booking[]>();
    const [mentorNames, setMentorNames] = useState<Record<string, string>>({});
    const [error, setError] = useState<unknown>();
    const [now, setNow] = useState(Date.now());
    const [tick, setTick] = useState(0);
    const [notice, setNotice] = useState<string>();
    const reload = useCallback(() => setTick((n) => n + 1), []);

    useEffect(() => {
        let live = true;
        (async () => {
            const all: Booking[] = [];
            let cursor: string | undefined;
            for (let page = 0; page < MAX_PAGES; page++) {
                const answer = await api.booking.list({ limit: 50, cursor });
                all.push(...answer.items);
                cursor = answer.nextCursor;
                if (!cursor) break;
            }
            return all;
        })().then(
            (all) => {
                if (!live) return;
                setItems(all);
                setNow(Date.now());
                setError(undefined);
            },
            (e) => live && setError(e),
        );
        return () => {
            live = false;
        };
    }, [api, tick]);

    // Mentor names for the headings (booking.list carries ids only).
    useEffect(() => {
        const missing = [...new Set((items ?? []).map((b) => b.mentorId))].filter((id) => !(id in mentorNames));
        for (const mentorId of missing) {
            api.mentors.get({ mentorId }).then(
                (r) => setMentorNames((names) => ({ ...names, [mentorId]: r.mentor.name })),
                () => setMentorNames((names) => ({ ...names, [mentorId]: "your mentor" })),
            );
        }
    }, [api, items, mentorNames]);

    useEffect(() => client.subscribe("notifications.subscribe", {}, { onEvent: reload, onResumed: reload }), [client, reload]);
    useEffect(() => {
        const timer = setInterval(() => setNow(Date.now()), TICK_MS);
        return () => clearInterval(timer);
    }, []);

    const userId = session.status === "signedIn" ? session.user.id : "";
    const { upcoming, past } = splitSessions(items ?? [], now);
    const list = (title: string, rows: Booking[]) => (
        <section aria-label={title}>
            <h2>{title}</h2>
            {rows.length === 0 ? (
                <p>None.</p>
            ) : (
                <div className="sessions">
                    {rows.map((b) => (
                        <SessionCard key={b.id} booking={b} mentorName={mentorNames[b.mentorId]} userId={userId} now={now} onChanged={(text) => {
                            setNotice(text);
                            reload();
                        }} />
                    ))}
                </div>
            )}
        </section>
    );
    return (
        <div>
            <h1>My sessions</h1>
            {!items && !error ? <p role="status">Loading…</p> : null}
            <ErrorMessage error={error} />
            {notice ? <p role="status" className="notice">{notice}</p> : null}
            {items ? (
                <>
                    {list("Upcoming", upcoming)}
                    {list("Past", past)}
                </>
            ) : null}
        </div>
    );
}
