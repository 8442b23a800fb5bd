import assert from "node:assert/strict";
import { test } from "node:test";
import { asRecordingEvent, type RecordingInfo, type RecordingRpc } from "../src/pages/room/recording/recordingApi";
import { RecordingController, uploadSummary, type RecordingView } from "../src/pages/room/recording/RecordingController";
import { acknowledgedSlices, coversOffset, planBody } from "../src/pages/room/recording/sliceLedger";
import { MemoryTrackStore, type TrackRecord } from "../src/pages/room/recording/TrackStore";
import type { RecorderLike } from "../src/pages/room/recording/TrackRecorder";
import { PageLocks, recordingLock } from "../src/pages/room/recording/trackLocks";
import { TrackUploader, type UploadProgress } from "../src/pages/room/recording/TrackUploader";
import { TusClient } from "../src/pages/room/recording/TusClient";
import { chooseMimeType, encodeMetadata, failureAction, parseByteCount, trackMetadata } from "../src/pages/room/recording/tusProtocol";
import { UploadManager } from "../src/pages/room/recording/UploadManager";
import { retryDelay } from "../src/pages/room/recording/uploadRetry";

// ---- A tus server in memory (creation with deferred length, sha256 checksums, HEAD), with faults on demand ----

interface FakeUpload {
    meta: Record<string, string>;
    bytes: number[];
    length?: number;
}

const fromBase64 = (text: string) => new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
const toBase64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

class FakeTusServer {
    uploads = new Map<string, FakeUpload>();
    log: string[] = [];
    running = true;
    /** The next requests fail as a network error would. */
    failNext = 0;
    /** The next PATCH stores this many of its bytes, then the connection breaks. */
    breakAfter: number | undefined;
    /** Runs before the next PATCH is handled (another writer, say). */
    beforePatch: ((upload: FakeUpload) => void) | undefined;
    private next = 1;

    fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
        const url = String(input);
        const method = init?.method ?? "GET";
        const headers = new Headers(init?.headers);
        this.log.push(`${method} ${url}`);
        if (this.failNext > 0) {
            this.failNext--;
            throw new TypeError("Failed to fetch");
        }
        assert.equal(headers.get("Tus-Resumable"), "1.0.0");
        assert.equal(init?.credentials, "same-origin");
        const refuse = (status: number, reason: string, extra: Record<string, string> = {}) =>
            new Response(JSON.stringify({ error: { reason, message: reason } }), { status, headers: { "Content-Type": "application/json", ...extra } });
        if (method === "POST" && url === "/uploads/") {
            assert.equal(headers.get("Upload-Defer-Length"), "1");
            const meta = Object.fromEntries((headers.get("Upload-Metadata") ?? "").split(",").map((pair) => {
                const [key, value] = pair.split(" ");
                return [key, fromBase64(value)];
            }));
            if (!this.running) return refuse(409, "recording_not_running");
            const id = `t${this.next++}`;
            this.uploads.set(id, { meta, bytes: [] });
            return new Response(null, { status: 201, headers: { Location: `/uploads/${id}` } });
        }
        const upload = this.uploads.get(url.replace("/uploads/", ""));
        if (!upload) return refuse(404, "not_found");
        const state = () => ({ "Upload-Offset": String(upload.bytes.length), ...(upload.length !== undefined ? { "Upload-Length": String(upload.length) } : {}) });
        if (method === "HEAD") return new Response(null, { status: 200, headers: state() });
        if (method === "DELETE") {
            this.uploads.delete(url.replace("/uploads/", ""));
            return new Response(null, { status: 204 });
        }
        assert.equal(method, "PATCH");
        assert.equal(headers.get("Content-Type"), "application/offset+octet-stream");
        this.beforePatch?.(upload);
        this.beforePatch = undefined;
        const body = new Uint8Array(init?.body as ArrayBuffer);
        const digest = toBase64(await crypto.subtle.digest("SHA-256", body));
        if (headers.get("Upload-Checksum") !== `sha256 ${digest}`) return refuse(460, "checksum_mismatch");
        if (Number(headers.get("Upload-Offset")) !== upload.bytes.length) return refuse(409, "offset_mismatch", { "Upload-Offset": String(upload.bytes.length) });
        if (upload.length !== undefined && upload.bytes.length === upload.length) return refuse(409, "complete");
        if (this.breakAfter !== undefined) {
            upload.bytes.push(...body.subarray(0, this.breakAfter));
            this.breakAfter = undefined;
            throw new TypeError("network connection lost");
        }
        upload.bytes.push(...body);
        const declared = headers.get("Upload-Length");
        if (declared !== null) upload.length = Number(declared);
        return new Response(null, { status: 204, headers: state() });
    };

    count(prefix: string): number {
        return this.log.filter((line) => line.startsWith(prefix)).length;
    }
}

