"""The data model: immutable records, built by keyword from validated data.

One model serves everything: the compiled index stores the data they are built from, the
matcher and resolver answer with them, and every output format (text, JSON, tables, vCard)
renders them. Each record is a tuple with named fields, like a named tuple: immutable,
hashable, comparable, with `_fields`, `_replace` and `_asdict`. They are written out as
classes whose `__new__` names the fields, rather than made by collections.namedtuple or
dataclasses, because defining thirty of those costs a lookup five milliseconds (thirty for
dataclasses) and a lookup must start fast. Dates are ISO strings ("2026-01-01"): they compare
correctly as strings, and JSON needs them as strings anyway.

>>> Names(fi="Kuopio", sv="Kuopio").get("en")
'Kuopio'
>>> Names(fi="Vaasa", sv="Vasa")._replace(en="Vaasa")
Names(fi='Vaasa', sv='Vasa', en='Vaasa')
"""

from __future__ import annotations

try:
    from _collections import _tuplegetter  # what namedtuple's fields are made of (CPython)
except ImportError:  # pragma: no cover - other Pythons
    from operator import itemgetter

    def _tuplegetter(index, doc):
        return property(itemgetter(index), doc=doc)

LANGUAGES = ("fi", "sv", "en")


class Record(tuple):
    """Base of the model's records. A subclass names its fields in `__new__`'s parameters."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _replace(self, **changes):
        return type(self)(**{**self._asdict(), **changes})

    def _asdict(self) -> dict:
        return dict(zip(self._fields, self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in zip(self._fields, self))})"

    def __getnewargs__(self):
        return tuple(self)


def record(cls):
    """Give a Record subclass its fields, read from the parameters of its `__new__`."""
    code = cls.__new__.__code__
    cls._fields = code.co_varnames[1:code.co_argcount + code.co_kwonlyargcount]
    for index, name in enumerate(cls._fields):
        setattr(cls, name, _tuplegetter(index, name))
    return cls


@record
class Names(Record):
    """A name in Finnish, Swedish and English; sv and en may be unknown (None)."""

    __slots__ = ()

    def __new__(cls, fi, sv=None, en=None):
        return tuple.__new__(cls, (fi, sv, en))

    def get(self, lang: str) -> str:
        """The name in `lang`, else the Finnish one (Finnish names stand in English text)."""
        return (self.sv if lang == "sv" else self.en if lang == "en" else None) or self.fi

    def as_dict(self, langs: tuple[str, ...] = LANGUAGES) -> dict:
        return {lang: getattr(self, lang) for lang in langs}


@record
class Source(Record):
    """Where a fact comes from. kind: "official" (the authority itself, Statistics Finland,
    Posti, Finlex, the national service registry) or "secondary" (anything else)."""

    __slots__ = ()

    def __new__(cls, title, url, date, kind, id=None):  # noqa: A002
        return tuple.__new__(cls, (title, url, date, kind, id))

    @property
    def secondary(self) -> bool:
        return self.kind != "official"


@record
class Region(Record):
    """A region (maakunta); Åland's is outside this service."""

    __slots__ = ()

    def __new__(cls, code, name, aland):
        return tuple.__new__(cls, (code, name, aland))


@record
class LanguageStatus(Record):
    """status: "unilingual" or "bilingual"; majority: "fi" or "sv"."""

    __slots__ = ()

    def __new__(cls, code, status, majority):
        return tuple.__new__(cls, (code, status, majority))


@record
class RegionChange(Record):
    """A municipality moved from region `old` to region `new` on `date`."""

    __slots__ = ()

    def __new__(cls, date, old, new):
        return tuple.__new__(cls, (date, old, new))


@record
class OtherName(Record):
    """A municipality's name in another language: a Sámi name (lang se, smn or sms)."""

    __slots__ = ()

    def __new__(cls, name, lang, source):
        return tuple.__new__(cls, (name, lang, source))


