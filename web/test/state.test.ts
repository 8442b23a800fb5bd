import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { CLIENT_ROUTES, matchRoute, safeNext } from "../src/app/routes";
import { EMPTY_FILTERS, filtersFromQuery, filtersToQuery, localToInstant, searchParams, splitList, toggle } from "../src/pages/searchFilters";
import { createStore } from "../src/state/Store";
import { SubscriptionRegistry } from "../src/rpc/SubscriptionRegistry";

test("a store notifies on change only", () => {
    const store = createStore(1);
    let calls = 0;
    const stop = store.subscribe(() => calls++);
    store.set(1);
    store.set((n) => n + 1);
    assert.equal(store.get(), 2);
    assert.equal(calls, 1);
    stop();
    store.set(3);
    assert.equal(calls, 1);
});

test("the registry drops repeated and old seqs and holds events until bound", () => {
    const registry = new SubscriptionRegistry();
    const seen: number[] = [];
    const h = registry.add("availability.subscribe", { mentorId: "m" }, { onEvent: (_e, seq) => seen.push(seq) });
    registry.deliver("s1", 4, {});
    registry.bind(h, { subscription: "s1", seq: 3 });
    registry.deliver("s1", 4, {});
    registry.deliver("s1", 2, {});
    registry.deliver("s1", 5, {});
    assert.deepEqual(seen, [4, 5]);
    assert.deepEqual(registry.subscribeParams(h), { method: "availability.subscribe", params: { mentorId: "m", sinceSeq: 5 } });
    registry.unbindAll();
    registry.deliver("s1", 6, {});
    assert.deepEqual(seen, [4, 5]);
});

test("search filters become mentors.search params with only what is set", () => {
    assert.deepEqual(searchParams(EMPTY_FILTERS), { limit: 20 });
    const f = { ...EMPTY_FILTERS, query: " kubernets ", skills: ["go"], minExperience: "5", minRating: "4.5", maxPrice: "x", sort: "price" as const };
    assert.deepEqual(searchParams(f, "c1", 10), { limit: 10, query: "kubernets", skills: ["go"], minExperience: 5, minRating: 4.5, sort: "price", cursor: "c1" });
    assert.deepEqual(splitList(" Go, rust,,go "), ["go", "rust"]);
    assert.deepEqual(toggle(["a", "b"], "a"), ["b"]);
    assert.deepEqual(toggle(["b"], "a"), ["b", "a"]);
    assert.equal(localToInstant("nonsense"), undefined);
    assert.match(localToInstant("2030-01-02T10:00") ?? "", /^2030-01-0\dT\d\d:00:00Z$/);
});

test("filters survive the address bar", () => {
    const f = { ...EMPTY_FILTERS, query: "swift", skills: ["ios", "swift"], maxPrice: "50", sort: "rating" as const };
    assert.deepEqual(filtersFromQuery(filtersToQuery(f)), f);
    assert.equal(filtersToQuery(EMPTY_FILTERS), "");
    assert.equal(filtersFromQuery("?sort=evil&experience=-1").sort, "relevance");
});

test("routes, and next stays inside the app", () => {
    assert.equal(matchRoute("/").name, "find");
    assert.deepEqual(matchRoute("/mentors/AB%2FC"), { name: "profile", mentorId: "AB/C", title: "Mentor", needsAccount: false });
    assert.equal(matchRoute("/wallet").needsAccount, true);
    assert.equal(matchRoute("/nope").name, "notFound");
    for (const [path, name] of [["/notifications", "notifications"], ["/dashboard", "dashboard"], ["/admin", "admin"]] as const) {
        assert.equal(matchRoute(path).name, name);
        assert.equal(matchRoute(path).needsAccount, true);
    }
    assert.deepEqual(matchRoute("/sessions/B%2F1/room"), { name: "room", bookingId: "B/1", title: "Session room", needsAccount: true });
    assert.equal(matchRoute("/sessions/b1/room/x").name, "notFound");
    assert.deepEqual(matchRoute("/signin", "?next=%2Fwallet"), { name: "signIn", next: "/wallet", title: "Sign in", needsAccount: false });
    for (const evil of ["//evil.example", "https://evil.example", "/\\evil.example", "", null]) assert.equal(safeNext(evil), "/mentors");
});

test("nginx answers index.html for exactly the app's client routes", () => {
    // scripts/web runs the tests from the repository's root.
    const template = readFileSync("nginx/nginx.conf.template", "utf8");
    const match = /location ~ \^\/\(([a-z|]+)\)\(\/\|\$\)/.exec(template);
    assert.ok(match, "the client-route location is missing from nginx.conf.template");
    assert.deepEqual(match[1].split("|").sort(), [...CLIENT_ROUTES].sort());
});
