import type { SocketLike } from "../src/rpc/Connection";

/** A WebSocket the test drives: it records what the client sends and delivers what the test says the server sent. */
export class FakeSocket implements SocketLike {
    readyState = 0;
    sent: unknown[] = [];
    closedWith: number | undefined;
    onopen: ((ev: unknown) => void) | null = null;
    onclose: ((ev: { code: number; reason: string }) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;

    send(data: string): void {
        this.sent.push(JSON.parse(data));
    }
    close(code = 1000): void {
        this.closedWith = code;
        this.readyState = 3;
    }
    open(): void {
        this.readyState = 1;
        this.onopen?.({});
    }
    receive(value: unknown): void {
        this.onmessage?.({ data: JSON.stringify(value) });
    }
    serverClose(code: number): void {
        this.readyState = 3;
        this.onclose?.({ code, reason: "" });
    }
    /** The calls sent so far (ignoring anything else). */
    calls(): { id: number; method: string; params: Record<string, unknown> }[] {
        return this.sent as { id: number; method: string; params: Record<string, unknown> }[];
    }
    /** Answers the last call named `method`. */
    answer(method: string, result: unknown): void {
        const call = [...this.calls()].reverse().find((c) => c.method === method);
        if (!call) throw new Error(`no ${method} sent; sent: ${JSON.stringify(this.sent)}`);
        this.receive({ jsonrpc: "2.0", id: call.id, result });
    }
}

/** Timers run by hand. */
export class FakeTimers {
    private now = 0;
    private timers: { at: number; fn: () => void; id: number }[] = [];
    private next = 1;
    set = (fn: () => void, ms: number): unknown => {
        const id = this.next++;
        this.timers.push({ at: this.now + ms, fn, id });
        return id;
    };
    clear = (id: unknown): void => {
        this.timers = this.timers.filter((t) => t.id !== id);
    };
    /** Runs every timer due within `ms`. */
    advance(ms: number): void {
        const until = this.now + ms;
        for (;;) {
            const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
            if (!due) break;
            this.timers = this.timers.filter((t) => t !== due);
            this.now = due.at;
            due.fn();
        }
        this.now = until;
    }
    pending(): number[] {
        return this.timers.map((t) => t.at - this.now);
    }
    clock = (): number => this.now;
}

/** Lets promise callbacks run. */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
