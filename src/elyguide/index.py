"""Load a data folder, once: from its compiled cache when that is current, else from the YAML.

Parsing YAML is the slowest thing elyguide could do, so the wheel ships the data compiled
(compiled.json), and `elyguide data compile DIR` compiles a local copy. The cache holds the
validated documents' sections, the matching tables, the centre of every region on every date,
and every record's JSON already rendered; a lookup parses only the sections it touches. It
records a checksum of the YAML it came from and of itself, and is used only while both still
match, so an edited YAML file is never shadowed by a stale cache and a damaged cache is
ignored. Nothing is written at lookup time.

>>> load_dataset().municipality("297").region.name.fi
'Pohjois-Savo'
"""

from __future__ import annotations

import json
import os
import zlib

from .data import DATA_FILES, MUNICIPALITIES_FILE, CENTRES_FILE, Dataset, centre_periods, resolve_data_dir
from .files import parse_yaml, read_bytes

CACHE_FILE = "compiled.json"
CACHE_FORMAT = 8
# Sections of a few large records, stored record by record: a lookup parses the records it
# needs (Kuopio's), not all 308 (see LazyRecords).
RECORD_SECTIONS = ("municipalities", "former_municipalities", "centres", "json_municipality", "json_former", "json_centre",
                   "json_brief")


def _layout_checksum(where: dict) -> str:
    return checksum(json.dumps(where, sort_keys=True).encode("ascii"))


def checksum(contents: bytes) -> str:
    # CRC-32 and length: enough to notice any edit or damage, and zlib is already loaded;
    # hashlib costs more start-up time than the rest of a lookup.
    return f"{zlib.crc32(contents):08x}-{len(contents)}"


# ------------------------------------------------------------------------------ building
def read_documents(directory: str) -> tuple[dict, dict]:
    """Parse and validate the YAML of a data folder: (sections, prebuilt model objects)."""
    from .schema_centres import read_document as read_centres
    from .schema_municipalities import read_document as read_municipalities

    raw = {name: read_bytes(os.path.join(directory, name)) for name in DATA_FILES}
    mdoc = read_municipalities(parse_yaml(os.path.join(directory, MUNICIPALITIES_FILE), raw[MUNICIPALITIES_FILE]),
                               os.path.join(directory, MUNICIPALITIES_FILE))
    cdoc = read_centres(parse_yaml(os.path.join(directory, CENTRES_FILE), raw[CENTRES_FILE]),
                        os.path.join(directory, CENTRES_FILE), mdoc)
    sections = {**mdoc.sections, **cdoc.sections}
    sections["periods"] = centre_periods(cdoc.centres.values())
    sections["successors"] = {c.id: dict(c.successors) for c in cdoc.centres.values() if c.successors}
    prebuilt = {"region": mdoc.regions, "municipality": mdoc.municipalities, "former": mdoc.former,
                "province": mdoc.provinces, "centre": cdoc.centres, "charge": cdoc.charges,
                "service": {None: cdoc.service}, "aland": {None: cdoc.aland}, "contact_pages": {None: cdoc.contact_pages}}
    sections["checksums"] = {name: checksum(contents) for name, contents in raw.items()}
    return sections, prebuilt


def add_derived_sections(dataset: Dataset) -> None:
    """The matching tables and pre-rendered JSON: what a lookup needs besides the documents."""
    from .match import build_tables
    from .records import json_fragments

    dataset.sections.update(build_tables(dataset))
    dataset.sections.update(json_fragments(dataset))


def dataset_from_yaml(directory: str, *, refreshed=None, notes: tuple = ()) -> Dataset:
    sections, prebuilt = read_documents(directory)
    dataset = Dataset(sections, directory, source_file=os.path.join(directory, CENTRES_FILE), from_cache=False,
                      prebuilt=prebuilt, refreshed=refreshed, notes=notes)
    if refreshed is not None:  # the prebuilt centres are the packaged ones
        dataset._built["centre"] = {cid: refreshed.apply(c) for cid, c in prebuilt["centre"].items()}
    add_derived_sections(dataset)
    return dataset


def compile_data(data_dir, out_dir=None) -> str:
    """Validate a data folder and write its compiled cache (into out_dir, default the folder
    itself); return the cache's path. The only writer of caches: the wheel build and
    `elyguide data compile` call it."""
    directory = os.path.abspath(os.fspath(data_dir))
    dataset = dataset_from_yaml(directory)
    sections = dict(dataset.sections)
    checksums = sections.pop("checksums")
    path = os.path.join(os.fspath(out_dir) if out_dir is not None else directory, CACHE_FILE)
    _write_cache(path, checksums, sections)
    return path


