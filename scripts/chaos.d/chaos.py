#!/usr/bin/env python3
"""Fault injection under a mixed load, checked Jepsen-style afterwards.

Clients (one per mentee) run a mixed load through nginx: search, slots, hold, book, pay, cancel, chat and booking
lists over HTTP, and a WebSocket each subscribed to its notifications. Every call goes into a history: `ok` (the
client saw a success), `fail` (a definite refusal: a JSON-RPC error other than `unavailable`) or `info` (unknown: a
transport error, a 502, or `unavailable` on a write, which may or may not have happened). Meanwhile the faults come
in turn (scripts/chaos.d/fault.sh): a worker is killed with SIGKILL; Redis is stopped for OUTAGE seconds; PostgreSQL
is stopped for OUTAGE seconds; the Kafka broker goes down for OUTAGE seconds; with Janus, Janus is stopped
for OUTAGE seconds and started again (with no rooms) while a seat holder joins a group session's SFU room (it must
answer `unavailable` while Janus is down, and afterwards the room is recreated and the new token opens it); the relay
and each consumer are killed mid-stream. The supervisor restarts what was killed; the dependencies are started again by the tool, as an operator
or a service manager would. Nothing of MentorLink is restarted by hand.

Afterwards the checker reads the database, the mail spool and the history and asserts:
  - every acknowledged booking exists exactly once (its idempotency key names one row), every acknowledged cancel
    left its booking cancelled, and no two active bookings of a mentor (or of a mentee) overlap;
  - `mentorlink ledger check` passes; every acknowledged top-up and chat message is in the database, each chat
    message once;
  - every committed outbox event was published and handled by both consumers, every notification has its email
    (one file per event and user), and nothing was dead-lettered;
  - no call answered -32603 or an HTTP 5xx other than nginx's 502 for calls caught on the killed worker, no call took
    longer than --fail-fast seconds (during an outage calls fail with `unavailable`, retryable, rather than hang),
    `/readyz` named the dependency that was down, and the stack served again within --recovery seconds of each
    dependency's return.

    chaos.py --run-dir DIR --port PORT --binary PATH [--outage 20] [--clients 6] [--seed 1] [--report FILE]

Exit status 1 when a check failed; the report (counts, recovery times) is printed and, with --report, written as
Markdown.
"""
import argparse
import datetime
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "attack.d"))
from rpc_attack import UnixHTTPConnection, WebSocket  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WRITES = {"booking.hold", "booking.create", "booking.cancel", "payments.createTopUp", "rooms.send"}
PRICE = 10


