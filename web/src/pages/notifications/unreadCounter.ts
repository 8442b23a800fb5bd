import { createStore, type Store } from "../../state/Store";

/**
 * The signed-in user's unread count, shared by the header's bell and the notifications page. `refresh` reads it again
 * (`notifications.list {limit: 1}`); only the newest read is kept, and `lower` (after marking read) applies at once and
 * makes every read still in flight stale, so an answer from before the mark never puts the old count back.
 */
export interface UnreadCounter {
    /** The count, `undefined` until first read. */
    readonly store: Store<number | undefined>;
    /** Reads the count again; resolves once read (or failed: the last count stays). */
    refresh(): Promise<void>;
    /** Lowers the count by `by` now (never below 0), then reads it again. */
    lower(by: number): Promise<void>;
}

/** A counter over `load`, which answers the current unread count. */
export function createUnreadCounter(load: () => Promise<number>): UnreadCounter {
    const store = createStore<number | undefined>(undefined);
    let generation = 0;
    const refresh = async () => {
        const mine = ++generation;
        try {
            const count = await load();
            if (mine === generation) store.set(count);
        } catch {
            // Keep the last count; the next push or mark reads it again.
        }
    };
    return {
        store,
        refresh,
        lower(by) {
            generation++;
            store.set((count) => (count === undefined ? count : Math.max(0, count - by)));
            return refresh();
        },
    };
}
