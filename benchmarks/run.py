#!/usr/bin/env python3
"""Measure the installed `elyguide` side by side with `python -c pass`, in one run.

    .venv/bin/python benchmarks/run.py                  # every target of the performance issue
    .venv/bin/python benchmarks/run.py --rounds 41      # more rounds on a busy machine

Every timing is a median over repeated runs, interleaved with its baseline so that a noisy
machine slows both alike, and is printed as a ratio (start-up) or a rate (batches), with the
spread (the middle half of the runs) beside it. Each command's output is checked first, so a
fast failure cannot pass for a fast answer. The script exits 1 when a target is missed. It is
not part of the test suite: timings belong to a measuring run, not to CI.

Targets (see the README, "Performance"):
  find Kuopio (text) and --json, cold              <= 3x python -c pass
  with refreshed contacts present                  <= 1.3x the same lookup without
  with --data-dir of a compiled copy               <= 1.15x the shipped data
  every batch format, names + Swedish + typos      >= 50,000 lines/s, file to file (files on a tmpfs
                                                   where there is one: elyguide's pace, not the disk's)
  peak memory of one lookup                        <= 25 MB
  modules an exact lookup imports                  no yaml, rapidfuzz, rich.console, typer, pydantic
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PYTHON = sys.executable
ELYGUIDE = os.path.join(os.path.dirname(PYTHON), "elyguide")
STARTUP_RATIO = 3.0
REFRESHED_RATIO = 1.3
DATA_DIR_RATIO = 1.15
BATCH_RATE = 50_000
MEMORY_LIMIT_MB = 25.0
HEAVY_MODULES = ("yaml", "rapidfuzz", "rich.console", "typer", "pydantic")
BATCH_FORMATS = ("jsonl", "text", "csv", "tsv")
# Batch files live in memory where the machine has a tmpfs: a JSON batch writes 135 MB a run,
# and on a shared VM the disk's write-back, not elyguide, would set the pace.
MEMORY_FOLDER = "/dev/shm"


def environment(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ELYGUIDE_", "_ELYGUIDE")) and k not in ("PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE")}
    env.update({"LANG": "C.UTF-8", "NO_COLOR": "1"})
    env.update(extra)
    return env


def timed(command: list[str], env: dict, stdin_path: str | None = None) -> tuple[float, bytes, int]:
    """Wall time of one run, output kept (piped, as a script reads it)."""
    with open(stdin_path or os.devnull, "rb") as stdin:
        start = time.perf_counter()
        done = subprocess.run(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        return time.perf_counter() - start, done.stdout, done.returncode


def to_file(command: list[str], env: dict, stdin_path: str, out_path: str) -> float:
    """Wall time with output to a file: elyguide's own throughput, file to file."""
    with open(stdin_path, "rb") as stdin, open(out_path, "wb") as out:
        start = time.perf_counter()
        subprocess.run(command, stdin=stdin, stdout=out, stderr=subprocess.DEVNULL, env=env)
        return time.perf_counter() - start


def spread(values: list[float]) -> tuple[float, float]:
    """The middle half of the runs: (25th, 75th percentile)."""
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def check(name: str, ok: bool, detail: str = "") -> None:
    if not ok:
        sys.exit(f"benchmark: {name}: unexpected output {detail}")


