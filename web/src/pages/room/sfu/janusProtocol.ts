/**
 * Janus's WebSocket API (https://janus.conf.meetecho.com/docs/rest.html), the part this client speaks: messages in and
 * out, and the bookkeeping of transactions. Pure: no I/O, timers injected.
 */

/** A session description as Janus carries it (`jsep`). */
export interface Jsep {
    type: "offer" | "answer";
    sdp: string;
}

/** A plugin's answer or event: its `data` (the VideoRoom's `videoroom`, `publishers`, `error_code`, …). */
export type PluginData = Record<string, unknown>;

/** What Janus sends, the fields this client reads. */
export interface JanusMessage {
    janus: string;
    transaction?: string;
    session_id?: number;
    /** The handle an event is about. */
    sender?: number;
    data?: { id?: number };
    error?: { code: number; reason: string };
    plugindata?: { plugin: string; data: PluginData };
    jsep?: Jsep;
    reason?: string;
}

/** A refusal: Janus's own (`error`, e.g. 403 for a token it does not accept) or a plugin's (`error_code`, e.g. 433). */
export class JanusError extends Error {
    readonly code: number;
    constructor(code: number, reason: string) {
        super(`Janus ${code}: ${reason}`);
        this.code = code;
        this.name = "JanusError";
    }
}

/** Parses one text frame; anything that is not a Janus message is `undefined`, never a throw. */
export function parseJanus(text: unknown): JanusMessage | undefined {
    if (typeof text !== "string") return undefined;
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return undefined;
    }
    if (typeof value !== "object" || value === null || typeof (value as { janus?: unknown }).janus !== "string") return undefined;
    return value as JanusMessage;
}

/** The plugin's data of a message (empty when it carries none). */
export const pluginData = (message: JanusMessage): PluginData => message.plugindata?.data ?? {};

/** The plugin's refusal in `data`, if it is one (`error_code` + `error`). */
export function pluginError(data: PluginData): JanusError | undefined {
    const code = data.error_code;
    return typeof code === "number" ? new JanusError(code, typeof data.error === "string" ? data.error : "refused") : undefined;
}

/**
 * Which answer completes a request: `success` (create, attach, detach, destroy), `ack` (trickle, keepalive) or
 * `event` (a plugin message: the plugin's asynchronous event after an `ack`, or its synchronous `success`).
 */
export type Completion = "success" | "ack" | "event";

/** Timers, injected for tests. */
export interface Timers {
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Pending {
    completion: Completion;
    resolve(message: JanusMessage): void;
    reject(error: Error): void;
    timer: unknown;
}

/**
 * The requests waiting for their answer, by transaction id. `settle` takes each incoming message: an answer settles
 * its request (an error rejects it, a plugin's `error_code` too) and is consumed; everything else (events nobody asked
 * for: new publishers, a kick, a hangup) is left for the handle it names.
 */
export class Transactions {
    private readonly pending = new Map<string, Pending>();
    private readonly prefix = Math.random().toString(36).slice(2, 8);
    private next = 0;

    constructor(
        private readonly timeoutMs = 15_000,
        private readonly timers: Timers = REAL_TIMERS,
    ) {}

    /** A new transaction: its id (to send) and the answer it completes with. */
    begin(completion: Completion): { id: string; answer: Promise<JanusMessage> } {
        const id = `${this.prefix}-${++this.next}`;
        const answer = new Promise<JanusMessage>((resolve, reject) => {
            const timer = this.timers.setTimeout(() => {
                if (this.pending.delete(id)) reject(new JanusError(0, "no answer in time"));
            }, this.timeoutMs);
            this.pending.set(id, { completion, resolve, reject, timer });
        });
        return { id, answer };
    }

    /** Whether `message` answered a request (and was consumed by it). */
    settle(message: JanusMessage): boolean {
        const id = message.transaction;
        const pending = id === undefined ? undefined : this.pending.get(id);
        if (id === undefined || !pending) return false;
        const finish = (outcome: JanusMessage | Error) => {
            this.pending.delete(id);
            this.timers.clearTimeout(pending.timer);
            if (outcome instanceof Error) pending.reject(outcome);
            else pending.resolve(outcome);
        };
        switch (message.janus) {
            case "error":
                finish(new JanusError(message.error?.code ?? 0, message.error?.reason ?? "error"));
                return true;
            case "ack":
                if (pending.completion === "ack") finish(message);
                return true; // an event follows for a plugin message
            case "success":
            case "event":
                if (message.janus === "event" && pending.completion !== "event") return false;
                finish(pluginError(pluginData(message)) ?? message);
                return true;
        }
        return false;
    }

    /** Fails every request (the socket closed). */
    failAll(error: Error): void {
        for (const [id, pending] of [...this.pending]) {
            this.pending.delete(id);
            this.timers.clearTimeout(pending.timer);
            pending.reject(error);
        }
    }

    /** How many requests wait. */
    get size(): number {
        return this.pending.size;
    }
}

/** The VideoRoom's publisher as its events list them. */
export interface Publisher {
    id: string;
    /** Whether it publishes any stream now (a publisher who joined but did not publish yet has none). */
    publishing: boolean;
}

/** The publishers an event of the VideoRoom lists (`joined` and `event` carry `publishers`). */
export function publishersOf(data: PluginData): Publisher[] {
    const list = data.publishers;
    if (!Array.isArray(list)) return [];
    const result: Publisher[] = [];
    for (const item of list) {
        if (typeof item !== "object" || item === null) continue;
        const p = item as { id?: unknown; streams?: unknown; dummy?: unknown };
        const id = typeof p.id === "string" ? p.id : typeof p.id === "number" ? String(p.id) : undefined;
        if (id === undefined || p.dummy === true) continue;
        const streams = Array.isArray(p.streams) ? p.streams : [];
        const publishing = streams.some((s) => typeof s === "object" && s !== null && (s as { disabled?: unknown }).disabled !== true);
        result.push({ id, publishing });
    }
    return result;
}

/** What a VideoRoom event on the publisher's handle means for this page. */
export type RoomNotice =
    | { type: "publishers"; publishers: Publisher[] }
    /** A publisher stopped publishing, left or was kicked: their feed goes. */
    | { type: "gone"; id: string }
    /** This participant was kicked (or the room destroyed): everything stops. */
    | { type: "kicked" }
    | { type: "destroyed" }
    | { type: "other" };

/** Reads a VideoRoom event on the publisher's handle. */
export function roomNotice(data: PluginData): RoomNotice {
    if (data.videoroom === "destroyed") return { type: "destroyed" };
    if (data.leaving === "ok" && data.reason === "kicked") return { type: "kicked" };
    for (const key of ["unpublished", "leaving", "kicked"] as const) {
        const value = data[key];
        if (typeof value === "string" && value !== "ok") return { type: "gone", id: value };
        if (typeof value === "number") return { type: "gone", id: String(value) };
    }
    const publishers = publishersOf(data);
    if (publishers.length) return { type: "publishers", publishers };
    return { type: "other" };
}