const bytesOf = (from: number, count: number) => Uint8Array.from({ length: count }, (_, i) => (from + i) % 251);
const blobOf = (from: number, count: number) => new Blob([bytesOf(from, count)]);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 500; i++) {
        if (await condition()) return;
        await tick();
    }
    assert.ok(false, `never: ${what}`);
}

function harness() {
    const server = new FakeTusServer();
    const store = new MemoryTrackStore();
    const tus = new TusClient({ fetch: server.fetch, sha256: (data) => crypto.subtle.digest("SHA-256", data), now: () => 1_700_000_000_123 });
    const delays: number[] = [];
    const progress: UploadProgress[] = [];
    const deps = { store, tus, sleep: async (ms: number) => void delays.push(ms), random: () => 0, onProgress: (p: UploadProgress) => void progress.push(p) };
    return { server, store, tus, delays, progress, deps };
}

const newTrack = (key: string, change: Partial<TrackRecord> = {}): TrackRecord => ({
    key, recordingId: "REC-1", ownerId: "me", mime: "video/webm;codecs=vp8,opus", nextIndex: 0, bytesRecorded: 0, ackedOffset: 0, createdAt: 0, ...change,
});

// ---- Pure logic ----

test("tus metadata: key and base64 of the UTF-8 value, comma-joined; the creation names recording, type and clock", () => {
    assert.equal(encodeMetadata([["a", "b"], ["name", "é"]]), "a Yg==,name w6k=");
    const pairs = trackMetadata("0B7E-REC", "video/webm;codecs=vp8,opus", 1_700_000_000_123.4).split(",").map((p) => p.split(" "));
    assert.deepEqual(pairs.map(([k]) => k), ["recordingId", "filetype", "clientTime"]);
    assert.deepEqual(pairs.map(([, v]) => fromBase64(v)), ["0B7E-REC", "video/webm;codecs=vp8,opus", "1700000000123"]);
    const started = trackMetadata("r", "video/webm", 1_700_000_004_000, 1_700_000_000_000.6).split(",").map((p) => p.split(" "));
    assert.deepEqual(started.map(([k, v]) => [k, fromBase64(v)]).slice(2), [["clientTime", "1700000004000"], ["startedAt", "1700000000001"]]);
    assert.equal(parseByteCount(" 42 "), 42);
    assert.equal(parseByteCount("-1"), undefined);
    assert.equal(parseByteCount(null), undefined);
});

test("the first WebM type the browser takes, audio-only for a stream without video", () => {
    assert.equal(chooseMimeType(() => true, true), "video/webm;codecs=vp8,opus");
    assert.equal(chooseMimeType((t) => !t.includes("vp8"), true), "video/webm;codecs=vp9,opus");
    assert.equal(chooseMimeType((t) => t === "video/webm", true), "video/webm");
    assert.equal(chooseMimeType((t) => t.startsWith("audio/"), false), "audio/webm;codecs=opus");
    assert.equal(chooseMimeType(() => false, true), undefined);
});

