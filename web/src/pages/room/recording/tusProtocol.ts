/** The tus protocol version the upload endpoint speaks (every request carries it as `Tus-Resumable`). */
export const TUS_VERSION = "1.0.0";

/** Where uploads are created (same origin: the session's cookies go along). */
export const UPLOADS_PATH = "/uploads/";

/** Base64 of bytes (standard alphabet, padded), as tus metadata and `Upload-Checksum` want. */
export function base64OfBytes(bytes: Uint8Array): string {
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
}

/** `Upload-Metadata`: `key base64(UTF-8 value)` pairs joined by commas, in the order given. */
export function encodeMetadata(pairs: readonly (readonly [string, string])[]): string {
    return pairs.map(([key, value]) => `${key} ${base64OfBytes(new TextEncoder().encode(value))}`).join(",");
}

/**
 * The creation metadata of a track: its recording, its MIME type, this device's clock now (ms since 1970) and, when
 * known, when the track started recording on the same clock: the server stamps the start as its own time less the
 * time elapsed here, so a creation that comes late (a network cut at the start) still places the track right.
 */
export function trackMetadata(recordingId: string, mime: string, clientTimeMs: number, startedAtMs?: number): string {
    const pairs: [string, string][] = [
        ["recordingId", recordingId],
        ["filetype", mime],
        ["clientTime", String(Math.round(clientTimeMs))],
    ];
    if (startedAtMs !== undefined) pairs.push(["startedAt", String(Math.round(startedAtMs))]);
    return encodeMetadata(pairs);
}

/** A non-negative byte count from a header (`Upload-Offset`, `Upload-Length`), or undefined. */
export function parseByteCount(value: string | null | undefined): number | undefined {
    if (value === null || value === undefined || !/^\d{1,16}$/.test(value.trim())) return undefined;
    return Number(value.trim());
}

/** What the uploader does after a refused or failed request. */
export type FailureAction =
    /** Wait (backoff), ask the server where the upload stands (HEAD), go on from there. */
    | "retry"
    /** The server named its offset (409 `offset_mismatch`): go on from it. */
    | "resync"
    /** The upload is complete already. */
    | "complete"
    /** The upload cannot go on (gone, someone else's, expired, too large, the recording stopped before it began). */
    | "give_up";

/** Decides what a failed request means for the upload (`status` 0 is a network error). */
export function failureAction(status: number, reason: string | undefined): FailureAction {
    if (status === 0 || status >= 500 || status === 429 || status === 460) return "retry";
    if (status === 409 && reason === "offset_mismatch") return "resync";
    if (status === 409 && reason === "complete") return "complete";
    if (status === 400 && reason === "length_mismatch") return "retry"; // the server's length wins: HEAD tells it
    if (status === 401) return "retry"; // signed out for a moment (a refresh is under way): try again later
    return "give_up";
}

/** The reason of a refusal's JSON body `{error:{reason,message}}`, if it has one. */
export function refusalReason(body: string): string | undefined {
    try {
        const parsed = JSON.parse(body) as { error?: { reason?: unknown } };
        return typeof parsed?.error?.reason === "string" ? parsed.error.reason : undefined;
    } catch {
        return undefined;
    }
}

/** The container types tried, best first (the server takes WebM). */
export const VIDEO_TYPES = ["video/webm;codecs=vp8,opus", "video/webm;codecs=vp9,opus", "video/webm"];
/** For a stream without video. */
export const AUDIO_TYPES = ["audio/webm;codecs=opus", "audio/webm"];

/** The first type the browser's MediaRecorder supports for a stream with or without video, or undefined. */
export function chooseMimeType(isTypeSupported: (type: string) => boolean, hasVideo: boolean): string | undefined {
    return (hasVideo ? VIDEO_TYPES : AUDIO_TYPES).find((type) => isTypeSupported(type));
}
