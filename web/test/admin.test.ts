import assert from "node:assert/strict";
import { test } from "node:test";
import type { AuditListParams, AuditListResult } from "../src/api";
import {
    actionText, actorText, currentRole, detailsText, mergeUsers, namesById, replaceUser, roleChanges, rolesText, targetText, userStatus, verifyText,
    type AdminUser, type AuditEntry,
} from "../src/pages/admin/adminFormat";
import { extendTail, isoSecond, nextSpan, startTail, MAX_PAGES_PER_WINDOW, PAGE_LIMIT, type ListAudit } from "../src/pages/admin/auditTail";

const ADA = "0A7E3C1B-1111-4B14-8EC3-804C9AAADABD";
const user = (over: Partial<AdminUser> = {}): AdminUser => ({ id: ADA, email: "ada@example.com", name: "Ada", roles: ["mentee"], disabled: false, ...over });

test("status, roles and the role control's starting value", () => {
    assert.equal(userStatus(user()), "Active");
    assert.equal(userStatus(user({ disabled: true })), "Disabled");
    assert.equal(rolesText(["mentor", "admin"]), "mentor, admin");
    assert.equal(rolesText([]), "none");
    assert.equal(currentRole(["admin", "mentor"]), "mentor");
    assert.equal(currentRole([]), "mentee");
    assert.equal(roleChanges(["mentor"], "mentor"), false);
    assert.equal(roleChanges(["mentor"], "admin"), true);
    assert.equal(roleChanges(["mentor", "admin"], "mentor"), true, "setRole leaves exactly one role");
});

test("pages of users merge without repeating a row; a write's answer replaces its row", () => {
    const bob = user({ id: "B", name: "Bob" });
    const merged = mergeUsers([user(), bob], [user({ id: "B", name: "Bobby" }), user({ id: "C", name: "Cy" })]);
    assert.deepEqual(merged.map((u) => u.name), ["Ada", "Bobby", "Cy"]);
    const replaced = replaceUser(merged, user({ disabled: true }));
    assert.equal(replaced[0].disabled, true);
    assert.equal(replaced.length, 3);
});

test("audit cells name known accounts whatever the id's case, and say what failed", () => {
    const names = namesById([user()]);
    assert.equal(actorText(ADA.toLowerCase(), names), "Ada");
    assert.equal(actorText("9B2D0000-0000-4000-8000-000000000000", names), "9B2D0000…");
    assert.equal(actorText(undefined, names), "system");
    assert.equal(targetText(ADA, names), "Ada");
    assert.equal(targetText("someone@example.com", names), "someone@example.com");
    assert.equal(targetText(undefined, names), "—");
    assert.equal(actionText({ action: "login", outcome: "success" }), "login");
    assert.equal(actionText({ action: "login", outcome: "failure" }), "login (failure)");
    assert.equal(detailsText({ role: "mentor", reason: "x" }), "reason: x · role: mentor");
    assert.equal(detailsText({}), "");
});

test("the verification sentence says how many entries are intact, or where the chain broke", () => {
    assert.equal(verifyText({ ok: true, checked: 42 }), "Audit chain verified: 42 entries intact.");
    assert.equal(verifyText({ ok: true, checked: 1 }), "Audit chain verified: 1 entry intact.");
    assert.equal(verifyText({ ok: false, checked: 6, firstBrokenId: 7 }), "Audit chain broken at entry 7: 6 entries before it intact.");
    assert.equal(verifyText({ ok: false, checked: 0 }), "Audit chain broken at an unknown entry: 0 entries before it intact.");
});

test("window bounds are whole seconds (the server's ISO 8601 parser takes no fractions); spans adapt", () => {
    assert.equal(isoSecond(Date.parse("2030-05-06T10:00:01.999Z")), "2030-05-06T10:00:01Z");
    assert.equal(nextSpan(60_000, 3, 50), 240_000);
    assert.equal(nextSpan(60_000, 60, 50), 60_000);
    assert.equal(nextSpan(60_000, 201, 50), 30_000);
});

