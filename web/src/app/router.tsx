import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from "react";
import { createStore } from "../state/Store";
import { useStore } from "../state/useStore";

/** The address bar's path and query, observable. */
export interface Location {
    pathname: string;
    search: string;
}

const current = (): Location => ({ pathname: window.location.pathname, search: window.location.search });
const locationStore = createStore<Location>(typeof window === "undefined" ? { pathname: "/", search: "" } : current());
if (typeof window !== "undefined") window.addEventListener("popstate", () => locationStore.set(current()));

/** Goes to `to` (a path with an optional query) without reloading; `replace` keeps the history entry. */
export function navigate(to: string, replace = false): void {
    if (to === window.location.pathname + window.location.search) return;
    if (replace) window.history.replaceState(null, "", to);
    else window.history.pushState(null, "", to);
    locationStore.set(current());
    window.scrollTo(0, 0);
}

/** The current location (re-renders on navigation). */
export function useLocation(): Location {
    return useStore(locationStore);
}

/** The path to come back to after signing in. */
export function signInPath(next: string): string {
    return `/signin?next=${encodeURIComponent(next)}`;
}

/** A same-app link: navigates in place on a plain click, behaves as a normal link otherwise (new tab, copy). */
export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
    const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
        rest.onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
    };
    return (
        <a {...rest} href={to} onClick={onClick}>
            {children}
        </a>
    );
}
