"""municipalities.yaml: regions, municipalities, former municipalities, postal codes, place
names and provinces, validated and built into the model in one pass.

Each `build_*` function reads one record and returns its model object, failing at the first
missing or mistyped field; `read_document` runs them over a whole document and adds the
checks that span records (unique codes and names, references, ambiguous place names). The
compiled index stores the same records, and builds a model object from one of them with the
same function when a lookup needs it.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import FormerMunicipality, LanguageStatus, Municipality, OtherName, Province, Region, RegionChange
from .schema import CODE2, CODE3, CODE5, Checker, next_day

LANGUAGE_STATUSES = {0: ("unilingual", "fi"), 1: ("bilingual", "fi"), 2: ("unilingual", "sv"), 3: ("bilingual", "sv")}
SAMI_LANGUAGES = ("se", "smn", "sms")
def build_region(raw, check: Checker, where: str) -> Region:
    return Region(code=check.text(raw, "code", where, pattern=CODE2), name=check.names(raw, "name", where, ("fi", "sv", "en")),
                  aland=check.flag(raw, "aland", where))


def build_municipality(raw, check: Checker, where: str, region_of: Callable[[str], Region | None]) -> Municipality:
    code = check.text(raw, "code", where, pattern=CODE3)
    where = f"{where} ({code})"
    region = region_of(check.text(raw, "region", where))
    if region is None:
        check.fail(f"{where}.region", f"unknown region {raw['region']!r}")
    language = check.get(raw, "language", dict, where, optional="language" in raw)  # null: not yet classified
    if language is not None:
        status_code = check.get(language, "code", int, f"{where}.language")
        if status_code not in LANGUAGE_STATUSES:
            check.fail(f"{where}.language.code", "must be 0, 1, 2 or 3")
        language = LanguageStatus(code=status_code, status=LANGUAGE_STATUSES[status_code][0],
                                  majority=LANGUAGE_STATUSES[status_code][1])
    aland = check.flag(raw, "aland", where)
    if aland != region.aland:
        check.fail(f"{where}.aland", "disagrees with its region")
    aliases = []
    for i, alias in enumerate(check.listing(raw, "aliases", where, optional=True)):
        here = f"{where}.aliases[{i}]"
        aliases.append(check.text(alias, "name", here))
        check.source(alias, "source", here)
    other_names = []
    for i, other in enumerate(check.listing(raw, "other_names", where, optional=True)):
        here = f"{where}.other_names[{i}]"
        other_names.append(OtherName(name=check.text(other, "name", here), lang=check.text(other, "lang", here, choices=SAMI_LANGUAGES),
                                     source=check.source(other, "source", here)))
    changes = []
    for i, change in enumerate(check.listing(raw, "region_changes", where, optional=True)):
        here = f"{where}.region_changes[{i}]"
        changes.append(RegionChange(date=check.date(change, "date", here), old=check.text(change, "from", here, pattern=CODE2),
                                    new=check.text(change, "to", here, pattern=CODE2)))
    names_before = []
    for i, before in enumerate(check.listing(raw, "names_before", where, optional=True)):
        here = f"{where}.names_before[{i}]"
        names_before.append((check.date(before, "until", here), check.names(before, "name", here)))
    inflected = check.get(raw, "inflected", dict, where, optional=True)
    if inflected is not None:
        check.texts(inflected, "stems", f"{where}.inflected", optional=True)
        check.texts(inflected, "words", f"{where}.inflected", optional=True)
        check.source(inflected, "source", f"{where}.inflected", optional=True)
    valid_from = check.date(raw, "valid_from", where, optional=True)
    valid_until = check.date(raw, "valid_until", where, optional=True)
    merged_into = check.text(raw, "merged_into", where, optional=True, pattern=CODE3)
    if (valid_until is None) != (merged_into is None):
        check.fail(where, "valid_until and merged_into go together: a municipality that ends merges into another")
    return Municipality(code=code, name=check.names(raw, "name", where), region=region, language=language, aland=aland,
                        aliases=tuple(aliases), region_changes=tuple(changes), other_names=tuple(other_names),
                        valid_from=valid_from, valid_until=valid_until, merged_into=merged_into,
                        names_before=tuple(names_before))


def build_former(raw, check: Checker, where: str, municipality_of: Callable[[str], Municipality | None],
                 known_regions) -> FormerMunicipality:
    code = check.text(raw, "code", where, pattern=CODE3)
    where = f"{where} ({code})"
    name = check.names(raw, "name", where, ("fi",))
    ceded = check.flag(raw, "ceded", where)
    successor_code = check.text(raw, "successor", where, optional=True)
    successor = None
    if successor_code is not None:
        successor = municipality_of(successor_code)
        if successor is None:
            check.fail(f"{where}.successor", f"unknown municipality {successor_code!r}")
    elif not ceded:
        check.fail(f"{where}.successor", "missing, and the municipality is not marked ceded")
    merged_into = check.get(raw, "merged_into", dict, where, optional=True)  # as the source says; successor follows it on
    if merged_into is not None:
        check.text(merged_into, "code", f"{where}.merged_into", pattern=CODE3)
        check.text(merged_into, "name", f"{where}.merged_into")
    check.source(raw, "source", where, optional=True)
    return FormerMunicipality(code=code, name=name, merged=check.date(raw, "merged", where), successor=successor, ceded=ceded,
                              name_sv_source=check.source(raw, "name_sv_source", where, optional=True),
                              region=check.reference(raw, "region", where, known_regions, "region", optional=True))


def build_province(raw, check: Checker, where: str, kind: str, known_regions) -> Province:
    province_id = check.text(raw, "id", where)
    where = f"{where} ({province_id})"
    regions = check.texts(raw, "regions", where)
    for i, region in enumerate(regions):
        if region not in known_regions:
            check.fail(f"{where}.regions[{i}]", f"unknown region {region!r}")
    old = kind == "old"  # a lääni: written after a name as a qualifier ("Pyhäjärvi Ul")
    return Province(id=province_id, kind=kind, name=check.names(raw, "name", where, ("fi", "sv", "en")), regions=regions,
                    abbreviations=check.texts(raw, "abbreviations", where) if old else (),
                    ceded=check.flag(raw, "ceded", where) if old else False,
                    sources=check.sources(raw, "sources", where))


def check_postal_code(code, row, check: Checker, known_municipalities) -> None:
    where = f"postal_codes.{code}"
    if not isinstance(code, str) or not CODE5(code):
        check.fail(where, f"{code!r} is not a postal code of five digits (quote it)")
    if not (isinstance(row, list) and len(row) == 4 and type(row[1]) is int
            and all(isinstance(x, str) and x.strip() for x in (row[0], row[2], row[3]))):
        check.fail(where, "expected [municipality, type, locality in Finnish, locality in Swedish]")
    if row[0] not in known_municipalities:
        check.fail(where, f"unknown municipality {row[0]!r}")


def check_meta(meta: dict, check: Checker) -> dict:
    """What the file says about itself: its vintage, sources, licences and counts."""
    check.text(meta, "title", "meta")
    check.text(meta, "generated_by", "meta")
    valid_on = check.date(meta, "valid_on", "meta")
    valid_until = check.date(meta, "valid_until", "meta")
    check.date(meta, "covers_from", "meta")
    # The divisions (one a year) follow each other without gaps; the newest is valid_on..valid_until.
    bounds = [(check.date(division, "valid_from", f"meta.divisions[{i}]"), check.date(division, "valid_until", f"meta.divisions[{i}]"))
              for i, division in enumerate(check.listing(meta, "divisions", "meta"))]
    if not bounds or bounds[-1] != (valid_on, valid_until):
        check.fail("meta.divisions", "the newest division must run from meta.valid_on to meta.valid_until")
    for i, ((_, until), (start, _)) in enumerate(zip(bounds, bounds[1:])):
        if next_day(until) != start:
            check.fail(f"meta.divisions[{i + 1}].valid_from", f"{start} does not follow {until}")
    for i, source in enumerate(check.listing(meta, "sources", "meta")):
        where = f"meta.sources[{i}]"
        check.text(source, "file", where)
        check.text(source, "what", where)
        check.date(source, "snapshot", where, optional=True)
        check.text(source, "licence", where, optional=True)
        check.source(source, "source", where, optional=True)
    for name in check.get(meta, "licences", dict, "meta"):
        check.text(meta["licences"], name, "meta.licences")
    for name in check.get(meta, "counts", dict, "meta"):
        check.get(meta["counts"], name, int, "meta.counts")
    return meta


class MunicipalitiesDocument:
    """A validated municipalities.yaml: its sections (plain data, as the compiled index keeps
    them) and the model built from them."""

    def __init__(self, sections: dict, regions: dict, municipalities: dict, former: dict, provinces: dict):
        self.sections = sections
        self.regions, self.municipalities, self.former, self.provinces = regions, municipalities, former, provinces


def read_document(doc, path: str) -> MunicipalitiesDocument:
    """Validate a parsed municipalities.yaml and build its model; DataError at the first problem."""
    from .normalize import key

    check = Checker(path)
    if not isinstance(doc, dict):
        check.fail("", f"top level must be a mapping, found {type(doc).__name__ if doc is not None else 'nothing'}")
    meta = check_meta(check.get(doc, "meta", dict, ""), check)

    regions: dict[str, Region] = {}
    seen: dict = {}
    for i, raw in enumerate(check.listing(doc, "regions", "")):
        region = build_region(raw, check, f"regions[{i}]")
        check.unique(seen, region.code, f"regions[{i}].code", "region code")
        regions[region.code] = region
    if not regions:
        check.fail("regions", "no regions")

    municipalities: dict[str, Municipality] = {}
    records: dict[str, dict] = {}
    seen, owners = {}, {}
    for i, raw in enumerate(check.listing(doc, "municipalities", "")):
        municipality = build_municipality(raw, check, f"municipalities[{i}]", regions.get)
        check.unique(seen, municipality.code, f"municipalities[{i}].code", "municipality code")
        municipalities[municipality.code], records[municipality.code] = municipality, raw
        for name in (*municipality.name[:2], *municipality.aliases, *(o.name for o in municipality.other_names),
                     *(n for _, names in municipality.names_before for n in names[:2])):
            if name:
                owners.setdefault(key(name), set()).add(municipality.code)
    if not municipalities:
        check.fail("municipalities", "no municipalities")
    for code, municipality in municipalities.items():
        if municipality.merged_into is not None and municipality.merged_into not in municipalities:
            check.fail(f"municipalities ({code}).merged_into", f"unknown municipality {municipality.merged_into!r}")
    for name_key, codes in owners.items():
        if len(codes) > 1:
            check.fail("municipalities", f"the name {name_key!r} belongs to several municipalities ({', '.join(sorted(codes))})")

    former: dict[str, FormerMunicipality] = {}
    former_records: dict[str, dict] = {}
    seen = {}
    for i, raw in enumerate(check.listing(doc, "former_municipalities", "")):
        old = build_former(raw, check, f"former_municipalities[{i}]", municipalities.get, regions)
        check.unique(seen, old.code, f"former_municipalities[{i}].code", "former municipality code")
        former[old.code], former_records[old.code] = old, raw

    postal_codes = check.get(doc, "postal_codes", dict, "")
    for code, row in postal_codes.items():
        check_postal_code(code, row, check, municipalities)

    ambiguous = set(check.texts(doc, "ambiguous_place_names", "", optional=True))
    place_names = check.get(doc, "place_names", dict, "")
    for name, codes in place_names.items():
        where = f"place_names.{name}"
        if not isinstance(codes, list) or not codes:
            check.fail(where, "expected a list of municipality codes")
        for code in codes:
            if code not in municipalities:
                check.fail(where, f"unknown municipality {code!r}")
        if len(codes) > 1 and name not in ambiguous:
            check.fail(where, f"{name!r} maps several municipalities but is not listed in ambiguous_place_names")

    provinces: dict[str, Province] = {}
    seen = {}
    raw_provinces = check.get(doc, "provinces", dict, "", optional=True) or {}
    for kind in ("old", "historical"):
        for i, raw in enumerate(check.listing(raw_provinces, kind, "provinces", optional=True)):
            province = build_province(raw, check, f"provinces.{kind}[{i}]", kind, regions)
            check.unique(seen, province.id, f"provinces.{kind}[{i}].id", "province id")
            provinces[province.id] = province

    sections = {
        "municipalities_meta": meta,
        "regions": {code: raw for code, raw in zip(regions, check.listing(doc, "regions", ""))},
        "municipalities": records,
        "former_municipalities": former_records,
        "postal_codes": postal_codes,
        "place_names": place_names,
        "provinces": raw_provinces,
    }
    return MunicipalitiesDocument(sections, regions, municipalities, former, provinces)
