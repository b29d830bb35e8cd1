#!/usr/bin/env python3
"""Measure the installed `elyguide` against `python -c pass` from the same interpreter.

    .venv/bin/python benchmarks/run.py            # the targets of the performance issue
    .venv/bin/python benchmarks/run.py --rounds 41 --batch 20000

Every timing is a median over repeated runs, interleaved with the baseline so that a noisy
machine slows both alike, and is printed as a ratio to `python -c pass`. Each command's output
is checked once, so a fast failure cannot pass for a fast answer. The script exits 1 when a
target is missed. It is not part of the test suite: timings belong to a quiet moment, not to CI.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import random
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = sys.executable
ELYGUIDE = os.path.join(os.path.dirname(PYTHON), "elyguide")

# Targets from the performance issue: (ratio to `python -c pass`, or lookups per second).
STARTUP_TARGETS = {"exact, piped JSON": 6.0, "typo, piped JSON": 7.0, "terminal (Rich)": 9.0}
BATCH_TARGETS = {"batch: mostly exact": 50_000, "batch: typos": 20_000}
MEMORY_LIMIT_MB, MEMORY_RATIO = 25.0, 3.0
HEAVY_MODULES = ("yaml", "rapidfuzz", "rich", "pydantic", "numpy", "typer")


def environment(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ELYGUIDE_", "_ELYGUIDE"))}
    env.update({"LANG": "C.UTF-8", "TERM": "xterm-256color"})
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def run_piped(command: list[str], env: dict, stdin_path: str | None = None) -> tuple[float, bytes, int]:
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        done = subprocess.run(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        return time.perf_counter() - start, done.stdout, done.returncode
    finally:
        if stdin_path:
            stdin.close()


def run_on_terminal(command: list[str], env: dict) -> tuple[float, bytes, int]:
    main, secondary = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = proc.wait()
    elapsed = time.perf_counter() - start
    os.close(main)
    return elapsed, b"".join(chunks), code


def check(name: str, ok: bool, detail: str = "") -> None:
    if not ok:
        sys.exit(f"benchmark: {name}: unexpected output {detail}")


def startup(rounds: int) -> dict[str, float]:
    env = environment()
    cases = {
        "exact, piped JSON": (run_piped, [ELYGUIDE, "find", "Kuopio", "--json"], env,
                              lambda out, code: code == 0 and json.loads(out)["centre"]["id"] == "evk-ita-suomi"),
        "typo, piped JSON": (run_piped, [ELYGUIDE, "find", "Jyväskyä", "--json"], env,
                             lambda out, code: code == 0 and json.loads(out)["match"]["kind"] == "fuzzy"),
        "terminal (Rich)": (run_on_terminal, [ELYGUIDE, "find", "Kuopio"], env,
                            lambda out, code: code == 0 and b"\x1b[" in out and "Itä-Suomen".encode() in out),
        "text, piped": (run_piped, [ELYGUIDE, "find", "Kuopio"], env,
                        lambda out, code: code == 0 and "Itä-Suomen".encode() in out),
        "completion (TAB)": (run_piped, [ELYGUIDE], environment(_ELYGUIDE_COMPLETE="complete_bash", COMP_WORDS="elyguide find Kuo", COMP_CWORD="2"),
                             lambda out, code: code == 0 and out.split() == [b"Kuopio", b"Kuortane"]),
    }
    for name, (runner, command, case_env, ok) in cases.items():
        _, out, code = runner(command, case_env)
        check(name, ok(out, code), repr(out[:200]))
    times: dict[str, list[float]] = {"python -c pass": [], **{name: [] for name in cases}}
    for _ in range(rounds):
        for name, (runner, command, case_env, _) in cases.items():
            times["python -c pass"].append(run_piped([PYTHON, "-c", "pass"], env)[0])
            times[name].append(runner(command, case_env)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def batch_inputs(count: int, directory: str) -> dict[str, str]:
    from elyguide.data import load_index

    names = sorted({n for fi, sv, _, _ in load_index()["municipalities"].values() for n in (fi, sv) if n})
    rng = random.Random(2026)

    def typo(name: str) -> str:
        i = rng.randrange(1, len(name))
        kind = rng.randrange(3)
        if kind == 0:
            return name[:i] + name[i + 1:]
        if kind == 1 and i < len(name) - 1:
            return name[:i] + name[i + 1] + name[i] + name[i + 2:]
        return name[:i] + rng.choice("aeiklmnorstuy") + name[i:]

    mostly_exact = [typo(rng.choice(names)) if rng.random() < 0.1 else rng.choice(names) for _ in range(count)]
    typos = [typo(rng.choice(names)) for _ in range(count)]
    paths = {}
    for label, lines in (("batch: mostly exact", mostly_exact), ("batch: typos", typos)):
        path = os.path.join(directory, label.split(": ")[1].replace(" ", "_") + ".txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        paths[label] = path
    return paths


def run_to_null(command: list[str], env: dict, stdin_path: str) -> float:
    """Wall time with stdout to /dev/null: elyguide's own throughput, not that of a reader."""
    with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        subprocess.run(command, stdin=stdin, stdout=devnull, stderr=subprocess.DEVNULL, env=env)
        return time.perf_counter() - start


