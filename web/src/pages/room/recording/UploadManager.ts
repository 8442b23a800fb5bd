import { TrackUploader, type UploadProgress } from "./TrackUploader";
import type { TusClient } from "./TusClient";
import type { TrackStore } from "./TrackStore";
import { recordingLock, uploadLock, type TrackLocks } from "./trackLocks";

/** What the manager works with. */
export interface UploadManagerOptions {
    store: TrackStore;
    tus: TusClient;
    locks: TrackLocks;
    sleep?(ms: number): Promise<void>;
    random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The page's uploads: at most one uploader per track on this page (and, by the upload lock, in this browser), their
 * progress to whoever listens, and the resumption of what earlier pages left.
 */
export class UploadManager {
    private readonly uploaders = new Map<string, TrackUploader>();
    private readonly progress = new Map<string, UploadProgress>();
    private readonly listeners = new Set<(progress: UploadProgress) => void>();

    constructor(readonly o: UploadManagerOptions) {}

    /** The store the tracks wait in. */
    get store(): TrackStore {
        return this.o.store;
    }

    /** Hears every progress report; returns the unsubscribe. */
    listen(listener: (progress: UploadProgress) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** The last progress of a track this page uploaded. */
    progressOf(key: string): UploadProgress | undefined {
        return this.progress.get(key);
    }

    /** Starts uploading the track unless this page or another tab does already. */
    ensure(key: string): void {
        if (this.uploaders.has(key)) return;
        const uploader = new TrackUploader(key, {
            store: this.o.store,
            tus: this.o.tus,
            sleep: this.o.sleep ?? realSleep,
            random: this.o.random,
            onProgress: (p) => {
                this.progress.set(key, p);
                for (const listener of this.listeners) listener(p);
            },
        });
        this.uploaders.set(key, uploader);
        void (async () => {
            const release = await this.o.locks.acquire(uploadLock(key));
            try {
                if (release) await uploader.run();
            } catch {
                // A storage error: the track stays stored, the next visit tries again.
            } finally {
                release?.();
                if (this.uploaders.get(key) === uploader) this.uploaders.delete(key);
            }
        })();
    }

    /** New bytes for the track (or it was sealed). */
    kick(key: string): void {
        const uploader = this.uploaders.get(key);
        if (uploader) uploader.kick();
        else this.ensure(key);
    }

    /**
     * Uploads what earlier pages left: every stored track. One that nobody records any more (the tab closed, the
     * recording stopped meanwhile) is sealed first: its length is what was stored. Only `ownerId`'s tracks: the
     * uploads are the signed-in user's.
     */
    async resumeAll(ownerId: string): Promise<void> {
        for (const track of await this.o.store.tracks()) {
            if (this.uploaders.has(track.key) || track.ownerId.toLowerCase() !== ownerId.toLowerCase()) continue;
            if (track.finalLength === undefined) {
                const release = await this.o.locks.acquire(recordingLock(track.key));
                if (!release) continue; // still recording in another tab (or this one): its own uploader runs
                try {
                    await this.o.store.seal(track.key);
                } finally {
                    release();
                }
            }
            this.ensure(track.key);
        }
    }

    /** Stops the uploaders (the page goes away; what is left stays stored). */
    dispose(): void {
        for (const uploader of this.uploaders.values()) uploader.dispose();
        this.uploaders.clear();
    }
}
