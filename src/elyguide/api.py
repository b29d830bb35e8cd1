"""The public Python API. The command line is a thin shell over these functions.

>>> result = find("Kuopiossa", on="2026-03-01")
>>> result.status, result.municipality.name.fi, result.centre.name.fi
('found', 'Kuopio', 'Itä-Suomen elinvoimakeskus')
>>> find("Kuopio", on="31.12.2025").centre.name.fi
'Pohjois-Savon ELY-keskus'
"""

from __future__ import annotations

import os
from functools import partial

from .errors import AmbiguousError, ExitStatus, NoCentreError, NotFoundError, UsageError
from .index import load_dataset
from .messages import format_date, message
from .model import FindResult, Record, record
from .resolve import find_in, parse_date

@record
class MunicipalityRow(Record):
    """A municipality with the centres that serve it on a date (one row of `elyguide list`)."""

    __slots__ = ()

    def __new__(cls, municipality, date, centre, ely_centre):
        return tuple.__new__(cls, (municipality, date, centre, ely_centre))


def _dataset(data_dir, dataset):
    """The dataset to answer from: one already loaded (the command line passes its own), else
    the data folder's."""
    return dataset if dataset is not None else load_dataset(data_dir)


def find(query: str, on=None, *, strict: bool = False, data_dir: str | os.PathLike | None = None, dataset=None) -> FindResult:
    """Find the centre that guides `query`'s municipality on date `on` (default: today).

    `on` is a datetime.date, "YYYY-MM-DD" or "D.M.YYYY", from 2021-01-01 on. With `strict`,
    a guess (prefix or typo) is not an answer. Raises UsageError for a blank query or a bad
    date, DataError for unreadable data; every other outcome is a FindResult.
    """
    dataset = _dataset(data_dir, dataset)
    return find_in(dataset, query, parse_date(on, dataset.covers_from), strict=strict)


def finnish_order(name: str) -> str:
    """A sort key for Finnish and Swedish alphabetical order, which put å, ä and ö after z."""
    return name.casefold().translate(_NORDIC_ORDER)


_NORDIC_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y", "w": "v"})


def sort_key(lang: str):
    """Sort municipalities by the name shown in `lang` (Swedish names in Swedish)."""
    return lambda m: (finnish_order(m.name.get(lang) if lang == "sv" else m.name.fi), m.code)


def municipalities(on=None, *, centre: str | None = None, region: str | None = None, lang: str = "fi",
                   data_dir: str | os.PathLike | None = None, dataset=None) -> list[MunicipalityRow]:
    """Every municipality with its centre on `on`, sorted by name in `lang`; filters combine.

    `centre` and `region` are matched like names ("Itä-Suomi", "Pohjois-Savon ELY", "11").
    A filter that matches nothing on the date raises NotFoundError saying why.
    """
    dataset = _dataset(data_dir, dataset)
    date = parse_date(on, dataset.covers_from)
    for name, value in (("--centre", centre), ("--region", region)):
        if value is not None and not value.strip():
            raise UsageError("empty_filter", option=name)
    wanted_centre = centre_for(centre, on=date, dataset=dataset)[0] if centre is not None else None  # or a municipality's
    wanted_region = find_region(region, dataset=dataset) if region is not None else None
    if wanted_centre is not None and not wanted_centre.active_on(date) and wanted_centre.kind != "ely":
        active = [c for c in dataset.centres().values() if c.active_on(date)]
        raise NotFoundError("centre_not_on_date", centre=wanted_centre.name.get, date=partial(format_date, date),
                            active=lambda lang: ", ".join(c.name.get(lang) for c in active))
    rows = []
    current = [dataset.municipality_on(m.code, date) for m in dataset.municipalities().values() if m.valid_on(date)]
    for municipality in sorted(current, key=sort_key(lang)):
        here = dataset.centre_on(municipality.region.code, date)
        ely = dataset.ely_centre_for(municipality.region.code)
        if wanted_region is not None and municipality.region.code != wanted_region:
            continue
        if wanted_centre is not None and wanted_centre not in (here, ely):
            continue
        rows.append(MunicipalityRow(municipality=municipality, date=date, centre=here, ely_centre=ely))
    if not rows and (wanted_centre is not None or wanted_region is not None):
        raise NotFoundError("filters_match_nothing", date=date)
    return rows


