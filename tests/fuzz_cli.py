#!/usr/bin/env python3
"""Fuzz the real command line in batch mode: random queries in, checked JSON Lines out.

    python tests/fuzz_cli.py --count 1000000 --seed 7   # a long run, before a release

The test suite runs the same check over 100,000 queries (tests/test_hostile_input.py). Every
run checks that elyguide exits with a documented status, writes exactly one valid JSON line
per input line, in order, with a documented status, and never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys

DOCUMENTED_EXIT = {0, 1, 3, 4}
STATUSES = {"found", "ambiguous", "not_found", "outside_service_area", "no_current_municipality"}
_NAMES = ["Kuopio", "Vaasa", "Jyväskylä", "Mänttä-Vilppula", "Pedersören kunta", "Maarianhamina", "Viipuri", "Pyhä",
          "Koski Tl", "S:t Mårtens", "00100", "179", "Helsingfors", "Kiiminki", "Karigasniemi"]
_ODD = ["\u200b", "\u200f", "\u202e", "\ufeff", "\u0308", "\x1b[2J", "\x07", "\x00", "\t", "\u00a0", "🦆", "𝔎", "ß",
        "[bold]", "[/]", "\\", '"', "'", "{", "%s", "\u2028", "\ud7ff", "\uffff", "\r"]


def queries(count: int, seed: int) -> list[bytes]:
    """Lines of input: names, mangled names, random text and random bytes (no newline inside)."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.3:
            name = rng.choice(_NAMES)
            pos = rng.randrange(len(name) + 1)
            text = name[:pos] + rng.choice(_ODD) + name[pos:]
        elif kind < 0.6:
            text = "".join(rng.choice(_ODD + list("abcdefghijklmnopqrstuvwxyzäöå -0123456789")) for _ in range(rng.randrange(0, 30)))
        elif kind < 0.85:
            text = "".join(chr(rng.choice([rng.randrange(32, 0x2FF), rng.randrange(0x300, 0xD7FF), rng.randrange(0xE000, 0x10FFFF)]))
                           for _ in range(rng.randrange(0, 20)))
        else:
            raw = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 25)))
            lines.append(raw.replace(b"\n", b" "))
            continue
        lines.append(text.replace("\n", " ").encode("utf-8", "surrogatepass"))
    return lines


def check(command: list[str], lines: list[bytes]) -> None:
    """Run one batch and assert everything the README promises about it."""
    done = subprocess.run(command, input=b"\n".join(lines) + b"\n", capture_output=True, timeout=1800)
    assert done.returncode in DOCUMENTED_EXIT, done.returncode
    assert b"Traceback" not in done.stderr, done.stderr[-2000:]
    out = done.stdout.split(b"\n")
    assert out[-1] == b"" and len(out) - 1 == len(lines), (len(out) - 1, len(lines))
    for number, line in enumerate(out[:-1]):
        record = json.loads(line)
        assert record["status"] in STATUSES, (number, record["status"])
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        assert line.startswith("elyguide: note: input line "), line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--command", default="elyguide", help="the elyguide to run (default: elyguide on PATH)")
    args = parser.parse_args()
    check([args.command, "find", "-", "--json"], queries(args.count, args.seed))
    print(f"fuzz_cli: {args.count} queries (seed {args.seed}): every line answered with valid JSON")
    return 0


if __name__ == "__main__":
    sys.exit(main())
