#!/usr/bin/env python3
"""Fetch raw inputs into data/sources/ and record each file in data/sources/manifest.yaml.

    python scripts/fetch_sources.py statfi --year 2027 [--base-url URL] [--out DIR]
    python scripts/fetch_sources.py posti [--url URL | --index-url URL] [--out DIR]

statfi: the Statistics Finland classifications valid on YYYY-01-01, from the classification API
(default base https://data.stat.fi/api/classifications/v2; URL forms as in
/work/shared/sources/centres/ptv-open-api-research.md section 8):
  classifications/{id}/classificationItems?content=data&meta=max&lang={fi,sv,en}&format=json
      for kunta_1_YYYY0101, maakunta_1_YYYY0101, evk_1_YYYY0101
      -> statfi/{id}_{lang}.json
  correspondenceTables/{src}%23{tgt}/maps?content=data&meta=min&lang=fi
      for kunta_1_YYYY0101#maakunta_1_YYYY0101 and kunta_1_YYYY0101#evk_1_YYYY0101
      -> statfi/{src}__{tgt}.json
  and, where Statistics Finland publishes it, kunta_1_{YYYY-1}0101#kunta_1_YYYY0101: the year's
  municipality changes (every old code to its new one). That table is not in the research note;
  a 404 for it is logged and skipped, and the build then takes the year's mergers from
  data/curated/mergers_after_2019.csv.
  The '?content=data' maps form has answered HTTP 500 before (research note, section 8, "Known
  glitch"). If it still does after one retry, the plain .../maps list is fetched instead: a JSON
  array of map URLs ending in .../maps/<source code>/<target code>. That list is saved as the
  file, its manifest note says so, and correspondence_pairs() reads either form.

posti: Posti's postal code file (PCF), saved exactly as downloaded under posti/. Without --url the
newest PCF_YYYYMMDD.zip (else .dat) linked from the listing https://www.posti.fi/webpcode/ is
taken. pcf_rows() converts the file to the JSON rows build_data.py reads; it is not run on fetch.

Every response is checked (JSON of the documented shape; a parsable PCF) and kept in memory.
Nothing is written unless every download of the run succeeded: the files are then written to
temporary names, moved into place, and the manifest is saved last. The existing manifest is
verified (sources_manifest.load) before anything is fetched.

Network: 30 s timeout per request; one retry on HTTP 5xx or 429 (after --retry-delay seconds, or
the server's Retry-After if that is shorter than a minute). Standard library + PyYAML only.

Exit status: 0 ok; 1 fetch failed (network, HTTP, bad content, manifest, disk); 2 usage.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sources_manifest  # noqa: E402
from sources_manifest import Entry, ManifestError, sha256_bytes  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "sources"
STATFI_BASE = "https://data.stat.fi/api/classifications/v2"
POSTI_INDEX = "https://www.posti.fi/webpcode/"
TIMEOUT = 30.0
USER_AGENT = "elyguide-fetch-sources/1 (Python urllib)"

CLASSIFICATIONS = ("kunta", "maakunta", "evk")
LANGS = ("fi", "sv", "en")
CORRESPONDENCES = (("kunta", "maakunta"), ("kunta", "evk"))


class FetchError(Exception):
    """A download or a check failed. The message is one line."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass
class Download:
    """One fetched file, held in memory until the whole run has succeeded."""

    relpath: str  # relative to the output folder, e.g. statfi/kunta_1_20270101_fi.json
    data: bytes
    entry: Entry


