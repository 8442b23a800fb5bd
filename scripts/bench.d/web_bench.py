#!/usr/bin/env python3
"""The web app's budgets, measured through nginx in Debian's chromium (Playwright), printed as a Markdown table.

    web_bench.py --url http://127.0.0.1:PORT --run-dir DIR [--loads 10] [--build-json web/dist/build.json]

- the initial route's JavaScript and CSS after gzip (the bundle esbuild wrote, as nginx serves it);
- cold loads (a new browser context each, so no cache) of the search page and of a mentor's profile: the navigation's
  `domInteractive`, and "interactive" = until the page's own content is usable (the search results' first article;
  the profile's "Available times" region live), median and worst of N;
- the anchor, measured the same way in the same run: a cold load of a static file (`/favicon.svg`) through the same
  nginx, the floor any page load sits on;
- a live slot change: another client books through the API, and the profile page's slot is gone from the DOM
  (a MutationObserver stamps it; both clocks are this machine's), median and worst of 5;
- a two-person room: mentor and mentee join from My sessions in two browser contexts, and once both decode video
  the CPU time of chromium's processes over `--room-seconds` (CDP `SystemInfo.getProcessInfo`): per renderer (one
  per page: WebRTC encode/decode, the app), the GPU process and the browser process, as % of one core.

Every page load is checked: a page whose content never appears fails the run (a fast error page is worthless).
"""
import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Browser"))
from harness import DESKTOP, Browsers, Stack, random_word, seed_open_session, slot_change_samples, frames_decoded, wait_for_decoding  # noqa: E402  (from Tests/Browser)
from test_room import join  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

NAVIGATION = "() => { const n = performance.getEntriesByType('navigation')[0]; return n ? n.domInteractive : null }"



def cold_load(browsers: Browsers, url: str, ready) -> tuple[float, float]:
    """One load in a fresh context: (domInteractive ms, ms until `ready(page)` returned)."""
    context = browsers.context(DESKTOP)
    try:
        page = browsers.page(context)
        started = time.perf_counter()
        page.goto(url)
        ready(page)
        interactive = (time.perf_counter() - started) * 1000
        dom = page.evaluate(NAVIGATION)
        return float(dom or 0), interactive
    finally:
        context.close()


def process_cpu(browsers: Browsers) -> dict[tuple[str, int], float]:
    """CPU seconds so far of each chromium process, by (type, pid)."""
    session = browsers.browser.new_browser_cdp_session()
    try:
        info = session.send("SystemInfo.getProcessInfo")
    finally:
        session.detach()
    return {(p["type"], p["id"]): p["cpuTime"] for p in info["processInfo"]}


def room_cpu(stack: Stack, browsers: Browsers, seconds: int) -> list[tuple[str, float]]:
    """Mentor and mentee in a room with video both ways; % of one core per process kind over `seconds`."""
    seeded = seed_open_session(stack, "Bench Roomer", "Bench Roomee")
    pages = []
    for email in (seeded.mentor_email, seeded.mentee_email):
        page = browsers.page(browsers.context(DESKTOP))
        join(page, stack, email)
        pages.append(page)
    for page in pages:
        wait_for_decoding(page, least=1, timeout=30)
    decoded = [sum(frames_decoded(page).values()) for page in pages]
    before, started = process_cpu(browsers), time.monotonic()
    time.sleep(seconds)
    after, elapsed = process_cpu(browsers), time.monotonic() - started
    for page, earlier in zip(pages, decoded):  # still decoding at the end: the measured minute was a working call
        now = sum(frames_decoded(page).values())
        assert now > earlier, f"a room page stopped decoding during the measurement ({earlier} → {now} frames)"
    used: dict[str, list[float]] = {}
    for key, cpu in after.items():
        used.setdefault(key[0], []).append(100 * (cpu - before.get(key, 0.0)) / elapsed)
    renderers = sorted(used.get("renderer", []), reverse=True)[:2]
    rows = [(f"renderer of page {i + 1} (a room page)", v) for i, v in enumerate(renderers)]
    rows += [(f"{kind} process", sum(values)) for kind, values in sorted(used.items()) if kind != "renderer"]
    for page in pages:
        page.context.close()
    return rows