def centres(on=None, *, data_dir: str | os.PathLike | None = None, dataset=None) -> list:
    """The centres responsible on `on` (default today), in Statistics Finland's order."""
    dataset = _dataset(data_dir, dataset)
    date = parse_date(on, dataset.covers_from)
    return [c for c in dataset.centres().values() if c.active_on(date)]


def find_centre(name: str, on=None, *, data_dir: str | os.PathLike | None = None, dataset=None):
    """The centre a name means ("itä-suomi", "Pohjois-Savon ELY", "Östra Finland").

    Raises LookupError (NotFoundError, or AmbiguousError with candidates) when it is not
    exactly one. See `centre_for` for a municipality's name.
    """
    from .match import match_centres

    _check_centre_name(name)
    dataset = _dataset(data_dir, dataset)
    date = parse_date(on, dataset.covers_from) if on is not None else None
    return _one_centre(name, match_centres(name, dataset, date)[0])


def _check_centre_name(name) -> None:
    from .normalize import is_blank

    if not isinstance(name, str) or is_blank(name) or not any(ch.isalnum() for ch in name):
        raise UsageError("empty_centre_name")


def _one_centre(name: str, found: list):
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError("centre_not_found", name=name)
    raise AmbiguousError("centre_ambiguous", tuple(found), name=name,
                         options=lambda lang: ", ".join(f"{c.name.get(lang)} ({c.id})" for c in found))


def centre_for(name: str, on=None, *, data_dir: str | os.PathLike | None = None, dataset=None):
    """The centre `name` means, or the centre serving the municipality (or region) `name`
    names on `on`: (centre, FindResult or None). A centre's own name or area wins; then a
    place as `find` reads it; then the start of a centre's area or a typo of it ("Kaakkois");
    a guessed place last ("Kuopoi")."""
    from .match import match_centres
    from .model import GUESS_KINDS

    _check_centre_name(name)
    dataset = _dataset(data_dir, dataset)
    date = parse_date(on, dataset.covers_from)
    centres, how = match_centres(name, dataset, date)
    if centres and how in ("exact", "area"):
        return _one_centre(name, centres), None
    result = find_in(dataset, name, date)
    kinds = {result.match.kind} if result.match else {c.kind for c in result.candidates}
    if centres and kinds and kinds <= GUESS_KINDS:
        return _one_centre(name, centres), None  # find only guessed: "etel" starts Etelä-…, it is no typo of Veteli
    if result.status == "found":
        return result.centre, result
    if result.status == "ambiguous":
        raise AmbiguousError("centre_ambiguous_municipality", tuple(result.candidates), name=name,
                             options=lambda lang: ", ".join((c.municipality or c.former).name.get(lang) for c in result.candidates))
    if result.status == "outside_service_area":
        why = partial(message, "outside", name=result.municipality.name.get) if result.municipality else \
            partial(message, "outside_region", name=result.region.region.name.get)
        raise NoCentreError("centre_outside", ExitStatus.OUTSIDE_SERVICE, why=why, name=name)
    if result.status == "no_current_municipality":
        why = partial(message, "ceded", name=result.former.name.get, year=result.former.merged[:4])
        raise NoCentreError("centre_outside", ExitStatus.OUTSIDE_SERVICE, why=why, name=name)
    if result.region is not None and result.region.centre is not None:
        return result.region.centre, result
    if result.province is not None:  # "Savo": the centres of the regions it covers
        serving = list({c.id: c for c in (dataset.centre_on(r, date) for r in result.province.regions) if c}.values())
        if serving:
            return _one_centre(name, serving), result
    if not centres and result.reason is not None and result.reason.id == "reason_several_municipalities":
        raise NoCentreError("centre_not_one_place", ExitStatus.NOT_FOUND, why=partial(message, result.reason.id, **dict(result.reason.values)),
                            name=name)
    return _one_centre(name, centres), None


