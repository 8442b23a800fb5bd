#!/usr/bin/env python3
"""Where a run's CPU goes, by component: each process's user+system time from /proc, summed by what it is.

    cpu_split.py snapshot                   prints {pid: [component, ticks]} for every process now (JSON)
    cpu_split.py table BEFORE AFTER SECONDS CALLS
        a Markdown table: each component's cores used between the two snapshots and its CPU microseconds per call
        (CALLS: the calls answered in those SECONDS); a process that started in between counts from zero.
"""
import json
import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def component(args: str) -> str:
    words = args.split()
    name = os.path.basename(words[0]) if words else ""
    if name.startswith("postgres") or args.startswith("postgres:"):
        return "PostgreSQL"
    if "mentorlink" in name or name == "mentorlink":
        sub = words[1] if len(words) > 1 else ""
        return {"worker": "workers", "load": "load client", "serve": "supervisor"}.get(sub, f"mentorlink {sub}".strip())
    if name.startswith("nginx") or args.startswith("nginx:"):
        return "nginx"
    return {"redis-server": "Redis", "wrk": "load client", "pgbench": "load client"}.get(name, "other")


def snapshot() -> dict:
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        if args:
            out[pid] = [component(args), ticks]
    return out


def table(before: dict, after: dict, seconds: float, calls: float) -> str:
    used: dict = {}
    for pid, (name, ticks) in after.items():
        start = before.get(pid, [name, 0])[1]
        used[name] = used.get(name, 0) + max(0, ticks - start) / TICKS
    rows = ["| component | cores used | CPU µs per call |", "|---|---:|---:|"]
    total = 0.0
    for name, cpu in sorted(used.items(), key=lambda kv: -kv[1]):
        if cpu / seconds < 0.01:
            continue
        total += cpu
        rows.append(f"| {name} | {cpu / seconds:.2f} | {cpu * 1e6 / calls:.0f} |" if calls else f"| {name} | {cpu / seconds:.2f} | — |")
    rows.append(f"| **all** | **{total / seconds:.2f}** | **{total * 1e6 / calls:.0f}** |" if calls else f"| all | {total / seconds:.2f} | — |")
    return "\n".join(rows)


def main():
    if sys.argv[1:2] == ["snapshot"]:
        print(json.dumps(snapshot()))
    elif len(sys.argv) == 6 and sys.argv[1] == "table":
        before, after = (json.load(open(p)) for p in sys.argv[2:4])
        print(table(before, after, float(sys.argv[4]), float(sys.argv[5])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
