/** What a subscriber hears. */
export interface SubscriptionHandlers<E = unknown> {
    /** A pushed event, in `seq` order, never twice. */
    onEvent(event: E, seq: number): void;
    /** The first subscribe was answered: from here on no change is missed (load the state now, not before). */
    onSubscribed?(): void;
    /** After a reconnect: true when every missed event was replayed, false when some were lost (reload the state). */
    onResumed?(recovered: boolean): void;
    /** The server ended the subscription (`subscription.ended`, e.g. `removed`); it is not resumed. */
    onEnded?(reason: string): void;
    /** Subscribing (or resubscribing) failed; it is not retried until the next reconnect. */
    onError?(error: unknown): void;
}

/** The answer of an `x.subscribe` method. */
export interface SubscribeResult {
    subscription: string;
    seq: number;
    recovered?: boolean;
}

interface Entry {
    method: string;
    params: Record<string, unknown>;
    handlers: SubscriptionHandlers;
    serverId?: string;
    /** The last `seq` delivered (or the channel's seq when first subscribed); undefined before the first answer. */
    lastSeq?: number;
    ended: boolean;
}

interface Buffered {
    seq: number;
    event: unknown;
}

/** What listens to a server subscription that another call opened (see `SubscriptionRegistry.attach`). */
export interface AttachedHandlers {
    /** A pushed event of subscription `serverId`, in the order the socket delivered it. */
    onEvent(event: unknown, seq: number, serverId: string): void;
    /** The server ended the subscription (`subscription.ended`), e.g. `removed`. */
    onEnded?(reason: string, serverId: string): void;
}

/** The most events kept for a server subscription id whose subscribe answer has not arrived yet. */
const MAX_BUFFERED = 1024;

/**
 * The client's subscriptions across reconnects, as plain state (no I/O; the connection drives it).
 *
 * A subscription has a local handle that outlives sockets; each socket gives it a new server id. On a reconnect the
 * connection asks `resubscribeCalls()` and sends each with `sinceSeq` = the last seq delivered. The server pushes the
 * replayed events *before* it answers the subscribe call, so events for a server id not bound yet are held and
 * delivered when `bind` learns which handle it belongs to.
 */
export class SubscriptionRegistry {
    private entries = new Map<number, Entry>();
    private byServerId = new Map<string, number>();
    private held = new Map<string, Buffered[]>();
    private attached = new Map<string, AttachedHandlers>();
    private nextHandle = 1;

    /** Adds a subscription; returns its handle. */
    add(method: string, params: Record<string, unknown>, handlers: SubscriptionHandlers): number {
        const handle = this.nextHandle++;
        this.entries.set(handle, { method, params, handlers, ended: false });
        return handle;
    }

    /** Removes a subscription; returns the server id to unsubscribe, if it has one on the current socket. */
    remove(handle: number): string | undefined {
        const entry = this.entries.get(handle);
        this.entries.delete(handle);
        if (entry?.serverId) {
            this.byServerId.delete(entry.serverId);
            this.held.delete(entry.serverId);
        }
        return entry?.serverId;
    }

    /** Whether the handle is still wanted. */
    has(handle: number): boolean {
        return this.entries.has(handle);
    }

    /** The params of the (re)subscribe call: with `sinceSeq` once the subscription has seen a seq. */
    subscribeParams(handle: number): { method: string; params: Record<string, unknown> } | undefined {
        const entry = this.entries.get(handle);
        if (!entry || entry.ended) return undefined;
        const params = entry.lastSeq === undefined ? { ...entry.params } : { ...entry.params, sinceSeq: entry.lastSeq };
        return { method: entry.method, params };
    }

    /** Every live handle (to resubscribe after a reconnect). */
    handles(): number[] {
        return [...this.entries.entries()].filter(([, e]) => !e.ended).map(([h]) => h);
    }

    /** Records the subscribe answer: delivers what was held for it, and tells a resumed subscriber whether it recovered. */
    bind(handle: number, result: SubscribeResult): void {
        const entry = this.entries.get(handle);
        if (!entry) return;
        const resumed = entry.lastSeq !== undefined;
        entry.serverId = result.subscription;
        this.byServerId.set(result.subscription, handle);
        const held = this.held.get(result.subscription) ?? [];
        this.held.delete(result.subscription);
        if (resumed && result.recovered === false) {
            // The gap is older than the server's history: what was held is still newer than the answer's seq or not;
            // the subscriber reloads, and counting starts again at the channel's seq.
            entry.lastSeq = result.seq;
            entry.handlers.onResumed?.(false);
            for (const b of held) this.deliverTo(entry, b.seq, b.event);
            return;
        }
        if (!resumed) entry.lastSeq = result.seq;
        if (!resumed) entry.handlers.onSubscribed?.();
        for (const b of held) this.deliverTo(entry, b.seq, b.event);
        entry.lastSeq = Math.max(entry.lastSeq ?? result.seq, result.seq);
        if (resumed) entry.handlers.onResumed?.(true);
    }

    /**
     * Listens to server subscriptions opened by another call on the current socket (`rooms.join` answers two): what
     * was held for them is delivered now. They are not resumed: `unbindAll` (the socket closed) forgets them, and their
     * owner opens them again on the next socket. Returns the function that stops listening.
     */
    attach(serverIds: readonly string[], handlers: AttachedHandlers): () => void {
        for (const id of serverIds) {
            this.attached.set(id, handlers);
            const held = this.held.get(id) ?? [];
            this.held.delete(id);
            for (const b of held) handlers.onEvent(b.event, b.seq, id);
        }
        return () => {
            for (const id of serverIds) if (this.attached.get(id) === handlers) this.attached.delete(id);
        };
    }

    /** A pushed event; held when its server id is not bound yet. */
    deliver(serverId: string, seq: number, event: unknown): void {
        const attached = this.attached.get(serverId);
        if (attached) {
            attached.onEvent(event, seq, serverId);
            return;
        }
        const handle = this.byServerId.get(serverId);
        const entry = handle === undefined ? undefined : this.entries.get(handle);
        if (!entry) {
            const list = this.held.get(serverId) ?? [];
            if (list.length < MAX_BUFFERED) list.push({ seq, event });
            this.held.set(serverId, list);
            return;
        }
        this.deliverTo(entry, seq, event);
    }

    /** The server ended a subscription. */
    ended(serverId: string, reason: string): void {
        const attached = this.attached.get(serverId);
        if (attached) {
            this.attached.delete(serverId);
            attached.onEnded?.(reason, serverId);
            return;
        }
        const handle = this.byServerId.get(serverId);
        const entry = handle === undefined ? undefined : this.entries.get(handle);
        if (!entry) return;
        entry.ended = true;
        this.byServerId.delete(serverId);
        entry.handlers.onEnded?.(reason);
    }

    /** Subscribing failed for a handle. */
    failed(handle: number, error: unknown): void {
        this.entries.get(handle)?.handlers.onError?.(error);
    }

    /** The socket closed: server ids mean nothing any more; the seqs are kept for resuming. */
    unbindAll(): void {
        for (const entry of this.entries.values()) entry.serverId = undefined;
        this.byServerId.clear();
        this.held.clear();
        this.attached.clear();
    }

    private deliverTo(entry: Entry, seq: number, event: unknown): void {
        if (entry.ended || (entry.lastSeq !== undefined && seq <= entry.lastSeq)) return;
        entry.lastSeq = seq;
        entry.handlers.onEvent(event, seq);
    }
}
