"""Which centre answers for a municipality on a date, and the ELY centre it descends from.

Responsibility follows the region (maakunta). Until 2025-12-31 it lay with the region's
ELY-keskus; since 2026-01-01 with its elinvoimakeskus. The data covers dates from 2021-01-01,
when the last five municipalities changed region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import UsageError
from .match import Candidate, Match, MatchOutcome
from .model import Centre, FormerMunicipality, Municipality

FOUND = "found"
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"
OUTSIDE_SERVICE_AREA = "outside_service_area"
NO_CURRENT_MUNICIPALITY = "no_current_municipality"
STATUSES = (FOUND, AMBIGUOUS, NOT_FOUND, OUTSIDE_SERVICE_AREA, NO_CURRENT_MUNICIPALITY)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FindResult:
    """The answer to one query on one date. Absent things are None, never missing."""

    query: str
    status: str
    date: str
    match: Match | None = None
    municipality: Municipality | None = None
    former: FormerMunicipality | None = None
    centre: Centre | None = None
    ely_centre: Centre | None = None
    candidates: tuple[Candidate, ...] = ()
    reason: str | None = None


def parse_date(value, covers_from: str) -> str:
    """A date as an ISO string; None means today. Raises UsageError for anything else."""
    from datetime import date

    if value is None:
        return date.today().isoformat()
    if isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value).strip()
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"invalid date {_printable(text)!r}: expected YYYY-MM-DD, e.g. 2026-01-01") from None
    if text < covers_from:
        raise UsageError(f"the data covers dates from {covers_from} on; {text} is earlier")
    return text


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text[:40])


def resolve(query: str, outcome: MatchOutcome, on: str, dataset) -> FindResult:
    """Turn a match into an answer: the municipality's centre on `on`, or why there is none."""
    match = outcome.match
    if match is None:
        status = AMBIGUOUS if outcome.status == AMBIGUOUS else NOT_FOUND
        return FindResult(query, status, on, candidates=outcome.candidates, reason=outcome.reason)
    municipality = match.municipality
    if municipality is None:  # a ceded former municipality
        return FindResult(query, NO_CURRENT_MUNICIPALITY, on, match, former=match.former)
    if municipality.aland:
        return FindResult(query, OUTSIDE_SERVICE_AREA, on, match, municipality, match.former)
    return FindResult(
        query, FOUND, on, match, municipality, match.former,
        centre=resolve_centre(municipality, on, dataset),
        ely_centre=dataset.ely_centre_for(municipality.region.code),
    )


def resolve_centre(municipality: Municipality, on: str, dataset) -> Centre | None:
    """The centre responsible for a municipality on a date (ISO string)."""
    return dataset.centre_on(municipality.region.code, on)
