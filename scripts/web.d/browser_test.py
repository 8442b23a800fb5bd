#!/usr/bin/env python3
"""Runs the browser tests (Tests/Browser/test_*.py, every function named test_*) with Playwright driving Debian's
chromium, against a stack through nginx; screenshots go to ARTIFACTS.

    browser_test.py --url http://127.0.0.1:PORT --run-dir DIR [--artifacts DIR] [--only NAME] [--timeout SECONDS]

A test fails on an assertion, a Playwright timeout, or any console error / uncaught exception of its pages. Prints
"N passed, N failed" last; exit 1 when any failed.
"""
import argparse
import importlib.util
import os
import signal
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTS = os.path.join(ROOT, "Tests", "Browser")
sys.path.insert(0, TESTS)
from harness import Browsers, Stack  # noqa: E402  (from Tests/Browser)


def load_tests(only):
    for name in sorted(os.listdir(TESTS)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(TESTS, name))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for attr in sorted(dir(module)):
            if attr.startswith("test_") and callable(getattr(module, attr)) and (not only or only in attr):
                yield f"{name[:-3]}.{attr}", getattr(module, attr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--run-dir", required=True, help="the stack's run directory (worker sockets, Redis)")
    parser.add_argument("--artifacts", default=os.path.join(TESTS, "artifacts"))
    parser.add_argument("--only", default="")
    parser.add_argument("--timeout", type=int, default=int(os.environ.get("MENTORLINK_BROWSER_TIMEOUT", "480")))
    args = parser.parse_args()

    # The whole run is bounded: a hung browser must not hold scripts/test.
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError(f"browser tests over {args.timeout} s")))
    signal.alarm(args.timeout)
    stack = Stack(args.url, args.run_dir, os.path.abspath(args.artifacts))
    passed = failed = 0
    browsers = Browsers()
    try:
        for name, test in load_tests(args.only):
            started = time.monotonic()
            try:
                test(stack, browsers)
                problems = browsers.take_problems()
                if problems:
                    raise AssertionError("page problems:\n  " + "\n  ".join(problems))
                passed += 1
                print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)
            except Exception:  # noqa: BLE001  (a test's failure of any kind is reported, then the next runs)
                failed += 1
                browsers.take_problems()
                print(f"FAIL {name} ({time.monotonic() - started:.1f} s)\n{traceback.format_exc()}", flush=True)
    finally:
        signal.alarm(0)
        browsers.close()
    print(f"screenshots: {stack.artifacts}")
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
