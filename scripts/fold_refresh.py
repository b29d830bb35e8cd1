#!/usr/bin/env python3
"""Fold contacts fetched with `elyguide refresh` into the curated input, so the next release
carries them for everyone.

    elyguide refresh                                    # fetch, into your user data folder
    python scripts/fold_refresh.py ~/.local/share/elyguide/contacts.json
    python scripts/build_data.py                        # rebuild data/*.yaml
    git diff data/                                      # review every new fact, then commit

Each fact keeps the registry as its source (one entry per registry record in
data/curated/sources.yaml, official, dated the fetch day) and the fetch day as its `verified`
date. A number, address or page the curated file already has is replaced by the registry's
fact only when it is the same fact (same digits, address or URL): the registry is official and
newer. Facts are written into the centre's `contacts:` as one flow mapping per line, leaving
every comment and every other line of the file as it was. Only current centres are touched.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "data" / "curated"
sys.path.insert(0, str(ROOT / "src"))

from elyguide.phone import digits_key  # noqa: E402

KINDS = ("phones", "emails", "postal_addresses", "web")
FIELDS = {"phones": ("number", "kind", "label", "charge_text"), "emails": ("address", "kind", "label"),
          "postal_addresses": ("kind", "lines", "postcode", "town", "lang"), "web": ("url", "lang")}


def fact_key(kind: str, fact: dict):
    if kind == "phones":
        return digits_key(str(fact["number"]))
    if kind == "emails":
        return fact["address"].lower()
    if kind == "web":
        return fact["url"]
    return (fact.get("lang", "fi"), tuple(fact["lines"]), str(fact["postcode"]))


def source_id(centre_id: str, url: str, date: str) -> str:
    """ptv-itä-suomi-2026-11-30-organization-1a2b3c4d: readable, and unique per record and day."""
    record = url.rstrip("/").rsplit("/", 2)
    return f"ptv-{centre_id.removeprefix('evk-')}-{date}-{record[-2].lower()}-{record[-1][:8]}"


def flow(value) -> str:
    """A YAML flow value; JSON is valid YAML and keeps non-ASCII text readable."""
    return json.dumps(value, ensure_ascii=False)


def fact_line(kind: str, fact: dict, source: str, indent: str) -> str:
    fields = [f"{name}: {flow(fact[name])}" for name in FIELDS[kind] if fact.get(name) is not None]
    fields += [f"source: {source}", f"verified: '{fact['verified']}'"]
    return f"{indent}- {{{', '.join(fields)}}}\n"


def fold(curated_text: str, refreshed: dict) -> tuple[str, dict]:
    """The curated file with the refreshed facts in, and the sources they cite."""
    curated = yaml.safe_load(curated_text)
    current = {c["id"] for c in curated["centres"] if c["kind"] == "elinvoimakeskus"}
    lines = curated_text.splitlines(keepends=True)
    sources: dict[str, dict] = {}
    for centre_id, entry in refreshed["centres"].items():
        if centre_id not in current:
            continue
        existing = next(c for c in curated["centres"] if c["id"] == centre_id).get("contacts") or {}
        start = next(i for i, line in enumerate(lines) if re.match(rf"- id: {re.escape(centre_id)}\s*$", line))
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"(- id: |\S)", lines[i])), len(lines))
        block = lines[start:end]
        for kind in KINDS:
            facts = entry["contacts"].get(kind) or []
            if not facts:
                continue
            new_keys = {fact_key(kind, f) for f in facts}
            # drop the curated facts the registry now states (same digits, address or URL)
            keep_old = [f for f in existing.get(kind) or [] if fact_key(kind, f) not in new_keys]
            rendered = []
            for fact in facts:
                sid = source_id(centre_id, fact["source"]["url"], fact["verified"])
                sources[sid] = {k: fact["source"][k] for k in ("title", "url", "date", "kind")}
                rendered.append(fact_line(kind, fact, sid, "    "))
            block = _replace_list(block, kind, rendered, keep_old)
        lines[start:end] = block
    return "".join(lines), sources


def _replace_list(block: list[str], kind: str, rendered: list[str], keep_old: list[dict]) -> list[str]:
    """The centre's block with `contacts.<kind>` holding the new facts, then the old ones kept."""
    contacts = next((i for i, line in enumerate(block) if line.startswith("  contacts:")), None)
    if contacts is None:
        end = len(block)
        while end > 1 and not block[end - 1].strip():
            end -= 1
        block = block[:end] + ["  contacts:\n"] + block[end:]
        contacts = end
    header = next((i for i in range(contacts + 1, len(block)) if block[i].startswith(f"    {kind}:")
                   or not block[i].startswith("    ")), None)
    if header is None or not block[header].startswith(f"    {kind}:"):
        at = header if header is not None else len(block)
        return block[:at] + [f"    {kind}:\n"] + rendered + block[at:]
    items_end = header + 1
    while items_end < len(block) and block[items_end].startswith("    - "):
        items_end += 1
    old_lines = block[header + 1:items_end]
    kept = [line for line in old_lines if any(_mentions(line, fact) for fact in keep_old)]
    return block[:header + 1] + rendered + kept + block[items_end:]


def _mentions(line: str, fact: dict) -> bool:
    value = fact.get("number") or fact.get("address") or fact.get("url") or (fact.get("lines") or [""])[0]
    return str(value) in line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("refreshed", help="the contacts.json `elyguide refresh` wrote")
    parser.add_argument("--curated", default=str(CURATED / "centres.yaml"))
    parser.add_argument("--sources", default=str(CURATED / "sources.yaml"))
    args = parser.parse_args(argv)
    refreshed = json.loads(Path(args.refreshed).read_text(encoding="utf-8"))
    curated = Path(args.curated)
    text, sources = fold(curated.read_text(encoding="utf-8"), refreshed)
    yaml.safe_load(text)  # still YAML
    curated.write_text(text, encoding="utf-8")
    sources_path = Path(args.sources)
    existing = sources_path.read_text(encoding="utf-8") if sources_path.exists() else ""
    known = yaml.safe_load(existing) or {}
    added = "".join(f"{sid}:\n" + "".join(f"  {k}: {flow(v)}\n" for k, v in source.items())
                    for sid, source in sources.items() if sid not in known)
    sources_path.write_text(existing + ("\n" if existing and not existing.endswith("\n") else "") + added, encoding="utf-8")
    print(f"fold_refresh: {len(sources)} registry records folded into {curated}; sources in {sources_path}. "
          "Now run scripts/build_data.py and review the diff.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
