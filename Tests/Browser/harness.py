"""What the browser tests share: RPC calls to the stack (to seed data), Debian's chromium under Playwright, screenshots.

Every test gets a `Stack` (base URL, RPC helper) and a `Browser`; pages fail their test on any console error or
uncaught exception (a Content-Security-Policy violation is a console error), so a blocked script, style or socket
shows up as a failure, not as a silently broken page.
"""
import http.client
import json
import os
import random
import socket
import subprocess
import time
import urllib.request

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = os.environ.get("MENTORLINK_CHROMIUM", "/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery staple"


class RPCFailure(Exception):
    """An RPC answered with an error."""


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP on a worker's Unix socket (where X-Real-IP is trusted: nginx sets it)."""

    def __init__(self, path: str):
        super().__init__("worker", timeout=20)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(20)
        self.sock.connect(self.path)


class Stack:
    """The stack under test: the browser goes through nginx (`url`); seeding goes to a worker socket of `run_dir`."""

    def __init__(self, url: str, run_dir: str, artifacts: str):
        self.url = url.rstrip("/")
        self.run_dir = run_dir
        self.artifacts = artifacts
        os.makedirs(artifacts, exist_ok=True)

    def rpc(self, method: str, params: dict | None = None, token: str | None = None):
        """A call through nginx, as the browser's would be."""
        headers = {"Content-Type": "application/json", "Origin": self.url}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}).encode()
        request = urllib.request.Request(self.url + "/rpc", data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=20) as answer:
            return self._result(method, json.load(answer))

    def seed_rpc(self, method: str, params: dict | None = None, token: str | None = None):
        """A call on worker-0's socket from an address of its own (10.x), so seeding does not spend the per-address
        registration and login limits that the browser's own sign-ups from 127.0.0.1 need."""
        headers = {"Content-Type": "application/json", "X-Real-IP": f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection = UnixHTTPConnection(os.path.join(self.run_dir, "worker-0.sock"))
        try:
            connection.request("POST", "/rpc", json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}), headers)
            return self._result(method, json.loads(connection.getresponse().read()))
        finally:
            connection.close()

    @staticmethod
    def _result(method, envelope):
        if "error" in envelope:
            raise RPCFailure(f"{method}: {envelope['error']}")
        return envelope["result"]

    def allow_sign_ups(self) -> None:
        """Empties 127.0.0.1's registration bucket (5 per hour per address) and its sign-in bucket (10 a minute):
        every browser here is 127.0.0.1, and the suite signs up and in more often than that, as EdgeHardeningTests
        does."""
        subprocess.run(["redis-cli", "-s", os.path.join(self.run_dir, "redis.sock"), "DEL", "rl:registration:ip:127.0.0.1",
                        "rl:login.ip:ip:127.0.0.1"], check=True, stdout=subprocess.DEVNULL)

    def account(self, role: str, name: str) -> tuple[str, str]:
        """Registers an account and signs it in with a bearer token (on a worker socket); returns (email, token)."""
        email = f"{role}-{random_word(10)}@example.com"
        self.seed_rpc("identity.register", {"email": email, "password": PASSWORD, "name": name, "role": role})
        token = self.seed_rpc("identity.login", {"email": email, "password": PASSWORD})["accessToken"]
        return email, token

    def seed_mentor(self, name: str, skills: list[str], price: int = 0, questions: list[dict] | None = None) -> str:
        """A mentor with a profile, a 30-minute 1:1 session at `price` credits, availability every day (UTC) and, when
        given, an agenda template; returns the mentor's id."""
        return self.seed_mentor_account(name, skills, price, questions)[0]

    def seed_mentor_account(self, name: str, skills: list[str], price: int = 0,
                            questions: list[dict] | None = None) -> tuple[str, str]:
        """As `seed_mentor`, returning (mentor id, the mentor's bearer token)."""
        _, token = self.account("mentor", name)
        profile = self.seed_rpc("mentors.updateProfile", {
            "headline": "Helps you ship", "bio": "Twenty years of building and teaching.", "skills": skills,
            "topics": ["career"], "tags": ["friendly"], "yearsExperience": 12, "languages": ["en"], "timeZone": "UTC",
            "sessionTypes": [{"kind": "one_on_one", "minutes": 30, "priceCredits": price}]}, token)
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        self.seed_rpc("availability.set", {"timeZone": "UTC", "weekly": [{"day": d, "start": "00:00", "end": "23:30"} for d in days]}, token)
        if questions:
            self.seed_rpc("forms.setTemplate", {"questions": questions}, token)
        return profile["mentor"]["id"], token

    def shot(self, page: Page, name: str) -> None:
        page.screenshot(path=os.path.join(self.artifacts, f"{name}.png"), full_page=True)