def _write_cache(path: str, checksums: dict, sections: dict) -> None:
    """A header line (format, checksums, where each section lies), then the sections' JSON;
    a record section is its records one by one, with an index of where each lies.
    Written to a temporary file and renamed, so a reader never sees half a cache."""
    from .records import dumps

    parts, where, offset = [], {}, 0

    def add(value) -> list[int]:
        nonlocal offset
        part = dumps(value).encode("utf-8")
        parts.append(part)
        offset += len(part)
        return [offset - len(part), len(part)]

    for name, value in sections.items():
        if name in RECORD_SECTIONS:
            where[name + "#index"] = add({key: add(record) for key, record in value.items()})
        else:
            where[name] = add(value)
    body = b"".join(parts)
    header = json.dumps({"format": CACHE_FORMAT, "checksums": checksums, "body": checksum(body), "sections": where,
                         "layout": _layout_checksum(where)}, sort_keys=True).encode("ascii")
    from .files import write_atomically

    write_atomically(path, header + b"\n" + body)


# ------------------------------------------------------------------------------ reading
class LazySections(dict):
    """A compiled cache's sections, each parsed from JSON on first use.

    A lookup of "Kuopio" needs the name table, not the 3,779 postal codes: parsing only what
    is used keeps start-up short.
    """

    def __init__(self, blob: bytes, base: int, where: dict[str, list[int]]):
        super().__init__()
        self._blob, self._base, self._where = blob, base, where

    def parse(self, start: int, length: int):
        start += self._base
        try:
            return json.loads(self._blob[start:start + length])
        except (ValueError, TypeError):  # checked, so only a cache made to look right gets here
            from .errors import DataError

            raise DataError(CACHE_FILE, "", ("data_cache_damaged", {})) from None

    def __missing__(self, name: str):
        if name + "#index" in self._where:
            value = self[name] = LazyRecords(self, self.parse(*self._where[name + "#index"]))
            return value
        if name not in self._where:
            raise KeyError(name)
        value = self[name] = self.parse(*self._where[name])
        return value

    def get(self, name, default=None):
        return self[name] if name in self else default

    def __contains__(self, name) -> bool:
        return name in self._where or name + "#index" in self._where or dict.__contains__(self, name)


class LazyRecords(dict):
    """A record section of the cache: every key is known at once, each record is parsed when
    it is first asked for."""

    def __init__(self, sections: LazySections, index: dict[str, list[int]]):
        super().__init__()
        self._sections, self._index = sections, index

    def __missing__(self, key):
        if key not in self._index:
            raise KeyError(key)
        value = self[key] = self._sections.parse(*self._index[key])
        return value

    def get(self, key, default=None):
        return self[key] if key in self._index else default

    def __contains__(self, key) -> bool:
        return key in self._index

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def keys(self):
        return self._index.keys()

    def items(self):
        return ((key, self[key]) for key in self._index)

    def values(self):
        return (self[key] for key in self._index)


def cache_state(directory: str) -> tuple[LazySections | None, str]:
    """The cache's sections if it is current, else None; and why: "current", "missing",
    "stale" (the YAML changed) or "damaged"."""
    try:
        blob = read_bytes(os.path.join(directory, CACHE_FILE))
    except Exception:  # noqa: BLE001 - no readable cache: parse the YAML instead
        return None, "missing"
    checksums = {name: checksum(read_bytes(os.path.join(directory, name))) for name in DATA_FILES}
    try:
        header_end = blob.index(b"\n")
        header = json.loads(blob[:header_end])
        if header.get("format") != CACHE_FORMAT or header.get("checksums") != checksums:
            return None, "stale"
        if header.get("body") != checksum(blob[header_end + 1:]) or header.get("layout") != _layout_checksum(header["sections"]):
            return None, "damaged"  # the body, or where the header says each section lies
        sections = LazySections(blob, header_end + 1, header["sections"])
        sections["checksums"] = checksums
        return sections, "current"
    except (ValueError, KeyError, AttributeError, TypeError):
        return None, "damaged"


_datasets: dict[str, Dataset] = {}


def load_dataset(data_dir=None, *, variables=None) -> Dataset:
    """The dataset of a data folder (default: ELYGUIDE_DATA_DIR, else the shipped data), with
    contacts refreshed from the registry laid over it; loaded once per folder."""
    directory, chosen = resolve_data_dir(data_dir, variables)
    if directory in _datasets:
        return _datasets[directory]
    from .userdata import load_refreshed

    refreshed, notes = load_refreshed(variables)
    sections, state = cache_state(directory)
    if sections is None:
        if chosen:  # a local copy: say how to make it as fast as the shipped data
            notes += ((f"note_not_compiled_{state}", {"directory": directory}),)
        dataset = dataset_from_yaml(directory, refreshed=refreshed, notes=notes)
    else:
        dataset = Dataset(sections, directory, source_file=os.path.join(directory, CACHE_FILE), from_cache=True,
                          refreshed=refreshed, notes=notes)
    _datasets[directory] = dataset
    return dataset
