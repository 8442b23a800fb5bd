import { useEffect, useState } from "react";
import type { SessionsListGroupsResult } from "../../api";
import { useServices, useSession } from "../../app/context";
import { Link, navigate, signInPath } from "../../app/router";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";
import { priceText } from "./BookingPanel";

type Group = SessionsListGroupsResult["items"][number];

/** Seats left in a group session (never below 0). */
export function seatsLeft(group: Pick<Group, "capacity" | "seatsTaken">): number {
    return Math.max(0, (group.capacity ?? 0) - (group.seatsTaken ?? 0));
}

/** The mentor's upcoming group sessions with seats left, each with "Join"; reloaded when `version` changes (a push). */
export function GroupSessions({ mentorId, version }: { mentorId: string; version: number }) {
    const { api } = useServices();
    const session = useSession();
    const [groups, setGroups] = useState<Group[] | undefined>();
    const [error, setError] = useState<unknown>();
    const [joined, setJoined] = useState<Record<string, boolean>>({});
    const [reload, setReload] = useState(0);
    useEffect(() => {
        let live = true;
        api.sessions.listGroups({ mentorId }).then(
            (page) => live && setGroups(page.items.filter((g) => g.status !== "cancelled" && Date.parse(g.start) > Date.now())),
            (e) => live && setError(e),
        );
        return () => {
            live = false;
        };
    }, [api, mentorId, version, reload]);
    if (!groups || groups.length === 0) return error ? <ErrorMessage error={error} /> : null;

    const join = async (group: Group) => {
        if (session.status !== "signedIn") {
            navigate(signInPath(`/mentors/${encodeURIComponent(mentorId)}`));
            return;
        }
        setError(undefined);
        try {
            await api.booking.join({ groupSessionId: group.id });
            setJoined((j) => ({ ...j, [group.id]: true }));
        } catch (e) {
            setError(e);
        }
        setReload((n) => n + 1);
    };
    return (
        <section aria-labelledby="groups-heading">
            <h2 id="groups-heading">Group sessions</h2>
            <ErrorMessage error={error} />
            <ul className="groups">
                {groups.map((g) => {
                    const left = seatsLeft(g);
                    const title = g.title ?? "Group session";
                    return (
                        <li key={g.id}>
                            <article aria-label={title}>
                                <h3>{title}</h3>
                                <p>
                                    <time dateTime={g.start}>{formatLocal(g.start)}</time>
                                    {g.topic ? ` · ${g.topic}` : ""} · {priceText(g.priceCredits)} ·{" "}
                                    <span>{left === 0 ? "Full" : `${left} of ${g.capacity ?? 0} seats left`}</span>
                                </p>
                                {joined[g.id] ? (
                                    <p role="status">
                                        You have a seat. <Link to="/sessions">My sessions</Link>
                                    </p>
                                ) : (
                                    <button type="button" onClick={() => join(g)} disabled={left === 0} aria-label={`Join ${title}`}>
                                        Join
                                    </button>
                                )}
                            </article>
                        </li>
                    );
                })}
            </ul>
        </section>
    );
}
