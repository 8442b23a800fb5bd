import { useEffect, useState, type FormEvent } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { formatLocal, viewerTimeZone } from "../../components/time";
import { priceText } from "../profile/BookingPanel";
import { SaveBar } from "./Controls";
import { groupParams, seatsText, upcomingGroups, type GroupDraft, type GroupSession } from "./groupDraft";
import { defaultGroupStart } from "./schedule";
import { useSave } from "./useSave";

const INLINE = /^(title|topic|start|minutes|capacity|priceCredits)$/;

/**
 * "Group sessions": the mentor's upcoming ones (`sessions.listGroups`) with seats taken and left, and a form that
 * creates one ("Create group session": `sessions.createGroup`, the start typed in the viewer's zone and sent as UTC).
 */
export function GroupSessionsSection({ mentorId, onCreated }: { mentorId: string; onCreated: () => void }) {
    const { api } = useServices();
    const [groups, setGroups] = useState<GroupSession[]>();
    const [loadError, setLoadError] = useState<unknown>();
    const [reloads, setReloads] = useState(0);
    const [draft, setDraft] = useState<GroupDraft>(() => ({ title: "", topic: "", start: defaultGroupStart(Date.now()), minutes: "60", capacity: "10", price: "0" }));
    const save = useSave();
    const problems = save.state.problems;

    useEffect(() => {
        let live = true;
        api.sessions.listGroups({ mentorId }).then(
            (r) => {
                if (!live) return;
                setGroups(upcomingGroups(r.items, Date.now()));
                setLoadError(undefined);
            },
            (e) => live && setLoadError(e),
        );
        return () => {
            live = false;
        };
    }, [api, mentorId, reloads]);

    const set = (patch: Partial<GroupDraft>) => setDraft((d) => ({ ...d, ...patch }));
    const submit = async (event: FormEvent) => {
        event.preventDefault();
        const created = await save.run(groupParams(draft, Date.now()), async (params) => {
            const r = await api.sessions.createGroup(params);
            return `Group session “${r.booking.title ?? params.title}” created for ${formatLocal(r.booking.start)}.`;
        });
        if (!created) return;
        set({ title: "", topic: "" });
        setReloads((n) => n + 1);
        onCreated();
    };

    return (
        <section aria-label="Group sessions" className="dash-section">
            <h2>Group sessions</h2>
            <h3>Upcoming</h3>
            <ErrorMessage error={loadError} />
            {!groups && !loadError ? <p role="status">Loading…</p> : null}
            {groups && groups.length === 0 ? <p>None yet.</p> : null}
            {groups && groups.length > 0 ? (
                <ul className="groups dash-groups">
                    {groups.map((g) => {
                        const title = g.title ?? "Group session";
                        return (
                            <li key={g.id}>
                                <article aria-label={title}>
                                    <h4>{title}</h4>
                                    <p>
                                        <time dateTime={g.start}>{formatLocal(g.start)}</time> ·{" "}
                                        {Math.round((Date.parse(g.end) - Date.parse(g.start)) / 60_000)} minutes{g.topic ? ` · ${g.topic}` : ""} · {priceText(g.priceCredits)}
                                    </p>
                                    <p className="seats">{seatsText(g)}</p>
                                </article>
                            </li>
                        );
                    })}
                </ul>
            ) : null}
            <form onSubmit={submit} noValidate className="dash-form" aria-label="New group session">
                <h3>New group session</h3>
                <div className="dash-grid">
                    <Field label="Title" value={draft.title} maxLength={200} onChange={(e) => set({ title: e.target.value })} problem={problems.title} />
                    <Field label="Topic" value={draft.topic} maxLength={200} onChange={(e) => set({ topic: e.target.value })} problem={problems.topic} />
                    <Field
                        label="Start"
                        type="datetime-local"
                        hint={`Your time zone, ${viewerTimeZone()}.`}
                        value={draft.start}
                        onChange={(e) => set({ start: e.target.value })}
                        problem={problems.start}
                    />
                    <Field label="Minutes" inputMode="numeric" value={draft.minutes} onChange={(e) => set({ minutes: e.target.value })} problem={problems.minutes} />
                    <Field label="Capacity" inputMode="numeric" value={draft.capacity} onChange={(e) => set({ capacity: e.target.value })} problem={problems.capacity} />
                    <Field label="Price (credits)" inputMode="numeric" value={draft.price} onChange={(e) => set({ price: e.target.value })} problem={problems.priceCredits} />
                </div>
                <SaveBar label="Create group session" state={save.state} inline={(f) => INLINE.test(f)} />
            </form>
        </section>
    );
}