class Stack:
    """The running stack: nginx on PORT, sockets, PostgreSQL and the logs in RUN_DIR."""

    def __init__(self, run_dir, port, binary):
        self.run_dir, self.port, self.binary = run_dir, port, binary
        self.origin = f"http://127.0.0.1:{port}"

    def post(self, body, token=None, timeout=15, unix=None, address=None):
        headers = {"Content-Type": "application/json", "Origin": self.origin}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if unix:
            connection = UnixHTTPConnection(unix)
            headers["X-Real-IP"] = address or "10.9.9.9"
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("POST", "/rpc", body=body, headers=headers)
            reply = connection.getresponse()
            return reply.status, reply.read()
        finally:
            connection.close()

    def call(self, method, params=None, token=None, unix=None, address=None):
        request = {"jsonrpc": "2.0", "id": 1, "method": method}
        if params is not None:
            request["params"] = params
        status, data = self.post(json.dumps(request).encode(), token, unix=unix, address=address)
        return json.loads(data) if data else {"httpStatus": status}

    def get(self, path, timeout=3):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            reply = connection.getresponse()
            return reply.status, reply.read()
        finally:
            connection.close()

    def supervisor(self):
        """{process: (restarts, up)} from the supervisor's GET /metrics."""
        connection = UnixHTTPConnection(os.path.join(self.run_dir, "supervisor.sock"))
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
        restarts = dict(re.findall(r'^mentorlink_supervisor_restarts_total\{process="([^"]+)"\} (\d+)$', text, re.M))
        up = dict(re.findall(r'^mentorlink_supervisor_process_up\{process="([^"]+)"\} (\d+)$', text, re.M))
        return {name: (int(restarts[name]), up.get(name) == "1") for name in restarts}

    def sql(self, query):
        out = subprocess.run(["psql", "-h", os.path.join(self.run_dir, "pg"), "-U", "mentorlink", "-d", "mentorlink", "-AtX",
                              "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query], check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def fault(self, *action):
        subprocess.run([os.path.join(HERE, "fault.sh"), *action], check=True, env=dict(os.environ, ML_RUN=self.run_dir),
                       capture_output=True)


class History:
    """Every call the clients made, with what they saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ops = []

    def add(self, **op):
        with self.lock:
            self.ops.append(op)

    def of(self, method, kind=None):
        with self.lock:
            return [op for op in self.ops if op["method"] == method and (kind is None or op["kind"] == kind)]


def classify(method, status, data, elapsed):
    """(kind, code, reason, result) of one HTTP answer."""
    if status != 200:
        return "info", None, f"http_{status}", None
    try:
        body = json.loads(data)
    except ValueError:
        return "info", None, "not_json", None
    if "error" in body:
        error = body["error"]
        data = error.get("data") or {}
        reason = data.get("reason")
        if reason == "unavailable":
            reason = f"unavailable ({data.get('dependency')})"
            if method in WRITES:
                return "info", error.get("code"), reason, None
        return "fail", error.get("code"), reason, None
    return "ok", None, None, body.get("result")


class Client(threading.Thread):
    """One mentee's mixed load until `stop` is set."""

    def __init__(self, stack, history, mentee, mentors, chat_room, rnd, stop):
        super().__init__(daemon=True)
        self.stack, self.history, self.mentee, self.mentors = stack, history, mentee, mentors
        self.chat_room, self.rnd, self.stop = chat_room, rnd, stop
        self.bookings, self.holds = [], []
        # Booking writes are limited to 30/min per user and payments to 20/min: the clients keep under both, so
        # refusals in the history are the faults' and the product's, not the limiter's.
        self.paced = {"booking": (2.2, 0.0), "payments": (3.5, 0.0)}

    def call(self, method, params):
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
        started = time.monotonic()
        try:
            status, data = self.stack.post(body, self.mentee["token"])
        except (OSError, http.client.HTTPException) as error:
            status, data = 0, repr(error).encode()
        elapsed = time.monotonic() - started
        kind, code, reason, result = classify(method, status, data, elapsed)
        self.history.add(client=self.mentee["id"], method=method, params=params, t0=started, t1=started + elapsed,
                         kind=kind, code=code, reason=reason, result=result, http=status)
        return kind, result

    def slot(self):
        day = datetime.date.today() + datetime.timedelta(days=self.rnd.randint(2, 8))
        start = datetime.datetime(day.year, day.month, day.day, self.rnd.randrange(24), self.rnd.choice((0, 30)))
        return self.rnd.choice(self.mentors)["id"], start.strftime("%Y-%m-%dT%H:%M:00Z")

    def run(self):
        ops = ["search"] * 4 + ["slots"] * 2 + ["hold"] * 3 + ["book"] * 4 + ["cancel"] * 2 + ["pay"] + ["chat"] * 2 + ["list"]
        while not self.stop.is_set():
            op = self.rnd.choice(ops)
            limit = {"hold": "booking", "book": "booking", "cancel": "booking", "pay": "payments"}.get(op)
            if limit:
                interval, next_at = self.paced[limit]
                if time.monotonic() < next_at:
                    op = "search"
                else:
                    self.paced[limit] = (interval, time.monotonic() + interval)
            if op == "search":
                self.call("mentors.search", {"skills": ["Chaos"], "limit": 10})
            elif op == "slots":
                mentor, start = self.slot()
                self.call("availability.slots", {"mentorId": mentor, "from": start, "to": start.replace("T", "T")[:11] + "23:59:00Z", "minutes": 30})
            elif op == "hold":
                mentor, start = self.slot()
                kind, result = self.call("booking.hold", {"mentorId": mentor, "start": start, "minutes": 30})
                if kind == "ok":
                    self.holds.append((result["holdId"], mentor, start))
            elif op == "book":
                if self.holds and self.rnd.random() < 0.5:
                    hold, mentor, start = self.holds.pop()
                    params = {"mentorId": mentor, "start": start, "minutes": 30, "holdId": hold}
                else:
                    mentor, start = self.slot()
                    params = {"mentorId": mentor, "start": start, "minutes": 30}
                params["idempotencyKey"] = uuid.uuid4().hex
                kind, result = self.call("booking.create", params)
                if kind == "ok":
                    self.bookings.append(result["booking"]["id"])
            elif op == "cancel" and self.bookings:
                self.call("booking.cancel", {"bookingId": self.bookings.pop(self.rnd.randrange(len(self.bookings)))})
            elif op == "pay":
                self.call("payments.createTopUp", {"credits": 50, "provider": "stripe", "idempotencyKey": uuid.uuid4().hex})
            elif op == "chat" and self.chat_room:
                self.call("rooms.send", {"roomId": self.chat_room, "text": f"chaos {uuid.uuid4().hex}"})
            elif op == "list":
                self.call("booking.list", {"limit": 20})
            time.sleep(self.rnd.uniform(0.01, 0.08))


class Subscriber(threading.Thread):
    """A WebSocket subscribed to a mentee's notifications, reconnecting when dropped; counts what it is pushed."""

    def __init__(self, stack, mentee, stop):
        super().__init__(daemon=True)
        self.stack, self.mentee, self.stop = stack, mentee, stop
        self.pushed, self.connects, self.drops = 0, 0, 0

    def run(self):
        while not self.stop.is_set():
            socket_ = None
            try:
                socket_ = WebSocket(self.stack.port, self.stack.origin, self.mentee["token"])
                if socket_.status != 101:
                    raise ConnectionError(f"handshake {socket_.status}")
                socket_.sock.settimeout(2)
                socket_.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "notifications.subscribe", "params": {}}))
                self.connects += 1
                while not self.stop.is_set():
                    try:
                        message = socket_.receive()
                    except socket.timeout:
                        continue
                    if isinstance(message, tuple):
                        raise ConnectionError(f"closed {message[1]}")
                    if b'"method"' in message:
                        self.pushed += 1
            except (OSError, ConnectionError, ValueError):
                self.drops += 1
                time.sleep(0.5)
            finally:
                if socket_:
                    socket_.close()