# ------------------------------------------------------------------------------ start-up
def startup(rounds: int, folder: str) -> dict[str, list[float]]:
    refreshed_home = os.path.join(folder, "refreshed")
    _write_refreshed(refreshed_home)
    local = os.path.join(folder, "local")
    _compiled_copy(local)
    base = environment()
    cases = {
        "find Kuopio --json": ([ELYGUIDE, "find", "Kuopio", "--json"], base,
                               lambda out, code: code == 0 and json.loads(out)["centre"]["id"] == "evk-ita-suomi"),
        "find Kuopio (text)": ([ELYGUIDE, "find", "Kuopio"], base, lambda out, code: code == 0 and "Itä-Suomen".encode() in out),
        "find Kuopio (text), refreshed": ([ELYGUIDE, "find", "Kuopio"], environment(XDG_DATA_HOME=refreshed_home),
                                          lambda out, code: code == 0 and b"0295 000 011" in out),
        "find Kuopio (text), no refresh": ([ELYGUIDE, "find", "Kuopio"], environment(XDG_DATA_HOME=os.path.join(folder, "empty")),
                                           lambda out, code: code == 0 and b"0295 000 011" not in out),
        "find Kuopio --json --data-dir": ([ELYGUIDE, "find", "Kuopio", "--json", "--data-dir", local], base,
                                          lambda out, code: code == 0 and json.loads(out)["municipality"]["code"] == "297"),
        "find Jyväskyä --json (typo)": ([ELYGUIDE, "find", "Jyväskyä", "--json"], base,
                                        lambda out, code: code == 0 and json.loads(out)["match"]["kind"] == "fuzzy"),
    }
    for name, (command, env, ok) in cases.items():
        _, out, code = timed(command, env)
        check(name, ok(out, code), repr(out[:200]))
    times: dict[str, list[float]] = {"python -c pass": [], **{name: [] for name in cases}}
    for _ in range(rounds):
        for name, (command, env, _) in cases.items():
            times["python -c pass"].append(timed([PYTHON, "-c", "pass"], base)[0])
            times[name].append(timed(command, env)[0])
    return times


def _write_refreshed(home: str) -> None:
    """A refreshed-contacts file of the size `elyguide refresh` writes (fictional facts)."""
    folder = os.path.join(home, "elyguide")
    os.makedirs(folder, exist_ok=True)
    source = {"title": "Palvelutietovaranto (suomi.fi), open API v11: benchmark (fictional)", "url": "http://127.0.0.1/api",
              "date": "2026-11-30", "kind": "official"}
    centres = {}
    for i, centre in enumerate(("evk-ita-suomi", "evk-sisa-suomi", "evk-uusimaa", "evk-lappi")):
        centres[centre] = {"organizations": [f"00000000-0000-4000-8000-{i:012d}"], "contacts": {
            "phones": [{"number": f"0295 000 0{1 + i}1", "kind": "service", "label": {"fi": "Maahanmuutto"}, "source": source,
                        "verified": "2026-11-30"}],
            "emails": [{"address": f"kirjaamo{i}@example.fi", "kind": "general", "source": source, "verified": "2026-11-30"}],
            "postal_addresses": [{"kind": "postal", "lines": [f"PL {i}"], "postcode": "00072", "town": "ELINVOIMAKESKUS",
                                  "lang": "fi", "source": source, "verified": "2026-11-30"}],
            "web": []}}
    document = {"format": 1, "fetched_at": "2026-11-30T12:00:00Z", "api_url": "http://127.0.0.1/api",
                "service_id": "06e48156-19a1-4124-8e88-816fda5f94a6", "centres": centres, "skipped": []}
    with open(os.path.join(folder, "contacts.json"), "w", encoding="utf-8") as handle:
        json.dump(document, handle)


def _compiled_copy(folder: str) -> None:
    from elyguide.data import packaged_data_dir

    os.makedirs(folder, exist_ok=True)
    for name in ("municipalities.yaml", "centres.yaml"):
        shutil.copy(os.path.join(packaged_data_dir(), name), os.path.join(folder, name))
    subprocess.run([ELYGUIDE, "data", "compile", folder], check=True, capture_output=True, env=environment())


