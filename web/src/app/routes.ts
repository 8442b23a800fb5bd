/**
 * The first path segments of the app's pages (and of those to come): nginx answers index.html for exactly these
 * (nginx/nginx.conf.template), and 404 for other unknown paths. A unit test keeps the two lists equal.
 */
export const CLIENT_ROUTES = ["mentors", "signin", "signup", "sessions", "wallet", "room", "dashboard", "admin", "notifications", "recordings", "checkout"] as const;

/** The app's routes, parsed from a path and query (pure). */
export type Route = { title: string; needsAccount: boolean } & (
    | { name: "find" }
    | { name: "profile"; mentorId: string }
    | { name: "signIn"; next: string }
    | { name: "signUp"; next: string }
    | { name: "sessions" }
    | { name: "room"; bookingId: string }
    | { name: "wallet" }
    | { name: "notifications" }
    | { name: "recordings" }
    | { name: "dashboard" }
    | { name: "admin" }
    | { name: "notFound" }
);

/** A `next` parameter that stays inside the app (a path, not another site: `//evil.example` is refused). */
export function safeNext(value: string | null): string {
    if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/mentors";
    if (value.startsWith("/signin") || value.startsWith("/signup")) return "/mentors";
    return value;
}

/** A path segment decoded (malformed escapes stay as typed; the server answers not_found). */
function segment(raw: string): string {
    try {
        return decodeURIComponent(raw);
    } catch {
        return raw;
    }
}

/** The route of `pathname` (+ `search` for `next`). */
export function matchRoute(pathname: string, search = ""): Route {
    const path = pathname.replace(/\/+$/, "") || "/";
    const next = safeNext(new URLSearchParams(search).get("next"));
    if (path === "/" || path === "/mentors") return { name: "find", title: "Find a mentor", needsAccount: false };
    const profile = /^\/mentors\/([^/]+)$/.exec(path);
    if (profile) {
        let id = profile[1];
        try {
            id = decodeURIComponent(id);
        } catch {
            // Malformed escapes stay as typed; the server answers not_found.
        }
        return { name: "profile", mentorId: id, title: "Mentor", needsAccount: false };
    }
    if (path === "/signin") return { name: "signIn", next, title: "Sign in", needsAccount: false };
    if (path === "/signup") return { name: "signUp", next, title: "Sign up", needsAccount: false };
    if (path === "/sessions") return { name: "sessions", title: "My sessions", needsAccount: true };
    const room = /^\/sessions\/([^/]+)\/room$/.exec(path);
    if (room) return { name: "room", bookingId: segment(room[1]), title: "Session room", needsAccount: true };
    if (path === "/wallet") return { name: "wallet", title: "Wallet", needsAccount: true };
    if (path === "/notifications") return { name: "notifications", title: "Notifications", needsAccount: true };
    if (path === "/recordings") return { name: "recordings", title: "Recordings", needsAccount: true };
    if (path === "/dashboard") return { name: "dashboard", title: "Mentor dashboard", needsAccount: true };
    if (path === "/admin") return { name: "admin", title: "Admin", needsAccount: true };
    return { name: "notFound", title: "Not found", needsAccount: false };
}
