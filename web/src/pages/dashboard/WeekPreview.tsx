import { useEffect, useState } from "react";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { viewerTimeZone } from "../../components/time";
import { slotTime } from "../profile/slots";
import { SelectField } from "./Controls";
import { PREVIEW_DAYS, previewRange, weekPreview, type Slot } from "./schedule";

const LENGTHS = [15, 30, 45, 60, 90].map((m) => ({ value: String(m), label: `${m} minutes` }));

/**
 * "Week preview": the mentor's own bookable slots (`availability.slots`) for the next 7 days, per local day of the
 * viewer, back-to-back slots shown as one run. Reloaded when `version` changes (after a save).
 */
export function WeekPreview({ mentorId, version, gapMinutes }: { mentorId: string; version: number; gapMinutes: number }) {
    const { api } = useServices();
    const [minutes, setMinutes] = useState(30);
    const [answer, setAnswer] = useState<{ slots: Slot[]; at: number; truncated: boolean }>();
    const [error, setError] = useState<unknown>();
    useEffect(() => {
        let live = true;
        const at = Date.now();
        setAnswer(undefined);
        api.availability.slots({ mentorId, ...previewRange(at), minutes, limit: 500 }).then(
            (r) => {
                if (!live) return;
                setAnswer({ slots: r.slots, at, truncated: r.truncated === true });
                setError(undefined);
            },
            (e) => live && setError(e),
        );
        return () => {
            live = false;
        };
    }, [api, mentorId, minutes, version]);

    const days = answer ? weekPreview(answer.slots, answer.at, undefined, PREVIEW_DAYS, gapMinutes) : [];
    const total = days.reduce((n, d) => n + d.count, 0);
    return (
        <section aria-label="Week preview" className="week-preview" aria-busy={!answer && !error}>
            <h3>Week preview</h3>
            <p className="hint">
                What mentees can book in the next {PREVIEW_DAYS} days, in your time zone, <strong>{viewerTimeZone()}</strong>.
            </p>
            <div className="dash-grid">
                <SelectField label="Slot length" value={String(minutes)} options={LENGTHS} onChange={(e) => setMinutes(Number(e.target.value))} />
            </div>
            <ErrorMessage error={error} />
            <p role="status">{answer ? `${total}${answer.truncated ? "+" : ""} bookable ${total === 1 ? "time" : "times"}.` : error ? "" : "Loading…"}</p>
            {answer ? (
                <ul className="preview-days">
                    {days.map((day) => (
                        <li key={day.key} aria-label={day.label}>
                            <span className="preview-day">{day.label}</span>
                            {day.runs.length === 0 ? (
                                <span className="hint">None</span>
                            ) : (
                                <ul className="preview-runs">
                                    {day.runs.map((run) => (
                                        <li key={run.start}>
                                            <time dateTime={run.start}>{slotTime(run.start)}</time>–<time dateTime={run.end}>{slotTime(run.end)}</time>{" "}
                                            <span className="count">
                                                ({run.count} {run.count === 1 ? "slot" : "slots"})
                                            </span>
                                        </li>
                                    ))}
                                </ul>
                            )}
                        </li>
                    ))}
                </ul>
            ) : null}
        </section>
    );
}