test("slices: which are acknowledged, what the next body holds after any server offset, gaps and the cap", () => {
    const slices = [
        { index: 0, start: 0, size: 100 },
        { index: 1, start: 100, size: 50 },
        { index: 2, start: 150, size: 200 },
    ];
    assert.deepEqual(acknowledgedSlices(slices, 0), []);
    assert.deepEqual(acknowledgedSlices(slices, 149), [0], "a slice goes only once the server has bytes past it");
    assert.deepEqual(acknowledgedSlices(slices, 150), [0, 1]);
    assert.deepEqual(planBody(slices, 0, 1 << 20), { parts: [{ index: 0, from: 0, to: 100 }, { index: 1, from: 0, to: 50 }, { index: 2, from: 0, to: 200 }], end: 350 });
    assert.deepEqual(planBody(slices, 120, 1 << 20).parts, [{ index: 1, from: 20, to: 50 }, { index: 2, from: 0, to: 200 }], "the server's offset cuts a slice");
    assert.deepEqual(planBody(slices, 10, 130), { parts: [{ index: 0, from: 10, to: 100 }, { index: 1, from: 0, to: 40 }], end: 140 }, "at most maxBytes");
    assert.deepEqual(planBody(slices, 350, 1 << 20), { parts: [], end: 350 });
    assert.deepEqual(planBody([slices[0], slices[2]], 0, 1 << 20).end, 100, "a gap ends the body");
    assert.equal(coversOffset(slices.slice(1), 120, 350), true);
    assert.equal(coversOffset(slices.slice(2), 120, 350), false, "bytes 120..150 are gone");
    assert.equal(coversOffset([], 350, 350), true);
});

test("retries back off from 500 ms to 8 s, a longer Retry-After wins; refusals map to what the uploader does", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((a) => retryDelay(a, null, () => 0)), [500, 1000, 2000, 4000, 8000, 8000]);
    assert.equal(retryDelay(0, null, () => 1), 350, "jittered by up to 30%");
    assert.equal(retryDelay(0, "3", () => 0), 3000);
    assert.equal(retryDelay(4, "1", () => 0), 8000);
    assert.equal(failureAction(0, "network"), "retry");
    assert.equal(failureAction(503, "unavailable"), "retry");
    assert.equal(failureAction(460, "checksum_mismatch"), "retry");
    assert.equal(failureAction(409, "offset_mismatch"), "resync");
    assert.equal(failureAction(409, "complete"), "complete");
    for (const [status, reason] of [[409, "recording_not_running"], [404, "not_found"], [403, "forbidden"], [410, "expired"], [413, "too_large"]] as const) {
        assert.equal(failureAction(status, reason), "give_up", reason);
    }
});

test("recording pushes are recognised (ids lower-cased), other room events are not", () => {
    assert.deepEqual(asRecordingEvent({ type: "recording.stopped", recordingId: "AB-C", state: "finalizing" }), { type: "recording.stopped", recordingId: "ab-c", state: "finalizing" });
    assert.equal(asRecordingEvent({ type: "presence.joined", userId: "x" }), undefined);
    assert.equal(asRecordingEvent({ type: "recording.started", recordingId: 3, state: "recording" }), undefined);
});

test("the upload line: the share sent (under 100% until the server has it all), complete, failed", () => {
    const p = (change: Partial<UploadProgress>): UploadProgress => ({ key: "k", recordingId: "r", startedAt: 0, bytesRecorded: 200, ackedOffset: 50, pendingSlices: 1, phase: "uploading", ...change });
    assert.deepEqual(uploadSummary([p({}), p({ key: "j", ackedOffset: 200, finalLength: 200 })], true), { phase: "uploading", percent: 62, failure: undefined });
    assert.equal(uploadSummary([p({ ackedOffset: 200 })], true).percent, 99);
    assert.deepEqual(uploadSummary([p({ phase: "complete", ackedOffset: 200, finalLength: 200 })], false), { phase: "complete", percent: 100, failure: undefined });
    assert.equal(uploadSummary([p({ phase: "complete" })], true).phase, "uploading", "not complete while still recording");
    assert.equal(uploadSummary([p({ phase: "retrying" })], true).phase, "retrying");
    assert.equal(uploadSummary([p({ phase: "failed", failure: "expired" })], false).failure, "expired");
});

