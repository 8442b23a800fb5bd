/**
 * The payloads peers exchange over `rooms.signal` (the server checks only `type`). Every one names the sender's peer
 * connection (`s`, random per connection) and, once known, the receiver's (`t`): a page that reloads or rejoins has new
 * connections, so a description from an unknown `s` starts over, and an answer or candidate meant for an older
 * connection is dropped.
 */
export type SignalPayload =
    | { type: "offer" | "answer"; sdp: string; s: string; t?: string }
    | { type: "candidate"; candidate: RTCIceCandidateInit; s: string; t?: string }
    | { type: "bye"; s: string; t?: string };

/** The payload of a `signal` event, if it is one of ours. */
export function asSignal(value: unknown): SignalPayload | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const p = value as { type?: unknown; s?: unknown; sdp?: unknown; candidate?: unknown };
    if (typeof p.s !== "string") return undefined;
    if ((p.type === "offer" || p.type === "answer") && typeof p.sdp === "string") return p as SignalPayload;
    if (p.type === "candidate" && typeof p.candidate === "object" && p.candidate !== null) return p as SignalPayload;
    if (p.type === "bye") return p as SignalPayload;
    return undefined;
}

/**
 * Perfect negotiation's roles: the polite peer yields on glare (both offered at once), the impolite one ignores the
 * other's offer. Both sides compare the same two ids, so exactly one is polite.
 */
export function isPolite(selfId: string, peerId: string): boolean {
    return selfId.toLowerCase() > peerId.toLowerCase();
}

/** What to do with a signal from a peer whose connection with us is `current` (undefined: none yet). */
export type SignalRoute = "handle" | "restart" | "create" | "drop";

/**
 * Routes a signal: to the current connection (`handle`), to a new one replacing it (`restart`: an offer from a new
 * connection of theirs), to a first one (`create`), or nowhere (`drop`: stale, or meant for an older connection).
 */
export function routeSignal(payload: SignalPayload, current: { localId: string; remoteId?: string } | undefined): SignalRoute {
    if (payload.t !== undefined && current && payload.t !== current.localId && payload.type !== "offer") return "drop";
    if (!current) return payload.type === "offer" ? "create" : "drop";
    if (current.remoteId === undefined || current.remoteId === payload.s) return "handle";
    return payload.type === "offer" ? "restart" : "drop";
}
