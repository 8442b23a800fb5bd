import { useState } from "react";
import { groupByDay, slotLabel, slotTime, type Slot } from "./slots";

/** Days shown before "Show more days". */
const FIRST_DAYS = 3;

/**
 * Free slots by local day (the viewer's zone): a group per day headed by its label, one button per slot named by its
 * local date and time, the first three days and then "Show N more days". Shared by the profile's "Available times"
 * and the reschedule picker.
 */
export function SlotDays({ slots, heading, disabled, onChoose }: { slots: Slot[]; heading: "h3" | "h4"; disabled: boolean; onChoose(slot: Slot): void }) {
    const days = groupByDay(slots);
    const [shown, setShown] = useState(FIRST_DAYS);
    const Heading = heading;
    return (
        <>
            {days.slice(0, shown).map((day) => (
                <div className="slot-day" key={day.key} role="group" aria-label={day.label}>
                    <Heading>{day.label}</Heading>
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
        </>
    );
}
