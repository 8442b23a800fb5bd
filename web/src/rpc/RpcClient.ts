import type { Caller, IdentityLoginResult, IdentityMeResult, IdentityRegisterParams, MethodName, Methods } from "../api";
import { createStore, type Store } from "../state/Store";
import type { Connection } from "./Connection";
import type { HttpCall } from "./http";
import { RpcError } from "./RpcError";
import type { SubscriptionHandlers } from "./SubscriptionRegistry";

/** The signed-in account. */
export type User = IdentityMeResult["user"];

/** Who is using the tab. `expired`: the session ended by itself (not by "Sign out"): send the user to sign in again. */
export type SessionState =
    | { status: "unknown" }
    | { status: "signedOut"; expired: boolean }
    | { status: "signedIn"; user: User };

/** Methods that set or clear the session cookies, which only an HTTP response carries (`http_required` otherwise). */
export const HTTP_METHODS: ReadonlySet<string> = new Set([
    "identity.login",
    "identity.refresh",
    "identity.logout",
    "identity.logoutAll",
    "identity.changePassword",
]);

/** Where the access token's expiry is kept between page loads (a time, not a secret; the tokens are HttpOnly cookies). */
const EXPIRY_KEY = "mentorlink.accessExpiresAt";
/** Refresh this long before the access token expires. */
const REFRESH_EARLY_MS = 60_000;

/** Settings of the client; timers, clock and storage are injectable for tests. */
export interface RpcClientOptions {
    connection: Connection;
    http: HttpCall;
    now?: () => number;
    setTimer?: (fn: () => void, ms: number) => unknown;
    clearTimer?: (timer: unknown) => void;
    storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
}

/**
 * The app's one client: typed calls (over the tab's WebSocket, or HTTP for the cookie-setting methods and while the
 * socket is reconnecting), subscriptions, and the session.
 *
 * Refresh-token rotation is transparent: the access token is refreshed a minute before it expires (each refresh
 * reopens the socket, whose credentials are its handshake's cookies, and resumes its subscriptions), and a call
 * answered `unauthenticated` while signed in is retried once after a refresh. When refreshing fails the session
 * state becomes `signedOut` with `expired: true`, and the app sends the user to sign in, then back to the page.
 */
export class RpcClient implements Caller {
    /** The session, observable. */
    readonly session: Store<SessionState> = createStore<SessionState>({ status: "unknown" });
    private readonly connection: Connection;
    private readonly http: HttpCall;
    private readonly now: () => number;
    private readonly setTimer: (fn: () => void, ms: number) => unknown;
    private readonly clearTimer: (timer: unknown) => void;
    private readonly storage: RpcClientOptions["storage"];
    private refreshTimer: unknown;
    private refreshing: Promise<boolean> | undefined;

    constructor(options: RpcClientOptions) {
        this.connection = options.connection;
        this.http = options.http;
        this.now = options.now ?? Date.now;
        this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
        this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
        this.storage = options.storage;
    }

    /** Calls `method`; retried once after a refresh when the access token had expired. */
    async call<M extends MethodName>(method: M, params: Methods[M]["params"]): Promise<Methods[M]["result"]> {
        try {
            return (await this.send(method, params)) as Methods[M]["result"];
        } catch (error) {
            if (!(error instanceof RpcError) || error.reason !== "unauthenticated" || method.startsWith("identity.")) throw error;
            if (this.session.get().status !== "signedIn" || !(await this.refresh())) throw error;
            return (await this.send(method, params)) as Methods[M]["result"];
        }
    }

    /** Subscribes on the tab's socket (resumed with `sinceSeq` after reconnects); returns the function that ends it. */
    subscribe<E>(method: MethodName, params: Record<string, unknown>, handlers: SubscriptionHandlers<E>): () => void {
        return this.connection.subscribe(method, params, handlers);
    }

    /** Learns who is signed in (at page load): `identity.me` with the cookies, else one refresh. */
    async restore(): Promise<void> {
        this.connection.start();
        try {
            const me = (await this.send("identity.me", {})) as IdentityMeResult;
            this.signedIn(me.user, Number(this.storage?.getItem(EXPIRY_KEY) ?? NaN));
        } catch (error) {
            if (error instanceof RpcError && error.reason === "unauthenticated") {
                if (!(await this.refresh(false))) this.session.set({ status: "signedOut", expired: false });
            } else {
                this.session.set({ status: "signedOut", expired: false });
            }
        }
    }

    /** Signs in (HTTP: the answer sets the cookies), then reopens the socket with them. */
    async signIn(email: string, password: string): Promise<User> {
        const result = (await this.http("identity.login", { email, password })) as IdentityLoginResult;
        this.adopt(result);
        return result.user;
    }

    /** Creates the account, then signs in. */
    async signUp(params: IdentityRegisterParams): Promise<User> {
        await this.call("identity.register", params);
        return this.signIn(params.email, params.password);
    }

    /** Ends this session (the cookies are cleared by the answer); signed out even if the server could not be told. */
    async signOut(): Promise<void> {
        try {
            await this.http("identity.logout", {});
        } catch {
            // The session is dropped here either way; the server revokes it when it hears of it or when it expires.
        } finally {
            this.endSession(false);
        }
    }

    /**
     * Rotates the refresh token (one at a time however many callers ask). True when the session goes on; a refused
     * refresh ends the session as expired (when `expire`), a network failure leaves it as it was.
     */
    refresh(expire = true): Promise<boolean> {
        if (!this.refreshing) {
            this.refreshing = (async () => {
                try {
                    this.adopt((await this.http("identity.refresh", {})) as IdentityLoginResult);
                    return true;
                } catch (error) {
                    if (error instanceof RpcError && error.retryable) return false;
                    if (expire) this.endSession(true);
                    return false;
                } finally {
                    this.refreshing = undefined;
                }
            })();
        }
        return this.refreshing;
    }

    /** What the socket's close with 1008 calls: refresh if signed in (the reconnect follows). */
    async credentialsRejected(): Promise<void> {
        if (this.session.get().status === "signedIn") await this.refresh();
    }

    private send(method: string, params: unknown): Promise<unknown> {
        if (HTTP_METHODS.has(method) || this.connection.currentState === "waiting") return this.http(method, params);
        return this.connection.call(method, params);
    }

    private adopt(result: IdentityLoginResult): void {
        const expiresAt = Date.parse(result.accessExpiresAt);
        this.storage?.setItem(EXPIRY_KEY, String(expiresAt));
        this.signedIn(result.user, expiresAt);
        this.connection.reconnect();
    }

    private signedIn(user: User, expiresAt: number): void {
        this.session.set({ status: "signedIn", user });
        this.clearTimer(this.refreshTimer);
        if (Number.isFinite(expiresAt)) {
            const delay = Math.max(5_000, expiresAt - REFRESH_EARLY_MS - this.now());
            this.refreshTimer = this.setTimer(() => void this.refresh(), delay);
        }
    }

    private endSession(expired: boolean): void {
        this.clearTimer(this.refreshTimer);
        this.storage?.removeItem(EXPIRY_KEY);
        this.session.set({ status: "signedOut", expired });
        this.connection.reconnect();
    }
}
