"""Which centre answers for a municipality on a date, and the ELY centre it descends from.

Responsibility follows the region (maakunta). Until 2025-12-31 it lay with the region's
ELY-keskus; since 2026-01-01 with its elinvoimakeskus. The data covers dates from 2021-01-01,
when the last five municipalities changed region. Like matching, resolution works on the
compiled index and answers with codes and ids.
"""

from __future__ import annotations

import re
from collections import namedtuple

from .errors import UsageError

FOUND = "found"
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"
OUTSIDE_SERVICE_AREA = "outside_service_area"
NO_CURRENT_MUNICIPALITY = "no_current_municipality"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# The answer to one query on one date, as codes and ids (None where there is nothing):
# `hit` and `options` come from match.py; `successor` is, for a date in the ELY era, the
# elinvoimakeskus that took the region over.
Answer = namedtuple("Answer", "query status date hit municipality former centre ely_centre successor options reason")


def today() -> str:
    import time

    return time.strftime("%Y-%m-%d")


def parse_date(value, covers_from: str) -> str:
    """A date as an ISO string; None means today. Raises UsageError for anything else."""
    if value is None:
        return today()
    from datetime import date

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


def centre_on(periods: dict, region: str, date: str) -> str | None:
    """The id of the centre serving a region on a date, or None (Åland); `periods` is the
    index's region -> [[from, until, centre id], ...] table."""
    for start, end, centre_id in periods.get(region, ()):
        if start <= date and (end is None or date <= end):
            return centre_id
    return None


def answer(query: str, outcome, date: str, index: dict) -> Answer:
    """Turn a match outcome into an answer: the municipality's centre on `date`, or why none."""
    hit = outcome.hit
    if hit is None:
        status = AMBIGUOUS if outcome.status == AMBIGUOUS else NOT_FOUND
        return Answer(query, status, date, None, None, None, None, None, None, outcome.options, outcome.reason)
    code = hit.municipality
    if code is None:  # a ceded former municipality
        return Answer(query, NO_CURRENT_MUNICIPALITY, date, hit, None, hit.former, None, None, None, (), None)
    _, _, region, aland = index["municipalities"][code]
    if aland:
        return Answer(query, OUTSIDE_SERVICE_AREA, date, hit, code, hit.former, None, None, None, (), None)
    centre = centre_on(index["periods"], region, date)
    ely = centre_on(index["periods"], region, index["ely_until"])
    successor = index["successors"].get(centre, {}).get(region) if centre == ely else None
    return Answer(query, FOUND, date, hit, code, hit.former, centre, ely, successor, (), None)
