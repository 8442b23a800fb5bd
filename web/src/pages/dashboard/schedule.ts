import type { AvailabilitySlotsResult } from "../../api";

/** One free slot (UTC instants). */
export type Slot = AvailabilitySlotsResult["slots"][number];

/** How many days the week preview shows (today first). */
export const PREVIEW_DAYS = 7;

/** Back-to-back slots shown as one run of bookable time. */
export interface SlotRun {
    /** The first slot's start (UTC). */
    start: string;
    /** The last slot's end (UTC). */
    end: string;
    /** How many slots the run holds. */
    count: number;
}

/** One local day of the preview. */
export interface PreviewDay {
    /** `YYYY-MM-DD` in the zone shown. */
    key: string;
    /** e.g. "Mon, 3 May". */
    label: string;
    runs: SlotRun[];
    /** Slots that day. */
    count: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The local date (`YYYY-MM-DD`) of an instant in `timeZone` (the viewer's by default). */
export function localDateKey(instant: number | string, timeZone?: string): string {
    return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).format(new Date(instant));
}

/** A calendar date `days` later (calendar arithmetic: a 23- or 25-hour day is still one day). */
export function addDays(key: string, days: number): string {
    const [y, m, d] = key.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A date as the preview names it, e.g. "Mon, 3 May" (in the viewer's locale). */
export function dayLabel(key: string): string {
    const [y, m, d] = key.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d, 12)).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
}

/** An instant as UTC ISO to the second (`2030-05-06T10:00:00Z`), the API's spelling. */
export function isoSeconds(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** What the preview asks `availability.slots` for: from now (to the minute) for `days` days. */
export function previewRange(now: number, days = PREVIEW_DAYS): { from: string; to: string } {
    const from = Math.floor(now / MINUTE) * MINUTE;
    return { from: isoSeconds(from), to: isoSeconds(from + days * DAY) };
}

/**
 * The preview: today and the next `days - 1` local days of `timeZone` (every one listed, empty or not), each with its
 * slots merged into runs. A slot starting within `gapMinutes` of the previous one's end (the buffers between
 * sessions) continues its run. Slots outside those days are left out.
 */
export function weekPreview(slots: readonly Slot[], now: number, timeZone?: string, days = PREVIEW_DAYS, gapMinutes = 0): PreviewDay[] {
    const first = localDateKey(now, timeZone);
    const out: PreviewDay[] = Array.from({ length: days }, (_, i) => {
        const key = addDays(first, i);
        return { key, label: dayLabel(key), runs: [], count: 0 };
    });
    const byKey = new Map(out.map((d) => [d.key, d]));
    const sorted = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    for (const slot of sorted) {
        const day = byKey.get(localDateKey(slot.start, timeZone));
        if (!day) continue;
        day.count += 1;
        const last = day.runs[day.runs.length - 1];
        if (last && Date.parse(slot.start) - Date.parse(last.end) <= gapMinutes * MINUTE) {
            last.end = slot.end;
            last.count += 1;
        } else {
            day.runs.push({ start: slot.start, end: slot.end, count: 1 });
        }
    }
    return out;
}

/** A `datetime-local` value (the viewer's wall-clock time) as a UTC ISO instant; `undefined` when incomplete. */
export function localInputToUtc(value: string): string | undefined {
    const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)$/.exec(value);
    if (!match) return undefined;
    const [y, mo, d, h, mi] = match.slice(1).map(Number);
    const date = new Date(y, mo - 1, d, h, mi);
    // A wall-clock time that does not exist (skipped by a DST change) or a date like Feb 31 does not round-trip.
    if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || date.getHours() !== h || date.getMinutes() !== mi) return undefined;
    return isoSeconds(date.getTime());
}

/** An instant as a `datetime-local` value in the viewer's zone (to the minute). */
export function utcToLocalInput(ms: number): string {
    const d = new Date(ms);
    const two = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A sensible first start for a new group session: tomorrow at 18:00, the viewer's time. */
export function defaultGroupStart(now: number): string {
    const d = new Date(now);
    return utcToLocalInput(new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 18, 0).getTime());
}

/** The time zones to choose from: the browser's IANA list (when it has one) plus `current`, sorted, each once. */
export function timeZoneOptions(current: string, supported: readonly string[] = supportedTimeZones()): string[] {
    return [...new Set([...supported, current].filter(Boolean))].sort();
}

function supportedTimeZones(): string[] {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    return intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : ["UTC"];
}