// ---- The uploader against the fake server ----

async function recordInto(store: MemoryTrackStore, key: string, sizes: number[]): Promise<Uint8Array> {
    let at = (await store.track(key))?.bytesRecorded ?? 0;
    for (const size of sizes) {
        await store.appendSlice(key, blobOf(at, size));
        at += size;
    }
    return bytesOf(0, at);
}

test("an uploader creates the track, sends slices in order with checksums, declares the length last, then forgets the track", async () => {
    const { server, store, deps, progress } = harness();
    await store.createTrack(newTrack("k"));
    const expected = await recordInto(store, "k", [300, 120, 80]);
    const uploader = new TrackUploader("k", deps);
    const running = uploader.run();
    await eventually(async () => (await store.track("k"))?.ackedOffset === 500, "the first bytes are acknowledged");
    assert.equal((await store.slices("k")).length, 0, "acknowledged slices are deleted");
    await recordInto(store, "k", [40]);
    uploader.kick();
    await eventually(async () => (await store.track("k"))?.ackedOffset === 540, "a kick sends the new slice");
    await store.seal("k");
    uploader.kick();
    await running;
    const upload = server.uploads.get("t1")!;
    assert.deepEqual(upload.bytes, [...expected, ...bytesOf(500, 40)]);
    assert.equal(upload.length, 540);
    assert.deepEqual(upload.meta, { recordingId: "REC-1", filetype: "video/webm;codecs=vp8,opus", clientTime: "1700000000123", startedAt: "0" });
    assert.equal(await store.track("k"), undefined, "a complete track is forgotten");
    assert.equal(progress[progress.length - 1].phase, "complete");
    assert.equal(progress[progress.length - 1].trackUrl, "/uploads/t1");
    assert.deepEqual(server.log.filter((l) => !l.startsWith("PATCH")), ["POST /uploads/"]);
});

test("after a broken connection the uploader waits, asks the server's offset (HEAD) and goes on from inside a slice", async () => {
    const { server, store, deps, delays } = harness();
    await store.createTrack(newTrack("k"));
    const expected = await recordInto(store, "k", [300, 200]);
    await store.seal("k");
    const running = new TrackUploader("k", deps);
    server.breakAfter = 170; // the server stores 170 bytes of the first PATCH, then the connection breaks
    server.beforePatch = () => (server.failNext = 2); // and the network stays down for two more requests
    await running.run();
    assert.deepEqual(server.uploads.get("t1")!.bytes, [...expected]);
    assert.equal(server.uploads.get("t1")!.length, 500);
    assert.ok(server.count("HEAD") >= 1, "resumed from the server's offset");
    assert.deepEqual(delays, [500, 1000, 2000], "backoff between the failed attempts");
    const patches = server.log.filter((l) => l.startsWith("PATCH"));
    assert.equal(patches.length, 2, "one broken PATCH, then the rest from byte 170 in one");
});

test("a slice stored while the uploader plans its body goes into that body, and the server's larger offset is taken", async () => {
    // The uploader reads the track, then its slices: the recorder stores one in between (CI, a loaded machine). The
    // PATCH carries it, so the server's offset passes the bytesRecorded of the record read first.
    const { server, store, deps } = harness();
    await store.createTrack(newTrack("k"));
    const expected = await recordInto(store, "k", [300]);
    const slices = store.slices.bind(store);
    let interleaved = false;
    store.slices = async (key: string) => {
        if (!interleaved) {
            interleaved = true;
            await recordInto(store, key, [120]);
        }
        return slices(key);
    };
    const uploader = new TrackUploader("k", deps);
    const running = uploader.run();
    await eventually(async () => (await store.track("k"))?.ackedOffset === 420, "both slices acknowledged, no failure");
    await store.seal("k");
    uploader.kick();
    await running;
    assert.deepEqual(server.uploads.get("t1")!.bytes, [...expected, ...bytesOf(300, 120)]);
    assert.equal(server.uploads.get("t1")!.length, 420);
});

