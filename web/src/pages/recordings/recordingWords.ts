import type { RecordingsListResult } from "../../api/types";

/** A recording as `recordings.list` answers it. */
export type RecordingItem = RecordingsListResult["items"][number];

const STATES: Record<RecordingItem["state"], string> = {
    recording: "Recording",
    finalizing: "Finishing uploads",
    processing: "Processing",
    ready: "Ready",
    partial: "Ready, with gaps",
    failed: "Failed",
};

/** The state in words (processing with its progress). */
export function stateWords(r: Pick<RecordingItem, "state" | "progress">): string {
    if (r.state === "processing" && r.progress > 0) return `${STATES.processing} (${Math.min(100, Math.max(0, Math.round(r.progress)))} %)`;
    return STATES[r.state] ?? r.state;
}

/** Whether there is media to watch. */
export const watchable = (r: Pick<RecordingItem, "state">): boolean => r.state === "ready" || r.state === "partial";

/** A length in ms as m:ss (h:mm:ss from an hour). */
export function clock(ms: number): string {
    const total = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const ss = String(s).padStart(2, "0");
    return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** The longest track, as the recording's length when it has no outputs yet. */
export const recordedMs = (r: Pick<RecordingItem, "tracks">): number => Math.max(0, ...r.tracks.map((t) => t.durationMs ?? 0));
