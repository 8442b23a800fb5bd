#!/usr/bin/env python3
"""Rows of `scripts/bench rpc`'s table: rpc_rows.py RESULTS.tsv DIRECT.json. RESULTS has one line per wrk run
(label, requests/s, p50 ms, p99 ms, checked answers), several rounds of the same labels; each row is the median of its
rounds, with the ratio to bare node:http's median. DIRECT is `mentorlink load`'s JSON."""
import json
import statistics
import sys

rows, order = {}, []
for line in open(sys.argv[1]):
    label, rps, p50, p99, checked = line.rstrip("\n").split("\t")
    if label not in rows:
        order.append(label)
    rows.setdefault(label, []).append((float(rps or 0), float(p50), float(p99), checked))
median = {label: statistics.median(r[0] for r in runs) for label, runs in rows.items()}
node = next(v for k, v in median.items() if k.startswith("bare node:http"))
for label in order:
    runs = rows[label]
    each = ", ".join(f"{r[0]:.0f}" for r in runs)
    print(f"| {label} | {median[label]:.0f} ({each}) | {statistics.median(r[1] for r in runs):.2f} | "
          f"{statistics.median(r[2] for r in runs):.2f} | {median[label] / node:.2f}× | {'; '.join(r[3] for r in runs)} |")
d = json.loads(sys.argv[2])
print(f"| one worker socket directly (`mentorlink load`, no nginx) | {d['rps']:.0f} | {d['p50_ms']:.2f} | {d['p99_ms']:.2f} | — | "
      f"{d['errors']} errors |")
