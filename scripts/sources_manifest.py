"""Read, check and write data/sources/manifest.yaml: the list of every raw input the build may read.

Each entry names one file under data/sources/, what the build uses it for (its *role*), the
classification date it is valid on, where it came from, when, its SHA-256 and its licence.
``load()`` refuses a manifest whose files are missing or changed, and refuses any file in the
data folders that the manifest does not list, so an input cannot change or appear unnoticed.

    import sources_manifest                      # scripts/ on sys.path
    manifest = sources_manifest.load(ROOT / "data" / "sources")
    key = manifest.latest("municipality-key")    # the newest entry of that role
    rows = manifest.path(key).read_text(encoding="utf-8")
    for entry in manifest.find("statfi-classification", valid_on="2027-01-01"): ...

Scope of the check: the *data folders* are the subfolders of data/sources/ (municipalities/,
statfi/, posti/, centres/ ...), searched recursively. Every file in them must be listed, except
documentation (``*.md``). Files directly in data/sources/ (this manifest, READMEs, page captures
such as suomi-fi-service-ohjaus-ja-neuvonta.txt) are outside the check and cannot be listed.

Standard library plus PyYAML only. Never imported by elyguide at run time.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

import yaml

MANIFEST_NAME = "manifest.yaml"

# The licences of the raw inputs, as the manifest records them and the built data cites them.
LICENCE_STATFI = "CC BY 4.0 (Statistics Finland; credit: Lähde: Tilastokeskus / Source: Statistics Finland)"
LICENCE_POSTI = "Posti's terms of use for its postal code files (posti.fi, 'postinumerotiedostot')"

# Stable role names: what the build uses a file for. Adding a role is a deliberate edit here,
# so a typo in the manifest is refused instead of silently matching nothing.
ROLES: dict[str, str] = {
    "statfi-classification": "raw classificationItems response of the Statistics Finland classification API "
    "(one classification, one language), e.g. kunta_1_YYYY0101, maakunta_1_YYYY0101, evk_1_YYYY0101",
    "statfi-correspondence": "raw correspondence-table maps of the same API, e.g. kunta_1_YYYY0101#evk_1_YYYY0101 "
    "(the ?content=data form, or the plain URL list when that form fails; see the entry's note)",
    "municipality-key": "one year's municipality key: kunta with its correspondence tables (maakunta, kielisuhde, evk/ely ...)",
    "municipality-key-history": "municipality keys of many years in one table (region moves, merger years, old names)",
    "abolished-municipalities": "Statistics Finland's list of abolished municipalities and their successors",
    "postal-codes": "Posti's postal code file as JSON rows (postcode, postcode_fi_name, municipal_code, type_code ...)",
    "posti-pcf": "Posti's postal code file (PCF) exactly as downloaded (zip or fixed-width .dat)",
}

_FIELDS = ("path", "role", "valid_on", "url", "retrieved", "sha256", "licence", "note")
_REQUIRED = ("path", "role", "retrieved", "sha256", "licence")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_RETRIEVED = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?\Z")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")

HEADER = """\
# Raw inputs under data/sources/: what each file is, where it came from and its SHA-256.
# Read and written by scripts/sources_manifest.py; scripts/fetch_sources.py adds the files it
# fetches. The build and the tests refuse to run when a listed file is missing or differs from
# its sha256, or when a data folder (a subfolder of data/sources/) holds a file that is not
# listed here (*.md documentation excepted). Provenance in prose: municipalities/PROVENANCE.md.
#
# One entry per file, sorted by path:
#   path:      the file, relative to data/sources/ (always inside a subfolder)
#   role:      what the build uses it for (one of the roles below)
#   valid_on:  the classification date or vintage (YYYY-MM-DD), where the file has one
#   url:       where it was retrieved from (for files derived by us: omitted; see note)
#   retrieved: the snapshot date (YYYY-MM-DD), or the UTC time of a fetch (YYYY-MM-DDTHH:MM:SSZ)
#   sha256:    of the file's bytes
#   licence:   of the data (and of the copy it came from, where that differs)
#   note:      optional: how the file was derived, fallbacks used, what to watch for
#
# Roles:
"""


class ManifestError(Exception):
    """The manifest or a file it lists is wrong. The message is one line and names the file."""


@dataclass(frozen=True)
class Entry:
    path: str
    role: str
    retrieved: str
    sha256: str
    licence: str
    valid_on: str | None = None
    url: str | None = None
    note: str | None = None

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    def as_dict(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in _FIELDS if getattr(self, key) is not None}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Manifest:
    def __init__(self, sources_dir: Path, entries: list[Entry] | None = None):
        self.sources_dir = Path(sources_dir)
        self._entries: dict[str, Entry] = {}
        for entry in entries or []:
            self.add_or_replace(entry)

    @property
    def file(self) -> Path:
        return self.sources_dir / MANIFEST_NAME

    @property
    def entries(self) -> list[Entry]:
        return [self._entries[path] for path in sorted(self._entries)]

    def path(self, entry: Entry) -> Path:
        """The file an entry lists, as a path on disk."""
        return self.sources_dir / PurePosixPath(entry.path)

    def find(self, role: str, valid_on: str | None = None) -> list[Entry]:
        """Entries of a role (and of one classification date, if given), sorted by path."""
        _check_role(role, "find()")
        return [e for e in self.entries if e.role == role and (valid_on is None or e.valid_on == valid_on)]

    def latest_valid_on(self, role: str) -> str:
        """The newest valid_on among the entries of a role."""
        dated = [e.valid_on for e in self.find(role) if e.valid_on]
        if not dated:
            raise ManifestError(f"{MANIFEST_NAME}: no dated entry has role {role!r}")
        return max(dated)

    def latest(self, role: str) -> Entry:
        """The one entry of a role with the newest valid_on. When several files share that date
        (e.g. the fi/sv/en files of one classification), raise: use find(role, latest_valid_on(role))."""
        newest = self.latest_valid_on(role)
        entries = self.find(role, newest)
        if len(entries) > 1:
            names = ", ".join(e.path for e in entries)
            raise ManifestError(f"{MANIFEST_NAME}: {len(entries)} entries of role {role!r} are valid on {newest} ({names}); use find()")
        return entries[0]

    def add_or_replace(self, entry: Entry) -> None:
        """Add an entry, replacing any entry for the same path. The file is checked by load(), not here."""
        _check_entry(entry)
        self._entries[entry.path] = entry

    def remove(self, path: str) -> None:
        self._entries.pop(path, None)

    def dumps(self) -> str:
        """The manifest as YAML: same entries, same bytes."""
        roles = "".join(f"#   {name}: {text}\n" for name, text in ROLES.items())
        body = yaml.dump(
            {"files": [e.as_dict() for e in self.entries]},
            Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000,
        )
        return HEADER + roles + "\n" + body

    def save(self) -> None:
        """Write manifest.yaml deterministically (entries sorted by path, fields in a fixed order),
        through a temporary file so a reader never sees half a manifest."""
        self.sources_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f".{MANIFEST_NAME}.tmp-{os.getpid()}")
        try:
            tmp.write_text(self.dumps(), encoding="utf-8", newline="\n")
            os.replace(tmp, self.file)
        finally:
            if tmp.exists():
                tmp.unlink()


def load(sources_dir: Path | str, *, missing_ok: bool = False) -> Manifest:
    """Load data/sources/manifest.yaml and check it against the files.

    Raises ManifestError (one line, naming the file) if the manifest is malformed, a listed file
    is missing or its SHA-256 differs, or a data folder holds a file the manifest does not list.
    With missing_ok, a missing manifest counts as an empty one (the folder check still applies)."""
    sources_dir = Path(sources_dir)
    file = sources_dir / MANIFEST_NAME
    if not file.exists():
        if not missing_ok:
            raise ManifestError(f"{file}: not found")
        manifest = Manifest(sources_dir)
    else:
        manifest = Manifest(sources_dir, _parse(file))
    for entry in manifest.entries:
        target = manifest.path(entry)
        if not target.is_file():
            raise ManifestError(f"{entry.path}: listed in {MANIFEST_NAME} but missing")
        actual = sha256_of(target)
        if actual != entry.sha256:
            raise ManifestError(f"{entry.path}: sha256 {actual} differs from {MANIFEST_NAME} ({entry.sha256}); the file changed")
    unlisted = [path for path in _data_files(sources_dir) if path not in manifest._entries]
    if unlisted:
        more = f" (and {len(unlisted) - 1} more)" if len(unlisted) > 1 else ""
        raise ManifestError(f"{unlisted[0]}: not listed in {MANIFEST_NAME}{more}; add it (with its sha256) or remove it")
    return manifest


# ------------------------------------------------------------------------------------ internals
class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings: '2026-01-01' stays text whether or not it is quoted."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # list items indented under "files:"
        return super().increase_indent(flow, False)


def _parse(file: Path) -> list[Entry]:
    try:
        document = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        reason = " ".join(str(error).split())
        raise ManifestError(f"{file.name}: not valid YAML: {reason}") from None
    if not isinstance(document, dict) or set(document) != {"files"} or not isinstance(document["files"], list):
        raise ManifestError(f"{file.name}: expected a mapping with one key, 'files', holding a list")
    entries = []
    seen = set()
    for number, raw in enumerate(document["files"], 1):
        where = f"{file.name}: entry {number}"
        if not isinstance(raw, dict):
            raise ManifestError(f"{where}: expected a mapping")
        if isinstance(raw.get("path"), str):
            where = f"{raw['path']}: in {file.name}"
        unknown = sorted(set(map(str, raw)) - set(_FIELDS))
        if unknown:
            raise ManifestError(f"{where}: unknown field(s) {', '.join(unknown)}")
        missing = [key for key in _REQUIRED if raw.get(key) in (None, "")]
        if missing:
            raise ManifestError(f"{where}: missing {', '.join(missing)}")
        not_text = [key for key, value in raw.items() if value is not None and not isinstance(value, str)]
        if not_text:
            raise ManifestError(f"{where}: {', '.join(map(str, not_text))} must be text")
        entry = Entry(**{key: raw.get(key) for key in _FIELDS})
        _check_entry(entry)
        if entry.path in seen:
            raise ManifestError(f"{where}: listed twice")
        seen.add(entry.path)
        entries.append(entry)
    return entries


def _check_role(role: str, where: str) -> None:
    if role not in ROLES:
        raise ManifestError(f"{where}: unknown role {role!r} (known: {', '.join(ROLES)})")


def _check_entry(entry: Entry) -> None:
    where = f"{entry.path}: in {MANIFEST_NAME}"
    path = PurePosixPath(entry.path)
    if (
        not entry.path
        or "\\" in entry.path
        or path.is_absolute()
        or len(path.parts) < 2
        or any(part in ("", ".", "..") for part in entry.path.split("/"))
    ):
        raise ManifestError(f"{where}: path must be relative to data/sources/ and inside a subfolder (e.g. statfi/x.json)")
    if path.suffix.lower() == ".md":
        raise ManifestError(f"{where}: *.md files are documentation and are not listed")
    _check_role(entry.role, where)
    if not _SHA256.match(entry.sha256 or ""):
        raise ManifestError(f"{where}: sha256 must be 64 lowercase hex digits")
    if entry.valid_on is not None and not (_DATE.match(entry.valid_on) and _real_day(entry.valid_on)):
        raise ManifestError(f"{where}: valid_on must be a day, YYYY-MM-DD")
    if not (_RETRIEVED.match(entry.retrieved or "") and _real_day(entry.retrieved[:10])):
        raise ManifestError(f"{where}: retrieved must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)")
    if not entry.licence:
        raise ManifestError(f"{where}: licence is required")


def _real_day(text: str) -> bool:
    """2026-02-28 is a day; 2026-02-30 only looks like one."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _data_files(sources_dir: Path) -> list[str]:
    """Every file in the data folders (subfolders of sources_dir), relative, sorted; *.md excluded."""
    found = []
    if not sources_dir.is_dir():
        return found
    for folder in sorted(p for p in sources_dir.iterdir() if p.is_dir()):
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in files:
                if name.lower().endswith(".md"):
                    continue
                found.append(Path(root, name).relative_to(sources_dir).as_posix())
    return sorted(found)