test("409 offset_mismatch: the uploader goes on from the offset the refusal names", async () => {
    const { server, store, deps } = harness();
    await store.createTrack(newTrack("k"));
    const expected = await recordInto(store, "k", [100, 100]);
    await store.seal("k");
    server.beforePatch = (upload) => upload.bytes.push(...bytesOf(0, 60)); // another writer got 60 bytes in first
    await new TrackUploader("k", deps).run();
    assert.deepEqual(server.uploads.get("t1")!.bytes, [...expected]);
    assert.equal(server.count("HEAD"), 0, "the refusal's Upload-Offset is enough");
    assert.equal(server.count("PATCH"), 2);
});

test("a track the server will not take (the recording stopped before its upload was created) is dropped", async () => {
    const { server, store, deps, progress } = harness();
    server.running = false;
    await store.createTrack(newTrack("k"));
    await recordInto(store, "k", [10]);
    await new TrackUploader("k", deps).run();
    assert.equal(await store.track("k"), undefined);
    assert.equal(progress[progress.length - 1].phase, "failed");
    assert.equal(progress[progress.length - 1].failure, "recording_not_running");
});

test("an empty sealed track makes no upload; a created one is ended", async () => {
    const { server, store, deps } = harness();
    await store.createTrack(newTrack("k", { uploadUrl: undefined }));
    await store.seal("k");
    await new TrackUploader("k", deps).run();
    assert.deepEqual(server.log, []);
    assert.equal(await store.track("k"), undefined);
});

test("resuming: tracks nobody records are sealed at what was stored and uploaded; a recording one and someone else's are left", async () => {
    const { server, store, tus } = harness();
    await store.createTrack(newTrack("left"));
    const expected = await recordInto(store, "left", [64, 64]);
    // Uploaded in part before the tab closed: the server has 64 bytes, this device knows of none acknowledged.
    const url = await tus.create("REC-1", "video/webm");
    await tus.patch(url, 0, blobOf(0, 64));
    await store.updateTrack("left", { uploadUrl: url });
    await store.createTrack(newTrack("live"));
    await recordInto(store, "live", [10]);
    await store.createTrack(newTrack("theirs", { ownerId: "someone" }));
    await recordInto(store, "theirs", [10]);
    const locks = new PageLocks();
    const releaseLive = await locks.acquire(recordingLock("live"));
    const manager = new UploadManager({ store, tus, locks, sleep: async () => undefined });
    await manager.resumeAll("ME");
    await eventually(async () => (await store.track("left")) === undefined, "the left track completes");
    assert.deepEqual(server.uploads.get("t1")!.bytes, [...expected]);
    assert.equal(server.uploads.get("t1")!.length, 128);
    assert.equal(server.count("HEAD /uploads/t1"), 1, "the resume point came from the server");
    assert.equal((await store.track("live"))?.finalLength, undefined, "a track still recording is not sealed");
    assert.equal((await store.track("theirs"))?.uploadUrl, undefined, "another user's track is not touched");
    releaseLive?.();
    manager.dispose();
});

// ---- The controller: autoStart, pushes, the mentor's stop ----