# ------------------------------------------------------------------------------ batches
def batch_inputs(count: int, folder: str) -> dict[str, str]:
    """Two mixes of names, Swedish names and typos: the usual one (a batch of a few hundred
    municipalities repeats them) and one with few repeats (inflected forms, postal codes and
    many distinct typos)."""
    from elyguide.index import load_dataset

    dataset = load_dataset()
    municipalities = list(dataset.municipalities().values())
    names = sorted({n for m in municipalities for n in m.name[:2] if n})
    rng = random.Random(2026)

    def typo(name: str) -> str:
        i = rng.randrange(1, len(name))
        kind = rng.randrange(3)
        if kind == 0:
            return name[:i] + name[i + 1:]
        if kind == 1 and i < len(name) - 1:
            return name[:i] + name[i + 1] + name[i] + name[i + 2:]
        return name[:i] + rng.choice("aeiklmnorstuy") + name[i:]

    usual = [typo(rng.choice(names)) if rng.random() < 0.1 else rng.choice(names) for _ in range(count)]
    endings = ("ssa", "sta", "lla", "n", "ksi")
    postal = list(dataset.sections["postal_codes"])
    distinct = []
    for _ in range(count):
        roll = rng.random()
        name = rng.choice(names)
        if roll < 0.3:
            distinct.append(rng.choice(postal))
        elif roll < 0.55:
            distinct.append(name.lower() + rng.choice(endings))
        elif roll < 0.7:
            distinct.append(typo(name))
        else:
            distinct.append(rng.choice((name, name.upper(), name.lower(), f" {name} ")))
    paths = {}
    for label, lines in (("usual mix", usual), ("few repeats", distinct)):
        path = os.path.join(folder, label.replace(" ", "_") + ".txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        paths[label] = path
        unique = len(set(lines)) / len(lines)
        print(f"  {label}: {count:,} lines, {unique:.0%} distinct")
    return paths


def batches(count: int, rounds: int, folder: str) -> dict[tuple[str, str], list[float]]:
    env = environment()
    paths = batch_inputs(count, folder)
    out = os.path.join(folder, "out")
    rates: dict[tuple[str, str], list[float]] = {}
    for label, path in paths.items():
        for fmt in BATCH_FORMATS:
            command = [ELYGUIDE, "find", "-", "--format", fmt]
            _, output, code = timed(command, env, path)
            lines = output.count(b"\n") - (1 if fmt in ("csv", "tsv") else 0)
            check(f"{label}, {fmt}", lines == count and code in (0, 1, 3, 4), f"{lines} lines, exit {code}")
            rates[(label, fmt)] = []
    for _ in range(rounds):  # interleaved: every format in every round
        for label, path in paths.items():
            for fmt in BATCH_FORMATS:
                seconds = to_file([ELYGUIDE, "find", "-", "--format", fmt], env, path, out)
                rates[(label, fmt)].append(count / seconds)
    return rates


# ------------------------------------------------------------------------------ memory, imports
def peak_memory_mb(command: list[str]) -> float:
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    samples = [int(subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, env=environment()).stdout)
               for _ in range(5)]
    return statistics.median(samples) / 1024  # ru_maxrss is in kB on Linux


def heavy_imports(args: list[str]) -> list[str]:
    code = ("import io, sys; from elyguide.environment import Environment; from elyguide.launch import main\n"
            "env = Environment(io.BytesIO(), io.BytesIO(), io.BytesIO(), variables={'LANG': 'C.UTF-8'})\n"
            f"main({args!r}, env)\nprint(' '.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))")
    return subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=environment()).stdout.split()