# ------------------------------------------------------------------------------------ HTTP
def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_get(url: str, *, retry_delay: float, accept: str = "*/*") -> bytes:
    """GET url; one retry on 5xx/429. Raises FetchError (with .status for HTTP errors)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    for attempt in (1, 2):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            status = error.code
            retryable = status == 429 or 500 <= status <= 599
            if retryable and attempt == 1:
                time.sleep(_retry_after(error.headers.get("Retry-After"), retry_delay))
                continue
            tried = " (after 1 retry)" if retryable else ""
            raise FetchError(f"GET {url}: HTTP {status} {error.reason}{tried}", status) from None
        except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FetchError(f"GET {url}: {' '.join(str(reason).split()) or type(error).__name__}") from None
    raise AssertionError("unreachable")


def _retry_after(header: str | None, default: float) -> float:
    try:
        seconds = float(header) if header is not None else None
    except ValueError:
        seconds = None
    return seconds if seconds is not None and 0 <= seconds < 60 else default


# ------------------------------------------------------------------------ Statistics Finland
def classification_id(name: str, year: int) -> str:
    return f"{name}_1_{year}0101"


def items_url(base: str, cid: str, lang: str) -> str:
    return f"{base}/classifications/{cid}/classificationItems?content=data&meta=max&lang={lang}&format=json"


def maps_url(base: str, src: str, tgt: str) -> str:
    return f"{base}/correspondenceTables/{src}%23{tgt}/maps?content=data&meta=min&lang=fi"


def maps_list_url(base: str, src: str, tgt: str) -> str:
    return f"{base}/correspondenceTables/{src}%23{tgt}/maps"


def _json(data: bytes, what: str):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FetchError(f"{what}: not valid JSON ({error})") from None


def classification_codes(data: bytes, cid: str, what: str) -> set[str]:
    """Check a classificationItems response and return its codes.

    Shape (research note section 8, "Item shape"): a JSON array of objects, each with
    code ("091"), classificationItemNames [{lang, name, ...}, ...] and, when present,
    localId "<classification>/<code>"."""
    items = _json(data, what)
    if not isinstance(items, list) or not items:
        raise FetchError(f"{what}: expected a non-empty JSON array of classification items")
    codes = set()
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise FetchError(f"{what}: item {number} is not an object")
        code = item.get("code")
        if not isinstance(code, str) or not code:
            raise FetchError(f"{what}: item {number} has no code")
        names = item.get("classificationItemNames")
        if not isinstance(names, list) or not names or not all(isinstance(n, dict) and isinstance(n.get("name"), str) for n in names):
            raise FetchError(f"{what}: item {code} has no classificationItemNames [{{name, lang}}]")
        local_id = item.get("localId")
        if local_id is not None and local_id != f"{cid}/{code}":
            raise FetchError(f"{what}: item {code} has localId {local_id!r}, expected {cid}/{code}")
        if code in codes:
            raise FetchError(f"{what}: code {code} appears twice")
        codes.add(code)
    return codes


_MAP_URL = re.compile(r"/maps/([^/?#]+)/([^/?#]+)/?$")


def correspondence_pairs(data: bytes, what: str = "correspondence") -> list[tuple[str, str]]:
    """The (source code, target code) pairs of a saved correspondence file, in either form:

    - the '?content=data' form (research note section 8, "Map item shape"): a JSON array of
      {sourceLocalId: "kunta_1_YYYYMMDD/091", targetLocalId: "maakunta_1_YYYYMMDD/01",
      sourceItem: {code, ...}, targetItem: {code, ...}}; the code is the part of the local id
      after '/', or sourceItem.code / targetItem.code;
    - the plain '/maps' list used when that form fails (same section, "Known glitch"): a JSON
      array of map URLs ending in .../maps/<source code>/<target code> (an object with a 'url'
      member is accepted too)."""
    maps = _json(data, what)
    if not isinstance(maps, list) or not maps:
        raise FetchError(f"{what}: expected a non-empty JSON array of maps")
    pairs = []
    for number, item in enumerate(maps, 1):
        if isinstance(item, dict) and isinstance(item.get("url"), str) and "sourceLocalId" not in item and "sourceItem" not in item:
            item = item["url"]
        if isinstance(item, str):
            match = _MAP_URL.search(urllib.parse.urlsplit(item).path)
            if not match:
                raise FetchError(f"{what}: map {number} is a URL without .../maps/<source>/<target>: {item[:120]}")
            pairs.append((urllib.parse.unquote(match.group(1)), urllib.parse.unquote(match.group(2))))
        elif isinstance(item, dict):
            source, target = _map_code(item, "source"), _map_code(item, "target")
            if not source or not target:
                raise FetchError(f"{what}: map {number} has no sourceLocalId/sourceItem.code or targetLocalId/targetItem.code")
            pairs.append((source, target))
        else:
            raise FetchError(f"{what}: map {number} is neither an object nor a URL")
    return pairs


def _map_code(item: dict, side: str) -> str | None:
    local_id = item.get(f"{side}LocalId")
    if isinstance(local_id, str) and "/" in local_id and local_id.rsplit("/", 1)[1]:
        return local_id.rsplit("/", 1)[1]
    inner = item.get(f"{side}Item")
    if isinstance(inner, dict) and isinstance(inner.get("code"), str) and inner["code"]:
        return inner["code"]
    return None


def fetch_statfi(year: int, base: str, retry_delay: float, log) -> list[Download]:
    valid_on = f"{year}-01-01"
    downloads: list[Download] = []
    codes: dict[str, set[str]] = {}
    for name in CLASSIFICATIONS:
        cid = classification_id(name, year)
        for lang in LANGS:
            url = items_url(base, cid, lang)
            data = http_get(url, retry_delay=retry_delay, accept="application/json")
            found = classification_codes(data, cid, f"{cid} ({lang})")
            if cid in codes and found != codes[cid]:
                raise FetchError(f"{cid}: lang {lang} has other codes than lang {LANGS[0]}")
            codes[cid] = found
            relpath = f"statfi/{cid}_{lang}.json"
            note = f"raw classificationItems response of {cid}, lang {lang}, {len(found)} items"
            downloads.append(_download(relpath, data, "statfi-classification", valid_on, url, sources_manifest.LICENCE_STATFI, note))
            log(f"  {relpath}: {len(found)} items")
    tables = [(classification_id(src, year), classification_id(tgt, year)) for src, tgt in CORRESPONDENCES]
    tables.append((classification_id("kunta", year - 1), classification_id("kunta", year)))  # the changes
    for src, tgt in tables:
        what = f"{src}#{tgt}"
        changes = src not in codes
        try:
            url, data, note = _fetch_maps(base, src, tgt, retry_delay, log)
        except FetchError as error:
            if changes and error.status == 404:
                log(f"  {what}: not published; the build takes this year's mergers from data/curated/mergers_after_2019.csv")
                continue
            raise
        pairs = correspondence_pairs(data, what)
        # The year before's codes are not fetched: of a change table only the targets are checked.
        _check_pairs(pairs, what, {s for s, _ in pairs} if changes else codes[src], codes[tgt], log)
        relpath = f"statfi/{src}__{tgt}.json"
        downloads.append(_download(relpath, data, "statfi-correspondence", valid_on, url, sources_manifest.LICENCE_STATFI, f"{note}; {len(pairs)} maps"))
        log(f"  {relpath}: {len(pairs)} maps")
    return downloads


def _fetch_maps(base: str, src: str, tgt: str, retry_delay: float, log) -> tuple[str, bytes, str]:
    """One correspondence table: the ?content=data form, or the plain /maps list when that
    form answers HTTP 500. Returns the URL read, its bytes and the manifest note."""
    what = f"{src}#{tgt}"
    url = maps_url(base, src, tgt)
    try:
        return url, http_get(url, retry_delay=retry_delay, accept="application/json"), f"raw correspondence maps {what} (?content=data form)"
    except FetchError as error:
        if error.status != 500:
            raise
    url = maps_list_url(base, src, tgt)
    log(f"  {what}: the ?content=data form answered HTTP 500; using the plain /maps list")
    note = (
        f"correspondence {what}: FALLBACK. The /maps?content=data&meta=min&lang=fi form answered HTTP 500, "
        "so this is the plain /maps list: a JSON array of map URLs ending in /maps/<source code>/<target code>, "
        "without names. Read it with fetch_sources.correspondence_pairs()"
    )
    return url, http_get(url, retry_delay=retry_delay, accept="application/json"), note


def _check_pairs(pairs, what, source_codes, target_codes, log) -> None:
    sources = {s for s, _ in pairs}
    unknown = sorted(sources - source_codes)
    if unknown:
        raise FetchError(f"{what}: source code(s) not in the classification: {', '.join(unknown[:5])}")
    unknown = sorted({t for _, t in pairs} - target_codes)
    if unknown:
        raise FetchError(f"{what}: target code(s) not in the classification: {', '.join(unknown[:5])}")
    twice = sorted(s for s in sources if sum(1 for p in pairs if p[0] == s) > 1)
    if twice:
        raise FetchError(f"{what}: source code(s) mapped more than once: {', '.join(twice[:5])}")
    missing = sorted(source_codes - sources)
    if missing:  # reported, not fatal: the build decides whether a gap matters
        log(f"  warning: {what} maps no target for {len(missing)} source code(s): {', '.join(missing[:10])}")


# -------------------------------------------------------------------------------------- Posti
# Layout of Posti's postal code file (PCF, "Postinumeroaineisto"): fixed width, ISO-8859-1, one
# 220-character record per line. Posti's own description is "Postinumeropalvelut - palvelukuvaus
# ja käyttöehdot" (http://www.posti.fi/liitteet-yrityksille/ehdot/postinumeropalvelut-palvelukuvaus-ja-kayttoehdot.pdf).
# We could not read that PDF itself. The layout below is the one three independent parsers use,
# all citing Posti's description, and they agree field for field:
#   - theikkila/postinumerot fetch.py (commit 0e81f18fa8df74bfd233d094a27cf4ae0a2518b0): the scraper that
#     produced data/sources/municipalities/posti_pcf_postcodes_20260526.json; the field names
#     below are its names, so pcf_rows() gives rows in exactly that file's shape;
#   - metosin/clj-suomi src/clj_suomi/codesets/postalcodes.clj (commit cf868791f418e65d08983ac91092e5882751a032),
#     which also reads the zip from https://www.posti.fi/webpcode/ and names the encoding;
#   - dr5hn/countries-states-cities-database, PR #1513 (2026-05), 1-indexed positions, "220 chars/record".
# type_code (clj-suomi): 1 ordinary, 2 PO box, 3 company, 4 aggregation, 5 reply mail, 6 parcel
# machine, 7 pick-up point, 8 technical. municipal_language_ratio_code: 1 fi, 2/3 bilingual, 4 sv.
PCF_LAYOUT = (
    ("record_id", 5),  # "PONOT"; not kept in the rows
    ("date", 8),  # run date YYYYMMDD (the date in the file name)
    ("postcode", 5),
    ("postcode_fi_name", 30),
    ("postcode_sv_name", 30),
    ("postcode_abbr_fi", 12),
    ("postcode_abbr_sv", 12),
    ("valid_from", 8),  # YYYYMMDD
    ("type_code", 1),
    ("ad_area_code", 5),  # administrative area (NUTS 3 style, e.g. FI1D3)
    ("ad_area_fi", 30),
    ("ad_area_sv", 30),
    ("municipal_code", 3),
    ("municipal_name_fi", 20),
    ("municipal_name_sv", 20),
    ("municipal_language_ratio_code", 1),
)
PCF_RECORD_LENGTH = sum(width for _, width in PCF_LAYOUT)  # 220
PCF_ENCODING = "iso-8859-1"
_PCF_NAME = re.compile(r"PCF_(\d{8})\.(zip|dat)$", re.IGNORECASE)


def pcf_text(raw: bytes) -> str:
    """The PCF records as text, from the zip Posti publishes or from the bare .dat."""
    if raw[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = [n for n in archive.namelist() if re.search(r"PCF_\d{8}\.dat$", n, re.IGNORECASE)]
                if len(members) != 1:
                    raise FetchError(f"PCF zip: expected one PCF_YYYYMMDD.dat inside, found {archive.namelist()[:5]}")
                raw = archive.read(members[0])
        except zipfile.BadZipFile as error:
            raise FetchError(f"PCF zip: {error}") from None
    return raw.decode(PCF_ENCODING)


def pcf_rows(raw: bytes) -> list[dict[str, str]]:
    """Posti's PCF file (zip or .dat bytes) as a list of dicts with the keys and stripped string
    values of posti_pcf_postcodes_20260526.json (date, postcode, postcode_fi_name, ...,
    municipal_code, municipal_name_fi, municipal_name_sv, municipal_language_ratio_code), in file
    order. Raises FetchError on a line that is not a full PONOT record."""
    rows = []
    for number, line in enumerate(pcf_text(raw).splitlines(), 1):
        if not line.strip():
            continue
        if not line.startswith("PONOT") or len(line) < PCF_RECORD_LENGTH:
            raise FetchError(f"PCF line {number}: not a {PCF_RECORD_LENGTH}-character PONOT record: {line[:40]!r}")
        row, offset = {}, 0
        for key, width in PCF_LAYOUT:
            if key != "record_id":
                row[key] = line[offset:offset + width].strip()
            offset += width
        if not re.fullmatch(r"\d{5}", row["postcode"]) or not re.fullmatch(r"\d{3}", row["municipal_code"]):
            raise FetchError(f"PCF line {number}: postcode {row['postcode']!r} / municipality {row['municipal_code']!r} malformed")
        rows.append(row)
    if not rows:
        raise FetchError("PCF: no records")
    return rows


def latest_pcf_link(listing: str, listing_url: str) -> str:
    """The newest PCF_YYYYMMDD.zip (else .dat) linked from Posti's listing page."""
    links = {}
    for href in re.findall(r"""href\s*=\s*["']([^"']+)["']""", listing, re.IGNORECASE):
        url = urllib.parse.urljoin(listing_url, href.strip())
        match = _PCF_NAME.search(urllib.parse.urlsplit(url).path)
        if match:
            links[(match.group(2).lower() == "zip", match.group(1))] = url
    if not links:
        raise FetchError(f"{listing_url}: no PCF_YYYYMMDD.zip or .dat link found; pass --url")
    zips = [key for key in links if key[0]]
    return links[max(zips or links, key=lambda key: key[1])]


