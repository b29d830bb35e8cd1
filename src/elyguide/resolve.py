"""Which centre answers for a municipality on a date, and the ELY centre it descends from.

Responsibility follows the region (maakunta). Until 2025-12-31 it lay with the region's
ELY-keskus; since 2026-01-01 with its elinvoimakeskus. The data covers dates from 2021-01-01,
when the last five municipalities changed region. `answer` turns a match into the FindResult
every output format renders, with the warnings a reader should see:

  beyond_division  the date lies after the last day of the newest municipality division in
                   the data: municipalities merge on 1 January, and the data cannot know
  contacts_old     a contact fact shown was verified more than 12 months before the date
"""

from __future__ import annotations

from .errors import UsageError
from .model import Candidate, FindResult, FormerMunicipality, Match, Reason, RegionAnswer, Warning
from .schema import is_iso_date

FOUND = "found"
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"
OUTSIDE_SERVICE_AREA = "outside_service_area"
NO_CURRENT_MUNICIPALITY = "no_current_municipality"
STATUSES = (FOUND, AMBIGUOUS, NOT_FOUND, OUTSIDE_SERVICE_AREA, NO_CURRENT_MUNICIPALITY)
WARNING_CODES = ("beyond_division", "contacts_old")
CONTACTS_MAX_AGE_MONTHS = 12



def today() -> str:
    import time

    return time.strftime("%Y-%m-%d")


def parse_date(value, covers_from: str) -> str:
    """A date as an ISO string: None means today; also 1.1.2026 and 01.01.2026, as Finns
    write dates (and as elyguide prints them). Raises UsageError for anything else."""
    if value is None:
        return today()
    if hasattr(value, "isoformat") and not isinstance(value, str):  # a datetime.date
        text = value.isoformat()[:10]
    else:
        raw = str(value).strip()
        text = raw
        parts = raw.split(".")
        if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts) and len(parts[2]) == 4 \
                and 1 <= len(parts[0]) <= 2 and 1 <= len(parts[1]) <= 2:
            text = f"{parts[2]}-{int(parts[1]):02d}-{int(parts[0]):02d}"  # 1.1.2026, 01.01.2026
        if not is_iso_date(text):
            raise UsageError("invalid_date", value=raw[:40])  # shown with repr(), which escapes control characters
    if text < covers_from:
        raise UsageError("date_too_early", covers_from=covers_from, date=text)
    return text


def division_until(dataset) -> str:
    """The last day of the newest municipality division in the data."""
    return dataset.municipalities_meta["valid_until"]


def months_before(date: str, months: int) -> str:
    year, month, day = int(date[:4]), int(date[5:7]), int(date[8:10])
    month -= months
    while month < 1:
        month, year = month + 12, year - 1
    return f"{year:04d}-{month:02d}-{min(day, 28):02d}"


def warnings_for(dataset, date: str, centre, *, aland: bool = False) -> tuple[Warning, ...]:
    """The warnings of an answer for `date` that shows `centre`'s contacts, or Åland's page
    (see module doc); the same for every answer of a batch with that date and centre."""
    key = (date, centre.id if centre is not None else None, aland)
    cached = _warnings.get(key)
    if cached is not None and cached[0] is dataset:
        return cached[1]
    out = []
    until = division_until(dataset)
    if date > until:
        out.append(Warning("beyond_division", (("until", until),)))
    facts = (*centre.phones, *centre.emails, *centre.postal_addresses, *centre.web, *dataset.contact_pages.values()) \
        if centre is not None else (dataset.aland.web,) if aland else ()
    oldest = min((fact.verified for fact in facts if fact.verified), default=None)
    if oldest is not None and oldest < months_before(date, CONTACTS_MAX_AGE_MONTHS):
        out.append(Warning("contacts_old", (("verified", oldest),)))
    _warnings[key] = (dataset, tuple(out))
    return tuple(out)


_warnings: dict = {}


