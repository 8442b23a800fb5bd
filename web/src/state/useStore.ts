import { useSyncExternalStore } from "react";
import type { Store } from "./Store";

/** The store's value, re-rendering the component when it changes. */
export function useStore<T>(store: Store<T>): T {
    return useSyncExternalStore(store.subscribe, store.get, store.get);
}
