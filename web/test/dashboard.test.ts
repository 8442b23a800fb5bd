import assert from "node:assert/strict";
import { test } from "node:test";
import { agendaDraft, newQuestion, questionId, templateParams } from "../src/pages/dashboard/agendaDraft";
import { availabilityDraft, availabilityParams, endFromInput, endToInput, newWeekly } from "../src/pages/dashboard/availabilityDraft";
import { moveItem, parseList, removeItem, wholeNumber } from "../src/pages/dashboard/fields";
import { groupParams, seatsText, upcomingGroups, type GroupSession } from "../src/pages/dashboard/groupDraft";
import { newSessionType, profileDraft, profileParams } from "../src/pages/dashboard/profileDraft";
import { addDays, defaultGroupStart, localDateKey, localInputToUtc, previewRange, timeZoneOptions, utcToLocalInput, weekPreview } from "../src/pages/dashboard/schedule";

const slot = (start: string, minutes = 30) => ({ start, end: new Date(Date.parse(start) + minutes * 60_000).toISOString().replace(".000Z", "Z") });

test("lists are comma-separated, trimmed, without blanks or repeats; numbers are whole", () => {
    assert.deepEqual(parseList(" Rust, go ,, rust,Swift UI "), ["Rust", "go", "Swift UI"]);
    assert.deepEqual(parseList(""), []);
    assert.equal(wholeNumber(" 42 "), 42);
    assert.equal(wholeNumber("4.5"), undefined);
    assert.equal(wholeNumber("-1"), undefined);
    assert.equal(wholeNumber(""), undefined);
});

test("rows move within the list and are removed by index", () => {
    assert.deepEqual(moveItem(["a", "b", "c"], 2, -1), ["a", "c", "b"]);
    assert.deepEqual(moveItem(["a", "b", "c"], 0, 1), ["b", "a", "c"]);
    assert.deepEqual(moveItem(["a", "b", "c"], 0, -1), ["a", "b", "c"], "the first cannot move up");
    assert.deepEqual(removeItem(["a", "b", "c"], 1), ["a", "c"]);
});

test("the profile form sends every field, with session types as numbers; bad numbers are named by the server's paths", () => {
    const draft = { ...profileDraft(undefined, "Europe/Berlin"), headline: " Ships Rust ", skills: "rust, tokio", years: "7" };
    draft.sessionTypes = [{ ...newSessionType(), minutes: "45", price: "25" }, { ...newSessionType("group"), minutes: "60", price: "5" }];
    const checked = profileParams(draft);
    assert.ok(checked.ok);
    assert.deepEqual(checked.value, {
        headline: "Ships Rust", bio: "", skills: ["rust", "tokio"], topics: [], tags: [], yearsExperience: 7, languages: [],
        timeZone: "Europe/Berlin",
        sessionTypes: [{ kind: "one_on_one", minutes: 45, priceCredits: 25 }, { kind: "group", minutes: 60, priceCredits: 5 }],
    });
    const bad = profileParams({ ...draft, years: "", sessionTypes: [{ ...newSessionType(), price: "ten" }] });
    assert.ok(!bad.ok);
    assert.deepEqual(Object.keys(bad.problems).sort(), ["sessionTypes[0].priceCredits", "yearsExperience"]);
});

test("a saved profile fills the form back", () => {
    const mentor = {
        id: "m", name: "Ada", headline: "h", bio: "b", skills: ["a", "b"], topics: ["t"], tags: [], yearsExperience: 3, languages: ["en"],
        timeZone: "UTC", sessionTypes: [{ kind: "one_on_one" as const, minutes: 30, priceCredits: 12 }], reviewCount: 0, bayesianRating: 0, priceCredits: 12,
    };
    const draft = profileDraft(mentor, "Europe/Berlin");
    assert.equal(draft.skills, "a, b");
    assert.equal(draft.timeZone, "UTC");
    assert.deepEqual(draft.sessionTypes.map((t) => [t.kind, t.minutes, t.price]), [["one_on_one", "30", "12"]]);
});