def batches(count: int, rounds: int) -> dict[str, tuple[float, float]]:
    """Lookups per second, end to end (start-up included): to /dev/null, and through a pipe
    into `cat` (a reader that keeps up; answers are several kB of JSON each)."""
    env = environment()
    with tempfile.TemporaryDirectory() as directory:
        paths = batch_inputs(count, directory)
        result = {}
        for label, path in paths.items():
            _, out, code = run_piped([ELYGUIDE, "find", "-", "--json"], env, path)
            lines = out.count(b"\n")
            check(label, lines == count and code in (0, 1, 3, 4), f"{lines} lines, exit {code}")
            to_null, to_cat = [], []
            piped = f"{ELYGUIDE} find - --json < {path} | cat > /dev/null"
            for _ in range(rounds):
                to_null.append(run_to_null([ELYGUIDE, "find", "-", "--json"], env, path))
                start = time.perf_counter()
                subprocess.run(piped, shell=True, env=env)
                to_cat.append(time.perf_counter() - start)
            result[label] = (count / statistics.median(to_null), count / statistics.median(to_cat))
        return result


def peak_memory_mb(command: list[str]) -> float:
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    samples = [int(subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, env=environment()).stdout)
               for _ in range(5)]
    return statistics.median(samples) / 1024  # ru_maxrss is in kB on Linux


def heavy_imports() -> list[str]:
    code = ("import sys; sys.argv = ['elyguide', 'find', 'Kuopio', '--json']; from elyguide.launch import main; "
            "import io, contextlib; f = io.StringIO()\nwith contextlib.redirect_stdout(f): main()\n"
            f"print(' '.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))")
    return subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=environment()).stdout.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="start-up runs per command (default 21)")
    parser.add_argument("--batch", type=int, default=20_000, help="lines per batch (default 20000)")
    parser.add_argument("--batch-rounds", type=int, default=9, help="runs per batch (default 9)")
    args = parser.parse_args()
    if not os.path.exists(ELYGUIDE):
        sys.exit(f"benchmark: no elyguide next to {PYTHON}; install it first (pip install .)")

    print(f"elyguide at {ELYGUIDE}; Python {sys.version.split()[0]}; medians of {args.rounds} interleaved runs\n")
    missed = []
    medians = startup(args.rounds)
    base = medians["python -c pass"]
    print(f"{'start-up':28} {'median':>9} {'ratio':>7} {'target':>8}")
    for name, value in medians.items():
        ratio = value / base
        target = STARTUP_TARGETS.get(name)
        verdict = "" if target is None else ("ok" if ratio <= target else "MISSED")
        if verdict == "MISSED":
            missed.append(name)
        print(f"{name:28} {value * 1000:7.1f}ms {ratio:6.2f}x {f'<= {target:g}x' if target else '':>8} {verdict}")

    print(f"\n{'batch, one process':28} {'lookups/s':>9} {'| cat':>9} {'target':>10}")
    for name, (rate, piped) in batches(args.batch, args.batch_rounds).items():
        target = BATCH_TARGETS[name]
        verdict = "ok" if rate >= target else "MISSED"
        if verdict == "MISSED":
            missed.append(name)
        print(f"{name:28} {rate:9,.0f} {piped:9,.0f} {f'>= {target:,}':>10} {verdict}")

    base_mb = peak_memory_mb([PYTHON, "-c", "pass"])
    find_mb = peak_memory_mb([ELYGUIDE, "find", "Kuopio", "--json"])
    ok = find_mb <= MEMORY_LIMIT_MB and find_mb <= MEMORY_RATIO * base_mb
    if not ok:
        missed.append("peak memory")
    print(f"\npeak memory: python -c pass {base_mb:.1f} MB; find Kuopio --json {find_mb:.1f} MB "
          f"({find_mb / base_mb:.2f}x; target <= {MEMORY_LIMIT_MB:g} MB and <= {MEMORY_RATIO:g}x) {'ok' if ok else 'MISSED'}")

    heavy = heavy_imports()
    if heavy:
        missed.append("imports")
    print(f"modules imported by an exact lookup with piped output, of {', '.join(HEAVY_MODULES)}: {', '.join(heavy) or 'none'}")

    print("\nall targets met" if not missed else f"\nMISSED: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
