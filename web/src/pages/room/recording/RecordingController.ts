import { idOf } from "../roomState";
import { asRecordingEvent, isRunning, type RecordingInfo, type RecordingRpc } from "./recordingApi";
import { TrackRecorder, type MakeRecorder } from "./TrackRecorder";
import type { UploadPhase, UploadProgress } from "./TrackUploader";
import type { UploadManager } from "./UploadManager";
import type { TrackLocks } from "./trackLocks";

/** Where the room stands, as far as recording cares: joined (calls work) or in the room (joined, or rejoining). */
export interface RoomPresence {
    roomId?: string;
    joined: boolean;
    inRoom: boolean;
}

/** What the recording bar shows. */
export interface RecordingView {
    /** A recording runs in the room. */
    running: boolean;
    recordingId?: string;
    /** This page records a track of it. */
    recordingHere: boolean;
    /** This page's own tracks' upload. */
    upload?: { phase: UploadPhase; percent: number; failure?: string };
    /** A start or stop is under way. */
    busy: boolean;
    error?: unknown;
}

/** The test hook's picture of this page's latest track. */
export interface RecorderProbeState {
    recordingId?: string;
    trackUrl?: string;
    /** When the track started recording (this device's clock, ms since 1970). */
    startedAtMs?: number;
    bytesRecorded: number;
    ackedOffset: number;
    pendingSlices: number;
}

/** What the controller works with. */
export interface RecordingControllerOptions {
    rpc: RecordingRpc;
    uploads: UploadManager | Promise<UploadManager>;
    locks: TrackLocks;
    selfId: string;
    makeRecorder: MakeRecorder;
    onChange(view: RecordingView): void;
}

/**
 * The room's recording on this page: asks once, when joined with media running, whether the booking records by
 * itself (`recordings.autoStart`); follows the room's recording pushes (`recording.started` → `recordings.get`);
 * lets the mentor start and stop; and while a recording runs and this page is in the room with a camera, records a
 * track (a new one when the stream changes) whose slices the upload manager sends. Leaving, losing the stream, the
 * recording's stop, or the page hiding stop the track (sealed at what was stored).
 */
export class RecordingController {
    private presence: RoomPresence = { joined: false, inRoom: false };
    private stream: MediaStream | undefined;
    private hidden = false;
    private recording: RecordingInfo | undefined;
    private local: TrackRecorder | undefined;
    private localRecordingId: string | undefined;
    private lastKey: string | undefined;
    private cannotRecord: string | undefined;
    private autoAsked = false;
    private wasJoined = false;
    private busy = false;
    private error: unknown;
    private readonly progress = new Map<string, UploadProgress>();
    private stepping: Promise<void> | undefined;
    private again = false;
    private disposed = false;
    private unlisten: (() => void) | undefined;

    constructor(private readonly o: RecordingControllerOptions) {
        void Promise.resolve(o.uploads).then((m) => {
            if (this.disposed) return;
            // The manager uploads only the signed-in user's tracks: this page's and those it resumed.
            this.unlisten = m.listen((p) => {
                this.progress.set(p.key, p);
                this.emit();
            });
        });
    }

    /** The room's id and phase changed. */
    setPresence(presence: RoomPresence): void {
        const joinedNow = presence.joined && !this.wasJoined;
        this.wasJoined = presence.joined;
        this.presence = presence;
        if (joinedNow && this.recording) void this.refresh(this.recording.id);
        this.maybeAutoStart();
        void this.reconcile();
    }

    /** The camera and microphone (a new stream after a device change). */
    setStream(stream: MediaStream | undefined): void {
        this.stream = stream;
        this.maybeAutoStart();
        void this.reconcile();
    }

    /** The page hid (`pagehide`) or came back from the back/forward cache. */
    setHidden(hidden: boolean): void {
        this.hidden = hidden;
        void this.reconcile();
    }

    /** A room event (anything; recording pushes are taken). */
    roomEvent(value: unknown): void {
        const event = asRecordingEvent(value);
        if (!event) return;
        const known = this.recording && idOf(this.recording.id) === event.recordingId;
        if (event.type === "recording.started" && !(known && isRunning(this.recording))) {
            void this.refresh(event.recordingId);
        } else if (known && this.recording) {
            this.recording = { ...this.recording, state: event.state };
            void this.reconcile();
        }
    }

    /** The mentor starts recording. */
    start(): Promise<void> {
        return this.act(async (roomId) => (await this.o.rpc.start({ roomId })).recording);
    }

    /** The mentor stops recording. */
    stop(): Promise<void> {
        return this.act(async (roomId) => {
            const { recording } = await this.o.rpc.stop({ roomId });
            if (recording) return recording;
            return this.recording && (await this.o.rpc.get({ recordingId: this.recording.id })).recording;
        });
    }

