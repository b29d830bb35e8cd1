"""Find the municipality a query means, however it was written, and say how it was found.

Matching runs in tiers; the first tier that answers wins, so an exact name always beats a
guess, and a current municipality's own name always beats a former municipality or a postal
locality of the same name:

  code          "297", "49"             municipality code (a former one too)
  postal_code   "70100", "00100 Helsinki"
  name          "Kuopio", "vasa"        Finnish or Swedish name
  alias         "Maarianhamina - Mariehamn"
  long_form     "Porin kaupunki", "Jakobstads stad", "City of Espoo"
  inflected     "Kuopiossa", "Hangon", "Mikkeliin"
  former        "Kiiminki", "Pernå"     merged away; also inflected ("Kiimingissä")
  postal_locality "Karigasniemi"        a postal area's name
  prefix        "Jyväsk"                the start of exactly one current name
  fuzzy         "Jyväskyä", "Porvo"     a typo, by rapidfuzz's ratio on folded keys

A tier that finds several municipalities answers "ambiguous" with ranked candidates instead of
picking one. Fuzzy matching refuses near-ties the same way. Ranking is deterministic: by
score, then tier, then name.

>>> from elyguide.data import load_dataset
>>> outcome = match_query("Kuopiossa", load_dataset())
>>> outcome.match.kind, outcome.match.municipality.name.fi
('inflected', 'Kuopio')
>>> match_centre("itä-suomi", load_dataset()).id
'evk-ita-suomi'
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from . import finnish
from .errors import AmbiguousError, NotFoundError
from .model import Centre, FormerMunicipality, Municipality, Names
from .normalize import fold, key

INDEX_FORMAT = 1

FUZZY_CUTOFF = 80.0  # below this a "typo" is more likely another word
# Former municipalities and villages are many and obscure: an unknown name is likelier than a
# typo of one of them, so a fuzzy match there must be closer.
FUZZY_CUTOFF_OTHER = 88.0
FUZZY_MARGIN = 4.0  # a runner-up this close to the best is a near-tie: ambiguous
SUGGESTION_CUTOFF = 70.0  # near misses offered when nothing matched
MIN_PREFIX = 4  # "Kei" could begin too many names
MAX_GUESS_LENGTH = 64  # no name is this long: longer queries skip prefix and fuzzy matching
# Penalties that rank a former municipality or a postal locality below a current name that
# fits as well.
_TIER_PENALTY = {"name": 0.0, "former": 2.0, "postal_locality": 3.0}

# Words that make a name an official long form: "Porin kaupunki", "Vasa stad".
_LONG_FORM_SUFFIXES = frozenset({"kaupunki", "kunta", "kauppala", "stad", "kommun", "city", "municipality", "town"})
_LONG_FORM_PREFIXES = (("city", "of"), ("town", "of"), ("municipality", "of"))
# Postal code types that are not places (Posti: 5 reply mail, 6 parcel machine, 7 pick-up point).
_NOT_PLACES = {5, 6, 7}


@dataclass(frozen=True)
class Match:
    """How a query was matched. `municipality` is None only for a ceded former municipality."""

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
class MatchOutcome:
    match: Match | None = None
    candidates: tuple[Candidate, ...] = ()  # ambiguous when match is None and this is not empty
    reason: str | None = None  # why nothing matched, when there is more to say than "not found"

    @property
    def status(self) -> str:
        if self.match is not None:
            return "found"
        return "ambiguous" if self.candidates and self.reason is None else "not_found"


# ------------------------------------------------------------------------------ index
def build_index(dataset) -> dict:
    """The lookup tables, as plain JSON-able data (the wheel ships them precompiled)."""
    names: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    stems: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    display: dict[str, str] = {}

    def add(table: dict, k: str, value: str) -> None:
        if k and value not in table.setdefault(k, []):
            table[k].append(value)

    for code, municipality in dataset.municipalities.items():
        own_names = [municipality.name.fi, municipality.name.sv or ""]
        for name in own_names:
            add(names, key(name), code)
            display.setdefault(key(name), name)
        for alias in municipality.aliases:
            add(aliases, key(alias), code)
            display.setdefault(key(alias), alias)
        for name in own_names + list(municipality.aliases):
            for stem in finnish.stems(fold(name)):
                add(stems, stem, code)
        inflected = dataset.inflected_forms.get(code, {})
        for stem in inflected.get("stems", ()):
            add(stems, key(stem), code)
        for word in inflected.get("words", ()):
            add(words, key(word), code)
            display.setdefault(key(word), word)

    current_keys = set(names) | set(aliases)
    former: dict[str, list[str]] = {}
    former_stems: dict[str, list[str]] = {}
    for code, old in dataset.former.items():
        for name in (old.name.fi, old.name.sv):
            if name and key(name) not in current_keys:  # current names win (old Pirkkala is Nokia)
                add(former, key(name), code)
                display.setdefault(key(name), name)
                for stem in finnish.stems(fold(name)):
                    add(former_stems, stem, code)

    places: dict[str, list[str]] = {}
    for name, codes in dataset.place_names.items():
        k = key(name)
        display.setdefault(k, name)
        for code in codes:
            add(places, k, code)

    # A stem that is another municipality's own name must not shadow that name, so a stem
    # keeps only the municipalities whose name it is (Hango is Hanko's weak stem and its
    # Swedish name; nothing is dropped there).
    for table in (stems, former_stems):
        for k in [k for k in table if k in current_keys]:
            owners = set(names.get(k, ())) | set(aliases.get(k, ()))
            kept = [code for code in table[k] if code in owners] if table is stems else []
            if kept:
                table[k] = kept
            else:
                del table[k]

    prefixes = sorted({(k, code) for table in (names, aliases) for k, codes in table.items() for code in codes})
    fuzzy_current = sorted(set(names) | set(aliases))
    fuzzy_other = sorted((set(former) | set(places)) - set(fuzzy_current))
    return {
        "format": INDEX_FORMAT,
        "names": names, "aliases": aliases, "stems": stems, "words": words,
        "former": former, "former_stems": former_stems, "places": places,
        "prefix_keys": [k for k, _ in prefixes], "prefix_codes": [code for _, code in prefixes],
        "fuzzy_current": fuzzy_current, "fuzzy_other": fuzzy_other,
        "display": display,
    }


# ------------------------------------------------------------------------------ matching
def match_query(query: str, dataset) -> MatchOutcome:
    """Match one query (already known not to be blank) against the dataset."""
    index = dataset.index
    folded = fold(query)
    qkey = folded.replace(" ", "")
    if not qkey:
        return MatchOutcome(reason="no letters or digits in the query")
    if qkey.isdigit() or (folded.split()[0].isdigit() and len(folded.split()[0]) == 5):
        return _match_digits(folded, dataset)

    found = (
        _exact(index, "names", qkey, "name", dataset)
        or _exact(index, "aliases", qkey, "alias", dataset)
        or _exact(index, "words", qkey, "inflected", dataset)
        or _long_form(folded, index, dataset)
        or _inflected(index, "stems", qkey, dataset)
        or _former(index, qkey, dataset)
        or _places(index, qkey, dataset)
    )
    if len(qkey) > MAX_GUESS_LENGTH:
        return found or MatchOutcome(reason="too long to be a place name")
    found = found or _prefix(index, qkey, dataset)
    # A long form with a typo ("Jyväskyän kaupunki"): the typo is in the name, not in "kaupunki".
    return found or _fuzzy(_without_long_form(folded.split()).replace(" ", "") or qkey, index, dataset)


def _found(kind: str, text: str, municipality: Municipality | None, **extra) -> MatchOutcome:
    return MatchOutcome(Match(kind, text, 100.0, municipality, **extra))


def _ambiguous(candidates) -> MatchOutcome:
    return MatchOutcome(candidates=tuple(_rank(candidates)))


def _rank(candidates):
    best: dict[tuple, Candidate] = {}
    for candidate in candidates:
        group = (candidate.code, candidate.name.fi)
        if group not in best or candidate.score > best[group].score:
            best[group] = candidate
    penalty = _TIER_PENALTY
    return sorted(best.values(), key=lambda c: (-(c.score - penalty.get(c.kind, 0.0)), c.name.fi, c.code or ""))


def _candidate(dataset, code: str, score: float, kind: str, text: str) -> Candidate:
    municipality = dataset.municipalities[code]
    return Candidate(code, municipality.name, score, kind, text)


def _exact(index, table: str, qkey: str, kind: str, dataset, text: str | None = None) -> MatchOutcome | None:
    codes = index[table].get(qkey)
    if not codes:
        return None
    text = text or index["display"].get(qkey, qkey)
    if len(codes) == 1:
        return _found(kind, text, dataset.municipalities[codes[0]])
    return _ambiguous(_candidate(dataset, code, 100.0, kind, text) for code in codes)


def _without_long_form(tokens: list[str]) -> str:
    """The name inside an official long form ("porin" in "porin kaupunki"), else ""."""
    if len(tokens) > 1 and tokens[-1] in _LONG_FORM_SUFFIXES:
        return " ".join(tokens[:-1])
    if len(tokens) > 2 and tuple(tokens[:2]) in _LONG_FORM_PREFIXES:
        return " ".join(tokens[2:])
    return ""


def _long_form(folded: str, index, dataset) -> MatchOutcome | None:
    text = _without_long_form(folded.split())
    if not text:
        return None
    rest = text.replace(" ", "")
    outcome = _exact(index, "names", rest, "long_form", dataset) or _exact(index, "aliases", rest, "long_form", dataset)
    if outcome:
        return outcome
    # The name before "kaupunki"/"stad" is a genitive: Porin -> Pori, Jakobstads -> Jakobstad.
    if rest.endswith("s"):
        outcome = _exact(index, "names", rest[:-1], "long_form", dataset)
        if outcome:
            return outcome
    for ending in ("n", "ten"):  # Porin kaupunki, Kauniaisten kaupunki
        if rest.endswith(ending) and rest[: -len(ending)] in index["stems"]:
            return _stem_outcome(index["stems"][rest[: -len(ending)]], "long_form", text, dataset)
    return None


def _stem_outcome(codes: list[str], kind: str, text: str, dataset) -> MatchOutcome:
    if len(codes) == 1:
        return _found(kind, dataset.municipalities[codes[0]].name.fi, dataset.municipalities[codes[0]])
    return _ambiguous(_candidate(dataset, code, 100.0, kind, text) for code in codes)


def _inflected(index, table: str, qkey: str, dataset) -> MatchOutcome | None:
    codes: list[str] = []
    for stem, _ending in finnish.split_endings(qkey):
        for code in index[table].get(stem, ()):
            if code not in codes:
                codes.append(code)
    if not codes:
        return None
    return _stem_outcome(codes, "inflected", qkey, dataset)


def _former(index, qkey: str, dataset) -> MatchOutcome | None:
    codes = list(index["former"].get(qkey, ()))
    if not codes:
        for stem, _ending in finnish.split_endings(qkey):
            codes.extend(c for c in index["former_stems"].get(stem, ()) if c not in codes)
    if not codes:
        return None
    olds = [dataset.former[code] for code in codes]
    # A postal locality of the same name elsewhere makes the name ambiguous (Pohja was a
    # municipality, now in Raasepori, and is a village in Kangasala).
    place_codes = [c for c in index["places"].get(qkey, ()) if all(old.successor is None or old.successor.code != c for old in olds)]
    if len(olds) == 1 and not place_codes:
        old = olds[0]
        return _found("former", old.name.fi, old.successor, former=old)
    candidates = [_former_candidate(old, dataset) for old in olds]
    candidates += [_candidate(dataset, code, 100.0, "postal_locality", index["display"].get(qkey, qkey)) for code in place_codes]
    return _ambiguous(candidates)


def _former_candidate(old: FormerMunicipality, dataset, score: float = 100.0) -> Candidate:
    if old.successor is None:
        return Candidate(None, old.name, score, "former", old.name.fi, old.code)
    return Candidate(old.successor.code, old.successor.name, score, "former", old.name.fi, old.code)


def _places(index, qkey: str, dataset) -> MatchOutcome | None:
    codes = index["places"].get(qkey)
    if not codes:
        return None
    text = index["display"].get(qkey, qkey)
    if len(codes) == 1:
        return _found("postal_locality", text, dataset.municipalities[codes[0]])
    return _ambiguous(_candidate(dataset, code, 100.0, "postal_locality", text) for code in codes)


def _prefix(index, qkey: str, dataset) -> MatchOutcome | None:
    if len(qkey) < MIN_PREFIX:
        return None
    keys, key_codes = index["prefix_keys"], index["prefix_codes"]
    names: dict[str, str] = {}  # municipality code -> the name key the query begins
    for position in range(bisect_left(keys, qkey), len(keys)):
        if not keys[position].startswith(qkey):
            break
        code = key_codes[position]
        # Of a municipality's names, report its Finnish one when the query begins both.
        if code not in names or keys[position] == key(dataset.municipalities[code].name.fi):
            names[code] = keys[position]
    if len(names) == 1:
        (code, name_key), = names.items()
        if 2 * len(qkey) < len(name_key):  # "Savo" is more likely a typo of Sauvo than Savonlinna
            return None
        return _found("prefix", index["display"].get(name_key, name_key), dataset.municipalities[code])
    # Several names begin so; score by how much of each the query already spells out.
    return _ambiguous(
        _candidate(dataset, code, round(100.0 * len(qkey) / len(name_key), 1), "prefix", index["display"].get(name_key, name_key))
        for code, name_key in names.items()
    ) if names else None


def _fuzzy(qkey: str, index, dataset) -> MatchOutcome:
    from rapidfuzz import fuzz, process

    hits = process.extract(qkey, index["fuzzy_current"], scorer=fuzz.ratio, limit=8, score_cutoff=SUGGESTION_CUTOFF)
    candidates = [_fuzzy_candidates(choice, score, index, dataset, current=True) for choice, score, _ in hits]
    if not hits or hits[0][1] < FUZZY_CUTOFF:
        # Nothing current is close: try former municipalities and postal localities too.
        hits = process.extract(qkey, index["fuzzy_other"], scorer=fuzz.ratio, limit=8, score_cutoff=SUGGESTION_CUTOFF)
        candidates += [_fuzzy_candidates(choice, score, index, dataset, current=False) for choice, score, _ in hits]
    ranked = _rank(c for group in candidates for c in group)
    if not ranked:
        return MatchOutcome()
    best = ranked[0]
    if best.score < (FUZZY_CUTOFF if best.kind == "name" else FUZZY_CUTOFF_OTHER):
        # Offer current municipalities only: an obscure village is a poor suggestion.
        suggestions = tuple(c for c in ranked if c.kind == "name")[:3]
        return MatchOutcome(candidates=suggestions, reason="no close match")
    rivals = [c for c in ranked[1:] if c.score >= best.score - FUZZY_MARGIN and c.score >= FUZZY_CUTOFF]
    if rivals:
        return MatchOutcome(candidates=tuple([best, *rivals]))
    return _fuzzy_found(best, qkey, index, dataset)


def _fuzzy_candidates(choice: str, score: float, index, dataset, *, current: bool) -> list[Candidate]:
    text = index["display"].get(choice, choice)
    if current:
        codes = index["names"].get(choice) or index["aliases"].get(choice, [])
        return [_candidate(dataset, code, score, "name", text) for code in codes]
    out = [_former_candidate(dataset.former[code], dataset, score) for code in index["former"].get(choice, ())]
    out += [_candidate(dataset, code, score, "postal_locality", text) for code in index["places"].get(choice, ())]
    return out


def _fuzzy_found(best: Candidate, qkey: str, index, dataset) -> MatchOutcome:
    if best.former is not None:
        old = dataset.former[best.former]
        return MatchOutcome(Match("fuzzy", best.text, round(best.score, 1), old.successor, former=old))
    return MatchOutcome(Match("fuzzy", best.text, round(best.score, 1), dataset.municipalities[best.code]))


# ------------------------------------------------------------------------------ digits
def _match_digits(folded: str, dataset) -> MatchOutcome:
    first, *rest = folded.split()
    if len(first) <= 3 and not rest:
        code = first.zfill(3)
        if code in dataset.municipalities:
            return _found("code", code, dataset.municipalities[code])
        if code in dataset.former:
            old = dataset.former[code]
            return _found("code", code, old.successor, former=old)
        return MatchOutcome(reason=f"no municipality has the code {code}")
    if len(first) == 5:
        postal = dataset.postal_code(first)
        if postal is None:
            return MatchOutcome(reason=f"no postal code {first}")
        if postal.type in _NOT_PLACES:
            return MatchOutcome(reason=f"postal code {first} ({postal.locality.fi}) is a special delivery code, not a place")
        municipality = dataset.municipalities[postal.municipality]
        names = (postal.locality.fi, postal.locality.sv, municipality.name.fi, municipality.name.sv or "")
        if rest and "".join(rest) not in {key(name) for name in names}:
            return MatchOutcome(reason=f"postal code {first} is {postal.locality.fi}, not {' '.join(rest)}")
        return _found("postal_code", first, municipality, postal_code=first)
    return MatchOutcome(reason="a municipality code has 3 digits and a postal code 5")


# ------------------------------------------------------------------------------ centres
# A centre's name is reduced to its core - the area, without words like "ELY-keskus" or
# "livskraftscentral" - and a query matches a core as written or as its genitive ("Itä-Suomi"
# is the core of "Itä-Suomen elinvoimakeskus"). Words like "ELY" or "elinvoimakeskus" in the
# query pick the kind. When several centres remain, the one active on the date wins; otherwise
# the answer is ambiguous, as with municipalities.

_ELY_WORDS = {"ely", "elykeskus", "ntm", "ntmcentralen", "elinkeino", "liikenne", "ymparistokeskus", "narings", "trafik", "miljocentralen", "centralen"}
_EVK_WORDS = {"elinvoimakeskus", "livskraftscentral", "livskraftscentralen", "economic", "development"}
_GENERIC = _ELY_WORDS | _EVK_WORDS | {"keskus", "centre", "center", "of", "i", "ja", "och", "and", "the"}
_CENTRE_FUZZY_CUTOFF = 80.0


def centre_core(name: str) -> str:
    """The area part of a centre's name, as a key: "Pohjois-Savon ELY-keskus" -> "pohjoissavon"."""
    return "".join(token for token in fold(name).split() if token not in _GENERIC)