def answer(query: str, outcome, date: str, dataset) -> FindResult:
    """Turn a match outcome into an answer: the municipality's centre on `date`, or why none."""
    found = outcome.match
    region = None
    if outcome.region is not None:
        region = RegionAnswer(region=dataset.region(outcome.region), centre=dataset.centre_on(outcome.region, date))
    province = dataset.province(outcome.province) if outcome.province else None
    common = {"query": query, "date": date, "match": found, "candidates": outcome.candidates, "reason": outcome.reason,
              "region": region, "province": province, "ely_centre": None, "successor_centre": None, "centre": None}
    if found is None:
        if region is not None and region.region.aland:
            return FindResult(status=OUTSIDE_SERVICE_AREA, municipality=None, former=None,
                              warnings=warnings_for(dataset, date, None, aland=True), **common)
        status = AMBIGUOUS if outcome.status == AMBIGUOUS else NOT_FOUND
        return FindResult(status=status, municipality=None, former=None, warnings=warnings_for(dataset, date, None), **common)
    municipality = found.municipality
    if municipality is None:  # a ceded former municipality
        return FindResult(status=NO_CURRENT_MUNICIPALITY, municipality=None, former=found.former,
                          warnings=warnings_for(dataset, date, None), **common)
    if municipality.valid_from is not None and date < municipality.valid_from:
        # Formed by a merger after the date: it was its predecessors then.
        before = [m for m in dataset.municipalities().values() if m.merged_into == municipality.code]
        common.update(match=None, reason=Reason("reason_not_yet", (("name", municipality.name.fi), ("date", municipality.valid_from))),
                      candidates=tuple(Candidate(municipality=dataset.municipality_on(m.code, date), former=None, score=100.0,
                                                 kind="name", text=m.name.fi) for m in before))
        return FindResult(status=AMBIGUOUS if before else NOT_FOUND, municipality=None, former=None,
                          warnings=warnings_for(dataset, date, None), **common)
    municipality, former = on_date(dataset, municipality, found.former, date)
    if former is not found.former:  # merged away by the date: the name read is a former municipality's
        common["match"] = Match(kind="former" if found.kind == "name" else found.kind, text=found.text, score=found.score,
                                municipality=municipality, former=former, postal_code=found.postal_code)
    if municipality.aland:
        return FindResult(status=OUTSIDE_SERVICE_AREA, municipality=municipality, former=former,
                          warnings=warnings_for(dataset, date, None, aland=True), **common)
    code = municipality.region.code
    centre_id = dataset.centre_id_on(code, date)
    ely_id = dataset.centre_id_on(code, dataset.ely_until)
    centre = dataset.centre(centre_id)
    common.update(centre=centre, ely_centre=dataset.centre(ely_id),
                  successor_centre=dataset.centre(dataset.successor_id(centre_id, code)) if centre_id == ely_id else None)
    return FindResult(status=FOUND, municipality=municipality, former=former, warnings=warnings_for(dataset, date, centre),
                      **common)


def on_date(dataset, municipality, former, date: str):
    """(the municipality as it was on `date`, the former municipality the query named): a
    municipality merged away by then answers as a former municipality of its successor."""
    if municipality.valid_until is not None and date > municipality.valid_until:
        current = municipality
        while current.valid_until is not None and date > current.valid_until:
            current = dataset.municipality(current.merged_into)
        if former is None:
            from .schema import next_day

            former = FormerMunicipality(code=municipality.code, name=municipality.name, merged=next_day(municipality.valid_until),
                                        successor=current, ceded=False, name_sv_source=None, region=municipality.region.code)
        municipality = current
    return dataset.municipality_on(municipality.code, date), former


def find_in(dataset, query: str, date: str, *, strict: bool = False) -> FindResult:
    """The one find pipeline: normalise and match the query, then resolve it for the date.
    The command line and the Python API both answer through here."""
    from .match import match
    from .normalize import is_blank

    if not isinstance(query, str) or is_blank(query):
        raise UsageError("empty_query")
    return answer(query, match(query, dataset, strict=strict), date, dataset)
