#!/usr/bin/env python3
"""The anchors of issue 17: a call's own SQL, replayed by pgbench.

PostgreSQL logs every statement while a capture runs (`log_statement = all`); this script reads that stretch of the
server's log, finds each transaction that ran a marker statement (say `INSERT INTO bookings`), substitutes the logged
parameters and writes each transaction as a pgbench script, its COMMIT turned into a ROLLBACK so that pgbench can
replay it any number of times against the same data. pgbench's rate is then what PostgreSQL does with exactly the
statements the adapter sends, one round trip each, from a client that costs next to nothing: the ceiling a call's
rate is compared with.

    pg_replay.py capture --log LOG --offset BYTES --marker SQL --out-dir DIR [--limit N] [--single]
        writes DIR/tx-N.sql, one per captured transaction (with --single: one per statement with the marker, for
        reads), and prints how many (and statements per transaction)
    pg_replay.py sentence CAPTURED REPLAY LOAD CALL [PREPARED]
        one sentence for BENCHMARKS.md: the call's rate (LOAD: `mentorlink load`'s JSON) against its replay
        (REPLAY: {"tps", "latency_ms", "failed"} from pgbench; CAPTURED: what capture printed); PREPARED, the same
        replay with -M prepared
"""
import argparse
import json
import os
import re
import sys

from summary import rate

# '%m [%p] ' is the default log_line_prefix: "2026-12-03 13:40:01.123 UTC [4242] LOG:  statement: BEGIN"
ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")
STATEMENT = re.compile(r"^(?:statement|execute [^:]+): (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')", re.S)
PLACEHOLDER = re.compile(r"\$(\d+)")


def entries(text):
    """(pid, level, message) for each log entry; continuation lines (a leading tab) belong to the entry before."""
    current = None
    for line in text.split("\n"):
        match = ENTRY.match(line)
        if match:
            if current:
                yield current
            current = [match.group(1), match.group(2), match.group(3)]
        elif current is not None and line.startswith("\t"):
            current[2] += "\n" + line[1:]
    if current:
        yield current


def statements(text):
    """Per backend pid: the statements it ran, in order, with their parameters substituted."""
    by_pid = {}
    for pid, level, message in entries(text):
        if level == "LOG":
            match = STATEMENT.match(message)
            if match:
                by_pid.setdefault(pid, []).append(match.group(1))
        elif level == "DETAIL" and message.startswith("parameters: ") and by_pid.get(pid):
            values = {int(n): v for n, v in PARAM.findall(message)}
            sql = by_pid[pid][-1]
            by_pid[pid][-1] = PLACEHOLDER.sub(lambda m: values.get(int(m.group(1)), m.group(0)), sql)
    return by_pid


def transactions(by_pid, marker):
    """Each BEGIN … COMMIT that contains a statement with `marker`, COMMIT replaced by ROLLBACK."""
    found = []
    for sqls in by_pid.values():
        begin = None
        for i, sql in enumerate(sqls):
            word = sql.strip().rstrip(";").upper()
            if word.startswith("BEGIN") or word.startswith("START TRANSACTION"):
                begin = i
            elif word in ("COMMIT", "END") and begin is not None:
                body = sqls[begin + 1 : i]
                if any(marker in s for s in body):
                    found.append([sqls[begin]] + body + ["ROLLBACK"])
                begin = None
            elif word == "ROLLBACK":
                begin = None
    return found


def write(scripts, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for n, script in enumerate(scripts):
        with open(os.path.join(out_dir, f"tx-{n}.sql"), "w") as f:
            for sql in script:
                # pgbench ends a command at a semicolon that ends a line; one line per statement keeps that simple.
                f.write(" ".join(sql.strip().rstrip(";").split("\n")) + ";\n")


def sentence(captured, replay, load, call, prepared=None):
    captured, replay, load = json.loads(captured), json.loads(replay), json.loads(load)
    without = ""
    if prepared:
        u = json.loads(prepared)
        without = (f" With each statement parsed and planned once per connection (`pgbench -M prepared`, what prepared "
                   f"statements would save) the same SQL replays at {u['tps']:.0f}/s (average {u['latency_ms']:.2f} ms).")
    ok = rate(load)
    tps = replay["tps"]
    return (f"{captured['scripts']} captured `{call}` transactions of {captured['statements_median']} statements each "
            f"(BEGIN and the end included), replayed by `pgbench -M extended` with a ROLLBACK for the COMMIT: "
            f"**{tps:.0f} transactions/s** (average {replay['latency_ms']:.2f} ms, {replay['failed']} failed). "
            f"The call ran at {ok:.0f}/s: **{ok / tps if tps else 0:.2f}×** its own SQL's rate." + without)


def main():
    if len(sys.argv) in (6, 7) and sys.argv[1] == "sentence":
        print(sentence(*sys.argv[2:]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["capture"])
    parser.add_argument("--log", required=True)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--marker", required=True)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--limit", type=int, default=64)
    parser.add_argument("--single", action="store_true", help="each statement with the marker on its own (reads)")
    args = parser.parse_args()
    with open(args.log, "rb") as f:
        f.seek(args.offset)
        text = f.read().decode("utf-8", "replace")
    by_pid = statements(text)
    if args.single:
        scripts = [[sql] for sqls in by_pid.values() for sql in sqls if args.marker in sql][: args.limit]
    else:
        scripts = transactions(by_pid, args.marker)[: args.limit]
    if not scripts:
        sys.exit(f"pg_replay: no statement with {args.marker!r} in {args.log} after byte {args.offset}")
    write(scripts, args.out_dir)
    sizes = sorted(len(s) for s in scripts)
    print(json.dumps({"scripts": len(scripts), "statements_median": sizes[len(sizes) // 2]}))


if __name__ == "__main__":
    main()