    /** The hook's picture of the latest track. */
    probe(): RecorderProbeState {
        const p = this.lastKey ? this.progress.get(this.lastKey) : undefined;
        return {
            recordingId: p?.recordingId ?? this.localRecordingId,
            trackUrl: p?.trackUrl,
            startedAtMs: p?.startedAt,
            bytesRecorded: p?.bytesRecorded ?? 0,
            ackedOffset: p?.ackedOffset ?? 0,
            pendingSlices: p?.pendingSlices ?? 0,
        };
    }

    /** Every upload this page watched (its own tracks and the ones it resumed). */
    uploads(): UploadProgress[] {
        return [...this.progress.values()];
    }

    /** The page goes away: the track stops (sealed), the uploads go on while the page lives. */
    dispose(): void {
        this.disposed = true;
        this.unlisten?.();
        const local = this.local;
        this.local = undefined;
        void local?.stop();
    }

    private maybeAutoStart(): void {
        const roomId = this.presence.roomId;
        if (this.autoAsked || !roomId || !this.presence.joined || !this.stream) return;
        this.autoAsked = true;
        this.o.rpc.autoStart({ roomId }).then(
            ({ recording }) => {
                if (recording) this.recording = recording;
                void this.reconcile();
            },
            () => undefined, // no recording then; a push or the mentor may start one
        );
    }

    private async refresh(recordingId: string): Promise<void> {
        try {
            const { recording } = await this.o.rpc.get({ recordingId });
            this.recording = recording;
        } catch {
            return;
        }
        void this.reconcile();
    }

    private async act(call: (roomId: string) => Promise<RecordingInfo | undefined>): Promise<void> {
        const roomId = this.presence.roomId;
        if (!roomId || this.busy) return;
        this.busy = true;
        this.error = undefined;
        this.emit();
        try {
            const recording = await call(roomId);
            if (recording) this.recording = recording;
        } catch (error) {
            this.error = error;
        } finally {
            this.busy = false;
        }
        await this.reconcile();
    }

    /** Brings the local track in line with what should be (one step at a time; a change meanwhile runs another). */
    private reconcile(): Promise<void> {
        if (this.stepping) {
            this.again = true;
            return this.stepping;
        }
        this.stepping = (async () => {
            do {
                this.again = false;
                await this.step();
            } while (this.again);
            this.stepping = undefined;
        })();
        return this.stepping;
    }

    private async step(): Promise<void> {
        const recording = this.recording;
        const want = !this.disposed && !this.hidden && this.presence.inRoom && !!this.stream && isRunning(recording) && recording !== undefined;
        const recordingId = recording ? idOf(recording.id) : undefined;
        if (this.local && (!want || this.local.stream !== this.stream || this.localRecordingId !== recordingId)) {
            const local = this.local;
            this.local = undefined;
            this.emit();
            await local.stop();
        }
        if (want && !this.local && this.stream && recordingId && this.cannotRecord !== recordingId) {
            try {
                const uploads = await this.o.uploads;
                this.local = await TrackRecorder.start({
                    recordingId: recording!.id,
                    ownerId: this.o.selfId,
                    stream: this.stream,
                    store: uploads.store,
                    locks: this.o.locks,
                    makeRecorder: this.o.makeRecorder,
                    onStored: (key) => uploads.kick(key),
                });
                this.localRecordingId = recordingId;
                this.lastKey = this.local.key;
            } catch (error) {
                this.cannotRecord = recordingId; // not again for this recording
                this.error = error;
            }
        }
        this.emit();
    }

    /** The view now: the upload of this page's tracks of the current recording (or of all it uploads). */
    view(): RecordingView {
        const current = this.recording ? idOf(this.recording.id) : undefined;
        const all = [...this.progress.values()];
        const ofCurrent = all.filter((p) => idOf(p.recordingId) === current);
        const own = ofCurrent.length ? ofCurrent : all;
        return {
            running: isRunning(this.recording),
            recordingId: this.recording?.id,
            recordingHere: !!this.local,
            upload: own.length ? uploadSummary(own, !!this.local) : undefined,
            busy: this.busy,
            error: this.error,
        };
    }

    private emit(): void {
        if (!this.disposed) this.o.onChange(this.view());
    }
}

/** One line of upload progress over tracks: complete when every one is (and none still records), else the share sent. */
export function uploadSummary(tracks: readonly UploadProgress[], stillRecording: boolean): NonNullable<RecordingView["upload"]> {
    const total = tracks.reduce((n, p) => n + (p.finalLength ?? p.bytesRecorded), 0);
    const acked = tracks.reduce((n, p) => n + Math.min(p.ackedOffset, p.finalLength ?? p.bytesRecorded), 0);
    const failed = tracks.find((p) => p.phase === "failed");
    const settled = !stillRecording && tracks.every((p) => p.phase === "complete" || p.phase === "failed");
    const phase: UploadPhase = settled ? (failed ? "failed" : "complete") : tracks.some((p) => p.phase === "retrying") ? "retrying" : "uploading";
    const percent = phase === "complete" ? 100 : total ? Math.min(99, Math.floor((100 * acked) / total)) : 0;
    return { phase, percent, failure: failed?.failure };
}
