"""Load the data files once, validate them, and keep them in memory.

The data lives in two YAML files, municipalities.yaml and centres.yaml. They ship inside the
package; `--data-dir` or ELYGUIDE_DATA_DIR points at another copy (an organisation's updated
contacts), which is validated exactly like the shipped data.

Two views of the data serve two needs:

- the index (`load_index`): plain dicts of codes - the matching tables, each municipality's
  region, the centre of every region on every date, and every municipality's and centre's
  JSON already rendered. A lookup for a script needs nothing else.
- the dataset (`load_dataset`): the data model of frozen dataclasses, for the Python API and
  for text written for people.

Parsing YAML is the slowest thing elyguide could do, so the wheel ships both views compiled
(compiled-index.json, compiled-data.json). They are written when the wheel is built
(hatch_build.py), never at run time, and record a checksum of the YAML they came from; they are
used only while it still matches the YAML next to them, so an edited YAML file is never
shadowed by a stale cache.

>>> load_dataset().municipalities["297"].name.fi
'Kuopio'
>>> load_index()["municipalities"]["297"]
['Kuopio', 'Kuopio', '11', False]
"""

from __future__ import annotations

import json
import os
import re
import zlib
from functools import cached_property

from .errors import DataError

MUNICIPALITIES_FILE = "municipalities.yaml"
CENTRES_FILE = "centres.yaml"
INDEX_CACHE = "compiled-index.json"
DATA_CACHE = "compiled-data.json"
CACHE_FORMAT = 2
DATA_DIR_ENV = "ELYGUIDE_DATA_DIR"

_HERE = os.path.dirname(os.path.abspath(__file__))


def packaged_data_dir() -> str:
    """The data shipped with elyguide: inside the package, or data/ of a source checkout."""
    inside = os.path.join(_HERE, "data")
    if os.path.isfile(os.path.join(inside, MUNICIPALITIES_FILE)):
        return inside
    # An editable install imports the package from src/, next to the repository's data/.
    return os.path.join(os.path.dirname(os.path.dirname(_HERE)), "data")


class Dataset:
    """Everything elyguide knows, as the data model. Build one with `load_dataset()`."""

    def __init__(self, *, origin, municipalities_meta, centres_meta, regions, municipalities, former,
                 postal_codes, place_names, inflected_forms, centres, service, aland, contact_pages,
                 index=None, from_cache=False):
        self.origin = origin
        self.municipalities_meta = municipalities_meta
        self.centres_meta = centres_meta
        self.regions = regions
        self.municipalities = municipalities
        self.former = former
        # code -> [municipality, type, fi, sv], and postal locality -> municipalities. A dataset
        # from the compiled cache takes them from the compiled index, which has them anyway.
        self._postal_codes: dict[str, list] | None = postal_codes
        self._place_names: dict[str, list[str]] | None = place_names
        self.inflected_forms: dict[str, dict] = inflected_forms  # municipality code -> curated forms
        self.centres = centres
        self.service = service
        self.aland = aland
        self.contact_pages = contact_pages
        self._index = index
        self.from_cache = from_cache  # True when the compiled cache was used

    @property
    def postal_codes(self) -> dict[str, list]:
        return self._postal_codes if self._postal_codes is not None else self.index["postal_codes"]

    @property
    def place_names(self) -> dict[str, list[str]]:
        return self._place_names if self._place_names is not None else self.index["place_names"]

    def postal_code(self, code: str):
        from .model import Names, PostalCode

        row = self.postal_codes.get(code)
        return None if row is None else PostalCode(code, row[0], row[1], Names(row[2], row[3]))

    @cached_property
    def _periods(self) -> dict[str, list]:
        return centre_periods(self)

    def centre_on(self, region_code: str, date: str):
        """The Centre serving a region on a date (ISO string), or None (Åland, before 2021)."""
        from .resolve import centre_on

        return self.centres.get(centre_on(self._periods, region_code, date))

    def ely_centre_for(self, region_code: str):
        """The ELY-keskus that served a region until the ELY centres ceased."""
        return self.centre_on(region_code, self.centres_meta["ely_until"])

    @property
    def index(self) -> dict:
        """The compiled index of this data (see the module docstring)."""
        if self._index is None:
            self._index = load_index(self.origin) if self.from_cache else build_index(self)
        return self._index


