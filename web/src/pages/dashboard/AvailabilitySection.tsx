import { useEffect, useState, type FormEvent } from "react";
import type { AvailabilityGetResult } from "../../api";
import { useServices } from "../../app/context";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { viewerTimeZone } from "../../components/time";
import { availabilityDraft, availabilityParams, type AvailabilityDraft } from "./availabilityDraft";
import { SaveBar } from "./Controls";
import { OverrideRows } from "./OverrideRows";
import { addDays, localDateKey } from "./schedule";
import { TimeZoneField } from "./TimeZoneField";
import { useSave } from "./useSave";
import { WeekPreview } from "./WeekPreview";
import { WeeklyRows } from "./WeeklyRows";

type Rules = NonNullable<AvailabilityGetResult["availability"]>;
type NumberKey = "bufferBefore" | "bufferAfter" | "minNotice" | "horizon" | "maxPerDay";

const INLINE = /^(timeZone|bufferBeforeMinutes|bufferAfterMinutes|minNoticeMinutes|horizonDays|maxPerDay|weekly\[\d+\]\.(start|end)|overrides\[\d+\](\.(date|start|end))?)$/;
const DEFAULT_HINT = "Optional: blank keeps the default.";

/**
 * "Availability": weekly hours, date overrides, buffers and limits (`availability.get`, saved whole with "Save
 * availability": `availability.set`), and the week preview of what that makes bookable, reloaded after each save and
 * whenever `changes` moves (a group session created).
 */
export function AvailabilitySection({ mentorId, changes }: { mentorId: string; changes: number }) {
    const { api } = useServices();
    const [draft, setDraft] = useState<AvailabilityDraft>();
    const [rules, setRules] = useState<Rules>();
    const [loadError, setLoadError] = useState<unknown>();
    const [saves, setSaves] = useState(0);
    const save = useSave();
    const problems = save.state.problems;

    useEffect(() => {
        let live = true;
        api.availability.get({ mentorId }).then(
            (r) => {
                if (!live) return;
                setRules(r.availability);
                setDraft(availabilityDraft(r.availability, viewerTimeZone()));
            },
            (e) => live && setLoadError(e),
        );
        return () => {
            live = false;
        };
    }, [api, mentorId]);

    const set = (patch: Partial<AvailabilityDraft>) => setDraft((d) => (d ? { ...d, ...patch } : d));
    const submit = async (event: FormEvent) => {
        event.preventDefault();
        if (!draft) return;
        await save.run(availabilityParams(draft), async (params) => {
            const r = await api.availability.set(params);
            setRules(r.availability);
            setSaves((n) => n + 1);
            return "Availability saved.";
        });
    };
    const number = (label: string, key: NumberKey, field: string) => (
        <Field label={label} inputMode="numeric" hint={DEFAULT_HINT} value={draft?.[key] ?? ""} onChange={(e) => set({ [key]: e.target.value } as Pick<AvailabilityDraft, NumberKey>)} problem={problems[field]} />
    );

    return (
        <section aria-label="Availability" className="dash-section">
            <h2>Availability</h2>
            <ErrorMessage error={loadError} />
            {!draft && !loadError ? <p role="status">Loading…</p> : null}
            {draft ? (
                <form onSubmit={submit} noValidate className="dash-form">
                    <div className="dash-grid">
                        <TimeZoneField value={draft.timeZone} onChange={(timeZone) => set({ timeZone })} problem={problems.timeZone} />
                    </div>
                    <WeeklyRows rows={draft.weekly} onChange={(weekly) => set({ weekly })} problems={problems} />
                    <OverrideRows
                        rows={draft.overrides}
                        onChange={(overrides) => set({ overrides })}
                        problems={problems}
                        nextDate={() => addDays(localDateKey(Date.now(), draft.timeZone), 1)}
                    />
                    <fieldset className="dash-rows">
                        <legend>Buffers and limits</legend>
                        <div className="dash-grid">
                            {number("Buffer before (minutes)", "bufferBefore", "bufferBeforeMinutes")}
                            {number("Buffer after (minutes)", "bufferAfter", "bufferAfterMinutes")}
                            {number("Minimum notice (minutes)", "minNotice", "minNoticeMinutes")}
                            {number("Horizon (days)", "horizon", "horizonDays")}
                            {number("Max sessions per day", "maxPerDay", "maxPerDay")}
                        </div>
                    </fieldset>
                    <SaveBar label="Save availability" state={save.state} inline={(f) => INLINE.test(f)} />
                </form>
            ) : null}
            <WeekPreview mentorId={mentorId} version={saves + changes} gapMinutes={(rules?.bufferBeforeMinutes ?? 0) + (rules?.bufferAfterMinutes ?? 0)} />
        </section>
    );
}