class Monitor(threading.Thread):
    """Polls /readyz through nginx every half second and keeps what it said."""

    def __init__(self, stack, stop):
        super().__init__(daemon=True)
        self.stack, self.stop, self.readings = stack, stop, []

    def run(self):
        while not self.stop.is_set():
            at = time.monotonic()
            try:
                status, data = self.stack.get("/readyz")
                checks = json.loads(data).get("checks", {}) if status in (200, 503) else {}
            except (OSError, ValueError, http.client.HTTPException):
                status, checks = 0, {}
            self.readings.append((at, status, checks))
            time.sleep(0.5)


def setup(stack, binary, clients, rnd):
    """An admin, three mentors (and one for chat, whose availability starts two minutes from now) and the mentees,
    made with the CLI and signed in on a worker socket; mentees get credits; each mentee books the chat mentor's
    first session so that its room is open."""
    env = dict(os.environ, MENTORLINK_RUN_DIR=stack.run_dir)
    worker = os.path.join(stack.run_dir, "worker-0.sock")

    def user(role, index):
        email = f"chaos-{role}-{index}-{uuid.uuid4().hex[:6]}@example.com"
        password = "chaos pass phrase " + uuid.uuid4().hex[:6]
        subprocess.run([binary, "user", "create", "--role", role, "--email", email, "--name", f"Chaos {role} {index}", "--password-stdin"],
                       input=password.encode(), env=env, check=True, capture_output=True)
        login = stack.call("identity.login", {"email": email, "password": password}, unix=worker, address=f"10.77.{index}.{rnd.randrange(1, 250)}")
        return {"id": login["result"]["user"]["id"], "token": login["result"]["accessToken"], "email": email}

    admin = user("admin", 0)
    mentors = [user("mentor", i) for i in range(1, 4)]
    everyday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for mentor in mentors:
        ok(stack.call("mentors.updateProfile", profile(30), mentor["token"]), "mentors.updateProfile")
        ok(stack.call("availability.set", {"timeZone": "UTC", "weekly": [{"day": d, "start": "00:00", "end": "24:00"} for d in everyday]},
                      mentor["token"]), "availability.set")
    chat_mentor = user("mentor", 9)
    # The chat mentor lives six hours east or west of UTC, whichever puts their clock between 06:00 and 18:00, and is
    # available from two minutes from now: the first session's room is open (from ten minutes before its start).
    now = datetime.datetime.now(datetime.timezone.utc)
    shift = 6 if now.hour < 12 else -6
    zone = f"Etc/GMT{'-' if shift > 0 else '+'}{abs(shift)}"  # POSIX-style names: Etc/GMT-6 is UTC+6
    local = now + datetime.timedelta(hours=shift)
    opens = (local + datetime.timedelta(minutes=2)).replace(second=0, microsecond=0)
    ok(stack.call("mentors.updateProfile", {**profile(30), "timeZone": zone}, chat_mentor["token"]), "mentors.updateProfile")
    ok(stack.call("availability.set", {"timeZone": zone, "weekly": [{"day": everyday[opens.weekday()], "start": opens.strftime("%H:%M"), "end": "24:00"}]},
                  chat_mentor["token"]), "availability.set")
    chat_start = (opens - datetime.timedelta(hours=shift)).strftime("%Y-%m-%dT%H:%M:00Z")
    mentees = []
    for index in range(clients):
        mentee = user("mentee", 10 + index)
        while True:  # the admin's payments limit (20/min, a burst of 5) paces the grants
            reply = stack.call("admin.adjustCredits", {"userId": mentee["id"], "credits": 100000, "reason": "chaos load"}, admin["token"])
            if reply.get("error", {}).get("data", {}).get("reason") != "rate_limited":
                break
            time.sleep(reply["error"]["data"].get("retryAfter", 1))
        ok(reply, "admin.adjustCredits")
        mentee["room"] = None
        mentees.append(mentee)
    # The first mentee books the chat mentor's first session and chats in its room.
    reply = stack.call("booking.create", {"mentorId": chat_mentor["id"], "start": chat_start, "minutes": 30}, mentees[0]["token"])
    mentees[0]["room"] = ok(reply, "booking.create (chat room)")["booking"]["id"]
    # The recovery probe's own account: on a load client's, the probe's calls shared its per-caller rate limit and
    # a `rate_limited` answer read as "not serving" (a kafka recovery was once reported NOT RECOVERED that way).
    prober = user("mentee", 9)
    return admin, mentors, mentees, prober, sfu_group(stack, user)


