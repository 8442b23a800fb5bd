import { coversOffset, planBody } from "./sliceLedger";
import { TusFailure, type TusClient, type UploadStatus } from "./TusClient";
import { failureAction } from "./tusProtocol";
import { retryDelay } from "./uploadRetry";
import { spansOf, type TrackRecord, type TrackStore } from "./TrackStore";

/** At most this much per PATCH (pending slices are sent together up to it; the server takes 16 MiB). */
export const MAX_BODY_BYTES = 4 << 20;

/** How an upload stands, as the page shows it. */
export type UploadPhase = "uploading" | "retrying" | "complete" | "failed";

/** One track's upload progress. */
export interface UploadProgress {
    key: string;
    recordingId: string;
    trackUrl?: string;
    /** When the track started recording (this device's clock, ms since 1970). */
    startedAt: number;
    bytesRecorded: number;
    ackedOffset: number;
    finalLength?: number;
    /** Slices still stored (not yet acknowledged past). */
    pendingSlices: number;
    phase: UploadPhase;
    /** Why it failed (a refusal's reason). */
    failure?: string;
}

/** What an uploader works with. */
export interface UploaderDeps {
    store: TrackStore;
    tus: TusClient;
    sleep(ms: number): Promise<void>;
    random?: () => number;
    onProgress(progress: UploadProgress): void;
}

/**
 * The one uploader of a track: sends its stored slices in order (what is pending, up to 4 MiB per PATCH), each
 * acknowledged offset deleting the slices below it; waits for `kick` when it has sent everything recorded; declares
 * the length with the last bytes once the track is sealed, and then forgets the track. On a network error, 5xx or a
 * bad checksum it waits (backoff) and asks the server's offset (HEAD) before going on from there; on 409
 * `offset_mismatch` it goes on from the offset the refusal names.
 */
export class TrackUploader {
    private kicked = false;
    private wake: (() => void) | undefined;
    private disposed = false;
    private readonly stopped: Promise<void>;
    private stop: () => void = () => undefined;
    private last: UploadProgress | undefined;

    constructor(readonly key: string, private readonly d: UploaderDeps) {
        this.stopped = new Promise((resolve) => (this.stop = resolve));
    }

    /** More bytes were stored, or the track was sealed (the progress reports them even while a retry waits). */
    kick(): void {
        this.kicked = true;
        this.wake?.();
        void this.refresh();
    }

    /** Stops after the request under way (the track stays stored for a later page). */
    dispose(): void {
        this.disposed = true;
        this.stop();
    }

    /** The progress last reported. */
    get progress(): UploadProgress | undefined {
        return this.last;
    }

    /** Uploads until the track is complete, given up, or the uploader is disposed. */
    async run(): Promise<void> {
        let attempt = 0;
        let synced = false; // whether ackedOffset is known to be the server's offset
        while (!this.disposed) {
            this.kicked = false;
            const track = await this.d.store.track(this.key);
            if (!track) return;
            try {
                if (track.finalLength === 0) {
                    // Nothing was recorded: no upload to make (an empty one is ended).
                    if (track.uploadUrl) await this.d.tus.terminate(track.uploadUrl).catch(() => undefined);
                    await this.d.store.deleteTrack(this.key);
                    await this.report(track, "complete", 0);
                    return;
                }
                if (!track.uploadUrl) {
                    const url = await this.d.tus.create(track.recordingId, track.mime, track.createdAt);
                    await this.d.store.updateTrack(this.key, { uploadUrl: url });
                    synced = true;
                    attempt = 0;
                    continue;
                }
                if (!synced) {
                    const status = await this.d.tus.head(track.uploadUrl);
                    if (await this.settle(track, status)) return;
                    synced = true;
                    continue;
                }
                const slices = await this.d.store.slices(this.key);
                await this.report(track, "uploading", slices.length);
                const plan = planBody(spansOf(slices), track.ackedOffset, MAX_BODY_BYTES);
                const last = track.finalLength !== undefined && plan.end === track.finalLength;
                if (plan.parts.length === 0 && !last) {
                    await this.waitForKick();
                    continue;
                }
                const body = new Blob(plan.parts.map((p) => slices.find((s) => s.index === p.index)!.blob.slice(p.from, p.to)));
                const status = await this.d.tus.patch(track.uploadUrl, track.ackedOffset, body, last ? track.finalLength : undefined);
                attempt = 0;
                if (await this.settle(track, status)) return;
            } catch (error) {
                if (!(error instanceof TusFailure)) throw error;
                switch (failureAction(error.status, error.reason)) {
                    case "resync":
                        if (error.offset !== undefined && (await this.settle(track, { offset: error.offset }))) return;
                        synced = error.offset !== undefined;
                        break;
                    case "complete":
                        synced = false; // HEAD says where it ended
                        break;
                    case "retry":
                        synced = false;
                        await this.report(track, "retrying");
                        await Promise.race([this.d.sleep(retryDelay(attempt++, error.retryAfter, this.d.random)), this.stopped]);
                        break;
                    case "give_up":
                        await this.fail(track, error.reason ?? `status ${error.status}`);
                        return;
                }
            }
        }
    }