def fetch_posti(url: str | None, index_url: str, retry_delay: float, log) -> list[Download]:
    if url is None:
        listing = http_get(index_url, retry_delay=retry_delay, accept="text/html").decode("utf-8", "replace")
        url = latest_pcf_link(listing, index_url)
        log(f"  newest file in {index_url}: {url}")
    data = http_get(url, retry_delay=retry_delay)
    rows = pcf_rows(data)
    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    match = _PCF_NAME.search(name)
    run_date = rows[0]["date"]
    if not match:
        suffix = "zip" if data[:4] == b"PK\x03\x04" else "dat"
        name = f"PCF_{run_date}.{suffix}"
    elif match.group(1) != run_date:
        raise FetchError(f"{name}: the records say run date {run_date}")
    valid_on = f"{run_date[:4]}-{run_date[4:6]}-{run_date[6:]}"
    relpath = f"posti/{name}"
    note = (
        f"Posti's postal code file as downloaded, run date {run_date}, {len(rows)} records; "
        "fixed width, ISO-8859-1; convert with fetch_sources.pcf_rows()"
    )
    log(f"  {relpath}: {len(rows)} postal codes")
    return [_download(relpath, data, "posti-pcf", valid_on, url, sources_manifest.LICENCE_POSTI, note)]


# ------------------------------------------------------------------------------- committing
def _download(relpath, data, role, valid_on, url, licence, note) -> Download:
    entry = Entry(path=relpath, role=role, valid_on=valid_on, url=url, retrieved=utc_now(),
                  sha256=sha256_bytes(data), licence=licence, note=note)
    return Download(relpath, data, entry)