class FakeRecorder implements RecorderLike {
    state: "inactive" | "recording" | "paused" = "inactive";
    mimeType = "video/webm;codecs=vp8,opus";
    ondataavailable: ((event: { data: Blob }) => void) | null = null;
    onstop: (() => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    private at = 0;
    start(): void {
        this.state = "recording";
    }
    slice(size: number): void {
        this.ondataavailable?.({ data: blobOf(this.at, size) });
        this.at += size;
    }
    stop(): void {
        this.state = "inactive";
        setTimeout(() => {
            this.slice(7); // the last slice comes before stop
            this.onstop?.();
        }, 0);
    }
}

test("the controller records once autoStart answers a running recording, follows pushes, and finishes the upload on stop", async () => {
    const { server, store, tus } = harness();
    const calls: string[] = [];
    let recording: RecordingInfo = { id: "REC-1", roomId: "ROOM", state: "recording", auto: true };
    const rpc: RecordingRpc = {
        start: async () => ({ recording }),
        stop: async () => {
            calls.push("stop");
            recording = { ...recording, state: "finalizing" };
            return { recording };
        },
        autoStart: async () => {
            calls.push("autoStart");
            return { recording };
        },
        get: async ({ recordingId }) => {
            calls.push(`get ${recordingId}`);
            return { recording };
        },
    };
    const recorders: FakeRecorder[] = [];
    let view: RecordingView | undefined;
    const uploads = new UploadManager({ store, tus, locks: new PageLocks(), sleep: async () => undefined });
    const c = new RecordingController({
        rpc, uploads, locks: new PageLocks(), selfId: "me",
        makeRecorder: () => {
            const r = new FakeRecorder();
            recorders.push(r);
            return r;
        },
        onChange: (v) => (view = v),
    });
    const stream = {} as MediaStream;
    c.setPresence({ roomId: "ROOM", joined: false, inRoom: true });
    c.setStream(stream);
    assert.equal(calls.length, 0, "not before the room is joined");
    c.setPresence({ roomId: "ROOM", joined: true, inRoom: true });
    await eventually(() => recorders.length === 1 && recorders[0].state === "recording", "recording starts");
    assert.equal(view?.running, true);
    assert.equal(view?.recordingHere, true);
    recorders[0].slice(500);
    recorders[0].slice(300);
    await eventually(() => c.probe().ackedOffset === 800, "slices are uploaded");
    assert.equal(c.probe().trackUrl, "/uploads/t1");
    assert.equal(c.probe().recordingId, "REC-1");

    // A lost connection and a rejoin: autoStart is not asked again, the recording is read instead; same track.
    c.setPresence({ roomId: "ROOM", joined: false, inRoom: true });
    c.setPresence({ roomId: "ROOM", joined: true, inRoom: true });
    await eventually(() => calls.includes("get REC-1"), "the recording is read after a rejoin");
    assert.equal(calls.filter((x) => x === "autoStart").length, 1);
    assert.equal(recorders.length, 1, "the track goes on");

    // Another recording's push is read; this one's stop push stops the track; the rest is uploaded.
    c.roomEvent({ type: "recording.stopped", recordingId: "rec-1", state: "finalizing" });
    await eventually(() => server.uploads.get("t1")?.length === 807, "the last slice and the length reach the server");
    await eventually(() => view?.upload?.phase === "complete", "upload complete");
    assert.equal(view?.running, false);
    assert.equal(view?.recordingHere, false);
    assert.deepEqual(server.uploads.get("t1")!.bytes, [...bytesOf(0, 807)]);
    assert.deepEqual(await store.tracks(), []);

    // A new recording pushed as started: read, and a new track.
    recording = { id: "REC-2", roomId: "ROOM", state: "recording" };
    c.roomEvent({ type: "recording.started", recordingId: "rec-2", state: "recording" });
    await eventually(() => recorders.length === 2 && recorders[1].state === "recording", "a second track");
    await eventually(() => view?.upload?.phase === "uploading", "the new recording's upload is shown");
    await c.stop();
    assert.ok(calls.includes("stop"));
    await eventually(() => server.uploads.get("t2")?.length === 7, "the stopped track completes");
    c.dispose();
    uploads.dispose();
});
