#!/usr/bin/env python3
"""Differential test of the project's JSON parser against Python's json module, on the same bytes.

Inputs: every file of the given corpus directories, plus --generate N documents made here (random JSON values written
with random whitespace and escapes, and byte-level mutations of them). The Swift side is
`FuzzJSONParser --differential DIR…` (the replay build), which prints per file `accept <hex of its encoding>`,
`reject` or `too_deep`.

Python's side is strict RFC 8259: the bytes must be UTF-8 (no BOM), NaN/Infinity and numbers that overflow a double
(integers too) are refused, and so are unpaired surrogate escapes (a string must be Unicode text), and so is an object naming a member twice (names compared after NFC, as Swift's
String equality is canonical equivalence). Both must then agree on
acceptance, and when both accept, on the value (types compared strictly: true is not 1), and the Swift encoding must
parse in Python to the same value. Integers beyond 64 bits are compared as the nearest double, which is what the
project keeps (a documented difference), and `too_deep` (over 32 levels) is not compared.

    json_differential.py --binary PATH [--generate N] [--seed S] DIR...
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import unicodedata


class Refused(Exception):
    pass


def refuse_constant(name):
    raise Refused(name)


def finite_float(text):
    value = float(text)
    if math.isinf(value):
        raise Refused("overflow")
    return value


def finite_int(text):
    value = int(text)
    try:
        float(value)
    except OverflowError:
        raise Refused("overflow")
    return value


def unique_names(pairs):
    """Objects must not name a member twice, names compared after NFC (the project's String equality is canonical
    equivalence)."""
    seen = set()
    for name, _ in pairs:
        normal_name = unicodedata.normalize("NFC", name)
        if normal_name in seen:
            raise Refused("duplicate name")
        seen.add(normal_name)
    return dict(pairs)


def no_surrogates(value):
    if isinstance(value, str):
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise Refused("surrogate")
    elif isinstance(value, list):
        for item in value:
            no_surrogates(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            no_surrogates(key)
            no_surrogates(item)


def python_parse(data):
    """Python's value, or None when strict RFC 8259 refuses the bytes."""
    try:
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):
            return None
        value = json.loads(text, parse_constant=refuse_constant, parse_float=finite_float, parse_int=finite_int, object_pairs_hook=unique_names)
        no_surrogates(value)
        return ("ok", value)
    except (ValueError, Refused, RecursionError):
        return None


def normal(value):
    """A comparable form with strict types; integers past 64 bits as the nearest double (what the project keeps)."""
    if value is None or isinstance(value, bool):
        return ("lit", value)
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return ("int", value)
        value = float(value)
    if isinstance(value, float):
        return ("float", value, math.copysign(1, value))
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, list):
        return ("arr", tuple(normal(v) for v in value))
    return ("obj", tuple(sorted((k, normal(v)) for k, v in value.items())))


def generated(rnd, count):
    """Random documents: values with random whitespace and escapes, then byte mutations of some."""
    def value(depth):
        kind = rnd.randrange(8 if depth < 5 else 5)
        if kind == 0:
            return rnd.choice([None, True, False])
        if kind == 1:
            return rnd.choice([0, -1, 2**63 - 1, -(2**63), 2**64, 10**30, rnd.randint(-10**6, 10**6)])
        if kind == 2:
            return rnd.choice([0.5, -0.0, 1e-300, 1.7976931348623157e308, 5e-324, rnd.uniform(-1e9, 1e9)])
        if kind in (3, 4):
            alphabet = "aé\u00e9e\u0301\"\\/\b\f\n\r\t\u0000\u001f\u2028😀\ufeff"
            return "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(8)))
        if kind == 5:
            return [value(depth + 1) for _ in range(rnd.randrange(4))]
        return {value_key(): value(depth + 1) for _ in range(rnd.randrange(4))}

    def value_key():
        return rnd.choice(["a", "b", "é", "e\u0301", "\u212b", "\u00c5", "", "id", "\u0000"])

    for _ in range(count):
        document = json.dumps(value(0), ensure_ascii=rnd.random() < 0.5,
                              separators=rnd.choice([(",", ":"), (", ", ": "), (" ,\n", "\t:\r ")])).encode()
        if rnd.random() < 0.4:
            document = bytearray(document)
            for _ in range(rnd.randrange(1, 4)):
                at = rnd.randrange(len(document) + 1)
                choice = rnd.randrange(3)
                if choice == 0 and document:
                    del document[min(at, len(document) - 1)]
                elif choice == 1:
                    document[at:at] = bytes([rnd.randrange(256)])
                else:
                    document[at:at] = rnd.choice([b"\\ud800", b"\\udc00\\ud800", b"1e999", b"NaN", b"\xc3\x28", b"\xef\xbb\xbf", b"-", b"0"])
            document = bytes(document)
        yield document


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--generate", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as scratch:
        for index, document in enumerate(generated(rnd, args.generate)):
            with open(os.path.join(scratch, f"g{index:06d}"), "wb") as out:
                out.write(document)
        dirs = [d for d in args.dirs if os.path.isdir(d)] + [scratch]
        lines = subprocess.run([args.binary, "--differential", *dirs], check=True, capture_output=True).stdout.decode().splitlines()
        expected_count = sum(len(os.listdir(d)) for d in dirs)
        failures, counts = [], {"accept": 0, "reject": 0, "too_deep": 0}
        if len(lines) != expected_count:
            failures.append(f"{expected_count} inputs but {len(lines)} answers from {args.binary}")
        for line in lines:
            path, verdict = line.split("\t", 1)
            kind = verdict.split(" ", 1)[0]
            counts[kind] += 1
            if kind == "too_deep":
                continue
            with open(path, "rb") as source:
                data = source.read()
            expected = python_parse(data)
            if kind == "reject":
                if expected is not None:
                    failures.append(f"{path}: Python accepts, the project refuses: {data[:200]!r}")
                continue
            if expected is None:
                failures.append(f"{path}: the project accepts, Python refuses: {data[:200]!r}")
                continue
            encoded = bytes.fromhex(verdict.split(" ", 1)[1])
            again = python_parse(encoded)
            if again is None:
                failures.append(f"{path}: the project's encoding does not parse in Python: {encoded[:200]!r}")
            elif normal(again[1]) != normal(expected[1]):
                failures.append(f"{path}: values differ: input {data[:200]!r} encoded {encoded[:200]!r}")
    print(f"json_differential: {len(lines)} inputs ({counts['accept']} accepted, {counts['reject']} refused, "
          f"{counts['too_deep']} too deep), {len(failures)} differences")
    for failure in failures[:40]:
        print("DIFF " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
