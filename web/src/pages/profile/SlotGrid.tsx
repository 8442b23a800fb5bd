import { useState } from "react";
import { viewerTimeZone } from "../../components/time";
import { groupByDay, slotLabel, slotTime, type Slot } from "./slots";

/** Days shown before "Show more days". */
const FIRST_DAYS = 3;

/**
 * The region "Available times": the free slots by local day in the viewer's time zone (shown), one button per slot
 * named by its local date and time ("Mon, 3 May, 10:30"). `live` marks that pushed changes are on (data-live, for
 * tests and a small note).
 */
export function SlotGrid({ slots, live, disabled, onChoose }: { slots: Slot[] | undefined; live: boolean; disabled: boolean; onChoose: (slot: Slot) => void }) {
    const zone = viewerTimeZone();
    const days = groupByDay(slots ?? []);
    const [shown, setShown] = useState(FIRST_DAYS);
    return (
        <section className="slot-grid" aria-labelledby="times-heading" role="region" aria-busy={slots === undefined} data-live={live}>
            <h2 id="times-heading">Available times</h2>
            <p className="hint">
                Times are in your time zone, <strong>{zone}</strong>.{live ? " They update as others book." : ""}
            </p>
            {slots === undefined ? <p role="status">Loading times…</p> : null}
            {slots !== undefined && days.length === 0 ? <p>No free times in the next days.</p> : null}
            {days.slice(0, shown).map((day) => (
                <div className="slot-day" key={day.key} role="group" aria-label={day.label}>
                    <h3>{day.label}</h3>
                    <ul>
                        {day.slots.map((slot) => (
                            <li key={slot.start}>
                                <button type="button" aria-label={slotLabel(slot.start)} disabled={disabled} onClick={() => onChoose(slot)}>
                                    <time dateTime={slot.start}>{slotTime(slot.start)}</time>
                                </button>
                            </li>
                        ))}
                    </ul>
                </div>
            ))}
            {days.length > shown ? (
                <button type="button" className="more" onClick={() => setShown(days.length)}>
                    Show {days.length - shown} more days
                </button>
            ) : null}
        </section>
    );
}
