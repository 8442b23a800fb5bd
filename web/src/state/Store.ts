/** A tiny observable value: the app's shared state lives in a few of these (session, connection notices). */
export interface Store<T> {
    get(): T;
    set(next: T | ((current: T) => T)): void;
    /** Calls `listener` after every change; returns the function that stops it. */
    subscribe(listener: () => void): () => void;
}

/** A store holding `initial`; `set` with an equal (===) value notifies nobody. */
export function createStore<T>(initial: T): Store<T> {
    let value = initial;
    const listeners = new Set<() => void>();
    return {
        get: () => value,
        set(next) {
            const resolved = typeof next === "function" ? (next as (current: T) => T)(value) : next;
            if (Object.is(resolved, value)) return;
            value = resolved;
            for (const listener of [...listeners]) listener();
        },
        subscribe(listener) {
            listeners.add(listener);
            return () => listeners.delete(listener);
        },
    };
}
