/** A recording's state on the server. */
export type RecordingStateName = "recording" | "finalizing" | "processing" | "ready" | "partial" | "failed";

/** What the room needs of a recording (`recordings.get`'s view has more). */
export interface RecordingInfo {
    id: string;
    roomId: string;
    state: string;
    auto?: boolean;
}

/** The `recordings.*` methods the room calls (`api.recordings`). */
export interface RecordingRpc {
    start(params: { roomId: string }): Promise<{ recording: RecordingInfo }>;
    stop(params: { roomId: string }): Promise<{ recording?: RecordingInfo | null }>;
    autoStart(params: { roomId: string }): Promise<{ recording?: RecordingInfo | null }>;
    get(params: { recordingId: string }): Promise<{ recording: RecordingInfo }>;
}

/** A recording push on the room's channel. */
export interface RecordingEvent {
    type: "recording.started" | "recording.stopped" | "recording.ready" | "recording.progress";
    recordingId: string;
    state: string;
}

const EVENT_TYPES = new Set(["recording.started", "recording.stopped", "recording.ready", "recording.progress"]);

/** Whether a room event is a recording push (ids lower-cased). */
export function asRecordingEvent(value: unknown): RecordingEvent | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const e = value as { type?: unknown; recordingId?: unknown; state?: unknown };
    if (typeof e.type !== "string" || !EVENT_TYPES.has(e.type) || typeof e.recordingId !== "string" || typeof e.state !== "string") return undefined;
    return { type: e.type as RecordingEvent["type"], recordingId: e.recordingId.toLowerCase(), state: e.state };
}

/** Whether the recording takes tracks (only a running one does). */
export const isRunning = (recording: RecordingInfo | undefined): boolean => recording?.state === "recording";