def centre_periods(dataset: Dataset) -> dict[str, list]:
    """Region code -> [[from, until or None, centre id], ...], in date order."""
    periods: dict[str, list] = {}
    for centre in dataset.centres.values():
        for period in centre.regions:
            periods.setdefault(period.region, []).append([period.start, period.end, centre.id])
    return {region: sorted(spans) for region, spans in periods.items()}


def build_index(dataset: Dataset) -> dict:
    """The index: matching tables, lookup tables and pre-rendered JSON, all plain data."""
    from .match import build_tables
    from .normalize import key
    from .records import json_fragments

    return {
        "format": CACHE_FORMAT,
        "covers_from": dataset.centres_meta["covers_from"],
        "ely_until": dataset.centres_meta["ely_until"],
        "municipalities": {c: [m.name.fi, m.name.sv, m.region.code, m.aland] for c, m in dataset.municipalities.items()},
        "former_info": {c: [f.name.fi, f.name.sv, f.successor.code if f.successor else None, f.merged] for c, f in dataset.former.items()},
        "centre_names": {c.id: [c.name.fi, c.name.sv, c.name.en] for c in dataset.centres.values()},
        "postal_codes": dataset.postal_codes,
        "place_names": dataset.place_names,
        "periods": centre_periods(dataset),
        "regions": {key(name): [code, region.name.fi] for code, region in dataset.regions.items()
                    for name in region.name.as_dict().values() if name},
        "successors": {c.id: dict(c.successors) for c in dataset.centres.values() if c.successors},
        **json_fragments(dataset),
        **build_tables(dataset),
    }


# ----------------------------------------------------------------------------- loading
_datasets: dict[str, Dataset] = {}
_indexes: dict[str, dict] = {}


def _resolve_dir(data_dir) -> str:
    if data_dir is None:
        data_dir = os.environ.get(DATA_DIR_ENV) or packaged_data_dir()
    return os.path.abspath(os.fspath(data_dir))


def load_dataset(data_dir: str | os.PathLike | None = None) -> Dataset:
    """Load and validate the data once per directory (default: ELYGUIDE_DATA_DIR, else shipped)."""
    directory = _resolve_dir(data_dir)
    if directory not in _datasets:
        _datasets[directory] = _load_dataset(directory)
    return _datasets[directory]


def load_index(data_dir: str | os.PathLike | None = None) -> dict:
    """The compiled index for a data directory: from the cache when it is current, else built
    from the (validated) dataset."""
    directory = _resolve_dir(data_dir)
    if directory not in _indexes:
        index = _read_cache(directory, INDEX_CACHE)
        _indexes[directory] = index if index is not None else load_dataset(directory).index
    return _indexes[directory]


def _read(directory: str, name: str) -> bytes:
    path = os.path.join(directory, name)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise DataError(path, "", "file not found") from None
    except IsADirectoryError:
        raise DataError(path, "", "is a directory, not a file") from None
    except OSError as error:
        raise DataError(path, "", f"cannot read: {error.strerror or error}") from None


def _checksum(contents: bytes) -> str:
    # CRC-32 and length: enough to notice any edit, and zlib is already loaded; hashlib costs
    # more start-up time than the rest of a lookup.
    return f"{zlib.crc32(contents):08x}-{len(contents)}"


def _read_yaml_files(directory: str) -> dict[str, bytes]:
    if not os.path.isdir(directory):
        raise DataError(directory, "", "data directory not found")
    return {name: _read(directory, name) for name in (MUNICIPALITIES_FILE, CENTRES_FILE)}


class LazySections(dict):
    """A compiled cache's payload, each top-level entry parsed from JSON on first use.

    A lookup of "Kuopio" needs the name table, not the 3,779 postal codes: parsing only what
    is used keeps start-up short.
    """

    def __init__(self, blob: bytes, base: int, sections: dict[str, list[int]]):
        super().__init__()
        self._blob, self._base, self._sections = blob, base, sections

    def __missing__(self, name: str):
        if name not in self._sections:
            raise KeyError(name)
        start, length = self._sections[name]
        start += self._base
        value = self[name] = json.loads(self._blob[start:start + length])
        return value

    def load_all(self) -> dict:
        return {name: self[name] for name in self._sections}


