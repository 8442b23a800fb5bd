import assert from "node:assert/strict";
import { test } from "node:test";
import {
    cancelOutcome,
    durationMinutes,
    isCancellable,
    isJoinable,
    isReschedulable,
    isReviewable,
    otherSide,
    pendingProposal,
    rescheduleMode,
    rescheduleOutcome,
    reschedulePolicy,
    roomPath,
    sessionTitle,
    splitSessions,
    type Booking,
} from "../src/pages/sessions/sessionRules";

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

test("a confirmed 1:1 session that has not started and has no proposal waiting can be rescheduled", () => {
    assert.equal(isReschedulable(booking(), start - 1), true);
    assert.equal(isReschedulable(booking(), start), false);
    assert.equal(isReschedulable(booking({ status: "held" }), start - minute), false);
    assert.equal(isReschedulable(booking({ kind: "group_seat" }), start - minute), false);
    assert.equal(isReschedulable(booking({ proposedStart: "2030-05-07T10:00:00Z", proposedBy: "me" }), start - minute), false);
    assert.equal(durationMinutes(booking()), 30);
});

test("a waiting proposal says who made it; the other side is named for the viewer", () => {
    const proposed = booking({ proposedStart: "2030-05-07T10:00:00Z", proposedBy: "me" });
    assert.deepEqual(pendingProposal(proposed, "me"), { start: "2030-05-07T10:00:00Z", mine: true });
    assert.deepEqual(pendingProposal(proposed, "m"), { start: "2030-05-07T10:00:00Z", mine: false });
    assert.equal(pendingProposal(booking(), "me"), undefined);
    assert.equal(pendingProposal({ ...proposed, status: "cancelled" }, "m"), undefined);
    assert.equal(otherSide(booking(), "Ada", "me"), "Ada");
    assert.equal(otherSide(booking(), undefined, "me"), "your mentor");
    assert.equal(otherSide(booking(), "Ada", "m"), "the mentee");
});

test("the mentee moves alone only while both times are outside the late window; otherwise it is a proposal", () => {
    const hour = 60 * minute;
    const farAway = "2030-05-09T10:00:00Z";
    const now = start - 25 * hour;
    assert.equal(rescheduleMode(booking(), farAway, "me", now, 24), "moves");
    assert.equal(rescheduleMode(booking(), farAway, "m", now, 24), "proposal", "the mentor always proposes");
    assert.equal(rescheduleMode(booking(), farAway, "me", start - 23 * hour, 24), "proposal", "the current start is inside the window");
    assert.equal(rescheduleMode(booking(), new Date(now + 2 * hour).toISOString(), "me", now, 24), "proposal", "the new start is inside it");
    assert.equal(rescheduleMode(booking(), farAway, "me", start - 3 * hour, 2), "moves", "the window comes from the server");
    assert.match(rescheduleOutcome("moves", "Thu 10:00", "Ada"), /moves to Thu 10:00 at once/);
    assert.match(rescheduleOutcome("proposal", "Thu 10:00", "Ada"), /Ada is asked to accept Thu 10:00/);
    assert.match(reschedulePolicy(24), /at least 24 hours away/);
});