@record
class Municipality(Record):
    """aliases: official labels other than the names; other_names: Sámi names.

    A municipality of a municipality division in the data (one a year, from Statistics
    Finland): valid_from / valid_until bound the divisions it belongs to (None: all, from the
    first / to the newest); merged_into is the code it merged into after valid_until;
    names_before: (last day, Names) of the names it had before `name`, oldest first. `name`
    and `region` are those of its last day; `Dataset.municipality_on` gives a day's."""

    __slots__ = ()

    def __new__(cls, code, name, region, language, aland, aliases, region_changes, other_names, valid_from=None,
                valid_until=None, merged_into=None, names_before=()):
        return tuple.__new__(cls, (code, name, region, language, aland, aliases, region_changes, other_names, valid_from,
                                   valid_until, merged_into, names_before))

    def valid_on(self, date: str) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (self.valid_until is None or date <= self.valid_until)


@record
class FormerMunicipality(Record):
    """A municipality merged away. successor: the current Municipality, None when ceded;
    region: its region code before the merger, where known (mergers from 2013 on)."""

    __slots__ = ()

    def __new__(cls, code, name, merged, successor, ceded, name_sv_source, region):
        return tuple.__new__(cls, (code, name, merged, successor, ceded, name_sv_source, region))


@record
class PostalCode(Record):
    """One of Posti's postal codes. type: 1 ordinary postal area, 2 PO boxes, 3 customer code,
    4 other, 5 reply mail, 6 parcel machine, 7 pick-up point."""

    __slots__ = ()

    def __new__(cls, code, municipality, type, locality):  # noqa: A002
        return tuple.__new__(cls, (code, municipality, type, locality))


@record
class CallCharge(Record):
    """What a call costs, in the source's words."""

    __slots__ = ()

    def __new__(cls, text, sources, verified):
        return tuple.__new__(cls, (text, sources, verified))


@record
class Phone(Record):
    """kind: "service" (the service's own line), "switchboard" or "general"; label: what the
    source says about the line (Names, or None); e164: "+358295036100"."""

    __slots__ = ()

    def __new__(cls, number, e164, kind, label, charge, source, verified, as_written):
        return tuple.__new__(cls, (number, e164, kind, label, charge, source, verified, as_written))


@record
class Email(Record):
    """kind: "registry", "service" or "general"; label: the source's description."""

    __slots__ = ()

    def __new__(cls, address, kind, label, source, verified):
        return tuple.__new__(cls, (address, kind, label, source, verified))


@record
class PostalAddress(Record):
    """kind: "registry" (kirjaamo), "postal" (the source calls it the postal address),
    "sender" (the centre sends letters from it) or "publisher" (its press releases give it).
    lang: the language its lines are written in."""

    __slots__ = ()

    def __new__(cls, kind, lines, postcode, town, lang, source, verified):
        return tuple.__new__(cls, (kind, lines, postcode, town, lang, source, verified))

    def formatted(self, addressee: str) -> list[str]:
        """The lines of an envelope: addressee, box or street, postcode and town."""
        lines = list(self.lines)
        if not lines or not lines[0].startswith(addressee.split(",")[0]):
            lines.insert(0, addressee)
        return lines + [f"{self.postcode} {self.town.upper()}"]


@record
class WebPage(Record):
    __slots__ = ()

    def __new__(cls, url, lang, source, verified):
        return tuple.__new__(cls, (url, lang, source, verified))


@record
class Note(Record):
    """A sourced remark; handled_by: the centre that actually did the work, if another."""

    __slots__ = ()

    def __new__(cls, text, sources, handled_by):
        return tuple.__new__(cls, (text, sources, handled_by))


@record
class Office(Record):
    __slots__ = ()

    def __new__(cls, municipality, main, source):
        return tuple.__new__(cls, (municipality, main, source))


@record
class RegionPeriod(Record):
    """A centre serves `region` from `start` to `end` (None: still)."""

    __slots__ = ()

    def __new__(cls, region, start, end):
        return tuple.__new__(cls, (region, start, end))

    def covers(self, date: str) -> bool:
        return self.start <= date and (self.end is None or date <= self.end)


@record
class Centre(Record):
    """An ELY-keskus (kind "ely", until 2025-12-31) or an elinvoimakeskus (from 2026-01-01).
    other_names: (lang, name) pairs; successors: (region code, centre id) pairs; web: the
    centre's own pages; refreshed: when contacts from the registry were added, else None."""

    __slots__ = ()

    def __new__(cls, id, kind, statfi_code, name, other_names, official_name, valid_from, valid_until,  # noqa: A002
                regions, offices, phones, emails, postal_addresses, web, notes, successors, refreshed):
        return tuple.__new__(cls, (id, kind, statfi_code, name, other_names, official_name, valid_from, valid_until,
                                   regions, offices, phones, emails, postal_addresses, web, notes, successors, refreshed))

    def active_on(self, date: str) -> bool:
        return self.valid_from <= date and (self.valid_until is None or date <= self.valid_until)

    @property
    def region_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(period.region for period in self.regions))

    @property
    def all_names(self) -> list[str]:
        names = [n for n in self.name if n] + [name for _, name in self.other_names]
        return names + [n for n in (self.official_name or ()) if n]


