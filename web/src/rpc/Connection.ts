import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
import { callFrame, parseIncoming } from "./messages";
import { RpcError } from "./RpcError";
import { SubscriptionRegistry, type AttachedHandlers, type SubscribeResult, type SubscriptionHandlers } from "./SubscriptionRegistry";

/** The part of the browser's WebSocket the connection uses (a fake in unit tests). */
export interface SocketLike {
    readonly readyState: number;
    send(data: string): void;
    close(code?: number, reason?: string): void;
    onopen: ((ev: unknown) => void) | null;
    onclose: ((ev: { code: number; reason: string }) => void) | null;
    onmessage: ((ev: { data: unknown }) => void) | null;
    onerror: ((ev: unknown) => void) | null;
}

/** Where the connection stands. `waiting`: closed, a reconnect is scheduled (calls go over HTTP meanwhile). */
export type ConnectionState = "idle" | "connecting" | "open" | "waiting";

/** What the connection tells the app. */
export type ConnectionEvent =
    | { type: "state"; state: ConnectionState }
    /** A subscription resumed after a reconnect but the server could not replay everything: state was reloaded. */
    | { type: "gap"; method: string };

/** Settings of a connection; the defaults are the browser's. */
export interface ConnectionOptions {
    url: string;
    createSocket?: (url: string) => SocketLike;
    backoff?: BackoffOptions;
    random?: () => number;
    setTimer?: (fn: () => void, ms: number) => unknown;
    clearTimer?: (timer: unknown) => void;
    /** A call without an answer after this long fails with `timeout` (the server's own deadline is 10 s). */
    callTimeoutMs?: number;
    /**
     * The server closed with 1008 (credentials expired or revoked): refresh them before reconnecting. Resolves
     * either way; the reconnect then carries whatever cookies the browser holds.
     */
    onCredentialsRejected?: () => Promise<void>;
}

interface Pending {
    resolve(value: unknown): void;
    reject(error: unknown): void;
    timer: unknown;
}

/** Closed by the server because the credentials expired or were revoked. */
const POLICY_VIOLATION = 1008;
/** Our own close before reconnecting with new credentials. */
const RECONNECTING = 4000;

/**
 * The tab's one WebSocket to `/rpc/ws`: calls and subscriptions share it.
 *
 * Calls made while it connects are queued and sent on open. When it closes, outstanding calls fail with
 * `connection_lost`, and it reconnects after a backoff (250 ms doubling to 10 s, jittered), then resubscribes every
 * live subscription with `sinceSeq`; a server that cannot fill the gap answers `recovered:false`, which the subscriber
 * hears (`onResumed(false)`) and the app shows (a `gap` event).
 */
export class Connection {
    private readonly options: Required<Omit<ConnectionOptions, "onCredentialsRejected">> & Pick<ConnectionOptions, "onCredentialsRejected">;
    private socket: SocketLike | undefined;
    private state: ConnectionState = "idle";
    private attempt = 0;
    private reconnectTimer: unknown;
    private nextId = 1;
    private readonly pending = new Map<number, Pending>();
    private queue: string[] = [];
    private readonly registry = new SubscriptionRegistry();
    private readonly listeners = new Set<(event: ConnectionEvent) => void>();
    private stopped = false;

    constructor(options: ConnectionOptions) {
        this.options = {
            createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
            backoff: DEFAULT_BACKOFF,
            random: Math.random,
            setTimer: (fn, ms) => setTimeout(fn, ms),
            clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
            callTimeoutMs: 15_000,
            ...options,
        };
    }

    /** The current state. */
    get currentState(): ConnectionState {
        return this.state;
    }

