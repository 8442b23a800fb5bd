import assert from "node:assert/strict";
import { test } from "node:test";
import { ActiveSpeaker } from "../src/pages/room/activeSpeaker";
import { JANUS_PROTOCOL, JanusSocket } from "../src/pages/room/sfu/JanusSocket";
import { JanusError, parseJanus, publishersOf, roomNotice, Transactions, type JanusMessage, type Timers } from "../src/pages/room/sfu/janusProtocol";
import { tileColumns } from "../src/pages/room/tileLayout";
import { FakeSocket } from "./fakes";

/** Timers the test fires by hand. */
class ManualTimers implements Timers {
    private readonly due = new Map<number, () => void>();
    private next = 0;
    setTimeout(fn: () => void): unknown {
        this.due.set(++this.next, fn);
        return this.next;
    }
    clearTimeout(handle: unknown): void {
        this.due.delete(handle as number);
    }
    fireAll(): void {
        for (const [id, fn] of [...this.due]) {
            this.due.delete(id);
            fn();
        }
    }
    get pending(): number {
        return this.due.size;
    }
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const settled = async (promise: Promise<unknown>): Promise<unknown> => promise.then((v) => ({ ok: v }), (e: unknown) => ({ error: e }));

test("a plugin message completes with the plugin's event after the ack; success, ack and errors settle the others", async () => {
    const timers = new ManualTimers();
    const t = new Transactions(15_000, timers);
    const join = t.begin("event");
    const trickle = t.begin("ack");
    const create = t.begin("success");
    assert.ok(join.id !== trickle.id);
    assert.equal(t.settle({ janus: "ack", transaction: join.id }), true, "the ack is consumed");
    assert.equal(t.size, 3, "the message still waits for its event");
    assert.equal(t.settle({ janus: "ack", transaction: trickle.id }), true);
    assert.equal(t.settle({ janus: "event", transaction: join.id, sender: 7, plugindata: { plugin: "janus.plugin.videoroom", data: { videoroom: "joined", private_id: 9 } } }), true);
    assert.equal(((await join.answer).plugindata?.data ?? {}).private_id, 9);
    assert.equal((await trickle.answer).janus, "ack");
    assert.equal(t.settle({ janus: "error", transaction: create.id, error: { code: 403, reason: "Unauthorized request (wrong or missing secret/token)" } }), true);
    const refused = (await settled(create.answer)) as { error: JanusError };
    assert.equal(refused.error.code, 403);
    assert.equal(t.size, 0);
    assert.equal(timers.pending, 0, "settled requests leave no timer behind");
});

test("a plugin's error_code rejects; events nobody asked for are left for their handle; a late answer times out", async () => {
    const timers = new ManualTimers();
    const t = new Transactions(15_000, timers);
    const join = t.begin("event");
    t.settle({ janus: "event", transaction: join.id, plugindata: { plugin: "videoroom", data: { videoroom: "event", error_code: 433, error: "Unauthorized (not in the allowed list)" } } });
    assert.equal(((await settled(join.answer)) as { error: JanusError }).error.code, 433);
    assert.equal(t.settle({ janus: "event", sender: 7, plugindata: { plugin: "videoroom", data: { publishers: [] } } }), false, "no transaction: the handle's");
    assert.equal(t.settle({ janus: "event", transaction: "someone-else", sender: 7 }), false, "an unknown transaction: the handle's");
    const create = t.begin("success");
    assert.equal(t.settle({ janus: "event", transaction: create.id }), false, "an event does not complete a create");
    timers.fireAll();
    assert.equal(((await settled(create.answer)) as { error: JanusError }).error.code, 0);
    const a = t.begin("event");
    const b = t.begin("ack");
    t.failAll(new JanusError(0, "closed"));
    assert.ok("error" in ((await settled(a.answer)) as object) && "error" in ((await settled(b.answer)) as object));
});

test("only Janus messages parse; the VideoRoom's events read as publishers, a feed gone, a kick or a destroyed room", () => {
    assert.equal(parseJanus("not json"), undefined);
    assert.equal(parseJanus('{"jsonrpc":"2.0"}'), undefined);
    assert.equal(parseJanus(42), undefined);
    assert.equal(parseJanus('{"janus":"ack","transaction":"x"}')?.janus, "ack");
    const publishers = publishersOf({
        publishers: [
            { id: "a", streams: [{ type: "audio", mid: "0" }, { type: "video", mid: "1" }] },
            { id: "b", streams: [] },
            { id: "c", streams: [{ type: "video", disabled: true }] },
            { id: 12, streams: [{ type: "video" }] },
            { display: "no id" },
            { id: "d", dummy: true, streams: [{ type: "video" }] },
        ],
    });
    assert.deepEqual(publishers, [
        { id: "a", publishing: true },
        { id: "b", publishing: false },
        { id: "c", publishing: false },
        { id: "12", publishing: true },
    ]);
    assert.deepEqual(roomNotice({ videoroom: "event", unpublished: "a" }), { type: "gone", id: "a" });
    assert.deepEqual(roomNotice({ videoroom: "event", leaving: "b" }), { type: "gone", id: "b" });
    assert.deepEqual(roomNotice({ videoroom: "event", kicked: "c" }), { type: "gone", id: "c" });
    assert.deepEqual(roomNotice({ videoroom: "event", unpublished: "ok" }), { type: "other" }, "our own unpublish");
    assert.deepEqual(roomNotice({ videoroom: "event", leaving: "ok", reason: "kicked" }), { type: "kicked" });
    assert.deepEqual(roomNotice({ videoroom: "destroyed", room: "r" }), { type: "destroyed" });
    assert.equal(roomNotice({ videoroom: "event", publishers: [{ id: "x", streams: [{ type: "audio" }] }] }).type, "publishers");
    assert.deepEqual(roomNotice({ videoroom: "talking" }), { type: "other" });
});

/** A JanusSocket on a fake WebSocket, opened (the create answered). */
async function openSocket(lost: string[] = [], keepaliveMs = 60_000): Promise<{ janus: JanusSocket; socket: FakeSocket; made: string[] }> {
    const socket = new FakeSocket();
    const made: string[] = [];
    const opening = JanusSocket.open({
        url: "ws://app/sfu",
        token: "T",
        keepaliveMs,
        onLost: (why) => lost.push(why),
        createSocket: (url, protocol) => {
            made.push(`${url} ${protocol}`);
            return socket;
        },
    });
    socket.open();
    await tick();
    const create = socket.sent[0] as JanusMessage & { token?: string };
    socket.receive({ janus: "success", transaction: create.transaction, data: { id: 1234 } });
    return { janus: await opening, socket, made };
}

test("the socket speaks janus-protocol, sends the token and session on every request, routes events to their handle", async () => {
    const { janus, socket, made } = await openSocket();
    assert.deepEqual(made, [`ws://app/sfu ${JANUS_PROTOCOL}`]);
    assert.equal(janus.sessionId, 1234);
    const events: JanusMessage[] = [];
    const attaching = janus.attach("janus.plugin.videoroom", (m) => events.push(m));
    const attach = socket.sent[1] as Record<string, unknown>;
    assert.equal(attach.janus, "attach");
    assert.equal(attach.session_id, 1234);
    assert.equal(attach.token, "T");
    socket.receive({ janus: "success", transaction: attach.transaction, data: { id: 55 } });
    const handle = await attaching;
    assert.equal(handle, 55);

    const joining = janus.message(handle, { request: "join", ptype: "publisher", room: "r", id: "u" });
    const message = socket.sent[2] as Record<string, unknown>;
    assert.deepEqual([message.janus, message.handle_id, message.token, message.session_id], ["message", 55, "T", 1234]);
    socket.receive({ janus: "ack", transaction: message.transaction });
    socket.receive({ janus: "event", sender: 55, plugindata: { plugin: "janus.plugin.videoroom", data: { publishers: [] } } });
    assert.equal(events.length, 1, "an unasked event goes to the handle while the join waits");
    socket.receive({ janus: "event", sender: 55, transaction: message.transaction, plugindata: { plugin: "janus.plugin.videoroom", data: { videoroom: "joined", private_id: 3 } }, jsep: { type: "offer", sdp: "v=0" } });
    const joined = await joining;
    assert.equal(joined.data.private_id, 3);
    assert.equal(joined.jsep?.type, "offer");
    assert.equal(events.length, 1, "the join's answer is not an event of the handle");

    janus.trickle(handle, { candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host", sdpMid: "0", sdpMLineIndex: 0 });
    janus.trickle(handle, null);
    const [one, done] = socket.sent.slice(3) as Record<string, unknown>[];
    assert.deepEqual([one.janus, (one.candidate as { sdpMid: string }).sdpMid, one.token], ["trickle", "0", "T"]);
    assert.deepEqual(done.candidate, { completed: true });
    janus.close();
    assert.equal((socket.sent[socket.sent.length - 1] as Record<string, unknown>).janus, "destroy");
    assert.equal(socket.closedWith, 1000);
});

test("a keep-alive goes out while open; a server close or a session timeout is a loss, reported once; close is none", async () => {
    const lost: string[] = [];
    const { socket } = await openSocket(lost, 10);
    await new Promise((resolve) => setTimeout(resolve, 35));
    const keepalives = (socket.sent as Record<string, unknown>[]).filter((m) => m.janus === "keepalive");
    assert.ok(keepalives.length >= 1, "keep-alives sent");
    assert.equal(keepalives[0].token, "T");
    for (const k of keepalives) socket.receive({ janus: "ack", transaction: k.transaction });
    socket.serverClose(1006);
    socket.serverClose(1006);
    assert.equal(lost.length, 1);
    assert.match(lost[0], /1006/);

    const timedOut: string[] = [];
    const second = await openSocket(timedOut);
    second.socket.receive({ janus: "timeout", session_id: 1234 });
    assert.deepEqual(timedOut, ["session timed out"]);

    const quiet: string[] = [];
    const third = await openSocket(quiet);
    third.janus.close();
    third.socket.serverClose(1000);
    assert.deepEqual(quiet, [], "our own close is no loss");
});

test("a refused token fails open (403) and closes the socket; it is no loss", async () => {
    const socket = new FakeSocket();
    const lost: string[] = [];
    const opening = JanusSocket.open({ url: "ws://app/sfu", token: "bad", onLost: (why) => lost.push(why), createSocket: () => socket });
    socket.open();
    await tick();
    const create = socket.sent[0] as JanusMessage;
    socket.receive({ janus: "error", transaction: create.transaction, error: { code: 403, reason: "Unauthorized request (wrong or missing secret/token)" } });
    const outcome = (await settled(opening)) as { error: JanusError };
    assert.equal(outcome.error.code, 403);
    assert.equal(socket.closedWith, 1000);
    assert.deepEqual(lost, []);
});

test("the active speaker is the loudest above silence, held against brief overlaps, cleared after silence", () => {
    const s = new ActiveSpeaker({ threshold: 0.02, smoothing: 1, holdMs: 1_000, overtake: 2 });
    assert.equal(s.update({ a: 0.001, b: 0.01 }, 0), undefined, "all silent");
    assert.equal(s.update({ a: 0.3, b: 0.1 }, 100), "a");
    assert.equal(s.update({ a: 0.3, b: 0.4 }, 300), "a", "b is louder, but not twice as loud, within the hold");
    assert.equal(s.update({ a: 0.3, b: 0.7 }, 400), "b", "twice as loud takes over at once");
    assert.equal(s.update({ a: 0.35, b: 0.3 }, 1_500), "a", "after the hold, louder is enough");
    assert.equal(s.update({ a: 0.0, b: 0.0 }, 1_600), "a", "a pause keeps the mark a moment");
    assert.equal(s.update({ a: 0.0, b: 0.0 }, 2_700), undefined, "silence clears it");
    assert.equal(s.update({ a: 0.0, b: 0.5 }, 2_800), "b");
    assert.equal(s.update({ a: 0.5 }, 2_900), "a", "someone gone is no longer the speaker");
    assert.equal(s.update({ a: Number.NaN }, 3_000), "a", "a bad sample is silence, within the hold");
    const smooth = new ActiveSpeaker({ threshold: 0.02, smoothing: 0.5, holdMs: 0, overtake: 2 });
    smooth.update({ a: 0.4, b: 0.0 }, 0);
    assert.equal(smooth.update({ a: 0.0, b: 0.3 }, 100), "a", "smoothed: one loud sample of b does not beat a's decaying level at once");
});

test("the video grid: 2 columns for 2-4 tiles, 3 for 5-9, 4 beyond, never tiles too narrow", () => {
    const desktop = 830;
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 30].map((n) => tileColumns(n, desktop)), [1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4]);
    assert.deepEqual([1, 2, 5, 9].map((n) => tileColumns(n, 360)), [1, 2, 2, 2], "a phone: two columns");
    assert.equal(tileColumns(9, 300), 1, "too narrow for two");
    assert.equal(tileColumns(5, 0), 1, "unknown width: one column");
    assert.equal(tileColumns(0, desktop), 1);
});
