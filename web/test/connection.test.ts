import assert from "node:assert/strict";
import { test } from "node:test";
import { Connection } from "../src/rpc/Connection";
import { RpcError } from "../src/rpc/RpcError";
import { FakeSocket, FakeTimers, tick } from "./fakes";

function setup(onCredentialsRejected?: () => Promise<void>) {
    const sockets: FakeSocket[] = [];
    const timers = new FakeTimers();
    const connection = new Connection({
        url: "ws://test/rpc/ws",
        createSocket: () => {
            const s = new FakeSocket();
            sockets.push(s);
            return s;
        },
        random: () => 0,
        setTimer: timers.set,
        clearTimer: timers.clear,
        onCredentialsRejected,
    });
    return { connection, sockets, timers };
}

test("calls made while connecting are sent on open and answered by id", async () => {
    const { connection, sockets } = setup();
    const pong = connection.call("system.ping", {});
    assert.equal(sockets.length, 1);
    assert.equal(sockets[0].sent.length, 0);
    sockets[0].open();
    assert.deepEqual(sockets[0].calls().map((c) => c.method), ["system.ping"]);
    sockets[0].answer("system.ping", "pong");
    assert.equal(await pong, "pong");
});

test("an error answer rejects with its reason and data", async () => {
    const { connection, sockets } = setup();
    sockets.length || connection.start();
    sockets[0].open();
    const call = connection.call("booking.create", {});
    const id = sockets[0].calls()[0].id;
    sockets[0].receive({ jsonrpc: "2.0", id, error: { code: -32021, message: "taken", data: { reason: "slot_taken" } } });
    await assert.rejects(call, (e: unknown) => e instanceof RpcError && e.reason === "slot_taken" && e.code === -32021);
});

test("a dropped socket fails outstanding calls, reconnects with backoff and resubscribes with sinceSeq", async () => {
    const { connection, sockets, timers } = setup();
    const events: number[] = [];
    const resumed: boolean[] = [];
    connection.subscribe("availability.subscribe", { mentorId: "m1" }, { onEvent: (_e, seq) => events.push(seq), onResumed: (r) => resumed.push(r) });
    sockets[0].open();
    assert.deepEqual(sockets[0].calls()[0].params, { mentorId: "m1" });
    sockets[0].answer("availability.subscribe", { subscription: "s1", channel: "availability:m1", seq: 7 });
    await tick();
    sockets[0].receive({ jsonrpc: "2.0", method: "subscription", params: { subscription: "s1", channel: "c", seq: 8, event: {} } });
    sockets[0].receive({ jsonrpc: "2.0", method: "subscription", params: { subscription: "s1", channel: "c", seq: 8, event: {} } });
    assert.deepEqual(events, [8]);

    const lost = connection.call("system.ping", {});
    sockets[0].serverClose(1006);
    await assert.rejects(lost, (e: unknown) => e instanceof RpcError && e.reason === "connection_lost");
    assert.equal(connection.currentState, "waiting");
    assert.deepEqual(timers.pending(), [250]);
    timers.advance(250);
    assert.equal(sockets.length, 2);
    sockets[1].open();
    assert.deepEqual(sockets[1].calls()[0].params, { mentorId: "m1", sinceSeq: 8 });
    // The server replays before it answers: events for the new id are held until the answer names it.
    sockets[1].receive({ jsonrpc: "2.0", method: "subscription", params: { subscription: "s2", channel: "c", seq: 9, event: {} } });
    assert.deepEqual(events, [8]);
    sockets[1].answer("availability.subscribe", { subscription: "s2", channel: "c", seq: 9, recovered: true });
    await tick();
    assert.deepEqual(events, [8, 9]);
    assert.deepEqual(resumed, [true]);
});

test("backoff grows while reconnects fail and resets after an open", () => {
    const { connection, sockets, timers } = setup();
    connection.start();
    sockets[0].serverClose(1006);
    timers.advance(250);
    sockets[1].serverClose(1006);
    assert.deepEqual(timers.pending(), [500]);
    timers.advance(500);
    sockets[2].serverClose(1006);
    assert.deepEqual(timers.pending(), [1000]);
    timers.advance(1000);
    sockets[3].open();
    sockets[3].serverClose(1006);
    assert.deepEqual(timers.pending(), [250]);
});

test("recovered:false is told to the subscriber and to the app as a gap", async () => {
    const { connection, sockets, timers } = setup();
    const gaps: string[] = [];
    const resumed: boolean[] = [];
    connection.listen((e) => e.type === "gap" && gaps.push(e.method));
    connection.subscribe("notifications.subscribe", {}, { onEvent: () => undefined, onResumed: (r) => resumed.push(r) });
    sockets[0].open();
    sockets[0].answer("notifications.subscribe", { subscription: "a", channel: "user:u", seq: 3 });
    await tick();
    sockets[0].serverClose(1001);
    timers.advance(250);
    sockets[1].open();
    sockets[1].answer("notifications.subscribe", { subscription: "b", channel: "user:u", seq: 500, recovered: false });
    await tick();
    assert.deepEqual(resumed, [false]);
    assert.deepEqual(gaps, ["notifications.subscribe"]);
});

test("a 1008 close asks for fresh credentials before reconnecting", async () => {
    let asked = 0;
    const { connection, sockets } = setup(async () => {
        asked++;
    });
    connection.start();
    sockets[0].open();
    sockets[0].serverClose(1008);
    await tick();
    assert.equal(asked, 1);
    assert.equal(sockets.length, 2);
});

test("unsubscribing sends x.unsubscribe with the server's id", async () => {
    const { connection, sockets } = setup();
    const end = connection.subscribe("availability.subscribe", { mentorId: "m" }, { onEvent: () => undefined });
    sockets[0].open();
    sockets[0].answer("availability.subscribe", { subscription: "s9", channel: "c", seq: 0 });
    await tick();
    end();
    const sent = sockets[0].calls();
    const last = sent[sent.length - 1];
    assert.equal(last?.method, "availability.unsubscribe");
    assert.deepEqual(last?.params, { subscription: "s9" });
});
