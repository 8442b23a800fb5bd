import { viewerTimeZone } from "../../components/time";
import { SlotDays } from "./SlotDays";
import type { Slot } from "./slots";

/**
 * The region "Available times": the free slots by local day in the viewer's time zone (shown), one button per slot
 * named by its local date and time ("Mon, 3 May, 10:30"). `live` marks that pushed changes are on (data-live, for
 * tests and a small note).
 */
export function SlotGrid({ slots, live, disabled, onChoose }: { slots: Slot[] | undefined; live: boolean; disabled: boolean; onChoose: (slot: Slot) => void }) {
    const zone = viewerTimeZone();
    return (
        <section className="slot-grid" aria-labelledby="times-heading" role="region" aria-busy={slots === undefined} data-live={live}>
            <h2 id="times-heading">Available times</h2>
            <p className="hint">
                Times are in your time zone, <strong>{zone}</strong>.{live ? " They update as others book." : ""}
            </p>
            {slots === undefined ? <p role="status">Loading times…</p> : null}
            {slots !== undefined && slots.length === 0 ? <p>No free times in the next days.</p> : null}
            <SlotDays slots={slots ?? []} heading="h3" disabled={disabled} onChoose={onChoose} />
        </section>
    );
}