def _write_cache(path: str, checksums: dict, payload: dict) -> None:
    """A header line (format, checksums, where each section lies), then the sections' JSON."""
    parts, sections, offset = [], {}, 0
    for name, value in payload.items():
        part = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sections[name] = [offset, len(part)]
        parts.append(part)
        offset += len(part)
    header = json.dumps({"format": CACHE_FORMAT, "checksums": checksums, "sections": sections}).encode("ascii")
    with open(path, "wb") as handle:
        handle.write(header + b"\n" + b"".join(parts))


_checksums: dict[str, dict[str, str]] = {}


def _yaml_checksums(directory: str) -> dict[str, str]:
    """Checksums of the YAML in a directory, read once however many caches are checked."""
    if directory not in _checksums:
        _checksums[directory] = {n: _checksum(b) for n, b in _read_yaml_files(directory).items()}
    return _checksums[directory]


def _read_cache(directory: str, name: str) -> LazySections | None:
    """The payload of a compiled cache file if it matches the YAML beside it, else None."""
    checksums = _yaml_checksums(directory)
    try:
        with open(os.path.join(directory, name), "rb") as handle:
            blob = handle.read()
        header_end = blob.index(b"\n")
        header = json.loads(blob[:header_end])
        if header.get("format") == CACHE_FORMAT and header.get("checksums") == checksums:
            return LazySections(blob, header_end + 1, header["sections"])
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        pass  # no cache, or not one we can trust: fall back to the YAML
    return None


def _load_dataset(directory: str) -> Dataset:
    documents = _read_cache(directory, DATA_CACHE)
    if documents is not None:
        return _build(documents[MUNICIPALITIES_FILE], documents[CENTRES_FILE], directory, from_cache=True)
    raw = _read_yaml_files(directory)
    documents = {name: _parse_yaml(os.path.join(directory, name), contents) for name, contents in raw.items()}
    return dataset_from_documents(documents[MUNICIPALITIES_FILE], documents[CENTRES_FILE], origin=directory)


