"""The data model: immutable named tuples, built by keyword from validated data.

One model serves everything: the compiled index stores the records they are built from, the
matcher and resolver answer with them, and every output format (text, JSON, tables, vCard)
renders them. Named tuples rather than dataclasses: they are immutable, hashable and
comparable like dataclasses, but defining twenty of them costs a millisecond, not thirty, and
a lookup must start fast. Dates are ISO strings ("2026-01-01"): they compare correctly as
strings, and JSON needs them as strings anyway.

>>> Names(fi="Kuopio", sv="Kuopio").get("en")
'Kuopio'
"""

from __future__ import annotations

from collections import namedtuple

LANGUAGES = ("fi", "sv", "en")


class Names(namedtuple("Names", "fi sv en", defaults=(None, None))):
    """A name in Finnish, Swedish and English; sv and en may be unknown (None)."""

    __slots__ = ()

    def get(self, lang: str) -> str:
        """The name in `lang`, else the Finnish one (Finnish names stand in English text)."""
        return (self.sv if lang == "sv" else self.en if lang == "en" else None) or self.fi

    def as_dict(self, langs: tuple[str, ...] = LANGUAGES) -> dict:
        return {lang: getattr(self, lang) for lang in langs}


class Source(namedtuple("Source", "title url date kind id", defaults=(None,))):
    """Where a fact comes from. kind: "official" (the authority itself, Statistics Finland,
    Posti, Finlex, the national service registry) or "secondary" (anything else)."""

    __slots__ = ()

    @property
    def secondary(self) -> bool:
        return self.kind != "official"


Region = namedtuple("Region", "code name aland")
LanguageStatus = namedtuple("LanguageStatus", "code status majority")  # status: unilingual/bilingual; majority: fi/sv
RegionChange = namedtuple("RegionChange", "date old new")  # a municipality that moved to another region
OtherName = namedtuple("OtherName", "name lang source")  # e.g. a Sámi name: lang se, smn or sms

# aliases: official labels other than the names; other_names: names in other languages (Sámi).
Municipality = namedtuple("Municipality", "code name region language aland aliases region_changes other_names")

# successor: the current Municipality, None when ceded; region: its region code before the
# merger, where known (mergers from 2013 on).
FormerMunicipality = namedtuple("FormerMunicipality", "code name merged successor ceded name_sv_source region")

# Posti's types: 1 ordinary postal area, 2 PO boxes, 3 customer code, 4 other, 5 reply mail,
# 6 parcel machine, 7 pick-up point.
PostalCode = namedtuple("PostalCode", "code municipality type locality")

CallCharge = namedtuple("CallCharge", "text sources verified")

# kind: "service" (the service's own line), "switchboard" or "general". label: what the source
# says about the line, in its languages (Names, or None). e164: "+358295036100".
Phone = namedtuple("Phone", "number e164 kind label charge source verified as_written")
Email = namedtuple("Email", "address kind label source verified")


class PostalAddress(namedtuple("PostalAddress", "kind lines postcode town lang source verified")):
    """kind: "registry" (kirjaamo), "postal" (the source calls it the postal address),
    "sender" (the centre sends letters from it) or "publisher" (its press releases give it).
    lang: the language its lines are written in."""

    __slots__ = ()

    def formatted(self, addressee: str) -> list[str]:
        """The lines of an envelope: addressee, box or street, postcode and town."""
        lines = list(self.lines)
        if not lines or not lines[0].startswith(addressee.split(",")[0]):
            lines.insert(0, addressee)
        return lines + [f"{self.postcode} {self.town.upper()}"]


WebPage = namedtuple("WebPage", "url lang source verified")
Note = namedtuple("Note", "text sources handled_by")  # handled_by: the centre that did the work, if another
Office = namedtuple("Office", "municipality main source")


class RegionPeriod(namedtuple("RegionPeriod", "region start end")):
    """A centre serves `region` from `start` to `end` (None: still)."""

    __slots__ = ()

    def covers(self, date: str) -> bool:
        return self.start <= date and (self.end is None or date <= self.end)


class Centre(namedtuple("Centre", "id kind statfi_code name other_names official_name valid_from valid_until regions "
                                  "offices phones emails postal_addresses web notes successors refreshed")):
    """An ELY-keskus (kind "ely", until 2025-12-31) or an elinvoimakeskus (from 2026-01-01).
    other_names: (lang, name) pairs; successors: (region code, centre id) pairs; web: the
    centre's own pages; refreshed: when contacts from the registry were added, else None."""

    __slots__ = ()

    def active_on(self, date: str) -> bool:
        return self.valid_from <= date and (self.valid_until is None or date <= self.valid_until)

    @property
    def region_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(period.region for period in self.regions))

    @property
    def all_names(self) -> list[str]:
        names = [n for n in self.name if n] + [name for _, name in self.other_names]
        return names + [n for n in (self.official_name or ()) if n]


Service = namedtuple("Service", "id name summary how_to_contact free_of_charge area languages source "
                                "provider_since_2026 provider_sources")
AlandInfo = namedtuple("AlandInfo", "handled_by summary sources web")

# A province: kind "old" is a lääni (until 1997), whose abbreviation told same-named
# municipalities apart ("Pyhäjärvi Ul"); kind "historical" a historiallinen maakunta ("Savo").
# regions: the codes of today's regions it covers; ceded: it held the area ceded in 1944.
Province = namedtuple("Province", "id kind name regions abbreviations ceded sources")

# ------------------------------------------------------------------------------ answers
# How a query was matched. kind: see match.py; municipality is None only for a ceded former
# municipality; former is set when a former municipality (or its code) matched; score is 100
# except for guesses (prefix, fuzzy).
Match = namedtuple("Match", "kind text score municipality former postal_code")

# One possible answer to an ambiguous query, or a suggestion for one that found nothing.
# municipality is None for a ceded former municipality.
Candidate = namedtuple("Candidate", "municipality former score kind text")

# Why nothing was found, as a message id and its values, so it can be said in any language.
Reason = namedtuple("Reason", "id values", defaults=((),))

# Something the reader should know about an answer (see resolve.py for the codes).
Warning = namedtuple("Warning", "code values", defaults=((),))

# A query that named a region: the region, and the centre serving it on the answer's date.
RegionAnswer = namedtuple("RegionAnswer", "region centre")


class FindResult(namedtuple("FindResult", "query status date match municipality former centre ely_centre "
                                          "successor_centre candidates reason region province warnings")):
    """The answer to one query on one date. Absent things are None or empty, never missing.

    status: "found", "ambiguous", "not_found", "outside_service_area" (Åland) or
    "no_current_municipality" (ceded in 1944). `centre` is responsible on `date`;
    `ely_centre` served the municipality until 2025; for a date in the ELY era,
    `successor_centre` is the elinvoimakeskus that took the region over. `region` is set when
    the query named a region, `province` when it named a historical province.
    """

    __slots__ = ()