def _centre_names(centre: Centre) -> list[str]:
    names = [n for n in centre.name.as_dict().values() if n]
    names += [name for _, name in centre.other_names]
    if centre.official_name:
        names += [n for n in centre.official_name.as_dict().values() if n]
    return names


def _centre_forms(query_core: str) -> set[str]:
    """What a query's core may look like inside a centre's name: itself, its Finnish genitive
    (Itä-Suomi -> Itä-Suomen) and its Swedish genitive (Österbotten -> Österbottens)."""
    forms = {query_core, query_core + "s"}
    forms.update(stem + "n" for stem in finnish.stems(query_core))
    return forms


def match_centre(name: str, dataset, date: str | None = None) -> Centre:
    """The one centre `name` means; raises NotFoundError or AmbiguousError."""
    tokens = set(fold(name).split())
    wanted_kind = "ely" if tokens & _ELY_WORDS else "elinvoimakeskus" if tokens & _EVK_WORDS else None
    query_key, query_core = key(name), centre_core(name)
    if not query_key:
        raise NotFoundError("empty centre name")
    centres = [c for c in dataset.centres.values() if wanted_kind in (None, c.kind)]
    found = [c for c in centres if query_key in {key(c.id), *(key(n) for n in _centre_names(c))}]
    if not found and query_core:
        forms = _centre_forms(query_core)
        found = [c for c in centres if forms & {centre_core(n) for n in _centre_names(c)}]
    if not found and query_core:
        found = _fuzzy_centres(query_core, centres)
    if len(found) > 1 and date is not None:
        active = [c for c in found if c.active_on(date)]
        found = active or found
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"no centre matches {name!r}; `elyguide centres` lists them")
    raise AmbiguousError(f"{name!r} could mean several centres: " + ", ".join(f"{c.name.fi} ({c.id})" for c in found),
                         tuple(found))


def _fuzzy_centres(query_core: str, centres: list[Centre]) -> list[Centre]:
    from rapidfuzz import fuzz

    scored = []
    for centre in centres:
        best = max(fuzz.ratio(query_core, centre_core(n)) for n in _centre_names(centre))
        if best >= _CENTRE_FUZZY_CUTOFF:
            scored.append((best, centre))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    return [c for score, c in scored if score >= top - FUZZY_MARGIN]
