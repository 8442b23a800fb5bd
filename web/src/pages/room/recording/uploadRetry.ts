import { backoffDelay, type BackoffOptions } from "../../../rpc/backoff";

/** Upload retries: 500 ms doubling to 8 s, up to a third off at random. */
export const UPLOAD_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 8_000, factor: 2, jitter: 0.3 };

/** The wait before retry `attempt` (0 first): the backoff, or the server's `Retry-After` (seconds) when it is longer. */
export function retryDelay(attempt: number, retryAfter?: string | null, random: () => number = Math.random): number {
    const backoff = backoffDelay(attempt, UPLOAD_BACKOFF, random);
    const seconds = retryAfter && /^\d{1,4}$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : 0;
    return Math.max(backoff, Math.min(seconds * 1000, UPLOAD_BACKOFF.maxMs * 4));
}
