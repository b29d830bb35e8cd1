"""The public Python API. The command line is a thin shell over these functions.

>>> result = find("Kuopiossa", on="2026-03-01")
>>> result.status, result.municipality.name.fi, result.centre.name.fi
('found', 'Kuopio', 'Itä-Suomen elinvoimakeskus')
>>> find("Kuopio", on="2025-06-01").centre.name.fi
'Pohjois-Savon ELY-keskus'
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .data import Dataset, load_dataset
from .errors import UsageError
from .match import match
from .model import Candidate, Centre, FindResult, Match, Municipality
from .resolve import answer, parse_date


def find(query: str, on=None, *, data_dir: str | os.PathLike | None = None) -> FindResult:
    """Find the centre that guides `query`'s municipality on date `on` (default: today).

    `on` is a datetime.date or "YYYY-MM-DD" from 2021-01-01 on. Raises UsageError for a blank
    query or a bad date, DataError for unreadable data; every other outcome is a FindResult.
    """
    dataset = load_dataset(data_dir)
    date = parse_date(on, dataset.centres_meta["covers_from"])
    return find_in(dataset, query, date)


def find_in(dataset: Dataset, query: str, date: str) -> FindResult:
    """find() for a loaded dataset and a validated ISO date."""
    check_query(query)
    return to_result(answer(query, match(query, dataset.index), date, dataset.index), dataset)


def check_query(query) -> None:
    from .normalize import is_blank

    if not isinstance(query, str) or is_blank(query):
        raise UsageError("empty query: give a municipality name, code or postal code")


def to_result(found, dataset: Dataset) -> FindResult:
    """The public FindResult for an answer in codes (resolve.Answer)."""
    municipalities, former, centres = dataset.municipalities, dataset.former, dataset.centres
    hit = found.hit
    match_ = None if hit is None else Match(
        hit.kind, hit.text, hit.score, municipalities.get(hit.municipality), former.get(hit.former), hit.postal_code
    )
    candidates = tuple(
        Candidate(o.code, municipalities[o.code].name if o.code else former[o.former].name, o.score, o.kind, o.text, o.former)
        for o in found.options
    )
    return FindResult(
        found.query, found.status, found.date, match_, municipalities.get(found.municipality), former.get(found.former),
        centres.get(found.centre), centres.get(found.ely_centre), centres.get(found.successor), candidates, found.reason,
    )


@dataclass(frozen=True)
class MunicipalityRow:
    """A municipality with the centres that serve it on a date (one row of `elyguide list`)."""

    municipality: Municipality
    date: str
    centre: Centre | None
    ely_centre: Centre | None


def municipalities(on=None, *, centre: str | None = None, region: str | None = None,
                   data_dir: str | os.PathLike | None = None) -> list[MunicipalityRow]:
    """Every municipality with its centre on `on`, sorted by Finnish name; filters combine.

    `centre` and `region` are matched like names ("Itä-Suomi", "Pohjois-Savon ELY", "11").
    """
    dataset = load_dataset(data_dir)
    date = parse_date(on, dataset.centres_meta["covers_from"])
    wanted_centre = find_centre(centre, on=date, data_dir=data_dir) if centre else None
    wanted_region = find_region(region, data_dir=data_dir) if region else None
    rows = []
    for municipality in sorted(dataset.municipalities.values(), key=lambda m: (finnish_order(m.name.fi), m.code)):
        here = dataset.centre_on(municipality.region.code, date)
        ely = dataset.ely_centre_for(municipality.region.code)
        if wanted_region is not None and municipality.region.code != wanted_region:
            continue
        if wanted_centre is not None and wanted_centre not in (here, ely):
            continue
        rows.append(MunicipalityRow(municipality, date, here, ely))
    return rows


def centres(on=None, *, data_dir: str | os.PathLike | None = None) -> list[Centre]:
    """The centres responsible on `on` (default today), in Statistics Finland's order."""
    dataset = load_dataset(data_dir)
    date = parse_date(on, dataset.centres_meta["covers_from"])
    return [c for c in dataset.centres.values() if c.active_on(date)]


