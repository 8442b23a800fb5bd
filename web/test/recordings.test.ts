import assert from "node:assert/strict";
import { test } from "node:test";
import { clock, recordedMs, stateWords, watchable } from "../src/pages/recordings/recordingWords";

test("recording states in words, processing with its progress clamped", () => {
    assert.equal(stateWords({ state: "ready", progress: 100 }), "Ready");
    assert.equal(stateWords({ state: "partial", progress: 100 }), "Ready, with gaps");
    assert.equal(stateWords({ state: "processing", progress: 0 }), "Processing");
    assert.equal(stateWords({ state: "processing", progress: 42.4 }), "Processing (42 %)");
    assert.equal(stateWords({ state: "processing", progress: 250 }), "Processing (100 %)");
    assert.ok(watchable({ state: "ready" }) && watchable({ state: "partial" }));
    assert.ok(!watchable({ state: "failed" }) && !watchable({ state: "recording" }) && !watchable({ state: "processing" }));
});

test("lengths as m:ss and h:mm:ss; the longest track's", () => {
    assert.equal(clock(0), "0:00");
    assert.equal(clock(10_058), "0:10");
    assert.equal(clock(61_499), "1:01");
    assert.equal(clock(3_725_000), "1:02:05");
    assert.equal(clock(-5), "0:00");
    const track = (durationMs?: number) => ({ id: "t", participantId: "p", bytes: 1, startedAt: "", complete: true, durationMs });
    assert.equal(recordedMs({ tracks: [track(3000), track(), track(13_000)] }), 13_000);
    assert.equal(recordedMs({ tracks: [] }), 0);
});
