#!/usr/bin/env python3
"""Regenerate the command reference in README.md from elyguide's own help texts (in English).

    python scripts/readme_reference.py          # rewrite the section in README.md
    python scripts/readme_reference.py --check  # exit 1 if README.md is out of date

tests/test_docs.py runs the check, so the README cannot drift from the commands.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"
sys.path.insert(0, str(ROOT / "src"))


def reference() -> str:
    from elyguide.helptext import render_help
    from elyguide.options import COMMANDS

    parts = []
    for path in [None, *(c.path for c in COMMANDS)]:
        title = " ".join(("elyguide", *(path or ())))
        help_text = "\n".join(line.rstrip() for line in render_help(path, "en", 100).strip().splitlines())
        parts.append(f"### `{title}`\n\n```text\n{help_text}\n```\n")
    return "\n".join(parts)


def replace_section(readme: str, body: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {START} … {END} section")
    return pattern.sub(lambda _: f"{START}\n{body}\n{END}", readme)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    fresh = replace_section(current, reference())
    if args.check:
        if fresh != current:
            print("readme_reference: README.md's command reference is out of date; run scripts/readme_reference.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
