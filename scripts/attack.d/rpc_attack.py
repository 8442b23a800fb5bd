#!/usr/bin/env python3
"""Attacks every method of the OpenRPC document (rpc.discover) the way clients and attackers would.

For every method and every caller (anonymous, mentee, mentor, admin) it sends params generated from the method's
declared schema (hypothesis + hypothesis-jsonschema), boundary values (huge and negative numbers, 1 MiB strings, deep
arrays, NUL and control characters, far-past and far-future dates, other users' ids), unknown fields, wrong types,
raw invalid UTF-8, and batches mixing them: through nginx over HTTP and WebSocket, and on a worker socket.

It asserts: no HTTP 5xx, never -32603, every error has a snake_case `error.data.reason`, every result validates
against the method's declared result schema, every answer stays under the documented cap, and no worker died (the supervisor's restart counter, read from
GET /metrics on RUN_DIR/supervisor.sock, is the same before and after; the workers' log shows no death either).

    rpc_attack.py --run-dir DIR --port PORT [--examples N] [--seed S]

Exit status 1 when anything failed (each failure is printed with the request that caused it).
"""
import argparse
import base64
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import uuid

import jsonschema
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis_jsonschema import from_schema

MAX_ANSWER = 4 << 20  # RPCLimits.maxResponseBytes
REASON = re.compile(r"^[a-z][a-z0-9_]*$")
INT_EDGES = [0, -1, 1, 2**31, -2**31 - 1, 2**53 + 1, 2**63 - 1, -2**63, 10**20, -10**20]
TEXT_EDGES = ["", "\u0000", "a\u0000b", "\u001b[31m", "\u007f", "\u0085", "\r\nBcc: x@evil.example", "'; DROP TABLE users; --",
              "%s%n", "\ud7ff\ue000", "💥" * 1000, "x" * (1 << 20)]
DATE_EDGES = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "2027-05-03T10:00:00+05:30",
              "2027-02-30T10:00:00Z", "-0001-01-01T00:00:00Z", "99999-01-01T00:00:00Z", "2027-05-03", "now"]


class Failures:
    def __init__(self):
        self.items = []

    def add(self, where, what, request):
        text = request if isinstance(request, str) else repr(request)
        self.items.append(f"{where}: {what}\n    request: {text[:600]}")