def safe_loader():
    """PyYAML's safe loader, the fast C one when available. Never constructs Python objects."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(path: str, contents: bytes):
    import yaml

    try:
        text = contents.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(path, f"byte {error.start}", "not UTF-8 text") from None
    try:
        return yaml.load(text, Loader=safe_loader())  # noqa: S506 - safe loader only
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(filter(None, [error.context, error.problem])) or "invalid YAML"
        raise DataError(path, where, problem) from None
    except yaml.YAMLError as error:
        raise DataError(path, "", f"invalid YAML: {error}") from None


def dataset_from_documents(municipalities_doc, centres_doc, origin) -> Dataset:
    """Validate parsed documents and build the dataset; raises DataError naming what is wrong."""
    origin = os.fspath(origin)
    validate(municipalities_doc, centres_doc, origin)
    return _build(municipalities_doc, centres_doc, origin)


def compile_cache(data_dir: str | os.PathLike, out_dir: str | os.PathLike) -> list[str]:
    """Write the compiled caches for the YAML in data_dir into out_dir (when the wheel is
    built); return their file names."""
    directory = os.fspath(data_dir)
    raw = _read_yaml_files(directory)
    documents = {name: _parse_yaml(os.path.join(directory, name), contents) for name, contents in raw.items()}
    dataset = dataset_from_documents(documents[MUNICIPALITIES_FILE], documents[CENTRES_FILE], origin=directory)
    checksums = {name: _checksum(contents) for name, contents in raw.items()}
    # The data cache leaves out what the index already holds (postal codes, place names).
    core = {**documents, MUNICIPALITIES_FILE: {k: v for k, v in documents[MUNICIPALITIES_FILE].items()
                                                if k not in ("postal_codes", "place_names")}}
    for name, payload in ((DATA_CACHE, core), (INDEX_CACHE, dataset.index)):
        _write_cache(os.path.join(out_dir, name), checksums, payload)
    return [DATA_CACHE, INDEX_CACHE]


# ----------------------------------------------------------------------------- building
def _build(mdoc: dict, cdoc: dict, origin: str, *, from_cache: bool = False) -> Dataset:
    # The model (dataclasses) is imported here, not at the top: the index alone needs none of it.
    from .model import (
        AlandInfo,
        CallCharge,
        FormerMunicipality,
        LanguageStatus,
        Municipality,
        Names,
        Region,
        Service,
        Source,
    )

    regions = {r["code"]: Region(r["code"], Names.from_dict(r["name"]), r["aland"]) for r in mdoc["regions"]}
    municipalities = {}
    for m in mdoc["municipalities"]:
        language = LanguageStatus(m["language"]["code"], m["language"]["status"], m["language"]["majority"])
        municipalities[m["code"]] = Municipality(
            m["code"], Names.from_dict(m["name"]), regions[m["region"]], language, m["aland"],
            tuple(a["name"] for a in m.get("aliases", ())), tuple(m.get("region_changes", ())),
        )
    former = {
        f["code"]: FormerMunicipality(
            f["code"], Names.from_dict(f["name"]), f["merged"],
            municipalities[f["successor"]] if f["successor"] else None, f["ceded"],
            Source.from_dict(f["name_sv_source"]) if f.get("name_sv_source") else None,
            f.get("region"),
        )
        for f in mdoc["former_municipalities"]
    }
    charges = {
        prefix: CallCharge(Names.from_dict(c["text"]), tuple(map(Source.from_dict, c["sources"])), c["verified"])
        for prefix, c in cdoc["call_charges"].items()
    }
    centres = {c["id"]: _centre(c, municipalities, charges) for c in cdoc["centres"]}
    s = cdoc["service"]
    service = Service(
        s["id"], Names.from_dict(s["name"]), Names.from_dict(s["summary"]), Names.from_dict(s["how_to_contact"]),
        s["free_of_charge"], Names.from_dict(s["area"]), tuple(s["languages"]), Source.from_dict(s["source"]),
        Names.from_dict(s["provider_since_2026"]["text"]), tuple(map(Source.from_dict, s["provider_since_2026"]["sources"])),
    )
    a = cdoc["aland"]
    aland = AlandInfo(Names.from_dict(a["handled_by"]["name"]), Names.from_dict(a["summary"]),
                      tuple(map(Source.from_dict, a["sources"])), _web(a["web"]))
    pages = {lang: _web(page) for lang, page in cdoc["elinvoimakeskus_web"].items()}
    return Dataset(
        origin=origin, municipalities_meta=mdoc["meta"], centres_meta=cdoc["meta"], regions=regions,
        municipalities=municipalities, former=former, postal_codes=mdoc.get("postal_codes"),
        place_names=mdoc.get("place_names"),
        inflected_forms={m["code"]: m["inflected"] for m in mdoc["municipalities"] if m.get("inflected")},
        centres=centres, service=service, aland=aland, contact_pages=pages, from_cache=from_cache,
    )


def _web(raw: dict):
    from .model import Source, WebPage

    return WebPage(raw["url"], raw["lang"], Source.from_dict(raw["source"]), raw["verified"])


def _centre(c: dict, municipalities: dict, charges: dict):
    from .model import (
        Centre,
        Email,
        Names,
        Note,
        Office,
        Phone,
        PostalAddress,
        RegionPeriod,
        Source,
    )

    contacts = c["contacts"]
    official = c.get("official_name") or {}
    return Centre(
        id=c["id"], kind=c["kind"], statfi_code=c["statfi_code"], name=Names.from_dict(c["name"]),
        other_names=tuple((o["lang"], o["name"]) for o in c.get("other_names", ())),
        official_name=Names(official["fi"]["name"] if "fi" in official else c["name"]["fi"],
                            official["sv"]["name"] if "sv" in official else None) if official else None,
        valid_from=c["valid_from"], valid_until=c.get("valid_until"),
        regions=tuple(RegionPeriod(r["region"], r["from"], r.get("until")) for r in c["regions"]),
        offices=tuple(Office(municipalities[o["municipality"]], o["main"], Source.from_dict(o["source"])) for o in c.get("offices", ())),
        phones=tuple(
            Phone(p["number"], p["kind"], charges.get(p.get("charge")), Source.from_dict(p["source"]), p["verified"], p.get("as_written"))
            for p in contacts.get("phones", ())
        ),
        emails=tuple(Email(e["address"], e["kind"], Source.from_dict(e["source"]), e["verified"]) for e in contacts.get("emails", ())),
        postal_addresses=tuple(
            PostalAddress(p["kind"], tuple(p["lines"]), p["postcode"], p["town"], Source.from_dict(p["source"]), p["verified"])
            for p in contacts.get("postal_addresses", ())
        ),
        notes=tuple(Note(Names.from_dict(n["text"]), tuple(map(Source.from_dict, n["sources"])), n.get("handled_by")) for n in c.get("notes", ())),
        successors=tuple((s["region"], s["centre"]) for s in c.get("successors", ())),
        name_source=Source.from_dict(c["name_source"]) if c.get("name_source") else None,
    )


# ----------------------------------------------------------------------------- validation
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SOURCE_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class _Check:
    """Checks one document, reporting the first problem with its place: file: where: what."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: str, what: str):
        raise DataError(self.path, where, what)

    def get(self, mapping, key, types, where, *, optional=False):
        if not isinstance(mapping, dict):
            self.fail(where, f"expected a mapping, found {_kind(mapping)}")
        if key not in mapping:
            if optional:
                return None
            self.fail(where, f"missing '{key}'")
        value = mapping[key]
        if optional and value is None:
            return None
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
            expected = " or ".join(t.__name__.replace("str", "text").replace("dict", "mapping") for t in _as_tuple(types))
            self.fail(f"{where}.{key}", f"expected {expected}, found {_kind(value)}")
        return value

    def text(self, mapping, key, where, *, optional=False, pattern=None):
        value = self.get(mapping, key, str, where, optional=optional)
        if value is not None and not value.strip():
            self.fail(f"{where}.{key}", "is empty")
        if value is not None and pattern is not None and not pattern.fullmatch(value):
            self.fail(f"{where}.{key}", f"{value!r} is not of the form {pattern.pattern}")
        return value

    def date(self, mapping, key, where, *, optional=False):
        value = self.get(mapping, key, str, where, optional=optional)
        if value is None:
            return None
        from datetime import date

        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            self.fail(f"{where}.{key}", f"{value!r} is not a date (YYYY-MM-DD)")
        return value

    def names(self, mapping, key, where, langs=("fi", "sv"), *, optional_langs=()):
        names = self.get(mapping, key, dict, where)
        for lang in langs:
            self.text(names, lang, f"{where}.{key}", optional=lang in optional_langs)
        return names

    def listing(self, mapping, key, where, *, optional=False):
        value = self.get(mapping, key, list, where, optional=optional)
        return value or []

    def source(self, mapping, key, where, *, optional=False):
        source = self.get(mapping, key, dict, where, optional=optional)
        if source is not None:
            self.source_record(source, f"{where}.{key}")
        return source

    def sources(self, mapping, key, where):
        for i, source in enumerate(self.listing(mapping, key, where)):
            if not isinstance(source, dict):
                self.fail(f"{where}.{key}[{i}]", f"expected a mapping, found {_kind(source)}")
            self.source_record(source, f"{where}.{key}[{i}]")

    def source_record(self, source: dict, here: str):
        self.text(source, "title", here)
        url = self.text(source, "url", here)
        if not url.startswith(("http://", "https://")):
            self.fail(f"{here}.url", f"{url!r} is not a web address")
        self.text(source, "date", here, optional=True, pattern=_SOURCE_DATE)
        if self.text(source, "kind", here) not in ("official", "secondary"):
            self.fail(f"{here}.kind", "must be 'official' or 'secondary'")

    def unique(self, seen: dict, value, where: str, what: str):
        if value in seen:
            self.fail(where, f"duplicate {what} {value!r} (also at {seen[value]})")
        seen[value] = where


