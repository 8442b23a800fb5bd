import { useCallback, useEffect, useRef, useState } from "react";
import { useServices } from "../../app/context";
import { markAllRead, markedRead, mergeNewestFirst, pushedNotification, unreadIds, type Notification } from "./notificationRules";
import { useUnreadCounter } from "./useUnreadCount";

/** Notifications per page of `notifications.list`. */
export const PAGE_SIZE = 20;

/** The inbox as the page shows it, and what the page can do with it. */
export interface Inbox {
    items?: Notification[];
    nextCursor?: string;
    error?: unknown;
    busy: boolean;
    more(): void;
    markRead(ids: number[]): void;
    markAll(): void;
}

/**
 * The signed-in user's notifications, newest first: the first page once `notifications.subscribe` is answered, every
 * pushed notification added at the top, the first page read again after a reconnect that lost events; "More" on the
 * cursor. Marking read updates the list and the shared unread count at once.
 */
export function useInbox(): Inbox {
    const { api, client } = useServices();
    const counter = useUnreadCounter();
    const [items, setItems] = useState<Notification[]>();
    const [nextCursor, setNextCursor] = useState<string>();
    const [error, setError] = useState<unknown>();
    const [busy, setBusy] = useState(false);
    const loaded = useRef(false);

    const loadFirst = useCallback(async () => {
        try {
            const page = await api.notifications.list({ limit: PAGE_SIZE });
            setItems((current) => mergeNewestFirst(current ?? [], page.items));
            if (!loaded.current) setNextCursor(page.nextCursor);
            loaded.current = true;
            setError(undefined);
        } catch (e) {
            setError(e);
        }
    }, [api]);

    useEffect(
        () =>
            client.subscribe("notifications.subscribe", {}, {
                onSubscribed: () => void loadFirst(),
                onEvent: (event) => {
                    const pushed = pushedNotification(event);
                    if (pushed) setItems((current) => mergeNewestFirst(current ?? [], [pushed]));
                },
                onResumed: (recovered) => {
                    if (!recovered) void loadFirst();
                },
                onError: () => void loadFirst(),
            }),
        [client, loadFirst],
    );

    const run = async (work: () => Promise<void>) => {
        setBusy(true);
        setError(undefined);
        try {
            await work();
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };

    const more = () =>
        void run(async () => {
            const page = await api.notifications.list({ limit: PAGE_SIZE, cursor: nextCursor });
            setItems((current) => mergeNewestFirst(current ?? [], page.items));
            setNextCursor(page.nextCursor);
        });

    const markRead = (ids: number[]) =>
        void run(async () => {
            if (ids.length === 0) return;
            await api.notifications.markRead({ ids });
            setItems((current) => markedRead(current ?? [], ids));
            await counter.lower(ids.length);
        });

    const markAll = () =>
        void run(async () => {
            const shown = items ?? [];
            const newest = shown.length ? shown[0].id : 0;
            const ids = await markAllRead(unreadIds(shown), newest, api.notifications, nextCursor ? 5 : 0);
            setItems((current) => markedRead(current ?? [], ids));
            await counter.lower(ids.length);
        });

    return { items, nextCursor, error, busy, more, markRead, markAll };
}
