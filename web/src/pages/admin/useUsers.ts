import { useCallback, useEffect, useState } from "react";
import { useServices } from "../../app/context";
import { mergeUsers, replaceUser, type AdminUser } from "./adminFormat";

/** Accounts per `admin.listUsers` page. */
const PAGE = 50;

/** The accounts loaded so far (id order, as `admin.listUsers` pages them), and what the page does with them. */
export interface UsersState {
    items: AdminUser[];
    /** The cursor of the next page; unset when every account is loaded. */
    cursor?: string;
    loading: boolean;
    error?: unknown;
    /** Loads the next page ("More users"). */
    more(): void;
    /** Puts an account as a write answered it in place of its row. */
    replace(user: AdminUser): void;
}

/** The first page of accounts on mount, then a page more on each `more()`. */
export function useUsers(): UsersState {
    const { api } = useServices();
    const [state, setState] = useState<Pick<UsersState, "items" | "cursor" | "loading" | "error">>({ items: [], loading: true });

    const load = useCallback(
        async (cursor: string | undefined, isLive: () => boolean = () => true) => {
            setState((s) => ({ ...s, loading: true, error: undefined }));
            try {
                const page = await api.admin.listUsers({ limit: PAGE, cursor });
                if (isLive()) setState((s) => ({ items: mergeUsers(s.items, page.items), cursor: page.nextCursor, loading: false }));
            } catch (error) {
                if (isLive()) setState((s) => ({ ...s, loading: false, error }));
            }
        },
        [api],
    );

    useEffect(() => {
        let live = true;
        void load(undefined, () => live);
        return () => {
            live = false;
        };
    }, [load]);

    const more = useCallback(() => void load(state.cursor), [load, state.cursor]);
    const replace = useCallback((user: AdminUser) => setState((s) => ({ ...s, items: replaceUser(s.items, user) })), []);
    return { ...state, more, replace };
}
