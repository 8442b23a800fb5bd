import { useCallback, useEffect, useState } from "react";
import type { WalletGetResult, WalletHistoryResult } from "../../api";
import { useServices } from "../../app/context";

/** A ledger entry of the signed-in user. */
export type Entry = WalletHistoryResult["items"][number];

/** The wallet's balances and the first page of its history, and a way to reload both. */
export interface WalletState {
    balances?: WalletGetResult;
    history?: Entry[];
    nextCursor?: string;
    error?: unknown;
    reload(): void;
}

/**
 * The signed-in user's balances and history, kept live: reloaded on every notification pushed to this user
 * (`notifications.subscribe`: a top-up's `payment.succeeded`, a booking, a refund) and whenever `reload` is called.
 */
export function useWallet(): WalletState {
    const { api, client } = useServices();
    const [state, setState] = useState<Omit<WalletState, "reload">>({});
    const [tick, setTick] = useState(0);
    const reload = useCallback(() => setTick((n) => n + 1), []);

    useEffect(() => {
        let live = true;
        Promise.all([api.wallet.get({}), api.wallet.history({ limit: 20 })]).then(
            ([balances, history]) => live && setState({ balances, history: history.items, nextCursor: history.nextCursor }),
            (error) => live && setState((s) => ({ ...s, error })),
        );
        return () => {
            live = false;
        };
    }, [api, tick]);

    useEffect(() => client.subscribe("notifications.subscribe", {}, { onEvent: reload, onResumed: reload }), [client, reload]);

    return { ...state, reload };
}
