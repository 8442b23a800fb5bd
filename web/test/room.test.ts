import assert from "node:assert/strict";
import { test } from "node:test";
import { EMPTY_ROOM, asRoomEvent, lastSeq, mergeMessages, roomReducer, typingNow, type ChatMessage, type RoomState } from "../src/pages/room/roomState";
import { asSignal, isPolite, routeSignal } from "../src/pages/room/signaling";
import { SubscriptionRegistry } from "../src/rpc/SubscriptionRegistry";

const msg = (seq: number, senderId = "A", text = `m${seq}`): ChatMessage => ({ id: seq, seq, senderId, text, sentAt: "2030-05-06T10:00:00Z" });

test("messages merge by seq, in order, none twice (history after a reconnect overlaps what was pushed)", () => {
    const merged = mergeMessages([msg(1), msg(3)], [msg(3), msg(2), msg(4)]);
    assert.deepEqual(merged.map((m) => m.seq), [1, 2, 3, 4]);
    assert.equal(merged[1].senderId, "a", "ids are lower-cased");
    assert.equal(lastSeq(merged), 4);
    assert.equal(lastSeq([]), 0);
});

test("presence, typing, mute and removal follow the room's events; going offline forgets who is online", () => {
    let s: RoomState = roomReducer(EMPTY_ROOM, { type: "joined", participants: [{ userId: "M", role: "mentor", online: true }, { userId: "E", role: "mentee", online: false }] });
    assert.deepEqual(s.participants.map((p) => [p.userId, p.online]), [["m", true], ["e", false]]);
    s = roomReducer(s, { type: "event", event: { type: "presence.joined", userId: "e" }, at: 0 });
    s = roomReducer(s, { type: "event", event: { type: "typing", userId: "e" }, at: 1_000 });
    assert.deepEqual(typingNow(s, "m", 2_000), ["e"]);
    assert.deepEqual(typingNow(s, "m", 7_000), [], "typing fades");
    assert.deepEqual(typingNow(s, "e", 2_000), [], "not oneself");
    s = roomReducer(s, { type: "event", event: { type: "chat.message", message: msg(1, "E") }, at: 2_000 });
    assert.deepEqual(typingNow(s, "m", 2_000), [], "a message ends typing");
    assert.equal(s.messages.length, 1);
    s = roomReducer(s, { type: "event", event: { type: "participant.muted", userId: "e" }, at: 3_000 });
    assert.equal(s.participants[1].muted, true);
    s = roomReducer(s, { type: "joined", participants: [{ userId: "m", role: "mentor", online: true }, { userId: "e", role: "mentee", online: true }] });
    assert.equal(s.participants[1].muted, true, "a rejoin keeps what the events said");
    s = roomReducer(s, { type: "offline" });
    assert.deepEqual(s.participants.map((p) => p.online), [false, false]);
    s = roomReducer(s, { type: "event", event: { type: "participant.removed", userId: "e" }, at: 4_000 });
    assert.equal(s.participants[1].removed, true);
    assert.equal(s.messages.length, 1, "messages stay");
});

test("only well-formed events and signals are taken", () => {
    assert.equal(asRoomEvent({ type: "presence.joined" }), undefined);
    assert.equal(asRoomEvent({ type: "chat.message", message: { seq: "1" } }), undefined);
    assert.ok(asRoomEvent({ type: "chat.message", message: msg(1) }));
    assert.equal(asRoomEvent("x"), undefined);
    assert.equal(asSignal({ type: "offer", sdp: 1, s: "x" }), undefined);
    assert.equal(asSignal({ type: "offer", sdp: "v=0" }), undefined);
    assert.ok(asSignal({ type: "candidate", candidate: { candidate: "" }, s: "x" }));
    assert.ok(asSignal({ type: "bye", s: "x" }));
});

test("exactly one side of a pair is polite", () => {
    assert.equal(isPolite("a1", "b2"), !isPolite("b2", "a1"));
    assert.equal(isPolite("B2", "a1"), isPolite("b2", "a1"), "case does not matter");
});

test("signals go to the current connection, a new one, or nowhere", () => {
    const current = { localId: "L1", remoteId: "R1" };
    assert.equal(routeSignal({ type: "offer", sdp: "", s: "R1" }, undefined), "create");
    assert.equal(routeSignal({ type: "answer", sdp: "", s: "R1", t: "L1" }, undefined), "drop");
    assert.equal(routeSignal({ type: "candidate", candidate: {}, s: "R1", t: "L1" }, current), "handle");
    assert.equal(routeSignal({ type: "answer", sdp: "", s: "R1", t: "L0" }, current), "drop", "an answer to an older offer of ours");
    assert.equal(routeSignal({ type: "offer", sdp: "", s: "R2" }, current), "restart", "they reloaded or rejoined");
    assert.equal(routeSignal({ type: "candidate", candidate: {}, s: "R0" }, current), "drop", "from their older connection");
    assert.equal(routeSignal({ type: "offer", sdp: "", s: "R9" }, { localId: "L1" }), "handle", "the first offer names their connection");
    assert.equal(routeSignal({ type: "bye", s: "R0" }, current), "drop");
});

test("attached subscriptions get what arrived before the call's answer, then live events, and end with the socket", () => {
    const registry = new SubscriptionRegistry();
    registry.deliver("room-1", 5, { type: "presence.joined", userId: "me" });
    const seen: [string, number][] = [];
    const ended: string[] = [];
    registry.attach(["room-1", "direct-1"], { onEvent: (_e, seq, id) => seen.push([id, seq]), onEnded: (reason) => ended.push(reason) });
    registry.deliver("direct-1", 1, { type: "signal" });
    assert.deepEqual(seen, [["room-1", 5], ["direct-1", 1]]);
    registry.ended("room-1", "removed");
    assert.deepEqual(ended, ["removed"]);
    registry.unbindAll();
    registry.deliver("direct-1", 2, {});
    assert.equal(seen.length, 2, "forgotten when the socket closed");
});
