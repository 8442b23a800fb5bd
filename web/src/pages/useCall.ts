import { useEffect, useState } from "react";

/** The state of one call made for a page: loading, its value, or its error. */
export interface CallState<T> {
    loading: boolean;
    value?: T;
    error?: unknown;
}

/** Runs `run` when `deps` change and tracks its answer (a late answer of an older run is dropped). */
export function useCall<T>(run: () => Promise<T>, deps: readonly unknown[]): CallState<T> {
    const [state, setState] = useState<CallState<T>>({ loading: true });
    useEffect(() => {
        let live = true;
        setState((s) => ({ ...s, loading: true }));
        run().then(
            (value) => live && setState({ loading: false, value }),
            (error) => live && setState({ loading: false, error }),
        );
        return () => {
            live = false;
        };
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, deps);
    return state;
}
