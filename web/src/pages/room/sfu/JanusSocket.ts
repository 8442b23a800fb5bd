import type { SocketLike } from "../../../rpc/Connection";
import { JanusError, parseJanus, pluginData, Transactions, type Completion, type Jsep, type JanusMessage, type PluginData } from "./janusProtocol";

/** Janus's WebSocket subprotocol (nginx's `/sfu` passes it through to Janus). */
export const JANUS_PROTOCOL = "janus-protocol";
/** A keep-alive this often: Janus ends a session silent for `session_timeout` (60 s). */
export const KEEPALIVE_MS = 25_000;

/** What `open` needs. */
export interface JanusSocketOptions {
    /** The WebSocket URL (`ws[s]://host/sfu`). */
    url: string;
    /** The participant's signed token, sent with every request. */
    token: string;
    /** The socket closed, or the session ended, without `close` being called. */
    onLost(reason: string): void;
    createSocket?: (url: string, protocol: string) => SocketLike;
    keepaliveMs?: number;
    transactions?: Transactions;
}

/** A plugin message's answer: the plugin's data and, for negotiation, its description. */
export interface PluginAnswer {
    data: PluginData;
    jsep?: Jsep;
}

/** An ICE candidate as Janus's `trickle` takes it. */
type TrickleCandidate = { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | { completed: true };

/**
 * One Janus session over one WebSocket: `create` with the token, then handles attached to plugins, plugin messages
 * (answered by the plugin's event of the same transaction), trickled candidates and a keep-alive. Events that answer
 * nothing go to the listener of the handle they name (`sender`). The socket closing, or Janus ending the session
 * (`timeout`), is `onLost` — once, and never after `close`.
 */
export class JanusSocket {
    private readonly socket: SocketLike;
    private readonly transactions: Transactions;
    private readonly listeners = new Map<number, (message: JanusMessage) => void>();
    private session = 0;
    private keepalive: ReturnType<typeof setInterval> | undefined;
    private ended = false;
    /** The session was created: from then on a close is a loss the owner hears of (before, `open` rejects). */
    private opened = false;

    private constructor(private readonly options: JanusSocketOptions) {
        this.transactions = options.transactions ?? new Transactions();
        const make = options.createSocket ?? ((url: string, protocol: string) => new WebSocket(url, protocol) as unknown as SocketLike);
        this.socket = make(options.url, JANUS_PROTOCOL);
    }

    /** Connects and creates the session; rejects with Janus's refusal (403 for a token it does not accept). */
    static async open(options: JanusSocketOptions): Promise<JanusSocket> {
        const janus = new JanusSocket(options);
        let id: number | undefined;
        try {
            await janus.connected();
            id = (await janus.request({ janus: "create" }, "success")).data?.id;
            if (typeof id !== "number") throw new JanusError(0, "no session id");
        } catch (error) {
            janus.close();
            throw error;
        }
        janus.session = id;
        janus.opened = true;
        janus.keepalive = setInterval(() => {
            janus.request({ janus: "keepalive" }, "ack").catch(() => janus.lose("keepalive unanswered"));
        }, options.keepaliveMs ?? KEEPALIVE_MS);
        return janus;
    }

    /** The session's id. */
    get sessionId(): number {
        return this.session;
    }

    /** Attaches a handle to `plugin`; its events go to `listener`. */
    async attach(plugin: string, listener: (message: JanusMessage) => void): Promise<number> {
        const answer = await this.request({ janus: "attach", plugin }, "success");
        const id = answer.data?.id;
        if (typeof id !== "number") throw new JanusError(0, "no handle id");
        this.listeners.set(id, listener);
        return id;
    }

    /** Sends `body` (and `jsep`) to the handle's plugin; resolves with the plugin's answer, rejects with its refusal. */
    async message(handle: number, body: Record<string, unknown>, jsep?: Jsep): Promise<PluginAnswer> {
        const request: Record<string, unknown> = { janus: "message", handle_id: handle, body };
        if (jsep) request.jsep = jsep;
        const answer = await this.request(request, "event");
        return { data: pluginData(answer), jsep: answer.jsep };
    }

    /** Trickles a candidate (`null`: gathering completed) to the handle; fire and forget. */
    trickle(handle: number, candidate: RTCIceCandidateInit | null): void {
        const value: TrickleCandidate = candidate?.candidate
            ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex }
            : { completed: true };
        this.request({ janus: "trickle", handle_id: handle, candidate: value }, "ack").catch(() => undefined);
    }

    /** Detaches a handle (best effort). */
    detach(handle: number): void {
        this.listeners.delete(handle);
        this.request({ janus: "detach", handle_id: handle }, "success").catch(() => undefined);
    }

    /** Ends the session and closes the socket; `onLost` is not called. */
    close(): void {
        if (this.ended) return;
        if (this.session && this.socket.readyState === 1) {
            this.transactionless({ janus: "destroy" });
        }
        this.finish();
        this.socket.close(1000);
    }

    private connected(): Promise<void> {
        return new Promise((resolve, reject) => {
            this.socket.onopen = () => resolve();
            this.socket.onerror = () => undefined; // a close follows
            this.socket.onclose = (event) => {
                const error = new JanusError(0, `socket closed (${event.code})`);
                reject(error);
                this.transactions.failAll(error);
                this.lose(`socket closed (${event.code})`);
            };
            this.socket.onmessage = (event) => this.receive(event.data);
        });
    }

    private receive(text: unknown): void {
        const message = parseJanus(text);
        if (!message || this.transactions.settle(message)) return;
        if (message.janus === "timeout") {
            this.lose("session timed out");
            return;
        }
        if (message.sender !== undefined) this.listeners.get(message.sender)?.(message);
    }

    private request(fields: Record<string, unknown>, completion: Completion): Promise<JanusMessage> {
        if (this.ended || this.socket.readyState !== 1) return Promise.reject(new JanusError(0, "not connected"));
        const { id, answer } = this.transactions.begin(completion);
        this.send({ ...fields, transaction: id });
        return answer;
    }

    /** A request whose answer nobody waits for (`destroy` while closing). */
    private transactionless(fields: Record<string, unknown>): void {
        this.send({ ...fields, transaction: `close-${Date.now()}` });
    }

    private send(fields: Record<string, unknown>): void {
        const message: Record<string, unknown> = { ...fields, token: this.options.token };
        if (this.session) message.session_id = this.session;
        this.socket.send(JSON.stringify(message));
    }

    private lose(reason: string): void {
        if (this.ended) return;
        this.finish();
        this.socket.close(1000);
        if (this.opened) this.options.onLost(reason);
    }

    private finish(): void {
        this.ended = true;
        clearInterval(this.keepalive);
        this.listeners.clear();
        this.transactions.failAll(new JanusError(0, "closed"));
    }
}
