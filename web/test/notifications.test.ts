import assert from "node:assert/strict";
import { test } from "node:test";
import {
    badgeText,
    bellLabel,
    chunks,
    markAllRead,
    markedRead,
    mergeNewestFirst,
    pushedNotification,
    readableBody,
    unreadIds,
    type Notification,
} from "../src/pages/notifications/notificationRules";
import { createUnreadCounter } from "../src/pages/notifications/unreadCounter";

const note = (id: number, read = false): Notification => ({
    id, type: "booking.created", title: `Note ${id}`, body: "A session is booked.", createdAt: "2030-05-06T10:00:00Z", read,
});

test("the badge shows the count up to 999, then 999+; the bell's name says how many are unread", () => {
    assert.equal(badgeText(undefined), "");
    assert.equal(badgeText(0), "");
    assert.equal(badgeText(3), "3");
    assert.equal(badgeText(999), "999");
    assert.equal(badgeText(1000), "999+");
    assert.equal(bellLabel(0), "Notifications");
    assert.equal(bellLabel(undefined), "Notifications");
    assert.equal(bellLabel(3), "Notifications, 3 unread");
    assert.equal(bellLabel(1000), "Notifications, 999+ unread");
});

test("a push is read as its notification; anything else is ignored", () => {
    const n = note(7);
    assert.deepEqual(pushedNotification({ type: "notification", notification: n }), n);
    assert.equal(pushedNotification({ type: "availability.changed" }), undefined);
    assert.equal(pushedNotification({ type: "notification", notification: { id: "7", title: "x", createdAt: "y" } }), undefined);
    assert.equal(pushedNotification(null), undefined);
    assert.equal(pushedNotification("notification"), undefined);
    assert.equal(pushedNotification({ type: "notification", notification: { id: 8, title: "t", createdAt: "c" } })?.read, false);
});

test("merging keeps newest first and each id once (the newer copy wins)", () => {
    const merged = mergeNewestFirst([note(5), note(3)], [note(9), note(3, true), note(4)]);
    assert.deepEqual(merged.map((n) => n.id), [9, 5, 4, 3]);
    assert.equal(merged.find((n) => n.id === 3)?.read, true);
    assert.deepEqual(unreadIds(merged), [9, 5, 4]);
    assert.deepEqual(unreadIds(markedRead(merged, [9, 4])), [5]);
});

test("ids go to markRead in chunks of at most 500", () => {
    const ids = Array.from({ length: 1001 }, (_, i) => i);
    assert.deepEqual(chunks(ids).map((c) => c.length), [500, 500, 1]);
    assert.deepEqual(chunks([]), []);
});

test("UTC instants in a body are written for the reader", () => {
    assert.equal(readableBody("A session is booked for 2030-05-06T10:00:00Z.", (i) => `<${i}>`), "A session is booked for <2030-05-06T10:00:00Z>.");
    assert.equal(readableBody("Moved to 2030-05-06T10:00:00.123Z and 2030-05-07T09:30:00Z", () => "T"), "Moved to T and T");
    assert.equal(readableBody("You received a 5-star review.", () => "T"), "You received a 5-star review.");
});

test("mark all read: the loaded unread ones, then older unread ones up to the newest shown, never a newer arrival", async () => {
    const server = new Set([20, 12, 11, 10, 3, 2]); // unread on the server; 20 arrived after the page loaded (newest shown: 15)
    const marked: number[][] = [];
    const calls = {
        list: async ({ limit }: { limit: number }) => ({ items: [...server].sort((a, b) => b - a).slice(0, limit).map((id) => note(id)) }),
        markRead: async ({ ids }: { ids: number[] }) => {
            marked.push(ids);
            for (const id of ids) server.delete(id);
        },
    };
    const all = await markAllRead([12, 11], 15, calls);
    assert.deepEqual(all.sort((a, b) => a - b), [2, 3, 10, 11, 12]);
    assert.deepEqual(marked[0], [12, 11]);
    assert.deepEqual([...server], [20], "the notification that arrived meanwhile stays unread");
    const none = await markAllRead([], 15, calls, 0);
    assert.deepEqual(none, []);
});

/** A load whose answers the test releases by hand, in any order. */
function manualLoads() {
    const pending: ((n: number) => void)[] = [];
    return { load: () => new Promise<number>((resolve) => pending.push(resolve)), pending };
}

test("the unread counter keeps the newest read only", async () => {
    const { load, pending } = manualLoads();
    const counter = createUnreadCounter(load);
    assert.equal(counter.store.get(), undefined);
    const first = counter.refresh();
    const second = counter.refresh();
    pending[1](4);
    await second;
    pending[0](9); // the older answer arrives last: ignored
    await first;
    assert.equal(counter.store.get(), 4);
});

test("lowering applies at once and a read from before it cannot put the old count back", async () => {
    const { load, pending } = manualLoads();
    const counter = createUnreadCounter(load);
    const initial = counter.refresh();
    pending[0](5);
    await initial;
    let heard = 0;
    counter.store.subscribe(() => heard++);
    const stale = counter.refresh(); // a push's read, in flight while the user marks two read
    const lowered = counter.lower(2);
    assert.equal(counter.store.get(), 3, "lowered before any answer");
    pending[1](5);
    await stale;
    assert.equal(counter.store.get(), 3, "the read from before the mark is dropped");
    pending[2](3);
    await lowered;
    assert.equal(counter.store.get(), 3);
    assert.equal(heard, 1);
    const floor = counter.lower(10);
    assert.equal(counter.store.get(), 0);
    pending[3](0);
    await floor;
});

test("a failed read keeps the last count", async () => {
    let fail = false;
    const counter = createUnreadCounter(async () => {
        if (fail) throw new Error("down");
        return 2;
    });
    await counter.refresh();
    fail = true;
    await counter.refresh();
    assert.equal(counter.store.get(), 2);
});
