/** How reconnect delays grow: exponential from `initialMs` to `maxMs`, each cut by up to `jitter` (0..1) at random. */
export interface BackoffOptions {
    initialMs: number;
    maxMs: number;
    factor: number;
    jitter: number;
}

/** 250 ms, doubling to 10 s, up to half of each taken off at random (tabs do not reconnect in step). */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.5 };

/** The delay before reconnect attempt `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
    const exponent = Math.max(0, Math.min(attempt, 30));
    const ceiling = Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, exponent));
    return Math.round(ceiling * (1 - options.jitter * random()));
}