    /**
     * Takes the server's word on where the upload stands: acknowledges it, takes a length the server knows, and
     * finishes when complete. True when the uploader is done (complete or failed).
     */
    private async settle(read: TrackRecord, status: UploadStatus): Promise<boolean> {
        // The record read at the loop's start can be behind the store: a slice stored since may already be in the body
        // the server just took. An offset past it is checked against what is recorded now (read only then).
        const track = status.offset > read.bytesRecorded ? ((await this.d.store.track(this.key)) ?? read) : read;
        if (status.offset > track.bytesRecorded) return this.fail(track, "server_ahead");
        const slices = await this.d.store.slices(this.key);
        if (!coversOffset(spansOf(slices), status.offset, track.bytesRecorded)) return this.fail(track, "bytes_lost");
        let after = (await this.d.store.acknowledge(this.key, status.offset)) ?? track;
        if (status.length !== undefined && after.finalLength !== status.length) {
            after = (await this.d.store.updateTrack(this.key, { finalLength: status.length })) ?? after; // declared before
        }
        if (status.length !== undefined && status.offset === status.length) {
            await this.d.store.deleteTrack(this.key);
            await this.report({ ...after, ackedOffset: status.offset }, "complete", 0);
            return true;
        }
        await this.report(after, "uploading");
        return false;
    }

    private async fail(track: TrackRecord, failure: string): Promise<true> {
        await this.d.store.deleteTrack(this.key); // the server will never take it: do not try again on every visit
        await this.report(track, "failed", 0, failure);
        return true;
    }

    private async report(track: TrackRecord, phase: UploadPhase, pendingSlices?: number, failure?: string): Promise<void> {
        const pending = pendingSlices ?? (await this.d.store.slices(this.key)).length;
        this.last = {
            key: this.key,
            recordingId: track.recordingId,
            trackUrl: track.uploadUrl,
            startedAt: track.createdAt,
            bytesRecorded: track.bytesRecorded,
            ackedOffset: track.ackedOffset,
            finalLength: track.finalLength,
            pendingSlices: pending,
            phase,
            failure,
        };
        this.d.onProgress(this.last);
    }

    /** Reports the stored counts again, in the phase last reported (unless a newer report came meanwhile). */
    private async refresh(): Promise<void> {
        const last = this.last;
        if (!last || last.phase === "complete" || last.phase === "failed") return;
        try {
            const track = await this.d.store.track(this.key);
            const pendingSlices = (await this.d.store.slices(this.key)).length;
            if (!track || this.last !== last) return;
            this.last = { ...last, bytesRecorded: track.bytesRecorded, ackedOffset: track.ackedOffset, finalLength: track.finalLength, pendingSlices };
            this.d.onProgress(this.last);
        } catch {
            // the next report tells
        }
    }

    /** Until the next kick (at once if one came since the loop last read the track) or dispose. */
    private async waitForKick(): Promise<void> {
        if (this.kicked) return;
        await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), this.stopped]);
        this.wake = undefined;
    }
}