test("availability: an end of 00:00 is midnight (24:00); blank numbers are left to the server; overrides either way", () => {
    assert.equal(endFromInput("00:00"), "24:00");
    assert.equal(endToInput("24:00"), "00:00");
    assert.equal(endFromInput("17:30"), "17:30");
    const draft = availabilityDraft(undefined, "Asia/Kolkata");
    draft.weekly = [newWeekly([])];
    draft.weekly.push(newWeekly(draft.weekly));
    draft.weekly[1].end = "00:00";
    draft.overrides = [
        { key: 1, date: "2030-05-06", unavailable: true, start: "09:00", end: "17:00" },
        { key: 2, date: "2030-05-07", unavailable: false, start: "10:00", end: "12:00" },
    ];
    draft.bufferAfter = "10";
    const checked = availabilityParams(draft);
    assert.ok(checked.ok);
    assert.deepEqual(checked.value, {
        timeZone: "Asia/Kolkata",
        weekly: [{ day: "mon", start: "09:00", end: "17:00" }, { day: "tue", start: "09:00", end: "24:00" }],
        overrides: [{ date: "2030-05-06", unavailable: true }, { date: "2030-05-07", start: "10:00", end: "12:00" }],
        bufferBeforeMinutes: undefined, bufferAfterMinutes: 10, minNoticeMinutes: undefined, horizonDays: undefined, maxPerDay: undefined,
    });
    const bad = availabilityParams({ ...draft, weekly: [{ key: 3, day: "sun", start: "", end: "12:00" }], maxPerDay: "x" });
    assert.ok(!bad.ok);
    assert.deepEqual(Object.keys(bad.problems).sort(), ["maxPerDay", "weekly[0].start"]);
    assert.equal(newWeekly([{ key: 4, day: "sun", start: "08:00", end: "10:00" }]).day, "mon", "after Sunday comes Monday");
});

test("saved rules fill the availability form back, midnight shown as 00:00", () => {
    const draft = availabilityDraft(
        { timeZone: "UTC", weekly: [{ day: "fri", start: "20:00", end: "24:00" }], overrides: [], bufferBeforeMinutes: 5, bufferAfterMinutes: 0, minNoticeMinutes: 60, horizonDays: 30 },
        "Europe/Berlin",
    );
    assert.deepEqual([draft.timeZone, draft.weekly[0].end, draft.bufferBefore, draft.minNotice, draft.maxPerDay], ["UTC", "00:00", "5", "60", ""]);
});

test("calendar days: adding days crosses months, years and DST changes as whole days", () => {
    assert.equal(addDays("2030-01-31", 1), "2030-02-01");
    assert.equal(addDays("2030-12-28", 6), "2031-01-03");
    assert.equal(addDays("2030-03-30", 1), "2030-03-31");
    assert.equal(localDateKey("2030-03-30T23:30:00Z", "Europe/Berlin"), "2030-03-31");
    assert.equal(localDateKey("2030-03-30T23:30:00Z", "America/New_York"), "2030-03-30");
});

test("the week preview lists 7 local days from today, merges back-to-back slots into runs and drops other days", () => {
    const now = Date.parse("2030-03-30T20:00:00Z"); // 22:00 Saturday in Berlin; the clocks go forward that night
    const slots = [
        slot("2030-03-31T07:00:00Z"), slot("2030-03-31T07:30:00Z"), slot("2030-03-31T08:00:00Z"), // 09:00-10:30 CEST
        slot("2030-03-31T12:00:00Z"),
        slot("2030-04-01T07:00:00Z"),
        slot("2030-04-10T07:00:00Z"), // past the 7 days
    ];
    const days = weekPreview([...slots].reverse(), now, "Europe/Berlin");
    assert.deepEqual(days.map((d) => d.key), ["2030-03-30", "2030-03-31", "2030-04-01", "2030-04-02", "2030-04-03", "2030-04-04", "2030-04-05"]);
    assert.deepEqual(days[0].runs, []);
    assert.deepEqual(days[1].runs, [
        { start: "2030-03-31T07:00:00Z", end: "2030-03-31T08:30:00Z", count: 3 },
        { start: "2030-03-31T12:00:00Z", end: "2030-03-31T12:30:00Z", count: 1 },
    ]);
    assert.equal(days[1].count, 4);
    assert.equal(days[2].count, 1);
    assert.equal(days.reduce((n, d) => n + d.count, 0), 5);
    // The same slots seen from New York fall on other local days.
    assert.equal(weekPreview(slots, now, "America/New_York")[1].key, "2030-03-31");
});

test("slots apart by the buffers still make one run; the range asked for starts this minute and spans 7 days", () => {
    const spaced = [slot("2030-05-06T09:00:00Z"), slot("2030-05-06T09:40:00Z"), slot("2030-05-06T11:00:00Z")];
    assert.deepEqual(weekPreview(spaced, Date.parse("2030-05-06T06:00:00Z"), "UTC", 7, 10)[0].runs.map((r) => r.count), [2, 1]);
    assert.deepEqual(weekPreview(spaced, Date.parse("2030-05-06T06:00:00Z"), "UTC")[0].runs.map((r) => r.count), [1, 1, 1]);
    assert.deepEqual(previewRange(Date.parse("2030-05-06T06:07:45.123Z")), { from: "2030-05-06T06:07:00Z", to: "2030-05-13T06:07:00Z" });
});

