import assert from "node:assert/strict";
import { test } from "node:test";
import type { BookingHoldResult } from "../src/api";
import { agendaToSend, bookingFlow, holdOf, missingAnswers, type BookingFlow } from "../src/pages/profile/bookingFlow";
import { formatRemaining, gridRange, groupByDay, slotLabel } from "../src/pages/profile/slots";
import { seatsLeft } from "../src/pages/profile/GroupSessions";

const slot = { start: "2030-05-06T10:00:00Z", end: "2030-05-06T10:30:00Z" };
const held: BookingHoldResult = {
    holdId: "h1",
    expiresAt: "2030-05-01T09:10:00Z",
    booking: { id: "h1", kind: "one_on_one", mentorId: "m", start: slot.start, end: slot.end, status: "held", createdAt: "2030-05-01T09:00:00Z", priceCredits: 30, escrowState: "none" },
};

test("slots group by the local day of the zone, and each label names date and time", () => {
    const slots = [
        { start: "2030-05-06T22:30:00Z", end: "2030-05-06T23:00:00Z" },
        { start: "2030-05-06T23:30:00Z", end: "2030-05-07T00:00:00Z" },
    ];
    assert.deepEqual(groupByDay(slots, "UTC").map((d) => [d.key, d.slots.length]), [["2030-05-06", 2]]);
    // In Kolkata (+05:30) the second one is already the 7th.
    assert.deepEqual(groupByDay(slots, "Asia/Kolkata").map((d) => [d.key, d.slots.length]), [["2030-05-07", 2]]);
    assert.deepEqual(groupByDay(slots, "America/New_York").map((d) => d.key), ["2030-05-06"]);
    const a = slotLabel(slots[0].start, "UTC");
    const b = slotLabel(slots[1].start, "UTC");
    assert.ok(a !== b);
    assert.match(a, /10:30|22:30/);
    assert.match(a, /6/);
});

test("the grid asks from this minute for a week; the countdown reads m:ss", () => {
    assert.deepEqual(gridRange(Date.parse("2030-05-01T09:00:42.5Z")), { from: "2030-05-01T09:00:00Z", to: "2030-05-08T09:00:00Z" });
    assert.equal(formatRemaining(599_001), "10:00");
    assert.equal(formatRemaining(59_000), "0:59");
    assert.equal(formatRemaining(-5), "0:00");
});

test("a hold lasts the server's length counted from the answer (not the viewer's clock against the server's)", () => {
    const hold = holdOf(held, 30, 30, 1_000);
    assert.equal(hold.expiresAt, 1_000 + 10 * 60_000);
    assert.equal(hold.priceCredits, 30);
    assert.deepEqual(hold.slot, slot);
});

test("booking goes choose → held → agenda → Book → confirm → booked; expiry and failures come back", () => {
    let s: BookingFlow = { step: "idle" };
    s = bookingFlow(s, { type: "choose", slot });
    assert.equal(s.step, "holding");
    assert.equal(bookingFlow(s, { type: "choose", slot }), s, "a second choice while holding is ignored");
    s = bookingFlow(s, { type: "held", result: held, minutes: 30, priceCredits: 30, receivedAt: 0 });
    assert.equal(s.step, "agenda");
    s = bookingFlow(s, { type: "answer", id: "goal", value: "ship" });
    s = bookingFlow(s, { type: "review" });
    assert.equal(s.step, "confirm");
    assert.equal(bookingFlow(s, { type: "back" }).step, "agenda");
    s = bookingFlow(s, { type: "confirm" });
    assert.equal(s.step, "booking");
    assert.equal(bookingFlow(s, { type: "cancel" }), s, "no cancel while the booking is on its way");
    const failed = bookingFlow(s, { type: "failed", error: new Error("x") });
    assert.equal(failed.step, "confirm");
    assert.equal(bookingFlow(failed, { type: "expired" }).step, "idle");
    const done = bookingFlow(s, { type: "booked", result: { booking: { ...held.booking, status: "confirmed" } } });
    assert.equal(done.step, "booked");
    assert.equal(bookingFlow({ step: "holding", slot }, { type: "holdFailed", notice: "taken" }).step, "idle");
});

test("agenda: required questions must be answered; empty answers are not sent", () => {
    const questions = [
        { id: "goal", label: "Goal", kind: "text" as const, required: true },
        { id: "link", label: "Link", kind: "url" as const, required: false },
    ];
    assert.deepEqual(missingAnswers(questions, { goal: "  " }), ["goal"]);
    assert.deepEqual(missingAnswers(questions, { goal: "x" }), []);
    assert.deepEqual(agendaToSend({ goal: " x ", link: "" }), { goal: "x" });
    assert.equal(agendaToSend({ link: " " }), undefined);
});

test("seats left never go below zero", () => {
    assert.equal(seatsLeft({ capacity: 5, seatsTaken: 2 }), 3);
    assert.equal(seatsLeft({ capacity: 2, seatsTaken: 3 }), 0);
});