# ------------------------------------------------------------------------------ report
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=31, help="start-up runs per command (default 31)")
    parser.add_argument("--batch", type=int, default=20_000, help="lines per batch (default 20000)")
    parser.add_argument("--batch-rounds", type=int, default=11, help="runs per batch and format (default 11)")
    parser.add_argument("--batch-dir", default=MEMORY_FOLDER if os.access(MEMORY_FOLDER, os.W_OK) else None,
                        help=f"folder of the batch files (default {MEMORY_FOLDER}, a tmpfs, where writable)")
    args = parser.parse_args()
    if not os.path.exists(ELYGUIDE):
        sys.exit(f"benchmark: no elyguide next to {PYTHON}; install it first (pip install .)")
    print(f"elyguide at {ELYGUIDE}; Python {sys.version.split()[0]}; {os.cpu_count()} cores; "
          f"medians of {args.rounds} interleaved runs [25th-75th percentile]\n")
    missed = []
    with tempfile.TemporaryDirectory() as folder:
        times = startup(args.rounds, folder)
        base = times["python -c pass"]
        ratios = {name: [t / b for t, b in zip(values, base)] for name, values in times.items()}
        print(f"{'start-up':34} {'median':>8} {'ratio':>6} {'[spread]':>13} {'target':>9}")
        targets = {"find Kuopio --json": STARTUP_RATIO, "find Kuopio (text)": STARTUP_RATIO}
        for name, values in times.items():
            ratio = statistics.median(ratios[name])
            low, high = spread(ratios[name])
            target = targets.get(name)
            verdict = "" if target is None else ("ok" if ratio <= target else "MISSED")
            if verdict == "MISSED":
                missed.append(name)
            print(f"{name:34} {statistics.median(values) * 1000:6.1f}ms {ratio:5.2f}x [{low:4.2f}-{high:4.2f}x] "
                  f"{f'<= {target:g}x' if target else '':>9} {verdict}")
        for name, other, target in (("find Kuopio (text), refreshed", "find Kuopio (text), no refresh", REFRESHED_RATIO),
                                    ("find Kuopio --json --data-dir", "find Kuopio --json", DATA_DIR_RATIO)):
            relative = [a / b for a, b in zip(times[name], times[other])]
            value = statistics.median(relative)
            low, high = spread(relative)
            ok = value <= target
            missed += [] if ok else [name]
            print(f"{name + ' / ' + other.split(',')[-1].strip():58} {value:5.2f}x [{low:4.2f}-{high:4.2f}x] <= {target:g}x "
                  f"{'ok' if ok else 'MISSED'}")

        print(f"\n{'batch, file to file':34} {'lines/s':>9} {'[spread]':>21} {'target':>10}")
        with tempfile.TemporaryDirectory(dir=args.batch_dir) as batch_folder:
            print(f"  files in {batch_folder}")
            rates_of = batches(args.batch, args.batch_rounds, batch_folder)
        for (label, fmt), rates in rates_of.items():
            rate = statistics.median(rates)
            low, high = spread(rates)
            counted = label == "usual mix"
            ok = rate >= BATCH_RATE
            verdict = ("ok" if ok else "MISSED") if counted else "(reported)"
            if counted and not ok:
                missed.append(f"batch {fmt}")
            print(f"{label + ', ' + fmt:34} {rate:9,.0f} [{low:9,.0f}-{high:9,.0f}] {f'>= {BATCH_RATE:,}' if counted else '':>10} {verdict}")

    base_mb = peak_memory_mb([PYTHON, "-c", "pass"])
    text_mb = peak_memory_mb([ELYGUIDE, "find", "Kuopio"])
    json_mb = peak_memory_mb([ELYGUIDE, "find", "Kuopio", "--json"])
    ok = max(text_mb, json_mb) <= MEMORY_LIMIT_MB
    missed += [] if ok else ["peak memory"]
    print(f"\npeak memory: python -c pass {base_mb:.1f} MB; find Kuopio {text_mb:.1f} MB; --json {json_mb:.1f} MB "
          f"(target <= {MEMORY_LIMIT_MB:g} MB) {'ok' if ok else 'MISSED'}")
    for args_ in (["find", "Kuopio"], ["find", "Kuopio", "--json"]):
        heavy = heavy_imports(args_)
        missed += ["imports"] if heavy else []
        print(f"modules `elyguide {' '.join(args_)}` imports, of {', '.join(HEAVY_MODULES)}: {', '.join(heavy) or 'none'}")
    print("\nall targets met" if not missed else f"\nMISSED: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