def find_centre(name: str, on=None, *, data_dir: str | os.PathLike | None = None) -> Centre:
    """The centre a name means ("itä-suomi", "Pohjois-Savon ELY", "Östra Finland").

    Raises LookupError (NotFound or Ambiguous, with candidates) when it is not exactly one.
    """
    from .match import match_centre

    dataset = load_dataset(data_dir)
    date = parse_date(on, dataset.centres_meta["covers_from"]) if on is not None else None
    return match_centre(name, dataset, date)


def find_region(name: str, *, data_dir: str | os.PathLike | None = None) -> str:
    """A region's code from its code or name in Finnish, Swedish or English."""
    from .data import load_index
    from .normalize import key

    regions = load_index(data_dir)["regions"]  # folded name -> [code, Finnish name]
    wanted = key(name)
    if wanted in regions:
        return regions[wanted][0]
    for code, _ in regions.values():
        if wanted in (code, code.lstrip("0")):
            return code
    raise UsageError(f"unknown region {name!r}: give a region code or name, e.g. 11 or Pohjois-Savo")


def finnish_order(name: str) -> str:
    """A sort key for Finnish alphabetical order, which puts å, ä and ö after z."""
    return name.casefold().translate(_FINNISH_ORDER)


_FINNISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def about(on=None, *, data_dir: str | os.PathLike | None = None) -> dict:
    """How fresh the data is: vintage, validity, sources, licences, and the state of the
    contact facts (when each was verified; which channels no verified fact covers)."""
    from . import __version__

    dataset = load_dataset(data_dir)
    date = parse_date(on, dataset.centres_meta["covers_from"])
    facts, secondary, missing = [], 0, []
    for centre in dataset.centres.values():
        for channel, fact, value in (
            *(("phone", p, p.number) for p in centre.phones),
            *(("postal_address", a, ", ".join(a.formatted(centre.name.fi))) for a in centre.postal_addresses),
            *(("email", e, e.address) for e in centre.emails),
        ):
            facts.append({"centre": centre.id, "channel": channel, "value": value, "verified": fact.verified,
                          "source": fact.source.url, "source_kind": fact.source.kind})
            secondary += fact.source.secondary
        if centre.active_on(date):
            gaps = [channel for channel, have in (("phone", centre.phones), ("postal_address", centre.postal_addresses),
                                                  ("email", centre.emails)) if not have]
            if gaps:
                missing.append({"centre": centre.id, "channels": gaps})
    verified = sorted(f["verified"] for f in facts)
    mmeta, cmeta = dataset.municipalities_meta, dataset.centres_meta
    return {
        "version": __version__,
        "date": date,
        "data_dir": dataset.origin,
        "compiled_cache": dataset.from_cache,
        "valid_on": mmeta["valid_on"],
        "covers_from": mmeta["covers_from"],
        "counts": mmeta["counts"],
        "centres": {"ely_until": cmeta["ely_until"], "elinvoimakeskus_from": cmeta["elinvoimakeskus_from"],
                    "active": [c.id for c in dataset.centres.values() if c.active_on(date)]},
        "contacts": {
            "facts": facts,
            "count": len(facts),
            "secondary": secondary,
            "verified_first": verified[0] if verified else None,
            "verified_last": verified[-1] if verified else None,
            "check_at": {lang: page.url for lang, page in dataset.contact_pages.items()},
            "missing": missing,
            "missing_count": sum(len(m["channels"]) for m in missing),
        },
        "sources": [
            {k: s.get(k) for k in ("file", "what", "snapshot", "licence")} | {"url": (s.get("source") or {}).get("url")}
            for s in mmeta["sources"]
        ],
        "licences": {**mmeta["licences"], **cmeta["licences"]},
    }