    /** Listens to state changes and gaps; returns the function that stops listening. */
    listen(listener: (event: ConnectionEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Opens the socket (if it is not open or opening). */
    start(): void {
        this.stopped = false;
        if (this.state === "idle" || this.state === "waiting") this.open();
    }

    /** Closes for good (calls fail, subscriptions stay registered until `start` again). */
    stop(): void {
        this.stopped = true;
        this.options.clearTimer(this.reconnectTimer);
        this.dropSocket(RECONNECTING, "stopped");
        this.setState("idle");
    }

    /** Reopens at once, e.g. after signing in or out (the socket's credentials are the cookies of its handshake). */
    reconnect(): void {
        this.options.clearTimer(this.reconnectTimer);
        this.dropSocket(RECONNECTING, "new credentials");
        this.attempt = 0;
        if (!this.stopped) this.open();
    }

    /** Sends a call on the socket (queued while it connects). */
    call(method: string, params: unknown): Promise<unknown> {
        if (this.state === "idle") this.start();
        const id = this.nextId++;
        const frame = callFrame(id, method, params);
        return new Promise((resolve, reject) => {
            const timer = this.options.setTimer(() => {
                if (this.pending.delete(id)) reject(new RpcError(-32050, `${method} got no answer in time`, "timeout", { retryable: true }));
            }, this.options.callTimeoutMs);
            this.pending.set(id, { resolve, reject, timer });
            if (this.state === "open" && this.socket) this.socket.send(frame);
            else this.queue.push(frame);
        });
    }

    /**
     * Subscribes with `method` (an `x.subscribe`, answering `{subscription, seq, recovered?}`); resumed after every
     * reconnect. Returns the function that ends it (sending `x.unsubscribe`).
     */
    subscribe<E>(method: string, params: Record<string, unknown>, handlers: SubscriptionHandlers<E>): () => void {
        const handle = this.registry.add(method, params, handlers as SubscriptionHandlers);
        if (this.state === "open") void this.sendSubscribe(handle);
        else this.start();
        return () => {
            const serverId = this.registry.remove(handle);
            if (serverId && this.state === "open") {
                this.call(method.replace(/\.subscribe$/, ".unsubscribe"), { subscription: serverId }).catch(() => undefined);
            }
        };
    }

    /**
     * Listens to subscriptions that another call opened on this socket (e.g. the two `rooms.join` answers with); events
     * that arrived before the call's answer are delivered at once. They end with the socket (no `sinceSeq` resume):
     * their owner calls again once the state is `open` again. Returns the function that stops listening.
     */
    attach(serverIds: readonly string[], handlers: AttachedHandlers): () => void {
        return this.registry.attach(serverIds, handlers);
    }

    private open(): void {
        this.setState("connecting");
        let socket: SocketLike;
        try {
            socket = this.options.createSocket(this.options.url);
        } catch {
            this.scheduleReconnect();
            return;
        }
        this.socket = socket;
        socket.onopen = () => {
            if (this.socket !== socket) return;
            this.attempt = 0;
            this.setState("open");
            const queued = this.queue;
            this.queue = [];
            for (const frame of queued) socket.send(frame);
            for (const handle of this.registry.handles()) void this.sendSubscribe(handle);
        };
        socket.onmessage = (ev) => {
            if (this.socket === socket && typeof ev.data === "string") this.receive(ev.data);
        };
        socket.onerror = () => undefined;
        socket.onclose = (ev) => {
            if (this.socket !== socket) return;
            this.socket = undefined;
            this.closed();
            if (this.stopped) return;
            if (ev.code === POLICY_VIOLATION && this.options.onCredentialsRejected) {
                this.setState("waiting");
                void this.options.onCredentialsRejected().finally(() => {
                    if (!this.stopped && this.socket === undefined && this.state === "waiting") this.open();
                });
                return;
            }
            this.scheduleReconnect();
        };
    }

    private async sendSubscribe(handle: number): Promise<void> {
        const call = this.registry.subscribeParams(handle);
        if (!call) return;
        const resumed = "sinceSeq" in call.params;
        try {
            const result = (await this.call(call.method, call.params)) as SubscribeResult;
            if (!this.registry.has(handle)) {
                // Ended while the answer was on its way: end it on the server too.
                this.call(call.method.replace(/\.subscribe$/, ".unsubscribe"), { subscription: result.subscription }).catch(() => undefined);
                return;
            }
            this.registry.bind(handle, result);
            if (resumed && result.recovered === false) this.emit({ type: "gap", method: call.method });
        } catch (error) {
            // A lost connection resubscribes on the next open; anything else is the subscriber's to show.
            if (!(error instanceof RpcError && error.reason === "connection_lost")) this.registry.failed(handle, error);
        }
    }

    private receive(text: string): void {
        for (const message of parseIncoming(text)) {
            switch (message.kind) {
                case "response": {
                    if (typeof message.id !== "number") break;
                    const pending = this.pending.get(message.id);
                    if (!pending) break;
                    this.pending.delete(message.id);
                    this.options.clearTimer(pending.timer);
                    if (message.error !== undefined) pending.reject(RpcError.fromWire(message.error));
                    else pending.resolve(message.result);
                    break;
                }
                case "event":
                    this.registry.deliver(message.subscription, message.seq, message.event);
                    break;
                case "ended":
                    this.registry.ended(message.subscription, message.reason);
                    break;
                case "unknown":
                    break;
            }
        }
    }

    private closed(): void {
        this.registry.unbindAll();
        const pending = [...this.pending.values()];
        this.pending.clear();
        for (const p of pending) {
            this.options.clearTimer(p.timer);
            p.reject(RpcError.connectionLost());
        }
    }

    private dropSocket(code: number, reason: string): void {
        const socket = this.socket;
        if (!socket) return;
        this.socket = undefined;
        try {
            socket.close(code, reason);
        } catch {
            // Already closing.
        }
        this.closed();
    }

    private scheduleReconnect(): void {
        this.setState("waiting");
        const delay = backoffDelay(this.attempt++, this.options.backoff, this.options.random);
        this.reconnectTimer = this.options.setTimer(() => {
            if (!this.stopped && this.state === "waiting") this.open();
        }, delay);
    }

    private setState(state: ConnectionState): void {
        if (this.state === state) return;
        this.state = state;
        this.emit({ type: "state", state });
    }

    private emit(event: ConnectionEvent): void {
        for (const listener of [...this.listeners]) listener(event);
    }
}
