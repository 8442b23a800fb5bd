import { chooseMimeType } from "./tusProtocol";
import type { TrackStore } from "./TrackStore";
import { recordingLock, type TrackLocks } from "./trackLocks";

/** The part of MediaRecorder the recorder uses (a fake in tests). */
export interface RecorderLike {
    readonly state: "inactive" | "recording" | "paused";
    readonly mimeType: string;
    start(timeslice: number): void;
    stop(): void;
    ondataavailable: ((event: { data: Blob }) => void) | null;
    onstop: (() => void) | null;
    onerror: ((event: unknown) => void) | null;
}

/** Makes the recorder of a stream. */
export type MakeRecorder = (stream: MediaStream) => RecorderLike;

/** MediaRecorder slices every second. */
export const SLICE_MS = 1_000;

/** The browser's MediaRecorder on the camera and microphone: VP8/VP9 + Opus WebM, a key frame every 2 s. */
export const browserRecorder: MakeRecorder = (stream) => {
    if (typeof MediaRecorder === "undefined") throw new Error("This browser cannot record.");
    const hasVideo = stream.getVideoTracks().length > 0;
    const mimeType = chooseMimeType((t) => MediaRecorder.isTypeSupported(t), hasVideo);
    const options = { mimeType, videoKeyFrameIntervalDuration: 2_000 } as MediaRecorderOptions; // Chromium's option
    return new MediaRecorder(stream, options) as unknown as RecorderLike;
};

/** What a recorder works with. */
export interface TrackRecorderOptions {
    recordingId: string;
    /** The signed-in user. */
    ownerId: string;
    stream: MediaStream;
    store: TrackStore;
    locks: TrackLocks;
    makeRecorder: MakeRecorder;
    /** A slice was stored, or the track was sealed. */
    onStored(key: string): void;
    newKey?: () => string;
    now?: () => number;
}

const randomKey = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/**
 * One track: this page's camera and microphone recorded into a recording, each 1 s slice stored (in order) before
 * anyone uploads it. Holds the track's recording lock until stopped, so other pages leave the track alone.
 */
export class TrackRecorder {
    private writes: Promise<unknown> = Promise.resolve();
    private stopping: Promise<void> | undefined;
    private ended: () => void = () => undefined;
    private readonly endedPromise: Promise<void>;

    private constructor(
        readonly key: string,
        readonly stream: MediaStream,
        private readonly recorder: RecorderLike,
        private readonly release: () => void,
        private readonly o: TrackRecorderOptions,
    ) {
        this.endedPromise = new Promise((resolve) => (this.ended = resolve));
        recorder.ondataavailable = (event) => {
            if (event.data.size === 0) return;
            this.writes = this.writes.then(() => o.store.appendSlice(key, event.data)).then(
                () => o.onStored(key),
                () => undefined, // storage failed: this slice is lost (a gap), the next may be stored
            );
        };
        recorder.onstop = () => {
            this.ended();
            void this.stop();
        };
        recorder.onerror = () => void this.stop();
    }

    /** Starts recording `stream` into the recording as a new track (stored, then uploaded). */
    static async start(o: TrackRecorderOptions): Promise<TrackRecorder> {
        const key = `${o.recordingId.toLowerCase()}:${(o.newKey ?? randomKey)()}`;
        const release = (await o.locks.acquire(recordingLock(key))) ?? (() => undefined);
        let recorder: RecorderLike;
        try {
            recorder = o.makeRecorder(o.stream);
            await o.store.createTrack({
                key, recordingId: o.recordingId, ownerId: o.ownerId, mime: recorder.mimeType || "video/webm", nextIndex: 0, bytesRecorded: 0, ackedOffset: 0,
                createdAt: (o.now ?? Date.now)(),
            });
        } catch (error) {
            release();
            throw error;
        }
        const track = new TrackRecorder(key, o.stream, recorder, release, o);
        recorder.start(SLICE_MS);
        // The start as MediaRecorder began (the store's write took time), before the upload is created with it.
        await o.store.updateTrack(key, { createdAt: (o.now ?? Date.now)() }).catch(() => undefined);
        o.onStored(key); // the upload is created at once: the server stamps the track's start
        return track;
    }

    /** Whether it still records. */
    get recording(): boolean {
        return this.stopping === undefined;
    }

    /** Stops: the last slice is stored, then the track is sealed (its length is what was stored). */
    stop(): Promise<void> {
        if (!this.stopping) {
            this.stopping = (async () => {
                if (this.recorder.state !== "inactive") {
                    try {
                        this.recorder.stop();
                        await this.endedPromise; // the last dataavailable comes before stop
                    } catch {
                        // already stopped
                    }
                }
                await this.writes;
                await this.o.store.seal(this.key).catch(() => undefined);
                this.release();
                this.o.onStored(this.key);
            })();
        }
        return this.stopping;
    }
}