def sfu_group(stack, user):
    """With Janus: a group session of six seats (beyond the mesh: on the SFU) starting in five minutes and lasting
    four hours (open however long the schedule runs), its mentor and one seat holder, who join its room during the Janus outage. Users of their own, outside the load's accounting."""
    if not os.path.exists(os.path.join(stack.run_dir, "janus", "endpoints.env")):
        return None
    mentor, mentee = user("mentor", 8), user("mentee", 8)
    start = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:00Z")
    group = ok(stack.call("sessions.createGroup", {"start": start, "minutes": 240, "capacity": 6, "title": "Chaos SFU", "topic": "Faults"},
                          mentor["token"]), "sessions.createGroup")["booking"]
    ok(stack.call("booking.join", {"groupSessionId": group["id"]}, mentee["token"]), "booking.join")
    return {"room": group["id"], "mentee": mentee}


def janus_url(run_dir):
    with open(os.path.join(run_dir, "janus", "endpoints.env")) as env:
        return dict(line.strip().split("=", 1) for line in env if "=" in line)["MENTORLINK_JANUS_URL"]


def room_join(stack, token, room):
    """rooms.join over a WebSocket through nginx: the result or the error."""
    socket_ = WebSocket(stack.port, stack.origin, token)
    try:
        socket_.sock.settimeout(15)
        socket_.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "rooms.join", "params": {"bookingId": room}}))
        while True:
            message = socket_.receive()
            if isinstance(message, tuple):
                return {"error": {"data": {"reason": f"closed {message[1]}"}}}
            reply = json.loads(message)
            if reply.get("id") == 1:
                return reply
    finally:
        socket_.close()