def summary(samples: list[float]) -> str:
    return f"{statistics.median(samples):.0f} | {max(samples):.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--room-seconds", type=int, default=60)
    parser.add_argument("--build-json", default=os.path.join(ROOT, "web", "dist", "build.json"))
    args = parser.parse_args()
    stack = Stack(args.url, args.run_dir, os.path.join(ROOT, "Tests", "Browser", "artifacts", "bench"))
    build = json.load(open(args.build_json))["initial"]
    skill = "bench" + random_word(6)
    mentor_id, _ = stack.seed_mentor_account(f"Bench {random_word(5).capitalize()}", [skill])
    _, mentee = stack.account("mentee", "Bench Booker")
    browsers = Browsers()
    rows = []
    try:
        def search_ready(page):
            expect(page.get_by_role("article").first).to_be_visible()

        def profile_ready(page):
            expect(page.get_by_role("region", name="Available times")).to_have_attribute("data-live", "true")
            expect(page.get_by_role("region", name="Available times").get_by_role("button").first).to_be_visible()

        def static_ready(page):
            pass

        for label, url, ready in [
            ("anchor: static file through nginx", f"{stack.url}/favicon.svg", static_ready),
            ("search page (`/mentors?q=…`)", f"{stack.url}/mentors?q={skill}", search_ready),
            ("mentor profile (`/mentors/<id>`)", f"{stack.url}/mentors/{mentor_id}", profile_ready),
        ]:
            cold_load(browsers, url, ready)  # warm nginx and the workers, not measured
            samples = [cold_load(browsers, url, ready) for _ in range(args.loads)]
            dom = [s[0] for s in samples]
            interactive = [s[1] for s in samples]
            rows.append((label, summary(dom), summary(interactive)))
            if label.startswith("anchor"):
                browsers.take_problems()  # a bare file's page asks for /favicon.ico, which nginx answers 404
            print(f"{label}: domInteractive {summary(dom)}, interactive {summary(interactive)}", file=sys.stderr)

        context = browsers.context(DESKTOP)
        page = browsers.page(context)
        page.goto(f"{stack.url}/mentors/{mentor_id}")
        changes = slot_change_samples(stack, page, mentor_id, mentee)
        context.close()
        stack.allow_sign_ups()
        room = room_cpu(stack, browsers, args.room_seconds)
        problems = browsers.take_problems()
        if problems:
            print("console errors: " + "; ".join(problems), file=sys.stderr)
            return 1
    finally:
        browsers.close()
    js, css = build["js"], build["css"]
    anchor = float(rows[0][2].split(" | ")[0])
    lines = [
        "| measure | median ms | worst ms | budget |",
        "|---|---:|---:|---|",
    ]
    for label, dom, interactive in rows:
        budget = "" if label.startswith("anchor") else "< 1000"
        lines.append(f"| {label}: until interactive | {interactive} | {budget} |")
        lines.append(f"| {label}: `domInteractive` | {dom} | |")
    lines.append(f"| a slot booked elsewhere gone from the profile page (from the booking's answer) | {summary(changes)} | ≤ 300 |")
    page_medians = [float(r[2].split(" | ")[0]) for r in rows[1:]]
    ratio = ", ".join(f"{m / anchor:.1f}×" for m in page_medians) if anchor > 0 else "n/a"
    print("\n".join(lines))
    print()
    print()
    print(f"Two-person room (fake camera 640x480, mesh, both pages decoding), CPU over {args.room_seconds} s, % of one core:")
    print()
    print("| process | CPU % |")
    print("|---|---:|")
    for label, value in room:
        print(f"| {label} | {value:.1f} |")
    print()
    print(f"Initial route: JavaScript {js['gzipBytes'] / 1024:.1f} KiB gzip ({js['bytes'] / 1024:.1f} KiB raw; budget ≤ 150 KB gzip), "
          f"CSS {css['gzipBytes'] / 1024:.1f} KiB gzip. Search and profile until interactive: {ratio} the anchor's median.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