def _as_tuple(types):
    return types if isinstance(types, tuple) else (types,)


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(type(value), type(value).__name__)


def validate(mdoc, cdoc, origin: str) -> None:
    """Check structure and cross-references; raise DataError at the first problem."""
    mcheck = _Check(os.path.join(origin, MUNICIPALITIES_FILE))
    ccheck = _Check(os.path.join(origin, CENTRES_FILE))
    regions, municipalities = _validate_municipalities(mdoc, mcheck)
    _validate_centres(cdoc, ccheck, regions, municipalities)


_CODE2, _CODE3, _CODE5 = re.compile(r"\d{2}"), re.compile(r"\d{3}"), re.compile(r"\d{5}")


def _validate_municipalities(doc, check: _Check):
    from .normalize import key

    if not isinstance(doc, dict):
        check.fail("", f"top level must be a mapping, found {_kind(doc)}")
    check.get(doc, "meta", dict, "")
    regions: dict[str, dict] = {}
    seen: dict = {}
    for i, region in enumerate(check.listing(doc, "regions", "")):
        where = f"regions[{i}]"
        code = check.text(region, "code", where, pattern=_CODE2)
        check.unique(seen, code, f"{where}.code", "region code")
        check.names(region, "name", where)
        check.get(region, "aland", bool, where)
        regions[code] = region
    if not regions:
        check.fail("regions", "no regions")

    municipalities: dict[str, dict] = {}
    seen = {}
    names_to_codes: dict[str, set[str]] = {}
    for i, m in enumerate(check.listing(doc, "municipalities", "")):
        where = f"municipalities[{i}]"
        code = check.text(m, "code", where, pattern=_CODE3)
        check.unique(seen, code, f"{where}.code", "municipality code")
        where = f"municipalities[{i}] ({code})"
        names = check.names(m, "name", where)
        region = check.text(m, "region", where)
        if region not in regions:
            check.fail(f"{where}.region", f"unknown region {region!r}")
        language = check.get(m, "language", dict, where)
        if check.get(language, "code", int, f"{where}.language") not in (0, 1, 2, 3):
            check.fail(f"{where}.language.code", "must be 0, 1, 2 or 3")
        if check.text(language, "status", f"{where}.language") not in ("unilingual", "bilingual"):
            check.fail(f"{where}.language.status", "must be 'unilingual' or 'bilingual'")
        if check.text(language, "majority", f"{where}.language") not in ("fi", "sv"):
            check.fail(f"{where}.language.majority", "must be 'fi' or 'sv'")
        if check.get(m, "aland", bool, where) != regions[region]["aland"]:
            check.fail(f"{where}.aland", "disagrees with its region")
        all_names = [names["fi"], names["sv"]]
        for j, alias in enumerate(check.listing(m, "aliases", where, optional=True)):
            all_names.append(check.text(alias, "name", f"{where}.aliases[{j}]"))
            check.source(alias, "source", f"{where}.aliases[{j}]")
        for name in all_names:
            names_to_codes.setdefault(key(name), set()).add(code)
        inflected = check.get(m, "inflected", dict, where, optional=True)
        if inflected:
            for field in ("stems", "words"):
                for j, form in enumerate(check.listing(inflected, field, f"{where}.inflected", optional=True)):
                    if not isinstance(form, str) or not form.strip():
                        check.fail(f"{where}.inflected.{field}[{j}]", "expected text")
            check.source(inflected, "source", f"{where}.inflected", optional=True)
        municipalities[code] = m
    if not municipalities:
        check.fail("municipalities", "no municipalities")
    for name_key, codes in names_to_codes.items():
        if len(codes) > 1:
            check.fail("municipalities", f"the name {name_key!r} belongs to several municipalities ({', '.join(sorted(codes))})")

    seen = {}
    for i, f in enumerate(check.listing(doc, "former_municipalities", "")):
        where = f"former_municipalities[{i}]"
        code = check.text(f, "code", where, pattern=_CODE3)
        check.unique(seen, code, f"{where}.code", "former municipality code")
        where = f"former_municipalities[{i}] ({code})"
        check.names(f, "name", where, optional_langs=("sv",))
        check.source(f, "name_sv_source", where, optional=True)
        check.date(f, "merged", where)
        old_region = check.text(f, "region", where, optional=True)
        if old_region is not None and old_region not in regions:
            check.fail(f"{where}.region", f"unknown region {old_region!r}")
        ceded = check.get(f, "ceded", bool, where)
        successor = check.text(f, "successor", where, optional=True)
        if successor is None and not ceded:
            check.fail(f"{where}.successor", "missing, and the municipality is not marked ceded")
        if successor is not None and successor not in municipalities:
            check.fail(f"{where}.successor", f"unknown municipality {successor!r}")

    postal_codes = check.get(doc, "postal_codes", dict, "")
    for code, row in postal_codes.items():
        where = f"postal_codes.{code}"
        if not isinstance(code, str) or not _CODE5.fullmatch(code):
            check.fail(where, f"{code!r} is not a postal code of five digits (quote it)")
        if not (isinstance(row, list) and len(row) == 4 and isinstance(row[1], int) and not isinstance(row[1], bool)
                and all(isinstance(x, str) and x.strip() for x in (row[0], row[2], row[3]))):
            check.fail(where, "expected [municipality, type, locality in Finnish, locality in Swedish]")
        if row[0] not in municipalities:
            check.fail(where, f"unknown municipality {row[0]!r}")

    ambiguous = set(check.listing(doc, "ambiguous_place_names", "", optional=True))
    for name, codes in check.get(doc, "place_names", dict, "").items():
        where = f"place_names.{name}"
        if not isinstance(codes, list) or not codes:
            check.fail(where, "expected a list of municipality codes")
        for code in codes:
            if code not in municipalities:
                check.fail(where, f"unknown municipality {code!r}")
        if len(codes) > 1 and name not in ambiguous:
            check.fail(where, f"{name!r} maps several municipalities but is not listed in ambiguous_place_names")
    return regions, municipalities