def served_municipalities(centre, *, on: str | None, lang: str = "fi", data_dir=None, dataset=None) -> list:
    """The municipalities a centre serves on `on` (None: over its whole life), by name."""
    dataset = _dataset(data_dir, dataset)
    everyone = [dataset.municipality_on(m.code, on) if on else m for m in dataset.municipalities().values()
                if on is None or m.valid_on(on)]
    served = [m for m in everyone if any(p.region == m.region.code and (on is None or p.covers(on)) for p in centre.regions)]
    return sorted(served, key=sort_key(lang))


def find_region(name: str, *, data_dir: str | os.PathLike | None = None, dataset=None) -> str:
    """A region's code from its code or name in Finnish, Swedish or English (also inflected)."""
    from .normalize import fold, key

    dataset = _dataset(data_dir, dataset)
    wanted = key(name)
    code_text = name.strip()
    if code_text.isascii() and code_text.isdigit():  # only plain digits are a code ("²¹" is not)
        for code in dataset.regions():
            if code_text in (code, code.lstrip("0")):
                return code
        raise UsageError("unknown_region", name=name)
    from .finnish import split_endings
    from .match import _Matcher  # its region tables know every name, written out or inflected

    found, _ = _Matcher(dataset).area(fold(name), list(split_endings(wanted)))
    if found is not None:
        return found
    raise UsageError("unknown_region", name=name)


def about(on=None, *, data_dir: str | os.PathLike | None = None, dataset=None) -> dict:
    """How fresh the data is: vintage, validity, sources, licences, the state of the contact
    facts (when each was verified; which channels no verified fact covers), the contacts
    refreshed from the registry, and the rules of the answers' warnings."""
    from . import __version__
    from .resolve import WARNING_CODES, division_until
    dataset = _dataset(data_dir, dataset)
    date = parse_date(on, dataset.covers_from)
    facts, secondary, missing = [], 0, []
    for centre in dataset.centres().values():
        for channel, fact, value in (
            *(("phone", p, p.number) for p in centre.phones),
            *(("postal_address", a, ", ".join(a.formatted(centre.name.get(a.lang)))) for a in centre.postal_addresses),
            *(("email", e, e.address) for e in centre.emails),
        ):
            facts.append({"centre": centre.id, "channel": channel, "value": value, "verified": fact.verified,
                          "source": fact.source.url, "source_title": fact.source.title, "source_kind": fact.source.kind})
            secondary += fact.source.secondary
        if centre.active_on(date):
            gaps = [channel for channel, have in (("phone", centre.phones), ("postal_address", centre.postal_addresses),
                                                  ("email", centre.emails)) if not have]
            if gaps:
                missing.append({"centre": centre.id, "channels": gaps})
    verified = sorted(f["verified"] for f in facts)
    mmeta, cmeta = dataset.municipalities_meta, dataset.centres_meta
    refreshed = dataset.refreshed
    return {
        "version": __version__,
        "date": date,
        "data_dir": dataset.origin,
        "compiled_cache": dataset.from_cache,
        "valid_on": mmeta["valid_on"],
        "division": {"valid_from": mmeta["valid_on"], "valid_until": division_until(dataset)},
        "covers_from": mmeta["covers_from"],
        "counts": mmeta["counts"],
        "centres": {"ely_until": cmeta["ely_until"], "elinvoimakeskus_from": cmeta["elinvoimakeskus_from"],
                    "active": [c.id for c in dataset.centres().values() if c.active_on(date)]},
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
        "refreshed": None if refreshed is None else refreshed.summary(),
        "warning_rules": list(WARNING_CODES),
        "sources": [
            {k: s.get(k) for k in ("file", "what", "snapshot", "licence")} | {"url": (s.get("source") or {}).get("url")}
            for s in mmeta["sources"]
        ],
        "licences": {**mmeta["licences"], **cmeta["licences"]},
    }

