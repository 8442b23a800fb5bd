#!/usr/bin/env python3
"""The goals of issue 17, in one place: each benchmark hands its results here and gets summary rows back (tab-separated:
path, goal, measured, anchor, verdict), which `scripts/bench all` collects into one table.

    summary.py rpc RESULTS.tsv RSS_KIB          system.ping through both nginx configs against node:http; worker RSS
    summary.py auth REFRESH.json                identity.refresh rotations per second
    summary.py booking FREE.json REPLAY.json    booking.create without conflicts, against its SQL replayed by pgbench
    summary.py payments PAID.json FREE.json HOOKS.json
    summary.py search KIND LOAD.json [REPLAY.json]  one kind of mentors.search query (and its page query in pgbench)
    summary.py fanout EVENTS_PER_S FANOUT.json  WebSocket fan-out to the subscribers
    summary.py table SUMMARY.tsv                the markdown table (and how many rows missed their goal)
"""
import json
import statistics
import sys


def row(path, goal, measured, anchor, ok):
    print("\t".join([path, goal, measured, anchor, "pass" if ok else "**miss**"]))


def rate(load):
    """Successful calls per second of a `mentorlink load` run (every answer counted, failures excluded)."""
    ok = load.get("outcomes", {}).get("ok")
    if ok is None:
        ok = load["requests"] - load.get("errors", 0)
    return ok / max(1e-9, load["seconds"])


def rpc(results, rss_kib):
    runs = {}
    for line in open(results):
        label, rps, _p50, p99, _checked = line.rstrip("\n").split("\t")
        runs.setdefault(label, []).append((float(rps or 0), float(p99)))
    median = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for k, v in runs.items()}
    node = next(v[0] for k, v in median.items() if k.startswith("bare node:http"))
    for prefix, path in (("MentorLink workers behind the project's nginx (", "system.ping, project's nginx, 64 connections"),
                         ("MentorLink workers behind the lean nginx", "system.ping, lean nginx, 64 connections")):
        rps, p99 = next(v for k, v in median.items() if k.startswith(prefix))
        row(path, "≥ 1.5× node:http, p99 < 5 ms", f"{rps:.0f}/s, p99 {p99:.1f} ms", f"{rps / node:.2f}× node:http ({node:.0f}/s)",
            rps >= 1.5 * node and p99 < 5)
    mib = int(rss_kib) / 1024
    row("worker idle RSS", "≤ 40 MiB", f"{mib:.0f} MiB", "—", mib <= 40)


def auth(refresh):
    d = json.loads(open(refresh).read())
    r = rate(d)
    row("identity.refresh, 64 connections", "≥ 3,000/s", f"{r:.0f}/s, p50 {d['p50_ms']:.0f} ms", "—", r >= 3000)


def booking(free, replay):
    d, rep = json.loads(open(free).read()), json.loads(open(replay).read())
    r = rate(d)
    share = r / rep["tps"] if rep["tps"] else 0
    row("booking.create, no conflicts, 16 connections", "≥ 1,000/s, p99 < 50 ms, ≥ 0.5× its SQL in pgbench",
        f"{r:.0f}/s, p99 {d['p99_ms']:.0f} ms", f"{share:.2f}× pgbench ({rep['tps']:.0f}/s)",
        r >= 1000 and d["p99_ms"] < 50 and share >= 0.5)


def payments(paid, free, hooks):
    p, f, h = (json.loads(open(x).read()) for x in (paid, free, hooks))
    ratio = rate(p) / max(1e-9, rate(f))
    row("booking.create, paid against free", "≥ 0.9×", f"{ratio:.2f}×", f"free {rate(f):.0f}/s", ratio >= 0.9)
    row("signed webhooks (/webhooks/stripe)", "≥ 1,000/s", f"{rate(h):.0f}/s", "—", rate(h) >= 1000)


def search(kind, load, replay=None):
    d = json.loads(open(load).read())
    anchor = "—"
    if replay:
        r = json.loads(open(replay).read())
        anchor = f"its page query alone in pgbench: p95 {r.get('p95_ms', 0):.1f} ms"
    row(f"mentors.search at 100k mentors: {kind}", "p95 < 20 ms", f"p95 {d['p95_ms']:.1f} ms", anchor, d["p95_ms"] < 20)


def fanout(events, out):
    d = json.loads(open(out).read())
    bound = 50 if int(events) <= 10 else 250
    row(f"fan-out to 1,000 subscribers, {events} events/s", f"p99 < {bound} ms", f"p99 {d['p99_ms']:.0f} ms",
        f"{d['deliveries_per_s']:.0f} deliveries/s", d["p99_ms"] < bound and d["failures"] == 0)
    if int(events) <= 10:
        kib = d["kib_per_connection"]
        row("memory per idle WebSocket connection", "≤ 16 KiB", f"{kib:.1f} KiB", "—", kib <= 16)


def table(path):
    lines = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    print("| path | goal | measured | anchor (same run) | verdict |")
    print("|---|---|---|---|---|")
    for cells in lines:
        print("| " + " | ".join(cells) + " |")
    missed = sum(1 for cells in lines if cells[-1] != "pass")
    print(f"\n{len(lines) - missed} of {len(lines)} rows meet their goal.")


if __name__ == "__main__":
    kind, args = sys.argv[1], sys.argv[2:]
    {"rpc": rpc, "auth": auth, "booking": booking, "payments": payments, "search": search, "fanout": fanout,
     "table": table}[kind](*args)