def _validate_centres(doc, check: _Check, regions: dict, municipalities: dict) -> None:
    if not isinstance(doc, dict):
        check.fail("", f"top level must be a mapping, found {_kind(doc)}")
    meta = check.get(doc, "meta", dict, "")
    covers_from = check.date(meta, "covers_from", "meta")
    check.date(meta, "ely_until", "meta")

    service = check.get(doc, "service", dict, "")
    for field in ("name", "summary", "how_to_contact", "area"):
        check.names(service, field, "service", ("fi", "sv", "en"))
    check.text(service, "id", "service")
    check.get(service, "free_of_charge", bool, "service")
    check.listing(service, "languages", "service")
    check.source(service, "source", "service")
    provider = check.get(service, "provider_since_2026", dict, "service")
    check.names(provider, "text", "service.provider_since_2026", ("fi", "sv", "en"))
    check.sources(provider, "sources", "service.provider_since_2026")

    charges = check.get(doc, "call_charges", dict, "")
    for prefix, charge in charges.items():
        where = f"call_charges.{prefix}"
        check.names(charge, "text", where, ("fi", "sv", "en"))
        check.sources(charge, "sources", where)
        check.date(charge, "verified", where)

    pages = check.get(doc, "elinvoimakeskus_web", dict, "")
    for lang, page in pages.items():
        _check_web(check, page, f"elinvoimakeskus_web.{lang}")
    aland = check.get(doc, "aland", dict, "")
    check.names(check.get(aland, "handled_by", dict, "aland"), "name", "aland.handled_by", ("fi", "sv", "en"))
    check.names(aland, "summary", "aland", ("fi", "sv", "en"))
    _check_web(check, check.get(aland, "web", dict, "aland"), "aland.web")

    centres: dict[str, dict] = {}
    seen: dict = {}
    for i, c in enumerate(check.listing(doc, "centres", "")):
        where = f"centres[{i}]"
        centre_id = check.text(c, "id", where)
        check.unique(seen, centre_id, f"{where}.id", "centre id")
        where = f"centres[{i}] ({centre_id})"
        if check.text(c, "kind", where) not in ("ely", "elinvoimakeskus"):
            check.fail(f"{where}.kind", "must be 'ely' or 'elinvoimakeskus'")
        check.names(c, "name", where, ("fi", "sv", "en"))
        valid_from = check.date(c, "valid_from", where)
        valid_until = check.date(c, "valid_until", where, optional=True)
        if valid_until is not None and valid_until < valid_from:
            check.fail(f"{where}.valid_until", "is before valid_from")
        for j, period in enumerate(check.listing(c, "regions", where)):
            here = f"{where}.regions[{j}]"
            region = check.text(period, "region", here)
            if region not in regions:
                check.fail(f"{here}.region", f"unknown region {region!r}")
            if regions[region]["aland"]:
                check.fail(f"{here}.region", "Åland is outside this service")
            start, end = check.date(period, "from", here), check.date(period, "until", here, optional=True)
            if start < valid_from or (valid_until and (end is None or end > valid_until)) or (end is not None and end < start):
                check.fail(here, "period lies outside the centre's own validity")
        for j, office in enumerate(check.listing(c, "offices", where, optional=True)):
            if check.text(office, "municipality", f"{where}.offices[{j}]") not in municipalities:
                check.fail(f"{where}.offices[{j}].municipality", f"unknown municipality {office['municipality']!r}")
            check.source(office, "source", f"{where}.offices[{j}]")
        contacts = check.get(c, "contacts", dict, where)
        for j, phone in enumerate(check.listing(contacts, "phones", f"{where}.contacts", optional=True)):
            here = f"{where}.contacts.phones[{j}]"
            number = check.text(phone, "number", here)
            if not re.fullmatch(r"\+?[0-9 ]{6,20}", number):
                check.fail(f"{here}.number", f"{number!r} is not a phone number")
            charge = check.text(phone, "charge", here, optional=True)
            if charge is not None and charge not in charges:
                check.fail(f"{here}.charge", f"unknown call charge {charge!r}")
            _check_contact(check, phone, here)
        for j, email in enumerate(check.listing(contacts, "emails", f"{where}.contacts", optional=True)):
            here = f"{where}.contacts.emails[{j}]"
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", check.text(email, "address", here)):
                check.fail(f"{here}.address", f"{email['address']!r} is not an e-mail address")
            _check_contact(check, email, here)
        for j, address in enumerate(check.listing(contacts, "postal_addresses", f"{where}.contacts", optional=True)):
            here = f"{where}.contacts.postal_addresses[{j}]"
            for k, line in enumerate(check.listing(address, "lines", here)):
                if not isinstance(line, str) or not line.strip():
                    check.fail(f"{here}.lines[{k}]", "expected text")
            check.text(address, "postcode", here, pattern=_CODE5)
            check.text(address, "town", here)
            _check_contact(check, address, here)
        for j, note in enumerate(check.listing(c, "notes", where, optional=True)):
            check.names(note, "text", f"{where}.notes[{j}]", ("fi", "sv", "en"))
            check.sources(note, "sources", f"{where}.notes[{j}]")
        centres[centre_id] = c

    # Cross-references: handled_by and successors point at real centres ...
    for i, c in enumerate(doc["centres"]):
        where = f"centres[{i}] ({c['id']})"
        for j, note in enumerate(c.get("notes") or ()):
            if note.get("handled_by") is not None and note["handled_by"] not in centres:
                check.fail(f"{where}.notes[{j}].handled_by", f"unknown centre {note['handled_by']!r}")
        for j, successor in enumerate(check.listing(c, "successors", where, optional=True)):
            here = f"{where}.successors[{j}]"
            region, target = check.text(successor, "region", here), check.text(successor, "centre", here)
            if target not in centres:
                check.fail(f"{here}.centre", f"unknown centre {target!r}")
            own = [p for p in c["regions"] if p["region"] == region]
            if not own or own[-1].get("until") is None:
                check.fail(f"{here}.region", f"the centre does not hand over region {region!r}")
            handover = _next_day(own[-1]["until"])
            if not any(p["region"] == region and p["from"] == handover for p in centres[target]["regions"]):
                check.fail(f"{here}.centre", f"{target!r} does not serve region {region!r} from {handover}")

    # ... and every mainland region has exactly one centre on every date from covers_from on.
    periods: dict[str, list[tuple[str, str | None, str]]] = {}
    for c in doc["centres"]:
        for p in c["regions"]:
            periods.setdefault(p["region"], []).append((p["from"], p.get("until"), c["id"]))
    for code, region in regions.items():
        if region["aland"]:
            continue
        spans = sorted(periods.get(code, []))
        if not spans:
            check.fail("centres", f"no centre serves region {code} ({region['name']['fi']})")
        expected_start = covers_from
        for start, end, centre_id in spans:
            if expected_start is None:  # an earlier period never ends
                check.fail("centres", f"two centres for region {code} ({region['name']['fi']}) on {start} ({centre_id})")
            if start != expected_start:
                problem = "two centres" if start < expected_start else "no centre"
                check.fail("centres", f"{problem} for region {code} ({region['name']['fi']}) on {min(start, expected_start)} ({centre_id})")
            if end is None:
                expected_start = None
                continue
            expected_start = _next_day(end)
        if spans[-1][1] is not None:
            check.fail("centres", f"no centre for region {code} ({region['name']['fi']}) after {spans[-1][1]}")


def _check_contact(check: _Check, fact: dict, where: str) -> None:
    check.source(fact, "source", where)
    check.date(fact, "verified", where)


def _check_web(check: _Check, page: dict, where: str) -> None:
    url = check.text(page, "url", where)
    if not url.startswith("https://"):
        check.fail(f"{where}.url", f"{url!r} is not an https address")
    _check_contact(check, page, where)


def _next_day(iso: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()