def random_word(n: int) -> str:
    """Letters only (search treats digits as their own terms)."""
    return "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(n))


class Browsers:
    """Debian's chromium through Playwright (no browser download), with fake camera and microphone."""

    def __init__(self):
        self._playwright = sync_playwright().start()
        self.browser: Browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--no-sandbox"])
        self.problems: list[str] = []

    def context(self, viewport: dict, **options) -> BrowserContext:
        phone = viewport["width"] < 600
        return self.browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone,
                                        device_scale_factor=2 if phone else 1, **options)

    def page(self, context: BrowserContext) -> Page:
        """A page whose console errors and uncaught exceptions are collected as problems."""
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        return page

    def take_problems(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems

    def close(self) -> None:
        self.browser.close()
        self._playwright.stop()


def sign_up(stack: Stack, page: Page, name: str, role: str = "Mentee") -> str:
    """Signs up through the app's form (from the current page's "Sign up" link) and waits for the signed-in header;
    returns the email."""
    email = f"{role.lower()}-{random_word(10)}@example.com"
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("radio", name=role).check()
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("button", name="Sign out").wait_for()
    return email


def now_ms(page: Page) -> float:
    """The page's clock in epoch milliseconds with sub-millisecond precision (the same clock in every page here)."""
    return page.evaluate("performance.timeOrigin + performance.now()")


# Records, in the page, when a WebSocket frame containing every one of window.__answerMarks arrives after
# window.__armAnswer() (the time goes to window.__answerAt). Injected before the app's scripts (CDP, not subject to CSP).
ANSWER_PROBE = """
(() => {
  const Native = window.WebSocket;
  window.__answerAt = null;
  window.__answerMarks = [];
  window.__armAnswer = (marks) => { window.__answerMarks = marks; window.__answerAt = null; };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const marks = window.__answerMarks;
        if (window.__answerAt === null && marks.length && typeof event.data === 'string' && marks.every((m) => event.data.includes(m)))
          window.__answerAt = performance.timeOrigin + performance.now();
      });
    }
  };
})();
"""

# Resolves with the epoch time at which no element matches the selector any more (a MutationObserver, so the
# moment the DOM changed, not when a poll noticed it).
GONE_PROBE = """
(selector) => {
  window.__goneAt = null;
  const check = () => {
    if (window.__goneAt === null && !document.querySelector(selector)) {
      window.__goneAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  check();
}
"""


# Until every remote participant's video is decoding on the page (more than `least` frames each, and `n` of them when
# given): for `wait_until`, since it is async.
# A connection closing under getStats (a reconnect) is a "not yet", and a getStats that hangs gives up after 2 s.
ALL_DECODING = """async ([n, least]) => { const r = window.__mentorlinkRoom; if (!r) return false;
  try {
    const frames = Object.values(await Promise.race([r.framesDecoded(), new Promise((_, no) => setTimeout(() => no(new Error('slow')), 2000))]));
    return (n === null ? frames.length > 0 : frames.length === n) && frames.every((f) => f > least);
  } catch (error) { return false; } }"""


def frames_decoded(page: Page) -> dict[str, int]:
    """Video frames decoded so far per remote participant on the page's room (none when it has no room)."""
    return page.evaluate("async () => window.__mentorlinkRoom ? await window.__mentorlinkRoom.framesDecoded() : {}")


def wait_until(page: Page, predicate: str, arg=None, timeout: float = 10.0, interval: float = 0.2) -> None:
    """Evaluates `predicate` (a page function; an async one is awaited) every `interval` seconds until it returns a
    truthy value; AssertionError after `timeout` seconds. Playwright's `wait_for_function` takes the promise an async
    predicate returns as truthy and so passes at once: async predicates go through this instead."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout:.0f} s: {predicate[:120]} ({arg})")
        time.sleep(interval)


def wait_for_decoding(page: Page, n: int | None = None, least: int = 0, timeout: float = 20.0) -> None:
    """Until the page decodes video of `n` remote participants (any number when None), more than `least` frames each."""
    wait_until(page, ALL_DECODING, [n, least], timeout=timeout, interval=0.25)


def sign_in(page: Page, email: str) -> None:
    """Signs in through the app's form (from the current page's "Sign in" link) and waits for the signed-in header."""
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def signed_in_page(stack: "Stack", browsers: "Browsers", email: str, viewport: dict = DESKTOP, scripts: tuple = ()) -> Page:
    """A page in a browser context of its own (`scripts` injected before the app's), signed in as `email` through the
    form from the home page."""
    context = browsers.context(viewport)
    for script in scripts:
        context.add_init_script(script)
    page = browsers.page(context)
    page.goto(stack.url + "/")
    sign_in(page, email)
    return page


class SeededSession:
    """A mentor and a mentee (emails, tokens, ids) with a confirmed 1:1 booking whose room is open now (`booking_id`,
    starting a few minutes ahead) and one a day ahead (`later_id`)."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def seed_open_session(stack: Stack, mentor_name: str, mentee_name: str, lead_minutes: int = 3) -> SeededSession:
    """Seeds a session whose room is open (it opens 10 minutes before the start; the booking service's clock is real
    time): today's availability is overridden to start `lead_minutes` from now (slots start at a window's start), so the
    first slot is bookable and a few minutes ahead. Also books a slot a day ahead."""
    mentor_id, mentor_token = stack.seed_mentor_account(mentor_name, ["mentoring" + random_word(4)])
    mentor_email = stack.seed_rpc("identity.me", {}, mentor_token)["user"]["email"]
    mentee_email, mentee_token = stack.account("mentee", mentee_name)
    mentee_id = stack.seed_rpc("identity.me", {}, mentee_token)["user"]["id"]
    start = time.gmtime(time.time() + 60 * lead_minutes + 60)
    if start.tm_hour == 23 and start.tm_min > 20:  # the window must end the same day: wait for midnight
        time.sleep((60 - start.tm_min) * 60 + 5)
        start = time.gmtime(time.time() + 60 * lead_minutes + 60)
    begin = f"{start.tm_hour:02d}:{start.tm_min:02d}"
    end_minutes = min(start.tm_hour * 60 + start.tm_min + 90, 23 * 60 + 59)
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    stack.seed_rpc("availability.set", {
        "timeZone": "UTC", "weekly": [{"day": d, "start": "00:00", "end": "23:30"} for d in days],
        "overrides": [{"date": time.strftime("%Y-%m-%d", start), "start": begin, "end": f"{end_minutes // 60:02d}:{end_minutes % 60:02d}"}]},
        mentor_token)
    first = time.strftime(f"%Y-%m-%dT{begin}:00Z", start)
    booking = stack.seed_rpc("booking.create", {"mentorId": mentor_id, "start": first, "minutes": 30}, mentee_token)["booking"]
    later_start = time.strftime("%Y-%m-%dT10:00:00Z", time.gmtime(time.time() + 2 * 86400))
    later = stack.seed_rpc("booking.create", {"mentorId": mentor_id, "start": later_start, "minutes": 30}, mentee_token)["booking"]
    return SeededSession(mentor_id=mentor_id, mentor_token=mentor_token, mentor_email=mentor_email, mentor_name=mentor_name,
                         mentee_id=mentee_id, mentee_token=mentee_token, mentee_email=mentee_email, mentee_name=mentee_name,
                         booking_id=booking["id"], start=booking["start"], later_id=later["id"])


def slot_change_samples(stack: "Stack", page: Page, mentor_id: str, mentee_token: str, count: int = 5) -> list[float]:
    """On `page`, showing the mentor's profile, books `count` of its slots through the API (as another client would) and
    returns, for each, the milliseconds from the booking's answer to the slot's button leaving the DOM (stamped by
    GONE_PROBE; both clocks are this machine's), sorted. Negative when the push arrived before the answer."""
    times = page.get_by_role("region", name="Available times")
    expect(times).to_have_attribute("data-live", "true")
    samples = []
    for k in range(count):
        start = times.get_by_role("button").nth(4 + k).locator("time").get_attribute("datetime")
        selector = f'button:has(time[datetime="{start}"])'
        page.evaluate(GONE_PROBE, selector)
        stack.seed_rpc("booking.create", {"mentorId": mentor_id, "start": start, "minutes": 30}, mentee_token)
        answered = time.time() * 1000
        expect(page.locator(selector)).to_have_count(0)
        samples.append(page.evaluate("window.__goneAt") - answered)
    return sorted(samples)
