import type { ErrorReason } from "../api";

/** A JSON-RPC error answer (or a local failure shaped like one: the connection dropped, a call timed out). */
export class RpcError extends Error {
    /** The JSON-RPC code. */
    readonly code: number;
    /** `error.data.reason`: what the app branches on. */
    readonly reason: ErrorReason | "connection_lost" | "timeout";
    /** The whole `error.data` (fields, retryAfter, ...). */
    readonly data: Readonly<Record<string, unknown>>;

    constructor(code: number, message: string, reason: RpcError["reason"], data: Record<string, unknown> = {}) {
        super(message);
        this.name = "RpcError";
        this.code = code;
        this.reason = reason;
        this.data = data;
    }

    /** The error of a JSON-RPC answer's `error` member (anything malformed becomes `internal`). */
    static fromWire(error: unknown): RpcError {
        if (typeof error !== "object" || error === null) return new RpcError(-32603, "Internal error", "internal");
        const e = error as { code?: unknown; message?: unknown; data?: unknown };
        const data = typeof e.data === "object" && e.data !== null ? (e.data as Record<string, unknown>) : {};
        const reason = typeof data.reason === "string" ? (data.reason as ErrorReason) : "internal";
        return new RpcError(typeof e.code === "number" ? e.code : -32603, typeof e.message === "string" ? e.message : "Error", reason, data);
    }

    /** The connection closed before the answer came: the call may or may not have run. */
    static connectionLost(): RpcError {
        return new RpcError(-32050, "The connection to the server was lost", "connection_lost", { retryable: true });
    }

    /** Whether trying again later may succeed. */
    get retryable(): boolean {
        return this.reason === "unavailable" || this.reason === "connection_lost" || this.reason === "timeout" || this.reason === "rate_limited";
    }

    /** The field problems of an `invalid_params` answer, by field path. */
    get fieldProblems(): Record<string, string> {
        const out: Record<string, string> = {};
        const fields = this.data.fields;
        if (Array.isArray(fields)) {
            for (const f of fields) {
                if (f && typeof f.field === "string" && typeof f.problem === "string") out[f.field] = f.problem;
            }
        }
        return out;
    }
}
