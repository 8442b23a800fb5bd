import { useState } from "react";
import { viewerTimeZone } from "../../components/time";
import { groupByDay, slotLabel, slotTime, type Slot } from "../profile/slots";

/** Days shown before "Show more days". */
const FIRST_DAYS = 3;

/** The mentor's free slots by local day (the viewer's zone, named), one button per slot named by its local date and time. */
export function SlotPicker({ slots, label, disabled, onChoose }: { slots: Slot[]; label: string; disabled: boolean; onChoose(slot: Slot): void }) {
    const days = groupByDay(slots);
    const [shown, setShown] = useState(FIRST_DAYS);
    return (
        <div className="slot-picker" role="group" aria-label={label}>
            <p className="hint">
                Free times of the same length, in your time zone, <strong>{viewerTimeZone()}</strong>.
            </p>
            {days.length === 0 ? <p>No free times in the next days.</p> : null}
            {days.slice(0, shown).map((day) => (
                <div className="slot-day" key={day.key} role="group" aria-label={day.label}>
                    <h4>{day.label}</h4>
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
        </div>
    );
}