test("a datetime-local value is the viewer's wall-clock time, sent as UTC", () => {
    assert.equal(localInputToUtc("2030-05-06T10:30"), new Date(2030, 4, 6, 10, 30).toISOString().replace(".000Z", "Z"));
    assert.equal(localInputToUtc("2030-02-31T10:30"), undefined);
    assert.equal(localInputToUtc("2030-05-06"), undefined);
    assert.equal(utcToLocalInput(new Date(2030, 4, 6, 9, 5).getTime()), "2030-05-06T09:05");
    assert.equal(defaultGroupStart(new Date(2030, 11, 31, 23, 0).getTime()), "2031-01-01T18:00");
});

test("a group session's form is checked and converted; seats are counted; past and cancelled ones are not upcoming", () => {
    const now = new Date(2030, 4, 6, 12, 0).getTime();
    const draft = { title: " Crate clinic ", topic: "", start: "2030-05-07T18:00", minutes: "60", capacity: "8", price: "10" };
    const checked = groupParams(draft, now);
    assert.ok(checked.ok);
    assert.deepEqual(checked.value, { title: "Crate clinic", topic: "", start: localInputToUtc("2030-05-07T18:00"), minutes: 60, capacity: 8, priceCredits: 10 });
    const bad = groupParams({ ...draft, title: " ", start: "2030-05-05T18:00", capacity: "" }, now);
    assert.ok(!bad.ok);
    assert.deepEqual(bad.problems, { title: "required", start: "in the future", capacity: "a whole number" });
    assert.equal(seatsText({ capacity: 10, seatsTaken: 2 }), "2 of 10 seats taken, 8 left");
    assert.equal(seatsText({ capacity: 3, seatsTaken: 3 }), "3 of 3 seats taken, full");
    const g = (id: string, start: string, status: GroupSession["status"] = "confirmed"): GroupSession => ({
        id, kind: "group", mentorId: "m", start, end: start, status, createdAt: start, priceCredits: 0, escrowState: "none",
    });
    const list = upcomingGroups([g("later", "2030-05-09T10:00:00Z"), g("gone", "2030-05-08T10:00:00Z", "cancelled"), g("past", "2030-05-01T10:00:00Z"), g("soon", "2030-05-07T10:00:00Z")], now);
    assert.deepEqual(list.map((x) => x.id), ["soon", "later"]);
});

test("agenda questions keep their ids, new ones get unique ids from their labels, choices only for choice questions", () => {
    assert.equal(questionId("What's your goal?", new Set()), "what-s-your-goal");
    assert.equal(questionId("Goal", new Set(["goal", "goal-2"])), "goal-3");
    assert.equal(questionId("¿¿", new Set()), "question");
    assert.match(questionId("x".repeat(100), new Set()), /^x{40}$/);
    const drafts = [
        ...agendaDraft([{ id: "goal", label: "Goal", kind: "text", required: true }]),
        { ...newQuestion(), label: "Goal", kind: "choice" as const, choices: " Beginner \n\nExpert" },
        { ...newQuestion(), label: "Repo", kind: "url" as const, choices: "ignored" },
    ];
    const checked = templateParams(drafts);
    assert.ok(checked.ok);
    assert.deepEqual(checked.value.questions, [
        { id: "goal", label: "Goal", kind: "text", required: true },
        { id: "goal-2", label: "Goal", kind: "choice", required: false, choices: ["Beginner", "Expert"] },
        { id: "repo", label: "Repo", kind: "url", required: false },
    ]);
    const bad = templateParams([{ ...newQuestion(), kind: "choice" }]);
    assert.ok(!bad.ok);
    assert.deepEqual(Object.keys(bad.problems).sort(), ["questions[0].choices", "questions[0].label"]);
});

test("the zones offered include the current one once, sorted", () => {
    assert.deepEqual(timeZoneOptions("Etc/GMT+3", ["UTC", "Europe/Berlin"]), ["Etc/GMT+3", "Europe/Berlin", "UTC"]);
    assert.deepEqual(timeZoneOptions("UTC", ["UTC", "Asia/Kolkata"]), ["Asia/Kolkata", "UTC"]);
});
