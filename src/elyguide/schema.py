"""Checked reading of data documents: every field is read through one of these methods, which
raise a DataError naming the file, the place and the problem the moment something is missing
or of the wrong type. The builders (schema_municipalities.py, schema_centres.py,
schema_refresh.py) validate and build the model in the same pass, so a field is required in
exactly one place.
"""

from __future__ import annotations

from .errors import DataError
from .model import Names, Source


# Checks of a value's form; each has a `pattern` attribute for the message. (Plain functions,
# not regular expressions: compiling a dozen of them would cost a lookup a few milliseconds.)
def _form(description: str):
    def name(check):
        check.pattern = description
        return check
    return name


def _digits(value: str, count: int) -> bool:
    return len(value) == count and value.isascii() and value.isdigit()


CODE2 = _form("two digits")(lambda value: _digits(value, 2))
CODE3 = _form("three digits")(lambda value: _digits(value, 3))
CODE5 = _form("five digits")(lambda value: _digits(value, 5))


def is_iso_date(value: str) -> bool:
    """YYYY-MM-DD, and a day that exists (2026-02-30 does not)."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-" or not _digits(value[:4] + value[5:7] + value[8:], 8):
        return False
    year, month, day = int(value[:4]), int(value[5:7]), int(value[8:])
    return 1 <= month <= 12 and 1 <= day <= days_in_month(year, month)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


SOURCE_DATE = _form("YYYY, YYYY-MM or YYYY-MM-DD")(
    lambda value: _digits(value, 4) or (len(value) == 7 and value[4] == "-" and _digits(value[:4] + value[5:], 6))
    or is_iso_date(value))
_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", type(None): "nothing"}


def kind_of(value) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class Checker:
    """Reads one document, failing at the first problem with its place: file: where: what."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: str, what: str):
        raise DataError(self.path, where, what)

    def mapping(self, value, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping, found {kind_of(value)}")
        return value

    def get(self, mapping, key: str, types, where: str, *, optional: bool = False):
        self.mapping(mapping, where)
        value = mapping.get(key)
        if value is None:
            if optional:
                return None
            self.fail(where, f"missing '{key}'" if key not in mapping else f"'{key}' is empty")
        types = types if isinstance(types, tuple) else (types,)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            expected = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
            self.fail(f"{where}.{key}", f"expected {expected}, found {kind_of(value)}")
        return value

    def text(self, mapping, key: str, where: str, *, optional: bool = False, pattern=None, choices=None) -> str | None:
        value = self.get(mapping, key, str, where, optional=optional)
        if value is None:
            return None
        if not value.strip():
            self.fail(f"{where}.{key}", "is empty")
        if pattern is not None and not pattern(value):
            self.fail(f"{where}.{key}", f"{value!r} is not of the form {pattern.pattern}")
        if choices is not None and value not in choices:
            self.fail(f"{where}.{key}", f"must be one of {', '.join(map(repr, choices))}, not {value!r}")
        return value

    def flag(self, mapping, key: str, where: str) -> bool:
        return self.get(mapping, key, bool, where)

    def date(self, mapping, key: str, where: str, *, optional: bool = False) -> str | None:
        value = self.get(mapping, key, str, where, optional=optional)
        if value is None:
            return None
        if not is_iso_date(value):
            self.fail(f"{where}.{key}", f"{value!r} is not a date (YYYY-MM-DD)")
        return value

    def listing(self, mapping, key: str, where: str, *, optional: bool = False) -> list:
        return self.get(mapping, key, list, where, optional=optional) or []

    def texts(self, mapping, key: str, where: str, *, optional: bool = False) -> tuple[str, ...]:
        values = self.listing(mapping, key, where, optional=optional)
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail(f"{where}.{key}[{i}]", f"expected text, found {kind_of(value)}")
        return tuple(values)

    def names(self, mapping, key: str, where: str, langs=("fi", "sv"), *, optional: bool = False) -> Names | None:
        """A {fi, sv, en} mapping; the languages in `langs` are required."""
        raw = self.get(mapping, key, dict, where, optional=optional)
        if raw is None:
            return None
        here = f"{where}.{key}"
        return Names(fi=self.text(raw, "fi", here, optional="fi" not in langs),
                     sv=self.text(raw, "sv", here, optional="sv" not in langs),
                     en=self.text(raw, "en", here, optional="en" not in langs))

    def source(self, mapping, key: str, where: str, *, optional: bool = False) -> Source | None:
        raw = self.get(mapping, key, dict, where, optional=optional)
        return None if raw is None else self.source_record(raw, f"{where}.{key}")

    def sources(self, mapping, key: str, where: str) -> tuple[Source, ...]:
        return tuple(self.source_record(self.mapping(raw, f"{where}.{key}[{i}]"), f"{where}.{key}[{i}]")
                     for i, raw in enumerate(self.listing(mapping, key, where)))

    def source_record(self, raw: dict, where: str) -> Source:
        url = self.text(raw, "url", where)
        if not url.startswith(("http://", "https://")):
            self.fail(f"{where}.url", f"{url!r} is not a web address")
        return Source(title=self.text(raw, "title", where), url=url,
                      date=self.text(raw, "date", where, optional=True, pattern=SOURCE_DATE),
                      kind=self.text(raw, "kind", where, choices=("official", "secondary")),
                      id=self.text(raw, "id", where, optional=True))

    def verified(self, mapping, where: str) -> tuple[Source, str]:
        """A contact fact's source and the date it was verified: both required."""
        return self.source(mapping, "source", where), self.date(mapping, "verified", where)

    def reference(self, mapping, key: str, where: str, known, what: str, *, optional: bool = False) -> str | None:
        """A code that must name something defined elsewhere (a region, a municipality, a centre)."""
        value = self.text(mapping, key, where, optional=optional)
        if value is not None and value not in known:
            self.fail(f"{where}.{key}", f"unknown {what} {value!r}")
        return value

    def unique(self, seen: dict, value, where: str, what: str) -> None:
        if value in seen:
            self.fail(where, f"duplicate {what} {value!r} (also at {seen[value]})")
        seen[value] = where


def next_day(iso: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()
