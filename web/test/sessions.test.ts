import assert from "node:assert/strict";
import { test } from "node:test";
import { cancelOutcome, isCancellable, isJoinable, isReviewable, roomPath, sessionTitle, splitSessions, type Booking } from "../src/pages/sessions/sessionRules";

const start = Date.parse("2030-05-06T10:00:00Z");
const minute = 60_000;
const booking = (over: Partial<Booking> = {}): Booking => ({
    id: "b1", kind: "one_on_one", mentorId: "m", menteeId: "me", start: "2030-05-06T10:00:00Z", end: "2030-05-06T10:30:00Z",
    status: "confirmed", createdAt: "2030-05-01T09:00:00Z", priceCredits: 0, escrowState: "none", ...over,
});

test("the room is joinable from 10 minutes before the start until 30 minutes after the end, confirmed only", () => {
    assert.equal(isJoinable(booking(), start - 11 * minute), false);
    assert.equal(isJoinable(booking(), start - 10 * minute), true);
    assert.equal(isJoinable(booking(), start + 59 * minute), true);
    assert.equal(isJoinable(booking(), start + 60 * minute), false);
    assert.equal(isJoinable(booking({ status: "cancelled" }), start), false);
    assert.equal(isJoinable(booking({ status: "held" }), start), false);
});

test("cancel until the start; review by the mentee after the end, not of the mentor's group booking", () => {
    assert.equal(isCancellable(booking(), start - 1), true);
    assert.equal(isCancellable(booking(), start), false);
    assert.equal(isCancellable(booking({ status: "cancelled" }), start - minute), false);
    assert.equal(isReviewable(booking(), start + 30 * minute, "me"), true);
    assert.equal(isReviewable(booking(), start + 29 * minute, "me"), false);
    assert.equal(isReviewable(booking(), start + 60 * minute, "m"), false);
    assert.equal(isReviewable(booking({ kind: "group", menteeId: undefined }), start + 60 * minute, "m"), false);
    assert.equal(isReviewable(booking({ kind: "group_seat" }), start + 60 * minute, "me"), true);
});

test("upcoming keeps a session while its room is open; past is newest first with cancellations; lapsed holds vanish", () => {
    const items = [
        booking({ id: "old", start: "2030-05-01T10:00:00Z", end: "2030-05-01T10:30:00Z" }),
        booking({ id: "open" }),
        booking({ id: "gone", status: "cancelled", start: "2030-05-09T10:00:00Z", end: "2030-05-09T10:30:00Z" }),
        booking({ id: "next", start: "2030-05-08T10:00:00Z", end: "2030-05-08T10:30:00Z" }),
        booking({ id: "lapsed", status: "held", holdExpiresAt: "2030-05-06T10:00:00Z", start: "2030-05-08T12:00:00Z", end: "2030-05-08T12:30:00Z" }),
        booking({ id: "older", start: "2030-04-01T10:00:00Z", end: "2030-04-01T10:30:00Z" }),
    ];
    const { upcoming, past } = splitSessions(items, start + 45 * minute);
    assert.deepEqual(upcoming.map((b) => b.id), ["open", "next"]);
    assert.deepEqual(past.map((b) => b.id), ["gone", "old", "older"]);
});

test("titles name the mentor to the mentee, and the room's path escapes the id", () => {
    assert.equal(sessionTitle(booking(), "Ada", "me"), "1:1 session with Ada");
    assert.equal(sessionTitle(booking(), "Ada", "m"), "1:1 session with a mentee");
    assert.equal(sessionTitle(booking({ kind: "group_seat", title: "Crate clinic" }), "Ada", "me"), "Crate clinic (group session)");
    assert.equal(roomPath("a/b"), "/sessions/a%2Fb/room");
});

test("the outcome of cancelling now follows where the preview says the price would go", () => {
    assert.match(cancelOutcome({ late: false, escrow: "refunded" }, 30), /30 credits are refunded/);
    assert.match(cancelOutcome({ late: true, escrow: "released" }, 30), /late cancellation.*30 credits go to the mentor/);
    assert.match(cancelOutcome({ late: false, escrow: "none" }, 0), /free/);
});