def commit(out: Path, manifest: sources_manifest.Manifest, downloads: list[Download]) -> None:
    """Write every download to a temporary name, move them all into place, then save the manifest."""
    staged: list[tuple[Path, Path]] = []
    try:
        for download in downloads:
            target = out / download.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            tmp.write_bytes(download.data)
            staged.append((tmp, target))
        for tmp, target in staged:
            os.replace(tmp, target)
        for download in downloads:
            manifest.add_or_replace(download.entry)
        manifest.save()
    except OSError as error:
        raise FetchError(f"writing {out}: {error}") from None
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
    sources_manifest.load(out)  # the folder and the manifest agree


# -------------------------------------------------------------------------------------- CLI
def _year(text: str) -> int:
    if not re.fullmatch(r"(19|2\d)\d\d", text):
        raise argparse.ArgumentTypeError(f"not a four-digit year: {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 600:
        raise argparse.ArgumentTypeError(f"not a number of seconds from 0 to 600: {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="fetch_sources.py",
        description="Fetch raw inputs into data/sources/ and record them in data/sources/manifest.yaml.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="{statfi,posti}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", type=Path, default=DEFAULT_OUT, help="sources folder holding manifest.yaml (default: data/sources)")
    common.add_argument("--retry-delay", type=_seconds, default=2.0, metavar="SECONDS", help="wait before the one retry on HTTP 5xx/429 (default 2)")
    statfi = commands.add_parser("statfi", parents=[common], help="Statistics Finland classifications valid on YYYY-01-01")
    statfi.add_argument("--year", type=_year, required=True, help="classification year, e.g. 2027 (fetches *_1_YYYY0101)")
    statfi.add_argument("--base-url", default=STATFI_BASE, help=f"classification API base (default {STATFI_BASE})")
    posti = commands.add_parser("posti", parents=[common], help="Posti's postal code file (PCF)")
    source = posti.add_mutually_exclusive_group()
    source.add_argument("--url", help="the PCF file to fetch (zip or .dat); default: the newest one linked from --index-url")
    source.add_argument("--index-url", default=POSTI_INDEX, help=f"listing page to find the newest PCF_YYYYMMDD.zip in (default {POSTI_INDEX})")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)  # exits 2 on usage errors

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    out: Path = args.out
    try:
        manifest = sources_manifest.load(out, missing_ok=True)
        if args.command == "statfi":
            base = args.base_url.rstrip("/")
            log(f"fetching Statistics Finland classifications valid on {args.year}-01-01 from {base}")
            downloads = fetch_statfi(args.year, base, args.retry_delay, log)
        else:
            log("fetching Posti's postal code file")
            downloads = fetch_posti(args.url, args.index_url, args.retry_delay, log)
        commit(out, manifest, downloads)
    except (FetchError, ManifestError) as error:
        print(f"fetch_sources: error: {error}", file=sys.stderr)
        return 1
    print(f"fetch_sources: wrote {len(downloads)} file(s) under {out} and updated {out / sources_manifest.MANIFEST_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
