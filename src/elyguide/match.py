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

A tier that finds several municipalities answers "ambiguous" with ranked options instead of
picking one. Fuzzy matching refuses near-ties the same way. Ranking is deterministic: by
score, then tier, then name.

Matching works on the compiled index (plain dicts of codes, see build_tables) and answers
with codes, so a lookup needs neither the data model nor any parsing; api.py turns the codes
into the dataclasses of the public API.

>>> from elyguide.data import load_index
>>> outcome = match("Kuopiossa", load_index())
>>> outcome.hit.kind, outcome.hit.municipality
('inflected', '297')
"""

from __future__ import annotations

from bisect import bisect_left
from collections import namedtuple

from . import finnish
from .normalize import fold, key

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

# How a query was matched: `municipality` and `former` are codes (municipality is None only
# for a ceded former municipality); score is 100 except for fuzzy matches.
Hit = namedtuple("Hit", "kind text score municipality former postal_code")
# One possible answer to an ambiguous query, or a suggestion when nothing matched.
Option = namedtuple("Option", "code score kind text former")


class Outcome(namedtuple("Outcome", "hit options reason")):
    """A Hit, or ranked Options (ambiguous), or neither (not found, with a reason)."""

    __slots__ = ()

    @property
    def status(self) -> str:
        if self.hit is not None:
            return "found"
        return "ambiguous" if self.options and self.reason is None else "not_found"


# ------------------------------------------------------------------------------ tables
def build_tables(dataset) -> dict:
    """The matching tables, as plain JSON-able data (the wheel ships them precompiled)."""
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
        "names": names, "aliases": aliases, "stems": stems, "words": words,
        "former": former, "former_stems": former_stems, "places": places,
        "prefix_keys": [k for k, _ in prefixes], "prefix_codes": [code for _, code in prefixes],
        "fuzzy_current": fuzzy_current, "fuzzy_other": fuzzy_other,
        "display": display,
    }


# ------------------------------------------------------------------------------ matching
def match(query: str, index: dict) -> Outcome:
    """Match one query (already known not to be blank) against the compiled index."""
    folded = fold(query)
    qkey = folded.replace(" ", "")
    if not qkey:
        return Outcome(None, (), "no letters or digits in the query")
    first = folded.split()[0]
    if qkey.isdigit() or (first.isdigit() and len(first) == 5):
        return _match_digits(folded, index)

    found = (
        _exact(index, "names", qkey, "name")
        or _exact(index, "aliases", qkey, "alias")
        or _exact(index, "words", qkey, "inflected")
        or _long_form(folded, index)
    )
    if found:
        return found
    endings = list(finnish.split_endings(qkey))
    found = _inflected(index, endings, qkey) or _former(index, endings, qkey) or _places(index, qkey)
    if not found and qkey in index["regions"]:
        # A region is no municipality; say so rather than guess a look-alike.
        code, name = index["regions"][qkey]
        return Outcome(None, (), f"{name} is a region (maakunta), not a municipality: "
                                 f"`elyguide list --region {code}` lists its municipalities")
    if len(qkey) > MAX_GUESS_LENGTH:
        return found or Outcome(None, (), "too long to be a place name")
    found = found or _prefix(index, qkey)
    # A long form with a typo ("Jyväskyän kaupunki"): the typo is in the name, not in "kaupunki".
    return found or _fuzzy(_without_long_form(folded.split()).replace(" ", "") or qkey, index)


def _found(kind: str, text: str, municipality: str | None, former: str | None = None, postal_code: str | None = None) -> Outcome:
    return Outcome(Hit(kind, text, 100.0, municipality, former, postal_code), (), None)


def _ambiguous(options, index) -> Outcome:
    return Outcome(None, tuple(_rank(options, index)), None)


def option_name(option: Option, index: dict) -> str:
    """The Finnish name an option stands for: its municipality, or the ceded municipality."""
    if option.code is not None:
        return index["municipalities"][option.code][0]
    return index["former_info"][option.former][0]


def _rank(options, index):
    best: dict[tuple, Option] = {}
    for option in options:
        group = (option.code, option.former if option.code is None else None)
        if group not in best or option.score > best[group].score:
            best[group] = option
    penalty = _TIER_PENALTY
    return sorted(best.values(), key=lambda o: (-(o.score - penalty.get(o.kind, 0.0)), option_name(o, index), o.code or ""))


def _exact(index, table: str, qkey: str, kind: str) -> Outcome | None:
    codes = index[table].get(qkey)
    if not codes:
        return None
    text = index["display"].get(qkey, qkey)
    if len(codes) == 1:
        return _found(kind, text, codes[0])
    return _ambiguous((Option(code, 100.0, kind, text, None) for code in codes), index)


def _without_long_form(tokens: list[str]) -> str:
    """The name inside an official long form ("porin" in "porin kaupunki"), else ""."""
    if len(tokens) > 1 and tokens[-1] in _LONG_FORM_SUFFIXES:
        return " ".join(tokens[:-1])
    if len(tokens) > 2 and tuple(tokens[:2]) in _LONG_FORM_PREFIXES:
        return " ".join(tokens[2:])
    return ""


def _long_form(folded: str, index) -> Outcome | None:
    text = _without_long_form(folded.split())
    if not text:
        return None
    rest = text.replace(" ", "")
    outcome = _exact(index, "names", rest, "long_form") or _exact(index, "aliases", rest, "long_form")
    if outcome:
        return outcome
    # The name before "kaupunki"/"stad" is a genitive: Porin -> Pori, Jakobstads -> Jakobstad.
    if rest.endswith("s"):
        outcome = _exact(index, "names", rest[:-1], "long_form")
        if outcome:
            return outcome
    for ending in ("n", "ten"):  # Porin kaupunki, Kauniaisten kaupunki
        if rest.endswith(ending) and rest[: -len(ending)] in index["stems"]:
            return _stem_outcome(index["stems"][rest[: -len(ending)]], "long_form", text, index)
    return None


def _stem_outcome(codes: list[str], kind: str, text: str, index) -> Outcome:
    if len(codes) == 1:
        return _found(kind, index["municipalities"][codes[0]][0], codes[0])
    return _ambiguous((Option(code, 100.0, kind, text, None) for code in codes), index)


def _inflected(index, endings: list[tuple[str, str]], qkey: str) -> Outcome | None:
    codes: list[str] = []
    for stem, _ending in endings:
        for code in index["stems"].get(stem, ()):
            if code not in codes:
                codes.append(code)
    return _stem_outcome(codes, "inflected", qkey, index) if codes else None


def _former(index, endings: list[tuple[str, str]], qkey: str) -> Outcome | None:
    codes = list(index["former"].get(qkey, ()))
    if not codes:
        for stem, _ending in endings:
            codes.extend(c for c in index["former_stems"].get(stem, ()) if c not in codes)
    if not codes:
        return None
    successors = {index["former_info"][code][2] for code in codes}
    # A postal locality of the same name elsewhere makes the name ambiguous (Pohja was a
    # municipality, now in Raasepori, and is a village in Kangasala).
    place_codes = [c for c in index["places"].get(qkey, ()) if c not in successors]
    if len(codes) == 1 and not place_codes:
        name, _, successor, _ = index["former_info"][codes[0]]
        return _found("former", name, successor, former=codes[0])
    options = [_former_option(code, 100.0, index) for code in codes]
    options += [Option(code, 100.0, "postal_locality", index["display"].get(qkey, qkey), None) for code in place_codes]
    return _ambiguous(options, index)


def _former_option(code: str, score: float, index) -> Option:
    name, _, successor, _ = index["former_info"][code]
    return Option(successor, score, "former", name, code)


def _places(index, qkey: str) -> Outcome | None:
    codes = index["places"].get(qkey)
    if not codes:
        return None
    text = index["display"].get(qkey, qkey)
    if len(codes) == 1:
        return _found("postal_locality", text, codes[0])
    return _ambiguous((Option(code, 100.0, "postal_locality", text, None) for code in codes), index)


def _prefix(index, qkey: str) -> Outcome | None:
    if len(qkey) < MIN_PREFIX:
        return None
    keys, key_codes = index["prefix_keys"], index["prefix_codes"]
    names: dict[str, str] = {}  # municipality code -> the name key the query begins
    for position in range(bisect_left(keys, qkey), len(keys)):
        if not keys[position].startswith(qkey):
            break
        code = key_codes[position]
        # Of a municipality's names, report its Finnish one when the query begins both.
        if code not in names or keys[position] == key(index["municipalities"][code][0]):
            names[code] = keys[position]
    if len(names) == 1:
        (code, name_key), = names.items()
        if 2 * len(qkey) < len(name_key):  # "Savo" is more likely a typo of Sauvo than Savonlinna
            return None
        return _found("prefix", index["display"].get(name_key, name_key), code)
    if not names:
        return None
    # Several names begin so; score by how much of each the query already spells out.
    return _ambiguous(
        (Option(code, round(100.0 * len(qkey) / len(name_key), 1), "prefix", index["display"].get(name_key, name_key), None)
         for code, name_key in names.items()),
        index,
    )


_rapidfuzz = None  # (process.extract, fuzz.ratio), imported on the first typo only
_bands: dict[tuple, list[str]] = {}


def _search(index, table: str, qkey: str, cutoff: float):
    global _rapidfuzz
    if _rapidfuzz is None:
        from rapidfuzz import fuzz, process

        _rapidfuzz = (process.extract, fuzz.ratio)
    extract, ratio = _rapidfuzz
    return extract(qkey, _band(index, table, len(qkey), cutoff), scorer=ratio, limit=None, score_cutoff=cutoff)


def _band(index, table: str, length: int, cutoff: float) -> list[str]:
    """The choices that can score `cutoff` against a query of `length`. rapidfuzz's ratio is
    2*LCS/(L+M)*100, so a name of length M outside this band cannot reach it; leaving those
    out makes a typo search a third faster. Built once per length, on first use."""
    band_key = (id(index), table, length, cutoff)
    band = _bands.get(band_key)
    if band is None:
        low, high = cutoff * length / (200 - cutoff), length * (200 - cutoff) / cutoff
        band = _bands[band_key] = [k for k in index[table] if low - 1e-9 <= len(k) <= high + 1e-9]
    return band


def _fuzzy(qkey: str, index) -> Outcome:
    # Scoring down to the best's rival threshold decides most typos; only a query without a
    # winner needs the wider search for suggestions.
    hits = _search(index, "fuzzy_current", qkey, FUZZY_CUTOFF - FUZZY_MARGIN)
    clear = _clear_winner(hits, index)
    if clear is not None:
        return clear
    if not hits or hits[0][1] < FUZZY_CUTOFF:
        hits = _search(index, "fuzzy_current", qkey, SUGGESTION_CUTOFF)
    options = [o for choice, score, _ in hits for o in _fuzzy_options(choice, score, index, current=True)]
    if not hits or hits[0][1] < FUZZY_CUTOFF:
        # Nothing current is close: try former municipalities and postal localities too.
        hits = _search(index, "fuzzy_other", qkey, FUZZY_CUTOFF_OTHER - FUZZY_MARGIN)
        options += [o for choice, score, _ in hits for o in _fuzzy_options(choice, score, index, current=False)]
    ranked = _rank(options, index)
    if not ranked:
        return Outcome(None, (), None)
    best = ranked[0]
    if best.score < (FUZZY_CUTOFF if best.kind == "name" else FUZZY_CUTOFF_OTHER):
        # Offer current municipalities only: an obscure village is a poor suggestion.
        return Outcome(None, tuple(o for o in ranked if o.kind == "name")[:3], "no close match")
    rivals = [o for o in ranked[1:] if o.score >= best.score - FUZZY_MARGIN and o.score >= FUZZY_CUTOFF]
    if rivals:
        return Outcome(None, (best, *rivals), None)
    return Outcome(Hit("fuzzy", best.text, round(best.score, 1), best.code, best.former, None), (), None)


def _clear_winner(hits, index) -> Outcome | None:
    """The common case, decided without ranking every option: the best current name is close
    enough and no other municipality comes near it. (The full path below gives the same
    answer; this one is only quicker, which matters for batches of typos.)"""
    if not hits or hits[0][1] < FUZZY_CUTOFF:
        return None
    best_choice, best_score, _ = hits[0]
    codes = index["names"].get(best_choice) or index["aliases"].get(best_choice, ())
    if len(codes) != 1:
        return None
    for choice, score, _ in hits[1:]:
        if score < best_score - FUZZY_MARGIN:
            break
        if (index["names"].get(choice) or index["aliases"].get(choice, ())) != codes:
            return None
    return Outcome(Hit("fuzzy", index["display"].get(best_choice, best_choice), round(best_score, 1), codes[0], None, None), (), None)


def _fuzzy_options(choice: str, score: float, index, *, current: bool) -> list[Option]:
    text = index["display"].get(choice, choice)
    if current:
        codes = index["names"].get(choice) or index["aliases"].get(choice, [])
        return [Option(code, score, "name", text, None) for code in codes]
    out = [_former_option(code, score, index) for code in index["former"].get(choice, ())]
    out += [Option(code, score, "postal_locality", text, None) for code in index["places"].get(choice, ())]
    return out


# ------------------------------------------------------------------------------ digits
def _match_digits(folded: str, index) -> Outcome:
    first, *rest = folded.split()
    if len(first) <= 3 and not rest:
        code = first.zfill(3)
        if code in index["municipalities"]:
            return _found("code", code, code)
        if code in index["former_info"]:
            return _found("code", code, index["former_info"][code][2], former=code)
        return Outcome(None, (), f"no municipality has the code {code}")
    if len(first) == 5:
        postal = index["postal_codes"].get(first)
        if postal is None:
            return Outcome(None, (), f"no postal code {first}")
        municipality, kind, locality_fi, locality_sv = postal
        if kind in _NOT_PLACES:
            return Outcome(None, (), f"postal code {first} ({locality_fi}) is a special delivery code, not a place")
        names = (locality_fi, locality_sv, *index["municipalities"][municipality][:2])
        if rest and "".join(rest) not in {key(name) for name in names if name}:
            return Outcome(None, (), f"postal code {first} is {locality_fi}, not {' '.join(rest)}")
        return _found("postal_code", first, municipality, postal_code=first)
    return Outcome(None, (), "a municipality code has 3 digits and a postal code 5")


# ------------------------------------------------------------------------------ centres
# A centre's name is reduced to its core - the area, without words like "ELY-keskus" or
# "livskraftscentral" - and a query matches a core as written or as its genitive ("Itä-Suomi"
# is the core of "Itä-Suomen elinvoimakeskus"). Words like "ELY" or "elinvoimakeskus" in the
# query pick the kind. When several centres remain, the one active on the date wins; otherwise
# the answer is ambiguous, as with municipalities.

_ELY_WORDS = {"ely", "elykeskus", "ntm", "ntmcentralen", "elinkeino", "liikenne", "ymparistokeskus", "narings", "trafik", "miljocentralen", "centralen"}
_EVK_WORDS = {"elinvoimakeskus", "livskraftscentral", "livskraftscentralen", "economic", "development"}
_GENERIC = _ELY_WORDS | _EVK_WORDS | {"keskus", "centre", "center", "of", "i", "ja", "och", "and", "the"}


def centre_core(name: str) -> str:
    """The area part of a centre's name, as a key: "Pohjois-Savon ELY-keskus" -> "pohjoissavon"."""
    return "".join(token for token in fold(name).split() if token not in _GENERIC)


def _centre_names(centre) -> list[str]:
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


def match_centre(name: str, dataset, date: str | None = None):
    """The one Centre `name` means; raises NotFoundError or AmbiguousError.

    >>> from elyguide.data import load_dataset
    >>> match_centre("itä-suomi", load_dataset()).id
    'evk-ita-suomi'
    """
    from .errors import AmbiguousError, NotFoundError

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


def _fuzzy_centres(query_core: str, centres: list) -> list:
    from rapidfuzz import fuzz

    scored = []
    for centre in centres:
        best = max(fuzz.ratio(query_core, centre_core(n)) for n in _centre_names(centre))
        if best >= FUZZY_CUTOFF:
            scored.append((best, centre))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    return [c for score, c in scored if score >= top - FUZZY_MARGIN]