@record
class Service(Record):
    """The guidance service elyguide answers for; texts in fi, sv and en."""

    __slots__ = ()

    def __new__(cls, id, name, summary, how_to_contact, free_of_charge, area, languages, source,  # noqa: A002
                provider_since_2026, provider_sources):
        return tuple.__new__(cls, (id, name, summary, how_to_contact, free_of_charge, area, languages, source,
                                   provider_since_2026, provider_sources))


@record
class AlandInfo(Record):
    """Who handles integration on Åland, which is outside this service."""

    __slots__ = ()

    def __new__(cls, handled_by, summary, sources, web):
        return tuple.__new__(cls, (handled_by, summary, sources, web))


@record
class Province(Record):
    """A province: kind "old" is a lääni (until 1997), whose abbreviation told same-named
    municipalities apart ("Pyhäjärvi Ul"); kind "historical" a historiallinen maakunta ("Savo").
    regions: the codes of today's regions it covers; ceded: it held the area ceded in 1944."""

    __slots__ = ()

    def __new__(cls, id, kind, name, regions, abbreviations, ceded, sources):  # noqa: A002
        return tuple.__new__(cls, (id, kind, name, regions, abbreviations, ceded, sources))


# ------------------------------------------------------------------------------ answers
# How a query was read (Match.kind): exactly, or as a guess that is always marked as one.
EXACT_KINDS = frozenset({"code", "postal_code", "name", "sami", "alias", "long_form", "inflected", "qualified", "former",
                         "postal_locality"})
GUESS_KINDS = frozenset({"prefix", "fuzzy"})


@record
class Match(Record):
    """How a query was matched. kind: see match.py; municipality is None only for a ceded
    former municipality; former is set when a former municipality (or its code) matched;
    score is 100 except for guesses (prefix, fuzzy)."""

    __slots__ = ()

    def __new__(cls, kind, text, score, municipality, former, postal_code):
        return tuple.__new__(cls, (kind, text, score, municipality, former, postal_code))


@record
class Candidate(Record):
    """One possible answer to an ambiguous query, or a suggestion for one that found nothing;
    municipality is None for a ceded former municipality."""

    __slots__ = ()

    def __new__(cls, municipality, former, score, kind, text):
        return tuple.__new__(cls, (municipality, former, score, kind, text))


@record
class Reason(Record):
    """Why nothing was found, as a message id and its values, to be said in any language."""

    __slots__ = ()

    def __new__(cls, id, values=()):  # noqa: A002
        return tuple.__new__(cls, (id, values))


@record
class Warning(Record):  # noqa: A001 - the model's own warning, not the builtin
    """Something the reader of an answer should know (see resolve.py for the codes)."""

    __slots__ = ()

    def __new__(cls, code, values=()):
        return tuple.__new__(cls, (code, values))


@record
class RegionAnswer(Record):
    """A query that named a region: the region, and the centre serving it on the date."""

    __slots__ = ()

    def __new__(cls, region, centre):
        return tuple.__new__(cls, (region, centre))


@record
class FindResult(Record):
    """The answer to one query on one date. Absent things are None or empty, never missing.

    status: "found", "ambiguous", "not_found", "outside_service_area" (Åland) or
    "no_current_municipality" (ceded in 1944). `centre` is responsible on `date`;
    `ely_centre` served the municipality until 2025; for a date in the ELY era,
    `successor_centre` is the elinvoimakeskus that took the region over. `region` is set when
    the query named a region, `province` when it named a historical province.
    """

    __slots__ = ()

    def __new__(cls, query, status, date, match, municipality, former, centre, ely_centre, successor_centre, candidates,
                reason, region, province, warnings):
        return tuple.__new__(cls, (query, status, date, match, municipality, former, centre, ely_centre, successor_centre,
                                   candidates, reason, region, province, warnings))
