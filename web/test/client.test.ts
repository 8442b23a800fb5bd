import assert from "node:assert/strict";
import { test } from "node:test";
import { createApi, ERROR_REASONS, METHODS, type Caller } from "../src/api";
import { Connection } from "../src/rpc/Connection";
import { HTTP_METHODS, RpcClient } from "../src/rpc/RpcClient";
import { RpcError } from "../src/rpc/RpcError";
import { backoffDelay } from "../src/rpc/backoff";
import { parseIncoming } from "../src/rpc/messages";
import { FakeSocket, FakeTimers, tick } from "./fakes";

test("the generated API calls each method by its dotted name with the params as given", async () => {
    const seen: [string, unknown][] = [];
    const caller: Caller = { call: async (method, params) => (seen.push([method, params]), { ok: true }) as never };
    const api = createApi(caller);
    await api.mentors.search({ query: "swfit", limit: 5 });
    await api.admin.deadLetters.list();
    await api.system.ping();
    assert.deepEqual(seen, [
        ["mentors.search", { query: "swfit", limit: 5 }],
        ["admin.deadLetters.list", {}],
        ["system.ping", {}],
    ]);
});

test("the generated metadata covers every method, with the reasons of the server's table", () => {
    assert.ok(Object.keys(METHODS).length > 50);
    assert.equal(METHODS["booking.create"].idempotent, true);
    assert.deepEqual(METHODS["availability.set"].access, ["mentor"]);
    for (const reason of ["slot_taken", "unauthenticated", "rate_limited", "invalid_params", "http_required"]) {
        assert.ok((ERROR_REASONS as readonly string[]).includes(reason), reason);
    }
    for (const method of HTTP_METHODS) assert.ok(method in METHODS, method);
});

test("backoff doubles to its ceiling and jitter only shortens", () => {
    assert.deepEqual([0, 1, 2, 3].map((a) => backoffDelay(a, undefined, () => 0)), [250, 500, 1000, 2000]);
    assert.equal(backoffDelay(40, undefined, () => 0), 10_000);
    assert.equal(backoffDelay(0, undefined, () => 1), 125);
});

test("incoming frames are classified; garbage is not a throw", () => {
    assert.equal(parseIncoming("{")[0].kind, "unknown");
    assert.equal(parseIncoming('{"jsonrpc":"2.0","id":3,"result":1}')[0].kind, "response");
    assert.equal(parseIncoming('{"jsonrpc":"2.0","method":"subscription","params":{"subscription":"s","seq":1,"event":{}}}')[0].kind, "event");
    assert.equal(parseIncoming('{"jsonrpc":"2.0","method":"subscription.ended","params":{"subscription":"s","reason":"removed"}}')[0].kind, "ended");
    assert.equal(parseIncoming('[{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":2,"result":2}]').length, 2);
});

const user = { id: "u1", email: "a@example.com", name: "A", roles: ["mentee" as const], disabled: false };

function clientSetup(http: (method: string, params: unknown) => Promise<unknown>) {
    const sockets: FakeSocket[] = [];
    const timers = new FakeTimers();
    const store = new Map<string, string>();
    const connection = new Connection({
        url: "ws://x",
        createSocket: () => (sockets.push(new FakeSocket()), sockets[sockets.length - 1]),
        setTimer: timers.set,
        clearTimer: timers.clear,
        random: () => 0,
    });
    const client = new RpcClient({
        connection,
        http,
        now: timers.clock,
        setTimer: timers.set,
        clearTimer: timers.clear,
        storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
    });
    return { client, connection, sockets, timers, store };
}

test("signing in goes over HTTP, then reopens the socket with the new cookies and schedules the refresh", async () => {
    const httpCalls: string[] = [];
    const { client, sockets, timers } = clientSetup(async (method) => {
        httpCalls.push(method);
        return { user, accessToken: "t", accessExpiresAt: new Date(15 * 60_000).toISOString() };
    });
    await client.signIn("a@example.com", "pw");
    assert.deepEqual(httpCalls, ["identity.login"]);
    assert.deepEqual(client.session.get(), { status: "signedIn", user });
    assert.equal(sockets.length, 1);
    assert.ok(timers.pending().includes(14 * 60_000));
});

test("an unauthenticated answer while signed in refreshes once and retries the call", async () => {
    const httpCalls: string[] = [];
    const { client, sockets } = clientSetup(async (method) => {
        httpCalls.push(method);
        return { user, accessToken: "t", accessExpiresAt: new Date(15 * 60_000).toISOString() };
    });
    await client.signIn("a@example.com", "pw");
    sockets[0].open();
    const wallet = client.call("wallet.get", {});
    await tick();
    const id = sockets[0].calls()[0].id;
    sockets[0].receive({ jsonrpc: "2.0", id, error: { code: -32001, message: "no", data: { reason: "unauthenticated" } } });
    await tick();
    await tick();
    assert.deepEqual(httpCalls, ["identity.login", "identity.refresh"]);
    // The refresh reopened the socket; the retry goes on the new one.
    const fresh = sockets[sockets.length - 1];
    fresh.open();
    fresh.answer("wallet.get", { userId: "u1", available: 5, escrow: 0, earnings: 0, debt: 0 });
    assert.equal((await wallet).available, 5);
});

test("a refused refresh ends the session as expired", async () => {
    const { client } = clientSetup(async (method) => {
        if (method === "identity.refresh") throw new RpcError(-32001, "no", "unauthenticated");
        return { user, accessToken: "t", accessExpiresAt: new Date(15 * 60_000).toISOString() };
    });
    await client.signIn("a@example.com", "pw");
    assert.equal(await client.refresh(), false);
    assert.deepEqual(client.session.get(), { status: "signedOut", expired: true });
});

test("cookie-setting methods never go over the socket", async () => {
    const httpCalls: string[] = [];
    const { client, sockets } = clientSetup(async (method) => (httpCalls.push(method), { ok: true }));
    client.session.set({ status: "signedIn", user });
    await client.call("identity.logoutAll", {});
    assert.deepEqual(httpCalls, ["identity.logoutAll"]);
    assert.equal(sockets.length, 0);
});
