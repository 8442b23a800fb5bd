/** What arrives on the WebSocket, classified. Pure: no I/O. */
export type Incoming =
    | { kind: "response"; id: number | string | null; result?: unknown; error?: unknown }
    | { kind: "event"; subscription: string; channel: string; seq: number; event: unknown }
    | { kind: "ended"; subscription: string; channel: string; reason: string }
    | { kind: "unknown"; value: unknown };

/** Parses one text frame; a batch answer (an array) yields its elements. Malformed input is `unknown`, never a throw. */
export function parseIncoming(text: string): Incoming[] {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return [{ kind: "unknown", value: text }];
    }
    return (Array.isArray(value) ? value : [value]).map(classify);
}

function classify(value: unknown): Incoming {
    if (typeof value !== "object" || value === null) return { kind: "unknown", value };
    const v = value as Record<string, unknown>;
    const params = (typeof v.params === "object" && v.params !== null ? v.params : {}) as Record<string, unknown>;
    if (v.method === "subscription" && typeof params.subscription === "string" && typeof params.seq === "number") {
        return { kind: "event", subscription: params.subscription, channel: String(params.channel ?? ""), seq: params.seq, event: params.event };
    }
    if (v.method === "subscription.ended" && typeof params.subscription === "string") {
        return { kind: "ended", subscription: params.subscription, channel: String(params.channel ?? ""), reason: String(params.reason ?? "") };
    }
    if ("id" in v && ("result" in v || "error" in v)) {
        const id = v.id;
        if (typeof id === "number" || typeof id === "string" || id === null) {
            return { kind: "response", id, result: v.result, error: v.error };
        }
    }
    return { kind: "unknown", value };
}

/** The text of a call. */
export function callFrame(id: number, method: string, params: unknown): string {
    return JSON.stringify({ jsonrpc: "2.0", id, method, params: params ?? {} });
}