class Stack:
    """The running stack: nginx on PORT, worker sockets and logs in RUN_DIR."""

    def __init__(self, run_dir, port):
        self.run_dir, self.port = run_dir, port
        self.origin = f"http://127.0.0.1:{port}"

    def http(self, body, token=None, unix=None):
        headers = {"Content-Type": "application/json", "Origin": self.origin}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if unix:
            connection = UnixHTTPConnection(unix)
            headers["X-Real-IP"] = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("POST", "/rpc", body=body, headers=headers)
        reply = connection.getresponse()
        data = reply.read()
        connection.close()
        return reply.status, data

    def call(self, method, params, token=None, unix=None):
        request = {"jsonrpc": "2.0", "id": 1, "method": method}
        if params is not None:
            request["params"] = params
        status, data = self.http(json.dumps(request).encode(), token, unix=unix)
        return json.loads(data) if data else None

    def restarts(self):
        """Restarts per supervised process, from the supervisor's GET /metrics on RUN_DIR/supervisor.sock."""
        connection = UnixHTTPConnection(os.path.join(self.run_dir, "supervisor.sock"))
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
        found = re.findall(r'^mentorlink_supervisor_restarts_total\{process="([^"]+)"\} (\d+)$', text, re.M)
        if not found:
            raise RuntimeError("the supervisor's /metrics has no mentorlink_supervisor_restarts_total")
        return {name: int(count) for name, count in found}

    def worker_log_size(self):
        try:
            return os.path.getsize(os.path.join(self.run_dir, "logs", "workers.log"))
        except OSError:
            return 0

    def worker_log_since(self, offset):
        with open(os.path.join(self.run_dir, "logs", "workers.log"), "rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.path)


class WebSocket:
    """A minimal RFC 6455 client: masked text frames out, text frames in."""

    def __init__(self, port, origin, token=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.sock.sendall((f"GET /rpc/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n{auth}\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during handshake")
            head += chunk
        self.status = int(head.split(b" ")[1])
        self.buffer = head.split(b"\r\n\r\n", 1)[1]

    def read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def send(self, text):
        payload = text.encode() if isinstance(text, str) else text
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
        else:
            header += bytes([0x80 | 127]) + len(payload).to_bytes(8, "big")
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self):
        """The next text message, or ('close', code)."""
        while True:
            first, second = self.read(2)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(self.read(2), "big")
            elif length == 127:
                length = int.from_bytes(self.read(8), "big")
            payload = self.read(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                return ("close", int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None)
            if opcode == 0x9:
                continue
            if opcode == 0x1:
                return payload

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def params_schema(method):
    properties = {p["name"]: p["schema"] for p in method["params"]}
    required = [p["name"] for p in method["params"] if p.get("required")]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def hostile_value(name, schema, ids, rnd):
    kind = schema.get("type")
    if kind == "integer":
        return rnd.choice(INT_EDGES)
    if kind == "number":
        return rnd.choice([1e308, -1e308, 0.1, 5e-324] + INT_EDGES)
    if kind == "boolean":
        return rnd.choice([True, False, 0, "true", None])
    if kind == "array":
        return rnd.choice([[], [hostile_value(name, schema.get("items", {}), ids, rnd)] * rnd.choice([1, 3, 1000]), nested(40)])
    if kind == "object":
        return rnd.choice([{}, {"\u0000": "x"}, {"k" * 300: "v"}, {str(i): "v" for i in range(2000)}, nested(40)])
    lowered = name.lower()
    if lowered.endswith("id") or lowered in ("to", "userid"):
        return rnd.choice(ids + [str(uuid.uuid4()), "00000000-0000-0000-0000-000000000000", "not-a-uuid"] + TEXT_EDGES[:4])
    if lowered in ("start", "from", "to", "before", "after", "availablefrom", "availableto"):
        return rnd.choice(DATE_EDGES)
    if lowered == "cursor":
        return rnd.choice([base64.b64encode(f"9223372036854775807~{uuid.uuid4()}".encode()).decode(), "AAAA", "_-_-"] + TEXT_EDGES[:3])
    return rnd.choice(TEXT_EDGES + ["mentee", "mentor", "admin", "stripe", "upi"])


def nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def hostile_params(method, ids, rnd):
    params = {}
    for p in method["params"]:
        if p.get("required") or rnd.random() < 0.5:
            params[p["name"]] = hostile_value(p["name"], p["schema"], ids, rnd)
    roll = rnd.random()
    if roll < 0.1:
        params["unknownField"] = "x"
    elif roll < 0.2 and method["params"]:
        params[method["params"][0]["name"]] = {"wrong": ["type"]}
    elif roll < 0.25:
        return [hostile_value("x", {"type": "string"}, ids, rnd) for _ in range(3)]  # positional
    return params


class Checker:
    def __init__(self, methods, failures):
        # rpc.discover's result is the OpenRPC meta-schema, a remote $ref: not checked here.
        self.results = {m["name"]: m["result"]["schema"] for m in methods if "$ref" not in json.dumps(m["result"]["schema"])}
        self.failures = failures

    def check(self, where, status, data, request, methods_by_id):
        if status >= 500:
            self.failures.add(where, f"HTTP {status}", request)
            return
        if len(data) > MAX_ANSWER + 1024:
            self.failures.add(where, f"answer of {len(data)} bytes", request)
        if not data:
            return
        try:
            document = json.loads(data)
        except ValueError:
            if status == 200:
                self.failures.add(where, f"HTTP 200 with a body that is not JSON: {data[:200]!r}", request)
            return
        for response in document if isinstance(document, list) else [document]:
            self.check_response(where, response, request, methods_by_id)

    def check_response(self, where, response, request, methods_by_id):
        if not isinstance(response, dict) or response.get("jsonrpc") != "2.0":
            self.failures.add(where, f"not a JSON-RPC response: {str(response)[:200]}", request)
            return
        error = response.get("error")
        if error is not None:
            reason = (error.get("data") or {}).get("reason")
            if error.get("code") == -32603:
                self.failures.add(where, "internal error (-32603)", request)
            elif not isinstance(reason, str) or not REASON.match(reason):
                self.failures.add(where, f"error without a reason: {error}", request)
            return
        method = methods_by_id.get(json.dumps(response.get("id")))
        schema = self.results.get(method)
        if schema is not None:
            try:
                jsonschema.validate(response.get("result"), schema)
            except jsonschema.ValidationError as invalid:
                self.failures.add(where, f"result does not fit the declared schema: {invalid.message[:300]}", request)


def make_users(stack, binary):
    """An admin, a mentor and a mentee made with the CLI, signed in on a worker socket (each from its own address, so
    the per-address login limit of earlier runs does not matter)."""
    users = {}
    env = dict(os.environ, MENTORLINK_RUN_DIR=stack.run_dir)
    for role in ("admin", "mentor", "mentee"):
        email = f"attack-{role}-{uuid.uuid4().hex[:8]}@example.com"
        password = "attack pass phrase " + uuid.uuid4().hex[:6]
        subprocess.run([binary, "user", "create", "--role", role, "--email", email, "--name", f"Attack {role}", "--password-stdin"],
                       input=password.encode(), env=env, check=True, capture_output=True)
        login = stack.call("identity.login", {"email": email, "password": password}, unix=os.path.join(stack.run_dir, "worker-0.sock"))
        users[role] = (login["result"]["user"]["id"], login["result"]["accessToken"])
    return users


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--examples", type=int, default=12, help="schema-generated examples per method and caller")
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    print(f"rpc_attack: seed {args.seed}", flush=True)
    stack = Stack(args.run_dir, args.port)
    failures = Failures()
    log_offset = stack.worker_log_size()
    restarts_before = stack.restarts()
    methods = stack.call("rpc.discover", None)["result"]["methods"]
    checker = Checker(methods, failures)
    users = make_users(stack, args.binary)
    ids = [uid for uid, _ in users.values()]
    # Some real objects to point at: the mentor's profile and availability, a booking of the mentee's.
    mentor_id, mentor_token = users["mentor"]
    stack.call("mentors.updateProfile", {"headline": "Attack", "bio": "b", "skills": ["Swift"], "topics": ["T"], "tags": [],
                                          "yearsExperience": 3, "languages": ["en"], "timeZone": "UTC",
                                          "sessionTypes": [{"kind": "one_on_one", "minutes": 30, "priceCredits": 0}]}, mentor_token)
    stack.call("availability.set", {"timeZone": "UTC", "weekly": [{"day": d, "start": "00:00", "end": "24:00"} for d in
                                                                  ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]}, mentor_token)
    callers = [("anonymous", None)] + [(role, token) for role, (_, token) in users.items()]
    sent = 0
    skip = {"identity.logout", "identity.logoutAll", "identity.changePassword", "admin.disableUser", "admin.setRole"}
    for method in methods:
        name = method["name"]
        schema = params_schema(method)
        for caller, token in callers:
            if name in skip and caller != "anonymous":
                continue  # would end the attack's own sessions; their params are still attacked anonymously
            where = f"{name} as {caller}"

            @settings(max_examples=args.examples, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(params=from_schema(schema))
            def schema_valid(params):
                nonlocal sent
                body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": name, "params": params}).encode()
                status, data = stack.http(body, token)
                sent += 1
                checker.check(where, status, data, body.decode()[:600], {"1": name})

            try:
                schema_valid()
            except Exception as error:  # hypothesis could not generate, or the stack went away
                failures.add(where, f"generator or transport failed: {error!r}"[:300], name)
            for _ in range(args.examples):
                body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": name, "params": hostile_params(method, ids, rnd)}).encode()
                status, data = stack.http(body, token)
                sent += 1
                checker.check(where + " (hostile)", status, data, body.decode(errors="replace")[:600], {"1": name})
    # Batches mixing methods, callers' tokens, notifications and garbage; on a worker socket too.
    names = [m["name"] for m in methods if m["name"] not in skip]
    for round_ in range(20):
        batch, ids_to_methods = [], {}
        for index in range(rnd.randint(1, 30)):
            chosen = rnd.choice(names)
            method = next(m for m in methods if m["name"] == chosen)
            element = {"jsonrpc": "2.0", "method": method["name"], "params": hostile_params(method, ids, rnd)}
            if rnd.random() < 0.8:
                element["id"] = index
                ids_to_methods[json.dumps(index)] = method["name"]
            batch.append(element if rnd.random() > 0.05 else rnd.choice([1, "x", None, [], {}]))
        body = json.dumps(batch).encode()
        unix = os.path.join(args.run_dir, f"worker-{round_ % 2}.sock") if round_ % 3 == 0 else None
        status, data = stack.http(body, rnd.choice(callers)[1], unix=unix)
        sent += 1
        checker.check("batch" + (" on a worker socket" if unix else ""), status, data, body.decode()[:600], ids_to_methods)
    # Raw bytes that are not JSON, or not UTF-8.
    for raw in [b"\xff\xfe\x00", b'{"jsonrpc":"2.0","id":1,"method":"system.ping","params":["\xc3\x28"]}', b"[" * 100000, b"{" + b" " * 100,
                b'{"jsonrpc":"2.0","id":1e999,"method":"system.ping"}', b'{"jsonrpc":"2.0","id":-0,"method":"mentors.search","params":{"limit":1e400}}']:
        status, data = stack.http(raw)
        sent += 1
        checker.check("raw bytes", status, data, repr(raw[:200]), {})
    # The same over WebSocket: calls, batches and invalid UTF-8 in a text frame.
    for caller, token in callers:
        socket_ = WebSocket(args.port, stack.origin, token)
        if socket_.status != 101:
            failures.add(f"websocket as {caller}", f"handshake {socket_.status}", "GET /rpc/ws")
            continue
        try:
            for _ in range(args.examples * 2):
                method = rnd.choice([m for m in methods if m["name"] not in skip])
                message = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method["name"], "params": hostile_params(method, ids, rnd)})
                if len(message) > 60000:
                    continue  # over the WebSocket message limit the socket is closed with 1009, by design
                socket_.send(message)
                sent += 1
                reply = socket_.receive()
                if isinstance(reply, tuple):
                    failures.add(f"websocket as {caller}", f"closed with {reply[1]}", message)
                    break
                checker.check(f"websocket {method['name']} as {caller}", 200, reply, message[:600], {"1": method["name"]})
            socket_.send(b'{"jsonrpc":"2.0","id":1,"method":"system.ping","params":["\xc3\x28"]}')
            reply = socket_.receive()
            if not isinstance(reply, tuple):
                checker.check(f"websocket invalid UTF-8 as {caller}", 200, reply, "invalid UTF-8 frame", {})
        except (ConnectionError, socket.timeout) as error:
            failures.add(f"websocket as {caller}", f"connection failed: {error!r}", "")
        finally:
            socket_.close()
    restarts_after = stack.restarts()
    for name, count in restarts_after.items():
        if count != restarts_before.get(name, 0):
            failures.add("supervisor /metrics", f"{name} restarted {count - restarts_before.get(name, 0)} times", "")
    log = stack.worker_log_since(log_offset)
    for marker in ("worker.died", "Fatal error", "rpc.internal_error"):
        if marker in log:
            line = next(line for line in log.splitlines() if marker in line)
            failures.add("workers.log", f"{marker}: {line[:400]}", "")
    print(f"rpc_attack: {len(methods)} methods x {len(callers)} callers, {sent} requests, {len(failures.items)} failures", flush=True)
    for failure in failures.items[:60]:
        print("FAIL " + failure)
    sys.exit(1 if failures.items else 0)


if __name__ == "__main__":
    main()