/** audit.list as the server answers it: filters from <= at < to, id order, a cursor after the last id, ISO seconds only. */
function fakeLog(entries: AuditEntry[]): { list: ListAudit; calls: AuditListParams[] } {
    const calls: AuditListParams[] = [];
    const parse = (t?: string) => {
        if (t === undefined) return undefined;
        assert.match(t, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `a bound the server accepts: ${t}`);
        return Date.parse(t);
    };
    const list: ListAudit = async (params) => {
        calls.push(params);
        const from = parse(params.from);
        const to = parse(params.to);
        const after = params.cursor ? Number(params.cursor) : 0;
        const limit = params.limit ?? 50;
        const items = entries
            .filter((e) => (from === undefined || Date.parse(e.at) >= from) && (to === undefined || Date.parse(e.at) < to) && e.id > after)
            .sort((a, b) => a.id - b.id)
            .slice(0, limit);
        const result: AuditListResult = { items, nextCursor: items.length === limit ? String(items[items.length - 1].id) : undefined };
        return result;
    };
    return { list, calls };
}

const NOW = Date.parse("2030-05-06T12:00:00Z");
const entry = (id: number, msAgo: number): AuditEntry => ({ id, at: new Date(NOW - msAgo).toISOString(), action: "login", outcome: "success", details: {} });

test("the walk back finds the newest entries first, then older ones, each once, to the beginning", async () => {
    // 300 entries: one a minute for the last 100 minutes, then one an hour for 200 hours before that.
    const entries = [
        ...Array.from({ length: 200 }, (_, k) => entry(k + 1, (100 + (200 - k)) * 60_000 * 60)),
        ...Array.from({ length: 100 }, (_, k) => entry(201 + k, (100 - k) * 60_000 - 30_000)),
    ];
    const { list } = fakeLog(entries);
    let tail = await extendTail(list, startTail(), 50, NOW);
    assert.ok(tail.entries.length >= 50);
    assert.deepEqual(tail.entries.slice(0, 3).map((e) => e.id), [300, 299, 298], "newest first");
    assert.equal(tail.done, false);
    while (!tail.done) tail = await extendTail(list, tail, 50, NOW);
    assert.deepEqual(tail.entries.map((e) => e.id), entries.map((e) => e.id).sort((a, b) => b - a), "every entry once, newest first");
    assert.equal((await extendTail(list, tail, 50, NOW)).entries.length, 300, "a finished walk stays as it is");
});

test("a window with more than its pages can hold is halved, not cut short", async () => {
    const many = MAX_PAGES_PER_WINDOW * PAGE_LIMIT + 10;
    // All within the last 10 minutes (the first window is 15): too many for one window.
    const entries = Array.from({ length: many }, (_, k) => entry(k + 1, Math.floor(((many - k) / many) * 600_000)));
    const { list, calls } = fakeLog(entries);
    const tail = await extendTail(list, startTail(), 50, NOW);
    assert.equal(tail.entries[0].id, many, "the newest entry is there");
    assert.ok(tail.entries.length < many, "only a narrower window was read");
    assert.ok(calls.some((c) => c.to === undefined && c.from !== undefined), "the first window has no upper bound");
    let done = tail;
    while (!done.done) done = await extendTail(list, done, 2000, NOW);
    assert.equal(new Set(done.entries.map((e) => e.id)).size, many, "every entry once");
});

test("an empty log is done at once; a log of entries stamped ahead of this clock still shows them", async () => {
    const empty = await extendTail(fakeLog([]).list, startTail(), 50, NOW);
    assert.deepEqual(empty, { entries: [], span: startTail().span, beginning: null, before: undefined, done: true });
    const ahead = await extendTail(fakeLog([entry(1, -120_000), entry(2, -180_000)]).list, startTail(), 50, NOW);
    assert.deepEqual(ahead.entries.map((e) => e.id), [2, 1]);
    assert.equal(ahead.done, true);
});
