#!/usr/bin/env python3
"""Convert rOpenGov/geofi's municipality keys (R .rda files) to the CSV files in data/sources/.

    pip install rdata pandas
    python scripts/geofi_to_csv.py municipality_key_2026.rda data/sources/municipalities/geofi_municipality_key_2026.csv
    python scripts/geofi_to_csv.py --slim municipality_key.rda data/sources/municipalities/geofi_municipality_key_2013_2026_slim.csv

The .rda files are at https://github.com/rOpenGov/geofi/tree/<commit>/data (the commit of each
file is in data/sources/manifest.yaml). geofi builds them from Statistics Finland's classification
API with inst/extras/municipality_keys.R; this script changes only the format: one data frame,
every column (or, with --slim, the columns SLIM_COLUMNS, rows sorted by year and code), written
as UTF-8 CSV with a header and no index, each value as pandas writes it: text as is ("005"), R
integers as 11, R doubles as 2026.0 (so the year column of the 2025 and 2026 keys reads 2026.0).

Provenance note: the CSVs in data/sources/ were converted before this script was kept; it was
written afterwards to the same specification. GitHub is not reachable from the build machines, so
it has not been run on geofi's own .rda files. What was checked (2026-11-30, rdata 1.1.0, pandas
3.1.1): each committed CSV, read back with its column types (text, R integer, R double) and
written to .rda with rdata.write_rda, converts back to the committed bytes exactly. After a real
conversion, review the diff and record the file with its new sha256 in data/sources/manifest.yaml.
For next year's division, prefer `scripts/fetch_sources.py statfi --year YYYY`, which reads the
same classification API directly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SLIM_COLUMNS = ("year", "kunta", "municipality_name_fi", "municipality_name_sv", "maakunta_code", "maakunta_name_fi",
                "kielisuhde_code", "ely_code", "evk_code")


def read_frame(rda: Path):
    import rdata  # optional: only this script needs it

    objects = rdata.read_rda(str(rda))
    if len(objects) != 1:
        raise SystemExit(f"{rda}: expected one data frame, found {', '.join(objects) or 'none'}")
    return next(iter(objects.values()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rda", type=Path, help="a geofi municipality_key*.rda file")
    parser.add_argument("csv", type=Path, help="the CSV file to write")
    parser.add_argument("--slim", action="store_true", help="keep only the columns of the yearly-keys table")
    args = parser.parse_args(argv)
    frame = read_frame(args.rda)
    if args.slim:
        missing = [c for c in SLIM_COLUMNS if c not in frame.columns]
        if missing:
            raise SystemExit(f"{args.rda}: no column(s) {', '.join(missing)}")
        frame = frame[list(SLIM_COLUMNS)].sort_values(["year", "kunta"], kind="stable")
    frame.to_csv(args.csv, index=False, encoding="utf-8", lineterminator="\n")
    print(f"geofi_to_csv: wrote {args.csv} ({len(frame)} rows, {len(frame.columns)} columns)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
