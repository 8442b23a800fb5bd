import type { NotificationsListResult } from "../../api";

/** A notification as `notifications.list` answers it (and as `notifications.subscribe` pushes it). */
export type Notification = NotificationsListResult["items"][number];

/** The server counts unread notifications up to this many (`RealtimeService.unreadCap`): a count this high means "at least". */
export const UNREAD_CAP = 1000;

/** `notifications.markRead` takes at most this many ids per call. */
export const MARK_READ_MAX = 500;

/** The badge's text: nothing at 0, the number up to 999, "999+" above. */
export function badgeText(count: number | undefined): string {
    if (!count || count <= 0) return "";
    return count > 999 ? "999+" : String(count);
}

/** The bell link's accessible name: "Notifications", plus ", N unread" when there are any. */
export function bellLabel(count: number | undefined): string {
    const badge = badgeText(count);
    return badge ? `Notifications, ${badge} unread` : "Notifications";
}

/** The notification a `notifications.subscribe` push carries (`{type: "notification", notification}`), else undefined. */
export function pushedNotification(event: unknown): Notification | undefined {
    if (typeof event !== "object" || event === null) return undefined;
    const { type, notification: n } = event as { type?: unknown; notification?: unknown };
    if (type !== "notification" || typeof n !== "object" || n === null) return undefined;
    const v = n as Record<string, unknown>;
    if (typeof v.id !== "number" || typeof v.title !== "string" || typeof v.createdAt !== "string") return undefined;
    return {
        id: v.id,
        type: typeof v.type === "string" ? v.type : "",
        title: v.title,
        body: typeof v.body === "string" ? v.body : "",
        createdAt: v.createdAt,
        read: v.read === true,
    };
}

/** `current` and `incoming` as one list, newest (highest id) first, each id once (an incoming copy wins). */
export function mergeNewestFirst(current: readonly Notification[], incoming: readonly Notification[]): Notification[] {
    const byId = new Map<number, Notification>();
    for (const n of current) byId.set(n.id, n);
    for (const n of incoming) byId.set(n.id, n);
    return [...byId.values()].sort((a, b) => b.id - a.id);
}

/** The list with `ids` marked read. */
export function markedRead(items: readonly Notification[], ids: readonly number[]): Notification[] {
    const set = new Set(ids);
    return items.map((n) => (set.has(n.id) && !n.read ? { ...n, read: true } : n));
}

/** The ids of the unread notifications in `items`. */
export function unreadIds(items: readonly Notification[]): number[] {
    return items.filter((n) => !n.read).map((n) => n.id);
}

/** `ids` in chunks of at most `size`. */
export function chunks<T>(ids: readonly T[], size = MARK_READ_MAX): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
    return out;
}

const INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/** A notification's body with the UTC instants it names ("…booked for 2030-05-06T10:00:00Z.") written by `format`. */
export function readableBody(body: string, format: (instant: string) => string): string {
    return body.replace(INSTANT, (instant) => format(instant));
}

/** What `markAllRead` calls: the two `notifications.*` methods. */
export interface InboxCalls {
    list(params: { unreadOnly: true; limit: number }): Promise<{ items: Notification[] }>;
    markRead(params: { ids: number[] }): Promise<unknown>;
}

/**
 * "Mark all read": the loaded unread ids, then (when the page had not loaded everything) the older unread ones the
 * server still has, up to the newest id the page showed (`newestSeen`), so a notification that arrives meanwhile stays
 * unread. At most `maxRounds` extra pages of 200. Returns every id marked.
 */
export async function markAllRead(loadedUnread: readonly number[], newestSeen: number, calls: InboxCalls, maxRounds = 5): Promise<number[]> {
    const marked: number[] = [];
    for (const ids of chunks(loadedUnread)) {
        await calls.markRead({ ids });
        marked.push(...ids);
    }
    for (let round = 0; round < maxRounds; round++) {
        const done = new Set(marked);
        const ids = (await calls.list({ unreadOnly: true, limit: 200 })).items.map((n) => n.id).filter((id) => id <= newestSeen && !done.has(id));
        if (ids.length === 0) break;
        await calls.markRead({ ids });
        marked.push(...ids);
    }
    return marked;
}
