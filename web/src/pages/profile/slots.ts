import type { AvailabilitySlotsResult } from "../../api";

/** One free slot (UTC instants). */
export type Slot = AvailabilitySlotsResult["slots"][number];

/** The slots of one local day. */
export interface SlotDay {
    /** The local date, `YYYY-MM-DD` in `timeZone` (a key). */
    key: string;
    /** The day as shown, e.g. "Mon, 3 May". */
    label: string;
    slots: Slot[];
}

/** How far ahead the grid looks. */
export const GRID_DAYS = 7;

/** A slot button's name: its local date and time in the viewer's zone, e.g. "Mon, 3 May, 10:30" (unique per slot). */
export function slotLabel(start: string, timeZone?: string): string {
    return new Date(start).toLocaleString(undefined, {
        weekday: "short",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
        timeZone,
    });
}

/** A slot's time of day alone, e.g. "10:30" (what the button shows inside its day). */
export function slotTime(start: string, timeZone?: string): string {
    return new Date(start).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", timeZone });
}

/** The slots grouped by local day of `timeZone` (the viewer's by default), in order. */
export function groupByDay(slots: readonly Slot[], timeZone?: string): SlotDay[] {
    const keyOf = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone });
    const days: SlotDay[] = [];
    for (const slot of slots) {
        const key = keyOf.format(new Date(slot.start));
        let day = days[days.length - 1];
        if (!day || day.key !== key) {
            day = { key, label: new Date(slot.start).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", timeZone }), slots: [] };
            days.push(day);
        }
        day.slots.push(slot);
    }
    return days;
}

/** The range the grid asks for: from now (to the minute) for `days` days. */
export function gridRange(now: number, days = GRID_DAYS): { from: string; to: string } {
    const from = new Date(Math.floor(now / 60_000) * 60_000);
    return { from: from.toISOString().replace(".000Z", "Z"), to: new Date(from.getTime() + days * 86_400_000).toISOString().replace(".000Z", "Z") };
}

/** A countdown as "m:ss" (never below 0:00). */
export function formatRemaining(ms: number): string {
    const total = Math.max(0, Math.ceil(ms / 1000));
    return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}
