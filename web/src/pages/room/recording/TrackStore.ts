import { acknowledgedSlices } from "./sliceLedger";

/** One recorded track on this device, from its first slice until the server has all of it. */
export interface TrackRecord {
    /** This device's name for the track (unique per recorder start). */
    key: string;
    recordingId: string;
    /** Whose track it is (a later sign-in as someone else leaves it alone). */
    ownerId: string;
    /** The tus upload (`/uploads/<trackId>`) once created. */
    uploadUrl?: string;
    mime: string;
    /** The index the next slice gets. */
    nextIndex: number;
    /** Bytes stored so far (the next slice starts here). */
    bytesRecorded: number;
    /** Bytes the server acknowledged. */
    ackedOffset: number;
    /** Set when recording stopped: the track's length (= bytesRecorded then), declared by the last PATCH. */
    finalLength?: number;
    /** When recording began (ms since 1970). */
    createdAt: number;
}

/** A slice of a track's bytes, from `start`, as MediaRecorder delivered it (only index 0 has the WebM header). */
export interface SliceRecord {
    trackKey: string;
    index: number;
    start: number;
    blob: Blob;
}

/** The fields of a track one may change directly (the byte counts move only through the operations below). */
export type TrackChange = Partial<Pick<TrackRecord, "uploadUrl" | "finalLength" | "createdAt">>;

/**
 * Where tracks and their slices wait for the server (IndexedDB in the browser, memory in tests). Every operation is
 * atomic on its own, so a recorder appending and an uploader acknowledging never overwrite each other's counts.
 */
export interface TrackStore {
    tracks(): Promise<TrackRecord[]>;
    track(key: string): Promise<TrackRecord | undefined>;
    createTrack(track: TrackRecord): Promise<void>;
    updateTrack(key: string, change: TrackChange): Promise<TrackRecord | undefined>;
    /** Stores the next slice at `bytesRecorded` (unless the track is sealed or gone); returns the track after. */
    appendSlice(key: string, blob: Blob): Promise<TrackRecord | undefined>;
    /** Sets `finalLength` to `bytesRecorded` unless set: no slice is taken after. */
    seal(key: string): Promise<TrackRecord | undefined>;
    /** The track's slices, ascending. */
    slices(key: string): Promise<SliceRecord[]>;
    /** The server has the bytes below `offset`: records it and deletes the slices wholly below it. */
    acknowledge(key: string, offset: number): Promise<TrackRecord | undefined>;
    /** Forgets the track and its slices. */
    deleteTrack(key: string): Promise<void>;
}

/** The slice spans of stored slices. */
export const spansOf = (slices: readonly SliceRecord[]) => slices.map((s) => ({ index: s.index, start: s.start, size: s.blob.size }));

/** A store in memory: for tests, and for a browser without IndexedDB (then nothing survives a reload). */
export class MemoryTrackStore implements TrackStore {
    private readonly all = new Map<string, TrackRecord>();
    private readonly bySlices = new Map<string, SliceRecord[]>();

    async tracks(): Promise<TrackRecord[]> {
        return [...this.all.values()].map((t) => ({ ...t }));
    }
    async track(key: string): Promise<TrackRecord | undefined> {
        const t = this.all.get(key);
        return t && { ...t };
    }
    async createTrack(track: TrackRecord): Promise<void> {
        if (this.all.has(track.key)) throw new Error(`track ${track.key} exists`);
        this.all.set(track.key, { ...track });
        this.bySlices.set(track.key, []);
    }
    async updateTrack(key: string, change: TrackChange): Promise<TrackRecord | undefined> {
        const t = this.all.get(key);
        if (!t) return undefined;
        Object.assign(t, change);
        return { ...t };
    }
    async appendSlice(key: string, blob: Blob): Promise<TrackRecord | undefined> {
        const t = this.all.get(key);
        if (!t || t.finalLength !== undefined) return t && { ...t };
        this.bySlices.get(key)?.push({ trackKey: key, index: t.nextIndex, start: t.bytesRecorded, blob });
        t.nextIndex += 1;
        t.bytesRecorded += blob.size;
        return { ...t };
    }
    async seal(key: string): Promise<TrackRecord | undefined> {
        const t = this.all.get(key);
        if (t && t.finalLength === undefined) t.finalLength = t.bytesRecorded;
        return t && { ...t };
    }
    async slices(key: string): Promise<SliceRecord[]> {
        return [...(this.bySlices.get(key) ?? [])];
    }
    async acknowledge(key: string, offset: number): Promise<TrackRecord | undefined> {
        const t = this.all.get(key);
        if (!t) return undefined;
        t.ackedOffset = offset;
        const gone = new Set(acknowledgedSlices(spansOf(this.bySlices.get(key) ?? []), offset));
        this.bySlices.set(key, (this.bySlices.get(key) ?? []).filter((s) => !gone.has(s.index)));
        return { ...t };
    }
    async deleteTrack(key: string): Promise<void> {
        this.all.delete(key);
        this.bySlices.delete(key);
    }
}
