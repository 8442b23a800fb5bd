#!/usr/bin/env python3
"""Group rooms on the SFU against the same participants on the mesh (issue 16), through nginx in Debian's chromium.

    sfu_bench.py run --url URL --run-dir DIR --topology sfu|mesh [--publishers 2,4,8] [--seconds 20] > runs.json
    sfu_bench.py table sfu.json mesh.json idle.json     (a Markdown table on stdout)
    sfu_bench.py idle --run-dir DIR [--seconds 20] > idle.json

For each size N: a mentor and N-1 mentees (fresh accounts) sign in in their own browser contexts and open the group
session's room; every page publishes its fake camera (320x180, 15 fps, as in test_sfu_room) and microphone. Once every
page decodes every other participant's video, CPU is measured over `--seconds`: Janus's process and the backend's
(the supervisor and every process it runs: workers, relay, consumers), from /proc (utime + stime), and chromium's
processes from CDP (`SystemInfo.getProcessInfo`), divided by N for "per page". Afterwards every page must still be
decoding every feed, and each feed's decoded frame rate over the window is kept (the lowest is reported): a room
that stalled is a failed run, not a cheap one. Which topology a room gets is the server's choice (the bench script
starts the workers with MENTORLINK_SFU_ALL_GROUPS=1, then with MENTORLINK_MESH_CAP=8); every page's room is checked
to be on the asked one.

A forwarded stream is one publisher's feed (audio + video) sent to one subscriber: N·(N-1) in a room of N.
"""
import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Browser"))
from harness import Browsers, Stack, frames_decoded, signed_in_page, wait_for_decoding  # noqa: E402  (from Tests/Browser)
from playwright.sync_api import expect  # noqa: E402
from test_sfu_room import LOW_RES_MEDIA  # noqa: E402
from web_bench import process_cpu  # noqa: E402  (chromium's processes from CDP)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def proc_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def proc_pss_kib(pid: int) -> int:
    """Proportional set size: shared pages (the binary, its libraries) split among the processes mapping them, so the
    backend's processes add up to what they really hold."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


class Processes:
    """Janus and the backend (the supervisor and its children) of a run dir."""

    def __init__(self, run_dir: str):
        self.janus = int(open(os.path.join(run_dir, "janus", "janus.pid")).read().strip())
        self.serve = int(open(os.path.join(run_dir, "serve.pid")).read().strip())

    def backend(self) -> list[int]:
        return [self.serve] + children(self.serve)

    def sample(self) -> dict:
        backend = self.backend()
        return {"janus_cpu": proc_cpu_seconds(self.janus), "janus_rss": proc_rss_kib(self.janus),
                "backend_cpu": sum(proc_cpu_seconds(p) for p in backend), "backend_rss": sum(proc_pss_kib(p) for p in backend),
                "at": time.monotonic()}


def usage(before: dict, after: dict, browser_before: float, browser_after: float) -> dict:
    elapsed = after["at"] - before["at"]
    return {"seconds": elapsed,
            "janus_cpu_pct": 100 * (after["janus_cpu"] - before["janus_cpu"]) / elapsed, "janus_rss_kib": after["janus_rss"],
            "backend_cpu_pct": 100 * (after["backend_cpu"] - before["backend_cpu"]) / elapsed, "backend_rss_kib": after["backend_rss"],
            "browser_cpu_pct": 100 * (browser_after - browser_before) / elapsed}


def room_run(stack: Stack, browsers: Browsers, processes: Processes, topology: str, n: int, seconds: int) -> dict:
    """One room of `n` people on `topology`; raises when a page is not on it or a feed does not decode."""
    stack.allow_sign_ups()
    _, mentor_token = stack.seed_mentor_account(f"Bench Host {n}", ["facilitation"])
    mentor_email = stack.seed_rpc("identity.me", {}, mentor_token)["user"]["email"]
    # The group holds exactly the room's people: n - 1 seats and the mentor.
    start = time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(time.time() + 4 * 60))
    session = stack.seed_rpc("sessions.createGroup", {"start": start, "minutes": 30, "capacity": n - 1, "title": f"Bench room of {n}",
                                                      "topic": "bench"}, mentor_token)["booking"]
    people = [(mentor_email, session["id"])]
    for k in range(n - 1):
        email, token = stack.account("mentee", f"Bench Seat {k + 1}")
        seat = stack.seed_rpc("booking.join", {"groupSessionId": session["id"]}, token)["booking"]
        people.append((email, seat["id"]))
    pages = []
    try:
        for email, _ in people:
            pages.append(signed_in_page(stack, browsers, email, scripts=(LOW_RES_MEDIA,)))
        opened = time.monotonic()
        for page, (_, room_id) in zip(pages, people):
            page.goto(f"{stack.url}/sessions/{room_id}/room")
        for page in pages:
            expect(page.get_by_role("status").filter(has_text="In the room.")).to_be_visible(timeout=30_000)
            page.wait_for_function(f"() => window.__mentorlinkRoom && window.__mentorlinkRoom.topology() === '{topology}'", timeout=15_000)
        for k, page in enumerate(pages):
            try:
                wait_for_decoding(page, n - 1, timeout=120)
            except AssertionError:
                frames = frames_decoded(page)
                raise AssertionError(f"page {k} did not decode all {n - 1} other feeds within 120 s (frames per feed: "
                                     f"{sorted(frames.values())})") from None
        decoding_after = time.monotonic() - opened
        time.sleep(5)  # past the start: encoders settle, bandwidth estimation ramps up
        frames_before = [frames_decoded(page) for page in pages]
        before, browser_before = processes.sample(), sum(process_cpu(browsers).values())
        time.sleep(seconds)
        after, browser_after = processes.sample(), sum(process_cpu(browsers).values())
        frames_after = [frames_decoded(page) for page in pages]
        window = after["at"] - before["at"]
        rates = []
        for k, (b, a) in enumerate(zip(frames_before, frames_after)):
            if len(a) != n - 1:
                raise AssertionError(f"page {k} decodes {len(a)} feeds at the end, not {n - 1}")
            for feed, count in a.items():
                rate = (count - b.get(feed, 0)) / window
                if rate <= 0:
                    trace = pages[k].evaluate("window.__mentorlinkRoom.trace().slice(-12)")
                    raise AssertionError(f"page {k}: feed {feed} stopped decoding during the measurement ({b} → {a}); its trace: {trace}")
                rates.append(rate)
        result = usage(before, after, browser_before, browser_after)
        result.update({"topology": topology, "people": n, "streams": n * (n - 1), "decoding_after_s": decoding_after,
                       "min_fps": min(rates), "median_fps": sorted(rates)[len(rates) // 2]})
        problems = browsers.take_problems()
        if problems:
            raise AssertionError("console errors: " + "; ".join(problems[:5]))
        return result
    finally:
        for page in pages:
            page.context.close()


def run(args) -> int:
    stack = Stack(args.url, args.run_dir, os.path.join(ROOT, "Tests", "Browser", "artifacts", "bench"))
    processes = Processes(args.run_dir)
    browsers = Browsers()
    results = []
    try:
        for n in [int(x) for x in args.publishers.split(",")]:
            print(f"{args.topology}: a room of {n}", file=sys.stderr)
            try:
                results.append(room_run(stack, browsers, processes, args.topology, n, args.seconds))
            except Exception as error:  # reported in the table as a failed size, not hidden
                print(f"{args.topology} at {n}: {error}", file=sys.stderr)
                results.append({"topology": args.topology, "people": n, "failed": str(error).splitlines()[0][:200]})
            print(json.dumps(results[-1]), file=sys.stderr)
            time.sleep(5)  # the room empties; Janus tears down its peer connections
    finally:
        browsers.close()
    json.dump(results, sys.stdout)
    return 0


def idle(args) -> int:
    """The anchor: the same processes with nobody in a room, over the same window."""
    processes = Processes(args.run_dir)
    before = processes.sample()
    time.sleep(args.seconds)
    after = processes.sample()
    json.dump(usage(before, after, 0.0, 0.0), sys.stdout)
    return 0


def table(args) -> int:
    sfu, mesh, base = json.load(open(args.sfu)), json.load(open(args.mesh)), json.load(open(args.idle))
    by_size = {(r["topology"], r["people"]): r for r in sfu + mesh}
    sizes = sorted({r["people"] for r in sfu + mesh})
    print("| people (publishers) | forwarded streams | topology | Janus CPU % | Janus CPU % per stream | Janus RSS MiB (+ per stream KiB) "
          "| backend CPU % | backend PSS MiB | browser CPU % per page | decoded fps per feed, min / median | all feeds decoding after |")
    print("|---:|---:|---|---:|---:|---|---:|---:|---:|---|---:|")
    print(f"| idle (nobody in a room) | 0 | — | {base['janus_cpu_pct']:.1f} | — | {base['janus_rss_kib'] / 1024:.1f} | "
          f"{base['backend_cpu_pct']:.1f} | {base['backend_rss_kib'] / 1024:.0f} | — | — | — |")
    for n in sizes:
        for topology in ("sfu", "mesh"):
            r = by_size.get((topology, n))
            if r is None:
                continue
            if "failed" in r:
                print(f"| {n} | {n * (n - 1)} | {topology} | failed: {r['failed']} | | | | | | | |")
                continue
            per_page = r["browser_cpu_pct"] / n
            if topology == "sfu":
                janus = (f"{r['janus_cpu_pct']:.1f} | {r['janus_cpu_pct'] / r['streams']:.2f} | {r['janus_rss_kib'] / 1024:.1f} "
                         f"(+{(r['janus_rss_kib'] - base['janus_rss_kib']) / r['streams']:.0f})")
            else:
                janus = f"{r['janus_cpu_pct']:.1f} (not in the path) | — | {r['janus_rss_kib'] / 1024:.1f}"
            print(f"| {n} | {r['streams']} | {topology} | {janus} | {r['backend_cpu_pct']:.1f} | {r['backend_rss_kib'] / 1024:.0f} | "
                  f"{per_page:.0f} | {r['min_fps']:.1f} / {r['median_fps']:.1f} | {r['decoding_after_s']:.1f} s |")
    print()
    ratios = []
    for n in sizes:
        s, m = by_size.get(("sfu", n)), by_size.get(("mesh", n))
        if s and m and "failed" not in s and "failed" not in m:
            ratios.append(f"{n} people: SFU page {s['browser_cpu_pct'] / n:.0f} % against mesh page {m['browser_cpu_pct'] / n:.0f} % "
                          f"({(s['browser_cpu_pct'] / max(m['browser_cpu_pct'], 1e-9)):.2f}×)")
    if ratios:
        print("Browser CPU per page, SFU against mesh: " + "; ".join(ratios) + ".")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--url", required=True)
    r.add_argument("--run-dir", required=True)
    r.add_argument("--topology", choices=["sfu", "mesh"], required=True)
    r.add_argument("--publishers", default="2,4,8")
    r.add_argument("--seconds", type=int, default=20)
    i = sub.add_parser("idle")
    i.add_argument("--run-dir", required=True)
    i.add_argument("--seconds", type=int, default=20)
    t = sub.add_parser("table")
    t.add_argument("sfu")
    t.add_argument("mesh")
    t.add_argument("idle")
    args = parser.parse_args()
    return {"run": run, "idle": idle, "table": table}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
