import { useEffect } from "react";
import type { Api } from "../../api";
import { useServices } from "../../app/context";
import { useStore } from "../../state/useStore";
import { createUnreadCounter, type UnreadCounter } from "./unreadCounter";

const counters = new WeakMap<Api, UnreadCounter>();

/** The one unread counter of this tab's services (the bell and the page share it). */
export function useUnreadCounter(): UnreadCounter {
    const { api } = useServices();
    let counter = counters.get(api);
    if (!counter) {
        counter = createUnreadCounter(async () => (await api.notifications.list({ limit: 1 })).unreadCount);
        counters.set(api, counter);
    }
    return counter;
}

/**
 * The unread count, kept live: read once `notifications.subscribe` is answered (so no push between the read and the
 * subscription is missed), and again on every push and after a reconnect.
 */
export function useLiveUnreadCount(): number | undefined {
    const { client } = useServices();
    const counter = useUnreadCounter();
    useEffect(() => {
        const refresh = () => void counter.refresh();
        return client.subscribe("notifications.subscribe", {}, { onSubscribed: refresh, onEvent: refresh, onResumed: refresh, onError: refresh });
    }, [client, counter]);
    return useStore(counter.store);
}
