import { viewerTimeZone } from "../../components/time";
import { SlotDays } from "../profile/SlotDays";
import type { Slot } from "../profile/slots";

/** The mentor's free slots by local day (the viewer's zone, named), one button per slot named by its local date and time. */
export function SlotPicker({ slots, label, disabled, onChoose }: { slots: Slot[]; label: string; disabled: boolean; onChoose(slot: Slot): void }) {
    return (
        <div className="slot-picker" role="group" aria-label={label}>
            <p className="hint">
                Free times of the same length, in your time zone, <strong>{viewerTimeZone()}</strong>.
            </p>
            {slots.length === 0 ? <p>No free times in the next days.</p> : null}
            <SlotDays slots={slots} heading="h4" disabled={disabled} onChoose={onChoose} />
        </div>
    );
}