def janus_knows(url, token, room):
    """Whether Janus (its HTTP API, as the participant's token) has the room."""
    def post(path, body):
        request = urllib.request.Request(url + path, data=json.dumps({**body, "token": token, "transaction": uuid.uuid4().hex}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.load(answer)
    session = post("", {"janus": "create"})["data"]["id"]
    try:
        handle = post(f"/{session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"})["data"]["id"]
        answer = post(f"/{session}/{handle}", {"janus": "message", "body": {"request": "exists", "room": room}})
        return answer.get("plugindata", {}).get("data", {}).get("exists") is True
    finally:
        post(f"/{session}", {"janus": "destroy"})


def profile(minutes):
    return {"headline": "Chaos mentor", "bio": "Under fault injection.", "skills": ["Chaos"], "topics": ["Faults"], "tags": [],
            "yearsExperience": 5, "languages": ["en"], "timeZone": "UTC",
            "sessionTypes": [{"kind": "one_on_one", "minutes": minutes, "priceCredits": PRICE}]}


def ok(reply, what):
    if "result" not in reply:
        raise RuntimeError(f"setup: {what} failed: {reply}")
    return reply["result"]


class Run:
    """The fault schedule, the probes and the report."""

    def __init__(self, stack, history, monitor, mentee, args, sfu=None):
        self.stack, self.history, self.monitor, self.mentee, self.args, self.sfu = stack, history, monitor, mentee, args, sfu
        self.faults = []      # (name, dependency, t_fault, t_repair, t_recovered)
        self.failures = []

    def probe(self):
        """Whether the stack serves: /readyz is 200 and a read and a write answer."""
        try:
            status, _ = self.stack.get("/readyz")
            if status != 200:
                return False
            for method, params in (("mentors.search", {"skills": ["Chaos"], "limit": 1}), ("booking.list", {"limit": 1}),
                                   ("notifications.list", {"limit": 1})):
                if "result" not in self.stack.call(method, params, self.mentee["token"]):
                    return False
            return True
        except (OSError, ValueError, http.client.HTTPException):
            return False

    def until_recovered(self, since):
        deadline = since + self.args.recovery
        while time.monotonic() < deadline:
            if self.probe():
                return time.monotonic()
            time.sleep(0.5)  # three calls a probe: within the prober's own 600/min, burst 100
        return None

    def supervised_up(self, name, restarts_before):
        deadline = time.monotonic() + self.args.recovery
        while time.monotonic() < deadline:
            try:
                restarts, up = self.stack.supervisor()[name]
                if up and restarts > restarts_before:
                    return time.monotonic()
            except (OSError, KeyError):
                pass
            time.sleep(0.1)
        return None

    def outage(self, name, dependency, stop, start, during=None, after=None):
        """`stop` for the outage's length, then `start`; `during` runs 2 s into the outage, `after` once the stack
        serves again (each appends its own failures)."""
        print(f"chaos: {name}: down for {self.args.outage} s", flush=True)
        t_fault = time.monotonic()
        self.stack.fault(*stop)
        if during:
            time.sleep(2)
            during()
        time.sleep(max(0, t_fault + self.args.outage - time.monotonic()))
        t_repair = time.monotonic()
        self.stack.fault(*start)
        t_recovered = self.until_recovered(t_repair)
        if after and t_recovered is not None:
            after()
        self.faults.append((name, dependency, t_fault, t_repair, t_recovered))
        if t_recovered is None:
            self.failures.append(f"{name}: the stack did not serve again within {self.args.recovery} s of {dependency}'s return")
        down = [r for r in self.monitor.readings if t_fault + 2 <= r[0] <= t_repair and r[1] == 503 and r[2].get(dependency) == "down"]
        if not down:
            self.failures.append(f"{name}: /readyz never said {dependency} was down during the outage")

    def janus_restart(self):
        """Janus stopped mid-session and started again (it comes back with no rooms): joining the SFU room answers
        `unavailable` (retryable) while it is down, and afterwards the backend recreates the room, which the
        participant's new token opens on the new Janus."""
        room, token = self.sfu["room"], self.sfu["mentee"]["token"]
        before = room_join(self.stack, token, room).get("result") or {}
        if before.get("topology") != "sfu":
            self.failures.append(f"janus: the SFU room did not join before the outage: {before}")
            return

        def during():
            reply = room_join(self.stack, token, room)
            if reply.get("error", {}).get("data", {}).get("reason") != "unavailable":
                self.failures.append(f"janus down: rooms.join answered {reply}, not unavailable")

        def after():
            joined = room_join(self.stack, token, room).get("result") or {}
            sfu = joined.get("sfu") or {}
            if joined.get("topology") != "sfu" or not sfu.get("token"):
                self.failures.append(f"janus back: rooms.join answered {joined}")
            elif not janus_knows(janus_url(self.stack.run_dir), sfu["token"], sfu["room"]):
                self.failures.append("janus back: the room was not recreated on the new Janus")

        self.outage("janus restarted", "janus", ("janus-stop",), ("janus-start", str(self.stack.port)), during, after)

    def kill(self, name, action):
        print(f"chaos: {name}: SIGKILL", flush=True)
        before = self.stack.supervisor()[name][0]
        t_fault = time.monotonic()
        self.stack.fault(*action)
        t_recovered = self.supervised_up(name, before)
        if name.startswith("worker") and t_recovered is not None:
            t_recovered = self.until_recovered(t_recovered) or None
        self.faults.append((name, None, t_fault, t_fault, t_recovered))
        if t_recovered is None:
            self.failures.append(f"{name}: not serving again within {self.args.recovery} s of the kill")

    def schedule(self):
        quiet = self.args.quiet
        time.sleep(quiet)
        self.kill("worker-0", ("kill-worker", "0"))
        time.sleep(quiet)
        self.outage("redis stopped", "redis", ("redis-stop",), ("redis-start",))
        time.sleep(quiet)
        self.outage("postgres stopped", "postgres", ("postgres-stop",), ("postgres-start",))
        time.sleep(quiet)
        self.outage("kafka broker down", "kafka", ("kafka-down",), ("kafka-up",))
        time.sleep(quiet)
        if self.sfu:
            self.janus_restart()
            time.sleep(quiet)
        for name in ("relay", "consume-notifications", "consume-email"):
            self.kill(name, ("kill", name))
            time.sleep(quiet)


def retry_unknown_bookings(stack, history, mentees):
    """Sends every booking.create whose outcome the client never learned once more, with the same idempotency key and
    params, as a client that retries would: [(params, kind, booking id or reason)]."""
    tokens = {m["id"]: m["token"] for m in mentees}
    retried = []
    for op in [op for op in history.ops if op["method"] == "booking.create" and op["kind"] == "info"]:
        reply = stack.call("booking.create", op["params"], tokens[op["client"]])
        if "result" in reply:
            retried.append((op["params"], "ok", reply["result"]["booking"]["id"].lower()))
        else:
            retried.append((op["params"], "fail", ((reply.get("error") or {}).get("data") or {}).get("reason")))
    return retried


def check(stack, history, run, subscribers, args, started_at, retried=()):
    failures = run.failures
    # A call may answer unavailable a little after the repair (a pool reconnecting, the monitor's next probe).
    kill_windows = [(f[2], (f[4] or f[2]) + 3) for f in run.faults if f[0].startswith("worker")]
    outage_windows = [(f[2], (f[4] or f[3]) + 3) for f in run.faults if f[1]]
    ops = list(history.ops)

    def during(op, windows):  # the call's time overlaps a window (it may have started just before the fault)
        return any(op["t0"] <= b and op["t1"] >= a for a, b in windows)

    # Transport: no -32603, no 5xx but the killed worker's 502s, no hang.
    for op in ops:
        if op["code"] == -32603:
            failures.append(f"-32603 from {op['method']}: {op['params']}")
        if op["http"] >= 500 or op["http"] == 0:
            if not (during(op, kill_windows) and op["http"] in (0, 502)):
                failures.append(f"HTTP {op['http']} from {op['method']} outside a worker kill ({op['reason']})")
        if op["t1"] - op["t0"] > args.fail_fast:
            failures.append(f"{op['method']} took {op['t1'] - op['t0']:.1f} s (more than {args.fail_fast} s)")
        if (op["reason"] or "").startswith("unavailable") and not during(op, outage_windows + kill_windows):
            after = [f"{f[0]} +{op['t0'] - f[2]:.1f} s" for f in run.faults if f[2] <= op["t0"]][-1:]
            failures.append(f"{op['method']} said {op['reason']} outside every outage ({', '.join(after) or 'before the first fault'})")
    # Bookings: every acknowledged one exists exactly once; acknowledged cancels stuck; no overlaps.
    created = [op for op in ops if op["method"] == "booking.create" and op["kind"] == "ok"]
    keys = {op["params"]["idempotencyKey"]: op["result"]["booking"]["id"].lower() for op in created}
    rows = {}
    if keys:
        quoted = ",".join(f"'{k}'" for k in keys)
        for key, booking_id, count in stack.sql(f"SELECT idempotency_key, min(id::text), count(*) FROM bookings WHERE idempotency_key IN ({quoted}) GROUP BY 1"):
            rows[key] = (booking_id, int(count))
    for key, booking_id in keys.items():
        if key not in rows:
            failures.append(f"acknowledged booking {booking_id} is not in the database")
        elif rows[key] != (booking_id, 1):
            failures.append(f"acknowledged booking {booking_id}: {rows[key][1]} rows for its key")
    # Unknown outcomes retried with their key: an ok names the one row of that key (the first attempt's, if it had
    # committed), a refusal leaves none; never two rows for a key.
    if retried:
        quoted = ",".join(f"'{params['idempotencyKey']}'" for params, _, _ in retried)
        by_key = {}
        for key, booking_id in stack.sql(f"SELECT idempotency_key, id::text FROM bookings WHERE idempotency_key IN ({quoted})"):
            by_key.setdefault(key, []).append(booking_id)
        for params, kind, value in retried:
            found = by_key.get(params["idempotencyKey"], [])
            if len(found) > 1:
                failures.append(f"retried booking: {len(found)} rows for one idempotency key")
            elif kind == "ok" and found != [value]:
                failures.append(f"retried booking answered {value} but the key has {found}")
            elif kind == "fail" and found:
                failures.append(f"retried booking refused ({value}) though its key has booking {found[0]}")
    cancelled = [op["params"]["bookingId"].lower() for op in ops if op["method"] == "booking.cancel" and op["kind"] == "ok"]
    if cancelled:
        quoted = ",".join(f"'{c}'" for c in cancelled)
        states = dict(stack.sql(f"SELECT id::text, status FROM bookings WHERE id IN ({quoted})"))
        for booking_id in cancelled:
            if states.get(booking_id) != "cancelled":
                failures.append(f"acknowledged cancel of {booking_id}, but it is {states.get(booking_id)}")
    for who in ("mentor_id", "mentee_id"):
        overlaps = stack.sql(f"""SELECT a.id, b.id FROM bookings a JOIN bookings b ON a.{who} = b.{who} AND a.id < b.id
            AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
            WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed')
              AND a.kind <> 'group_seat' AND b.kind <> 'group_seat'
              AND (a.status = 'confirmed' OR a.hold_expires_at > now()) AND (b.status = 'confirmed' OR b.hold_expires_at > now())""")
        for a, b in overlaps:
            failures.append(f"active bookings {a} and {b} overlap for one {who.split('_')[0]}")
    # Money: the ledger balances; acknowledged top-ups exist.
    ledger = subprocess.run([args.binary, "ledger", "check"], env=dict(os.environ, MENTORLINK_RUN_DIR=stack.run_dir), capture_output=True, text=True)
    if ledger.returncode != 0:
        failures.append(f"ledger check failed: {(ledger.stdout + ledger.stderr)[-400:]}")
    payments = [op["result"]["paymentId"] if "paymentId" in op["result"] else op["result"].get("payment", {}).get("id")
                for op in ops if op["method"] == "payments.createTopUp" and op["kind"] == "ok"]
    payments = [p.lower() for p in payments if p]
    if payments:
        found = {r[0] for r in stack.sql("SELECT id::text FROM payments WHERE id IN (%s)" % ",".join(f"'{p}'" for p in payments))}
        for payment in payments:
            if payment not in found:
                failures.append(f"acknowledged top-up {payment} is not in the database")
    # Chat: every acknowledged message once.
    sent = [op for op in ops if op["method"] == "rooms.send"]
    texts = {}
    for text, count in stack.sql("SELECT text, count(*) FROM room_messages WHERE text LIKE 'chaos %' GROUP BY 1"):
        texts[text] = int(count)
    if not any(op["kind"] == "ok" for op in sent):
        failures.append("no chat message was acknowledged: the chat load did not run")
    for op in sent:
        count = texts.get(op["params"]["text"], 0)
        if op["kind"] == "ok" and count != 1:
            failures.append(f"acknowledged chat message stored {count} times")
        if op["kind"] != "ok" and count > 1:
            failures.append(f"chat message stored {count} times")
    # Events: everything committed was published and handled by both consumers, with its emails; no dead letters.
    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline:
        pending = stack.sql("""SELECT
            (SELECT count(*) FROM outbox WHERE sent_at IS NULL),
            (SELECT count(*) FROM outbox o WHERE aggregate IN ('booking','review','payment','payout') AND NOT EXISTS
                (SELECT 1 FROM consumer_events c WHERE c.consumer = 'notifications' AND c.event_id = o.id)),
            (SELECT count(*) FROM outbox o WHERE aggregate IN ('booking','review','payment','payout') AND NOT EXISTS
                (SELECT 1 FROM consumer_events c WHERE c.consumer = 'email' AND c.event_id = o.id))""")[0]
        if pending == ["0", "0", "0"]:
            break
        time.sleep(1)
    else:
        failures.append(f"events not drained after {args.drain} s: unsent, not notified, not emailed = {pending}")
    notified = stack.sql("SELECT event_id, user_id FROM notifications WHERE created_at >= to_timestamp(%f)" % started_at)
    spool = os.path.join(stack.run_dir, "maildir")
    mails = set()
    for folder in ("new", "cur"):
        if os.path.isdir(os.path.join(spool, folder)):
            mails.update(os.listdir(os.path.join(spool, folder)))
    missing = [f"{e}.{u}" for e, u in notified if f"{e}.{u}.eml" not in mails]
    if missing:
        failures.append(f"{len(missing)} notifications without their email, e.g. {missing[:3]}")
    dead = stack.sql("SELECT count(*) FROM dead_letters")[0][0]
    if dead != "0":
        failures.append(f"{dead} messages dead-lettered")
    # Every supervised process is up at the end, and none restarted but those killed (once each): no outage of a
    # dependency took a process down.
    killed = {f[0] for f in run.faults if f[1] is None}
    for name, (restarts, up) in stack.supervisor().items():
        if not up:
            failures.append(f"{name} is not running at the end")
        if restarts != (1 if name in killed else 0):
            failures.append(f"{name} restarted {restarts} times (killed: {'once' if name in killed else 'never'})")
    counts = {}
    for op in ops:
        count = counts.setdefault(op["method"], {"ok": 0, "fail": 0, "info": 0, "reasons": {}})
        count[op["kind"]] += 1
        if op["reason"]:
            count["reasons"][op["reason"]] = count["reasons"].get(op["reason"], 0) + 1
    return {
        "ops": len(ops), "counts": counts, "retried": len(retried), "retried_ok": sum(1 for r in retried if r[1] == "ok"), "bookings": len(keys), "cancels": len(cancelled), "chat": sum(1 for op in sent if op["kind"] == "ok"),
        "notifications": len(notified), "emails": len(notified) - len(missing),
        "pushed": sum(s.pushed for s in subscribers), "ws_drops": sum(s.drops for s in subscribers),
        "unavailable": sum(1 for op in ops if (op["reason"] or "").startswith("unavailable")),
        "slowest": max((op["t1"] - op["t0"] for op in ops), default=0),
    }


def report(run, summary, failures, args, elapsed):
    lines = [f"Faults in turn under a mixed load of {args.clients} clients for {elapsed:.0f} s "
             f"(`scripts/chaos --outage {args.outage} --clients {args.clients} --seed {args.seed}`):", "",
             "| fault | served again after the repair |", "|---|---|"]
    for name, _, t_fault, t_repair, t_recovered in run.faults:
        lines.append(f"| {name} | {'%.1f s' % (t_recovered - t_repair) if t_recovered else 'NOT RECOVERED'} |")
    lines += ["", f"{summary['ops']} calls checked ({summary['bookings']} acknowledged bookings, {summary['cancels']} cancels, "
              f"{summary['chat']} chat messages; {summary['retried']} bookings of unknown outcome retried with their key, "
              f"{summary['retried_ok']} answered with their booking); {summary['unavailable']} answered `unavailable`; slowest call "
              f"{summary['slowest']:.2f} s; {summary['notifications']} notifications, {summary['emails']} with their email; "
              f"{summary['pushed']} pushed over WebSockets ({summary['ws_drops']} drops, each reconnected).", "",
              "| method | ok | refused | unknown | reasons |", "|---|---|---|---|---|"]
    for method, count in sorted(summary["counts"].items()):
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(count["reasons"].items(), key=lambda x: -x[1]))
        lines.append(f"| `{method}` | {count['ok']} | {count['fail']} | {count['info']} | {reasons} |")
    lines += ["", f"Checks failed: {len(failures)}."]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--outage", type=float, default=20, help="seconds each dependency stays down")
    parser.add_argument("--quiet", type=float, default=4, help="seconds of plain load between faults")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fail-fast", type=float, default=11, help="no call may take longer (seconds; the call deadline is 10 s)")
    parser.add_argument("--recovery", type=float, default=20, help="the stack must serve again this soon after a repair")
    parser.add_argument("--drain", type=float, default=60, help="seconds the events get to drain at the end")
    parser.add_argument("--report", help="write the Markdown report here")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    stack = Stack(args.run_dir, args.port, args.binary)
    started_at = time.time()
    _, mentors, mentees, prober, sfu = setup(stack, args.binary, args.clients, rnd)
    history, stop = History(), threading.Event()
    monitor = Monitor(stack, stop)
    clients = [Client(stack, history, m, mentors, m["room"], random.Random(rnd.random()), stop) for m in mentees]
    subscribers = [Subscriber(stack, m, stop) for m in mentees]
    for thread in [monitor, *clients, *subscribers]:
        thread.start()
    run = Run(stack, history, monitor, prober, args, sfu)
    began = time.monotonic()
    try:
        run.schedule()
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=30)
    elapsed = time.monotonic() - began
    retried = retry_unknown_bookings(stack, history, mentees)
    summary = check(stack, history, run, subscribers, args, started_at, retried)
    text = report(run, summary, run.failures, args, elapsed)
    print(text)
    shown = {}
    for failure in run.failures:
        shape = re.sub(r"[0-9a-fA-F-]{36}|\d+(\.\d+)?", "#", failure)
        shown[shape] = shown.get(shape, 0) + 1
        if shown[shape] <= 3:
            print("FAIL " + failure)
    for shape, count in shown.items():
        if count > 3:
            print(f"FAIL ... and {count - 3} more like: {shape}")
    if args.report:
        with open(args.report, "w") as out:
            out.write(text + "\n")
    sys.exit(1 if run.failures else 0)


if __name__ == "__main__":
    main()
