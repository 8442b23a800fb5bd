import { RpcError } from "./RpcError";

/** Sends one call as `POST /rpc` (same origin: the browser adds the cookies and the Origin header). */
export type HttpCall = (method: string, params: unknown) => Promise<unknown>;

/** The HTTP transport over `fetch`; `path` is `/rpc` behind nginx. */
export function httpCaller(path = "/rpc", fetchImpl: typeof fetch = (input, init) => fetch(input, init)): HttpCall {
    let nextId = 1;
    return async (method, params) => {
        let response: Response;
        try {
            response = await fetchImpl(path, {
                method: "POST",
                credentials: "same-origin",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params ?? {} }),
            });
        } catch {
            throw RpcError.connectionLost();
        }
        let body: unknown;
        try {
            body = await response.json();
        } catch {
            throw new RpcError(-32050, `HTTP ${response.status}`, response.status === 429 ? "rate_limited" : "unavailable", { status: response.status });
        }
        const envelope = body as { result?: unknown; error?: unknown };
        if (envelope.error !== undefined) throw RpcError.fromWire(envelope.error);
        return envelope.result;
    };
}
