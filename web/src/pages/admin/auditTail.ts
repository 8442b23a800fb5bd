import type { AuditListParams, AuditListResult } from "../../api";
import type { AuditEntry } from "./adminFormat";

/** One `audit.list` call (the page passes `api.audit.list`; the unit test a fake over an array). */
export type ListAudit = (params: AuditListParams) => Promise<AuditListResult>;

/** Entries per `audit.list` page (its maximum). */
export const PAGE_LIMIT = 500;
/** Pages followed on one window's cursor before the window is taken as too wide and halved. */
export const MAX_PAGES_PER_WINDOW = 4;
/** The first window: the last 15 minutes. */
export const FIRST_SPAN_MS = 15 * 60_000;
/** Windows never grow past a year. */
export const MAX_SPAN_MS = 366 * 86_400_000;
const SECOND = 1000;

/**
 * How far the walk back through the log has come. `audit.list` answers in id order (oldest first) and its cursor only
 * goes forward, so the newest entries are found by asking for time windows `[from, to)` walking back from now: each
 * window is read to its end on the cursor, and the windows meet exactly (one's `from` is the next's `to`), so no entry
 * is missed or shown twice.
 */
export interface AuditTail {
    /** The entries fetched so far, newest first. */
    entries: AuditEntry[];
    /** Every entry at or after this time (ms, a whole second) is in `entries`; unset before the first window. */
    before?: number;
    /** The span of the next window (ms). */
    span: number;
    /** The oldest entry's time (ms, floored to the second) once asked; `null`: the log is empty. */
    beginning?: number | null;
    /** Nothing older is left. */
    done: boolean;
}

/** A walk that has fetched nothing yet. */
export function startTail(): AuditTail {
    return { entries: [], span: FIRST_SPAN_MS, done: false };
}

/** A time as `audit.list`'s `from`/`to` take it: ISO 8601 to the whole second (the server's parser takes no fractions). */
export function isoSecond(ms: number): string {
    return new Date(Math.floor(ms / SECOND) * SECOND).toISOString().replace(".000Z", "Z");
}

/** The next window's span: four times wider after a window with fewer than `wanted` entries, halved after one with over four times as many. */
export function nextSpan(span: number, found: number, wanted: number): number {
    if (found < wanted) return Math.min(span * 4, MAX_SPAN_MS);
    if (found > 4 * wanted) return Math.max(SECOND, Math.floor(span / 2));
    return span;
}

/** Every entry with `from <= at < to` (either bound may be open), on the cursor for at most MAX_PAGES_PER_WINDOW pages. */
async function readWindow(list: ListAudit, from?: string, to?: string): Promise<{ items: AuditEntry[]; complete: boolean }> {
    const items: AuditEntry[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_WINDOW; page++) {
        const answer = await list({ from, to, cursor, limit: PAGE_LIMIT });
        items.push(...answer.items);
        cursor = answer.nextCursor;
        if (!cursor) return { items, complete: true };
    }
    return { items, complete: false };
}

/**
 * Walks back until at least `wanted` more entries are in `entries` or the log's beginning is reached. The first window
 * has no upper bound (entries stamped after this browser's `now` are not lost to clock skew); the last has no lower one.
 */
export async function extendTail(list: ListAudit, tail: AuditTail, wanted: number, now = Date.now()): Promise<AuditTail> {
    if (tail.done) return tail;
    let { entries, before, span, beginning } = tail;
    if (beginning === undefined) {
        const first = (await list({ limit: 1 })).items[0];
        beginning = first ? Math.floor(Date.parse(first.at) / SECOND) * SECOND : null;
    }
    if (beginning === null) return { entries, before, span, beginning, done: true };
    const target = entries.length + wanted;
    while (entries.length < target) {
        const end = before ?? Math.ceil(now / SECOND) * SECOND;
        const last = end - span <= beginning;
        const from = last ? undefined : end - span;
        const window = await readWindow(list, from === undefined ? undefined : isoSecond(from), before === undefined ? undefined : isoSecond(before));
        if (!window.complete && span > SECOND) {
            span = Math.max(SECOND, Math.floor(span / 2)); // too many in this window: the same end, a narrower window
            continue;
        }
        entries = [...entries, ...window.items.sort((a, b) => b.id - a.id)];
        if (from === undefined) return { entries, before: beginning, span, beginning, done: true };
        before = from;
        span = nextSpan(span, window.items.length, wanted);
    }
    return { entries, before, span, beginning, done: false };
}
