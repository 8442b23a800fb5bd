import { acknowledgedSlices } from "./sliceLedger";
import { MemoryTrackStore, spansOf, type SliceRecord, type TrackChange, type TrackRecord, type TrackStore } from "./TrackStore";

/** The database of recordings waiting for upload on this device. */
export const DB_NAME = "mentorlink-recordings";
const DB_VERSION = 1;
const TRACKS = "tracks";
const SLICES = "slices";

function request<T>(r: IDBRequest<T>): Promise<T> {
    return new Promise((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
    });
}

function done(tx: IDBTransaction): Promise<void> {
    return new Promise((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
    });
}

/** The key range of one track's slices (keys are [trackKey, index]). */
const sliceRange = (key: string) => IDBKeyRange.bound([key, 0], [key, Infinity]);

/**
 * The track store in IndexedDB ("mentorlink-recordings": `tracks` by key, `slices` by [trackKey, index]), so what was
 * recorded survives a closed tab or a crash and is uploaded on the next visit. Each operation is one transaction.
 */
export class IdbTrackStore implements TrackStore {
    private constructor(private readonly db: IDBDatabase) {}

    /** Opens (and creates) the database. */
    static async open(factory: IDBFactory = indexedDB): Promise<IdbTrackStore> {
        const open = factory.open(DB_NAME, DB_VERSION);
        open.onupgradeneeded = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains(TRACKS)) db.createObjectStore(TRACKS, { keyPath: "key" });
            if (!db.objectStoreNames.contains(SLICES)) db.createObjectStore(SLICES, { keyPath: ["trackKey", "index"] });
        };
        return new IdbTrackStore(await request(open));
    }

    async tracks(): Promise<TrackRecord[]> {
        return request(this.db.transaction(TRACKS).objectStore(TRACKS).getAll() as IDBRequest<TrackRecord[]>);
    }

    async track(key: string): Promise<TrackRecord | undefined> {
        return request(this.db.transaction(TRACKS).objectStore(TRACKS).get(key) as IDBRequest<TrackRecord | undefined>);
    }

    async createTrack(track: TrackRecord): Promise<void> {
        const tx = this.db.transaction(TRACKS, "readwrite");
        tx.objectStore(TRACKS).add(track);
        await done(tx);
    }

    async updateTrack(key: string, change: TrackChange): Promise<TrackRecord | undefined> {
        return this.modify(key, false, (t) => {
            Object.assign(t, change);
        });
    }

    async appendSlice(key: string, blob: Blob): Promise<TrackRecord | undefined> {
        return this.modify(key, true, (t, slices) => {
            if (t.finalLength !== undefined) return false;
            const slice: SliceRecord = { trackKey: key, index: t.nextIndex, start: t.bytesRecorded, blob };
            slices.put(slice);
            t.nextIndex += 1;
            t.bytesRecorded += blob.size;
            return true;
        });
    }

    async seal(key: string): Promise<TrackRecord | undefined> {
        return this.modify(key, false, (t) => {
            if (t.finalLength !== undefined) return false;
            t.finalLength = t.bytesRecorded;
            return true;
        });
    }

    async slices(key: string): Promise<SliceRecord[]> {
        return request(this.db.transaction(SLICES).objectStore(SLICES).getAll(sliceRange(key)) as IDBRequest<SliceRecord[]>);
    }

    async acknowledge(key: string, offset: number): Promise<TrackRecord | undefined> {
        const tx = this.db.transaction([TRACKS, SLICES], "readwrite");
        const tracks = tx.objectStore(TRACKS);
        const slices = tx.objectStore(SLICES);
        const track = (await request(tracks.get(key) as IDBRequest<TrackRecord | undefined>)) ?? undefined;
        if (track) {
            track.ackedOffset = offset;
            tracks.put(track);
            const stored = await request(slices.getAll(sliceRange(key)) as IDBRequest<SliceRecord[]>);
            for (const index of acknowledgedSlices(spansOf(stored), offset)) slices.delete([key, index]);
        }
        await done(tx);
        return track;
    }

    async deleteTrack(key: string): Promise<void> {
        const tx = this.db.transaction([TRACKS, SLICES], "readwrite");
        tx.objectStore(TRACKS).delete(key);
        tx.objectStore(SLICES).delete(sliceRange(key));
        await done(tx);
    }

    /** Reads the track, lets `change` edit it (false: leave it), writes it back, in one transaction. */
    private async modify(key: string, withSlices: boolean, change: (t: TrackRecord, slices: IDBObjectStore) => boolean | void): Promise<TrackRecord | undefined> {
        const tx = this.db.transaction(withSlices ? [TRACKS, SLICES] : [TRACKS], "readwrite");
        const tracks = tx.objectStore(TRACKS);
        const track = (await request(tracks.get(key) as IDBRequest<TrackRecord | undefined>)) ?? undefined;
        if (track && change(track, withSlices ? tx.objectStore(SLICES) : tracks) !== false) tracks.put(track);
        await done(tx);
        return track;
    }
}

/** IndexedDB when the browser has it, else memory (a private window may refuse IndexedDB). */
export async function openTrackStore(): Promise<TrackStore> {
    if (typeof indexedDB === "undefined") return new MemoryTrackStore();
    try {
        return await IdbTrackStore.open();
    } catch {
        return new MemoryTrackStore();
    }
}
