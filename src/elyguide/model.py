"""The data model: plain frozen dataclasses, built from validated documents (see data.py).

Dates are ISO strings ("2026-01-01"): they compare correctly as strings, and JSON needs them
as strings anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Names:
    """A name in Finnish, Swedish and English; sv and en may be unknown (None)."""

    fi: str
    sv: str | None = None
    en: str | None = None

    def get(self, lang: str) -> str:
        """The name in `lang`, falling back to Finnish (Finnish names are used in English text)."""
        return getattr(self, lang, None) or self.fi

    def as_dict(self, langs: tuple[str, ...] = LANGUAGES) -> dict[str, str | None]:
        return {lang: getattr(self, lang) for lang in langs}

    @classmethod
    def from_dict(cls, raw: dict) -> Names:
        return cls(raw["fi"], raw.get("sv"), raw.get("en"))


@dataclass(frozen=True)
class Source:
    """Where a fact comes from. kind: "official" (the authority itself, Statistics Finland,
    Posti, Finlex) or "secondary" (anything else)."""

    title: str
    url: str
    date: str | None
    kind: str
    id: str | None = None

    @property
    def secondary(self) -> bool:
        return self.kind != "official"

    @classmethod
    def from_dict(cls, raw: dict) -> Source:
        return cls(raw["title"], raw["url"], raw.get("date"), raw["kind"], raw.get("id"))


@dataclass(frozen=True)
class Region:
    code: str
    name: Names
    aland: bool


@dataclass(frozen=True)
class LanguageStatus:
    code: int
    status: str  # "unilingual" or "bilingual"
    majority: str  # "fi" or "sv"


@dataclass(frozen=True)
class Municipality:
    code: str
    name: Names
    region: Region
    language: LanguageStatus
    aland: bool
    aliases: tuple[str, ...] = ()
    region_changes: tuple[dict, ...] = ()


@dataclass(frozen=True)
class FormerMunicipality:
    """A municipality merged away; `successor` is its current (2026) municipality, None if ceded."""

    code: str
    name: Names
    merged: str
    successor: Municipality | None
    ceded: bool
    name_sv_source: Source | None = None
    region: str | None = None  # before the merger, where known (mergers from 2013 on)


@dataclass(frozen=True)
class PostalCode:
    """One of Posti's postal codes. type: 1 ordinary postal area, 2 PO boxes, 3 customer code,
    4 other, 5 reply mail, 6 parcel machine, 7 pick-up point."""

    code: str
    municipality: str
    type: int
    locality: Names


@dataclass(frozen=True)
class CallCharge:
    text: Names
    sources: tuple[Source, ...]
    verified: str


@dataclass(frozen=True)
class Phone:
    number: str
    kind: str  # "switchboard" or "general"
    charge: CallCharge | None
    source: Source
    verified: str
    as_written: str | None = None


@dataclass(frozen=True)
class Email:
    address: str
    kind: str
    source: Source
    verified: str


@dataclass(frozen=True)
class PostalAddress:
    kind: str  # "registry", "postal", "sender" or "publisher"
    lines: tuple[str, ...]
    postcode: str
    town: str
    source: Source
    verified: str

    def formatted(self, addressee: str) -> list[str]:
        """The lines of an envelope: addressee, box or street, postcode and town."""
        lines = list(self.lines)
        if not lines or not lines[0].startswith(addressee.split(",")[0]):
            lines.insert(0, addressee)
        return lines + [f"{self.postcode} {self.town.upper()}"]


@dataclass(frozen=True)
class WebPage:
    url: str
    lang: str
    source: Source
    verified: str


@dataclass(frozen=True)
class Note:
    """A sourced remark; `handled_by` names the centre that actually did the work, if another."""

    text: Names
    sources: tuple[Source, ...]
    handled_by: str | None = None


@dataclass(frozen=True)
class Office:
    municipality: Municipality
    main: bool
    source: Source


@dataclass(frozen=True)
class RegionPeriod:
    region: str
    start: str
    end: str | None  # None: still valid

    def covers(self, date: str) -> bool:
        return self.start <= date and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class Centre:
    """An ELY-keskus (kind "ely", until 2025-12-31) or an elinvoimakeskus (from 2026-01-01)."""

    id: str
    kind: str
    statfi_code: str
    name: Names
    other_names: tuple[tuple[str, str], ...]  # (lang, name)
    official_name: Names | None
    valid_from: str
    valid_until: str | None
    regions: tuple[RegionPeriod, ...]
    offices: tuple[Office, ...]
    phones: tuple[Phone, ...]
    emails: tuple[Email, ...]
    postal_addresses: tuple[PostalAddress, ...]
    notes: tuple[Note, ...]
    successors: tuple[tuple[str, str], ...] = ()  # (region code, centre id)
    name_source: Source | None = None

    def active_on(self, date: str) -> bool:
        return self.valid_from <= date and (self.valid_until is None or date <= self.valid_until)

    @property
    def region_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(period.region for period in self.regions))


@dataclass(frozen=True)
class Service:
    id: str
    name: Names
    summary: Names
    how_to_contact: Names
    free_of_charge: bool
    area: Names
    languages: tuple[str, ...]
    source: Source
    provider_since_2026: Names
    provider_sources: tuple[Source, ...]


@dataclass(frozen=True)
class AlandInfo:
    handled_by: Names
    summary: Names
    sources: tuple[Source, ...]
    web: WebPage


@dataclass(frozen=True)
class Match:
    """How a query was matched (kinds: see match.py). `municipality` is None only for a ceded
    former municipality; `former` is set when a former municipality (or its code) matched."""

    kind: str
    text: str
    score: float
    municipality: Municipality | None
    former: FormerMunicipality | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class Candidate:
    """One possible answer to an ambiguous query (or a suggestion for one that found nothing)."""

    code: str | None  # the current municipality; None for a ceded former municipality
    name: Names
    score: float
    kind: str
    text: str
    former: str | None = None  # the former municipality's code, when the candidate is one


@dataclass(frozen=True)
class FindResult:
    """The answer to one query on one date. Absent things are None, never missing.

    status: "found", "ambiguous", "not_found", "outside_service_area" (Åland) or
    "no_current_municipality" (ceded in 1944). `centre` is responsible on `date`;
    `ely_centre` served the municipality until 2025; for a date in the ELY era,
    `successor_centre` is the elinvoimakeskus that took the region over.
    """

    query: str
    status: str
    date: str
    match: Match | None = None
    municipality: Municipality | None = None
    former: FormerMunicipality | None = None
    centre: Centre | None = None
    ely_centre: Centre | None = None
    successor_centre: Centre | None = None
    candidates: tuple[Candidate, ...] = ()
    reason: str | None = None
