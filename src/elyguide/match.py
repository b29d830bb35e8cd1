"""Find the municipality a query means, however it was written, and say how it was found.

Matching runs in tiers; the first tier that answers wins, so an exact reading always beats a
guess, and a current municipality's own name beats a region, a former municipality or a
postal locality of the same name:

  code            "297", "49"              municipality code (a former one too); ASCII digits only
  postal_code     "70100", "FI-00100 Helsinki"
  name            "Kuopio", "vasa", "Kuopio (297)"   Finnish or Swedish name; elyguide's own header
  sami            "Anár", "Ohcejohka"      an official Sámi name
  alias           "Maarianhamina - Mariehamn"
  long_form       "Porin kaupunki", "Jakobstads stad", "Oulun kaupungissa"
  inflected       "Kuopiossa", "Hangon", "Mikkeliin"
  qualified       "Pyhäjärvi Ol", "Pyhäjärvi Vpl"    a name with its old province (lääni)
  (region)        "Lappi", "Kainuussa"     a region is no municipality: not found, or ambiguous
  (province)      "Savo", "Karjalassa"     nor is a historical province
  former          "Kiiminki", "Pernå", "Jyväskylän maalaiskunta"
  postal_locality "Karigasniemi"
  prefix          "Jyväsk"                 a guess: the start of exactly one current name
  fuzzy           "Jyväskyä", "Porvo"      a guess: a typo, by its similarity ratio to folded keys

A tier that finds several municipalities answers "ambiguous" with ranked candidates instead of
picking one; fuzzy matching refuses near-ties the same way, and `strict` refuses guesses
altogether (they become suggestions). Ranking is deterministic: by score, tier, then name.

Matching works on plain tables compiled into the index (see build_tables) and answers with
the model's Match and Candidate.

>>> from elyguide.index import load_dataset
>>> outcome = match("Kuopiossa", load_dataset())
>>> outcome.match.kind, outcome.match.municipality.code
('inflected', '297')
"""

from __future__ import annotations

import os.path
from bisect import bisect_left
from . import finnish
from .model import Candidate, Match, Reason, Record, record
from .normalize import fold, key, shell_words

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

# Words that make a name an official long form ("Porin kaupunki", "Vasa stad"), with the
# inflected forms of the Finnish ones ("Oulun kaupungissa", "Porin kaupunkiin").
_LONG_FORM_WORDS = ("kaupunki", "kunta", "kauppala", "stad", "kommun", "city", "municipality", "town")
_LONG_FORM_PREFIXES = (("city", "of"), ("town", "of"), ("municipality", "of"))
# Words around a region's name: "Lapin maakunta", "landskapet Lappland", "region of Lapland".
_REGION_WORDS = frozenset({"maakunta", "landskapet", "landskap", "region", "of", "the"})
_CONJUNCTIONS = frozenset({"ja", "seka", "tai", "och", "samt", "eller", "and", "or"})  # "Kuopio ja Vaasa"
# Former rural municipalities, written out or abbreviated: "Jyväskylän mlk" = "... maalaiskunta".
_RURAL_SPELLINGS = (("mlk", "maalaiskunta"), ("lk", "landskommun"))
# Postal code types that are not places (Posti: 5 reply mail, 6 parcel machine, 7 pick-up point).
_NOT_PLACES = {5, 6, 7}


def _ascii_digits(text: str) -> bool:
    """Codes are plain ASCII digits: "297", "70100". Not "2.97", "9:15" or "²⁹⁷"."""
    return text.isascii() and text.isdigit()


def _postal_parts(query: str) -> tuple[str, str | None] | None:
    """"70100", "FI-70100", "FI 70100 Kuopio" -> ("70100", None or "Kuopio"); else None."""
    text = query.strip()
    if text[:2].upper() == "FI" and len(text) > 2 and not text[2].isalpha():
        text = text[3:].lstrip() if text[2] in "- " else text[2:]
    number, _, locality = text.partition(" ")
    if len(number) != 5 or not _ascii_digits(number):
        return None
    return number, locality.strip() or None


def _header_parts(query: str) -> tuple[str, str] | None:
    """"Kuopio (297) · Pohjois-Savo", as elyguide prints it, or "Kuopio 297" -> ("Kuopio",
    "297"); else None."""
    text = query.split("·", 1)[0].strip()
    if text.endswith(")") and "(" in text:
        name, _, code = text[:-1].rpartition("(")
    else:
        name, _, code = text.rpartition(" ")
    code = code.strip()
    if not name.strip() or len(code) != 3 or not _ascii_digits(code):
        return None
    return name.strip(), code


@record
class Outcome(Record):
    """A Match, or ranked Candidates (ambiguous), or neither (not found, with a Reason).
    region: the region code a query named (it is no municipality); province: a province id."""

    __slots__ = ()

    def __new__(cls, match, candidates, reason, region, province):
        return tuple.__new__(cls, (match, candidates, reason, region, province))

    @property
    def status(self) -> str:
        if self.match is not None:
            return "found"
        return "ambiguous" if self.candidates and self.reason is None else "not_found"


def _outcome(match=None, candidates=(), reason=None, region=None, province=None) -> Outcome:
    return Outcome(match=match, candidates=tuple(candidates), reason=reason, region=region, province=province)


# ------------------------------------------------------------------------------ tables
def _rural_variants(name_key: str) -> list[str]:
    """"jyvaskylanmlk" -> also "jyvaskylanmaalaiskunta"; and the other way round."""
    out = []
    for short, long in _RURAL_SPELLINGS:
        if name_key.endswith(short) and not name_key.endswith(long):
            out.append(name_key[: -len(short)] + long)
        elif name_key.endswith(long):
            out.append(name_key[: -len(long)] + short)
    return out


def build_tables(dataset) -> dict:
    """The matching tables, as plain JSON-able data (the wheel ships them precompiled)."""
    tables: dict[str, dict] = {name: {} for name in ("names", "sami", "aliases", "stems", "words", "former", "former_stems",
                                                     "places", "region_names", "region_stems", "province_names",
                                                     "province_stems", "qualifiers", "bases")}
    display: dict[str, str] = {}

    def add(table: str, k: str, value) -> None:
        if k and value not in tables[table].setdefault(k, []):
            tables[table][k].append(value)

    qualifiers = {key(abbreviation): province.id for province in dataset.provinces().values() if province.kind == "old"
                  for abbreviation in province.abbreviations}
    for abbreviation, province_id in sorted(qualifiers.items()):
        add("qualifiers", abbreviation, province_id)

    def base(name: str) -> str:
        """A name without the province written after it: "Pyhäjärvi Ul" -> "pyhajarvi"."""
        words = fold(name).split()
        return "".join(words[:-1]) if len(words) > 1 and words[-1] in tables["qualifiers"] else key(name)

    municipalities = dataset.municipalities()
    for code, municipality in municipalities.items():
        own_names = [n for n in municipality.name[:2] if n]
        for name in own_names:
            add("names", key(name), code)
            display.setdefault(key(name), name)
            add("bases", base(name), ["m", code])
        for other in municipality.other_names:
            add("sami", key(other.name), code)
            display.setdefault(key(other.name), other.name)
        # Names it had before a rename in the data's divisions answer like official labels.
        earlier = [n for _, names in municipality.names_before for n in names[:2] if n and key(n) not in map(key, own_names)]
        for alias in (*municipality.aliases, *earlier):
            add("aliases", key(alias), code)
            display.setdefault(key(alias), alias)
        for name in own_names + list(municipality.aliases) + earlier:
            for stem in finnish.stems(fold(name)):
                add("stems", stem, code)
        inflected = dataset.sections["municipalities"][code].get("inflected") or {}
        for stem in inflected.get("stems") or ():
            add("stems", key(stem), code)
        for word in inflected.get("words") or ():
            add("words", key(word), code)
            display.setdefault(key(word), word)

    current_keys = set(tables["names"]) | set(tables["aliases"]) | set(tables["sami"])
    for code, old in dataset.former_municipalities().items():
        for name in (n for n in old.name[:2] if n):
            if key(name) in current_keys:  # current names win (old Pirkkala is Nokia)
                continue
            for variant in (key(name), *_rural_variants(key(name))):
                add("former", variant, code)
                display.setdefault(variant, name)
                # "Porin mlk:ssa", "Kuopion maalaiskunnassa": endings after either spelling
                for stem in {variant, *finnish.stems(variant)}:
                    add("former_stems", stem, code)
            add("bases", base(name), ["f", code])
            for stem in finnish.stems(fold(name)):
                add("former_stems", stem, code)

    for name, codes in dataset.place_names.items():
        display.setdefault(key(name), name)
        for code in codes:
            add("places", key(name), code)

    for code, region in dataset.regions().items():
        for name in (n for n in region.name if n):
            add("region_names", key(name), code)
            display.setdefault(key(name), name)
            for stem in finnish.stems(fold(name)):
                add("region_stems", stem, code)
    for province in dataset.provinces().values():
        for name in (n for n in province.name if n):
            if key(name) in tables["region_names"]:
                continue  # Satakunta, Uusimaa, Lappi ...: the region says more
            add("province_names", key(name), province.id)
            for stem in finnish.stems(fold(name)):
                add("province_stems", stem, province.id)

    # A stem that is another municipality's own name must not shadow that name, so a stem
    # keeps only the municipalities whose name it is (Hango is Hanko's weak stem and its
    # Swedish name; nothing is dropped there).
    for table in ("stems", "former_stems", "region_stems", "province_stems"):
        for k in [k for k in tables[table] if k in current_keys]:
            owners = set(tables["names"].get(k, ())) | set(tables["aliases"].get(k, ()))
            kept = [code for code in tables[table][k] if code in owners] if table == "stems" else []
            if kept:
                tables[table][k] = kept
            else:
                del tables[table][k]

    prefixes = sorted({(k, code) for table in ("names", "aliases") for k, codes in tables[table].items() for code in codes})
    current = set(tables["names"]) | set(tables["aliases"])
    areas = (set(tables["region_names"]) | set(tables["province_names"])) - current
    return {
        **tables,
        "prefix_keys": [k for k, _ in prefixes], "prefix_codes": [code for _, code in prefixes],
        "fuzzy_current": sorted(current | areas),  # the areas compete with the names (see fuzzy)
        "fuzzy_areas": dict.fromkeys(sorted(areas), True),
        "fuzzy_other": sorted((set(tables["former"]) | set(tables["places"])) - current),
        "display": display,
    }


# ------------------------------------------------------------------------------ matching
class _Matcher:
    """One query against one dataset's tables. Builds model objects only for what it returns."""

    def __init__(self, dataset):
        self.data = dataset
        self.t = dataset.sections

    # -- building answers
    def display(self, k: str) -> str:
        return self.t["display"].get(k, k)

    def found(self, kind: str, text: str, code: str | None, former: str | None = None, postal_code: str | None = None,
              score: float = 100.0) -> Outcome:
        municipality = self.data.municipality(code) if code else None
        old = self.data.former(former) if former else None
        return _outcome(Match(kind=kind, text=text, score=score, municipality=municipality, former=old, postal_code=postal_code))

    def candidate(self, code: str | None, score: float, kind: str, text: str, former: str | None = None) -> Candidate:
        return Candidate(municipality=self.data.municipality(code) if code else None,
                         former=self.data.former(former) if former else None, score=score, kind=kind, text=text)

    def former_candidate(self, code: str, score: float) -> Candidate:
        old = self.data.former(code)
        return self.candidate(old.successor.code if old.successor else None, score, "former", old.name.fi, code)

    def ambiguous(self, candidates, **extra) -> Outcome:
        return _outcome(candidates=rank(candidates), **extra)

    def exact(self, table: str, qkey: str, kind: str) -> Outcome | None:
        codes = self.t[table].get(qkey)
        if not codes:
            return None
        # A municipality's own name is spelled by its record; the display table (every other
        # spelling) is parsed only when needed.
        names = self.data.municipality(codes[0]).name if table == "names" else ()
        text = next((n for n in names[:2] if n and _key_of(n) == qkey), None) or self.display(qkey)
        if len(codes) == 1:
            return self.found(kind, text, codes[0])
        return self.ambiguous(self.candidate(code, 100.0, kind, text) for code in codes)

    def stem_outcome(self, codes: list[str], kind: str, text: str) -> Outcome:
        if len(codes) == 1:
            return self.found(kind, self.data.municipality(codes[0]).name.fi, codes[0])
        return self.ambiguous(self.candidate(code, 100.0, kind, text) for code in codes)

    # -- tiers
    def digits(self, query: str) -> Outcome | None:
        code = query.strip()
        if 0 < len(code) <= 3 and _ascii_digits(code):
            code = code.zfill(3)
            if self.data.municipality(code) is not None:
                return self.found("code", code, code)
            old = self.data.former(code)
            if old is not None:
                return self.found("code", code, old.successor.code if old.successor else None, former=code)
            return _outcome(reason=Reason("reason_no_such_code", (("code", code),)))
        postal = _postal_parts(query)
        if postal is None:
            return None
        number, locality = postal
        row = self.data.postal_code(number)
        if row is None:
            return _outcome(reason=Reason("reason_no_such_postal_code", (("code", number),)))
        if row.type in _NOT_PLACES:
            return _outcome(reason=Reason("reason_special_postal_code", (("code", number), ("locality", row.locality.fi))))
        municipality = self.data.municipality(row.municipality)
        if locality is not None and key(locality) not in {key(n) for n in (*row.locality, *municipality.name[:2]) if n}:
            return _outcome(reason=Reason("reason_postal_code_elsewhere", (("code", number), ("locality", row.locality.fi),
                                                                            ("query", locality))))
        return self.found("postal_code", number, row.municipality, postal_code=number)

    def header(self, query: str) -> Outcome | None:
        """"Kuopio (297)" as elyguide prints it: the name and the code must agree."""
        parts = _header_parts(query)
        if parts is None:
            return None
        name, code = parts
        outcome = self.exact_name(fold(name), key(name))
        if outcome is None:
            return None
        found = outcome.match
        if found is not None and ((found.municipality and found.municipality.code == code) or (found.former and found.former.code == code)):
            return outcome
        by_code = self.digits(code)
        return self.ambiguous([c for o in (outcome, by_code) for c in _as_candidates(o)])

    def exact_name(self, folded: str, qkey: str) -> Outcome | None:
        t = self.t
        if " " not in folded and qkey not in t["names"] and qkey not in t["sami"] and qkey not in t["aliases"] \
                and qkey not in t["words"]:
            return None  # one word, and no name: a long form needs two
        return (self.exact("names", qkey, "name") or self.exact("sami", qkey, "sami") or self.exact("aliases", qkey, "alias")
                or self.exact("words", qkey, "inflected") or self.long_form(folded))

    def readings(self, query: str, folded: str, qkey: str, endings) -> Outcome | None:
        """What the query names as written, other than a current name: an inflected or qualified
        name, a region or province, a former municipality, a postal locality, several names."""
        found = self.inflected(endings, qkey) or self.qualified(query, folded)
        if found:
            return found
        region, province = self.area(folded, endings)
        others = self.former(endings, qkey)
        successors = {c.municipality.code for c in others if c.municipality}
        # A postal locality of the same name elsewhere makes a former name ambiguous (Pohja was a
        # municipality, now in Raasepori, and is a village in Kangasala).
        others += self.places(qkey, exclude=successors if others else ())
        if region is not None or province is not None:
            covered = self.data.province(province).regions if region is None else ()
            if covered and all(self.data.region(r).aland for r in covered):
                region = covered[0]  # the old province of Åland is Åland
            if region is not None and self.data.region(region).aland:
                return _outcome(region=region)  # Åland's names: outside the service area
            if others:
                return self.ambiguous(others, region=region, province=province)
            return _outcome(reason=Reason("reason_region" if region else "reason_province"), region=region, province=province)
        if len(others) == 1:
            only = others[0]
            return _outcome(Match(kind=only.kind, text=only.text, score=100.0, municipality=only.municipality, former=only.former,
                                  postal_code=None))
        if others:
            return self.ambiguous(others)
        return self.several_municipalities(folded)

    def holds(self, qkey: str, endings) -> bool:
        """Whether a table of readings holds a one-word query, as written or by a stem of it.
        A word none holds can only be a guess: every reading would look it up and find nothing,
        and a batch of typos skips them."""
        words, stems = _reading_keys(self.t)
        return qkey in words or any(stem in stems for stem, _ in endings)

    def long_form(self, folded: str) -> Outcome | None:
        tokens = folded.split()
        text = ""
        if len(tokens) > 1 and _long_form_word(tokens[-1]):
            text = " ".join(tokens[:-1])
        elif len(tokens) > 2 and tuple(tokens[:2]) in _LONG_FORM_PREFIXES:
            text = " ".join(tokens[2:])
        if not text:
            return None
        rest = text.replace(" ", "")
        outcome = self.exact("names", rest, "long_form") or self.exact("aliases", rest, "long_form")
        if outcome:
            return outcome
        # The name before "kaupunki"/"stad" is a genitive: Porin -> Pori, Jakobstads -> Jakobstad.
        if rest.endswith("s"):
            outcome = self.exact("names", rest[:-1], "long_form")
            if outcome:
                return outcome
        for stem, ending in finnish.split_endings(rest):  # Porin kaupunki, Kauniaisten, Uudenkaupungin
            if ending in ("n", "ten") and stem in self.t["stems"]:
                return self.stem_outcome(self.t["stems"][stem], "long_form", text)
        # A former municipality's long form: "Kiimingin kunta", "Nilsiän kaupunki"
        if rest in self.t["former"]:
            return self.former_outcome(self.t["former"][rest])
        for stem, ending in finnish.split_endings(rest):
            if ending in ("n", "ten") and stem in self.t["former_stems"]:
                return self.former_outcome(self.t["former_stems"][stem])
        return None

    def inflected(self, endings, qkey: str) -> Outcome | None:
        codes: list[str] = []
        for stem, _ending in endings:
            codes.extend(c for c in self.t["stems"].get(stem, ()) if c not in codes)
        return self.stem_outcome(codes, "inflected", qkey) if codes else None

    def qualified(self, query: str, folded: str) -> Outcome | None:
        """"Pyhäjärvi Vpl", "Vpl. Pyhäjärvi": the municipality of that name in that old
        province, never a guess."""
        words, typed_words = folded.split(), query.split()
        if len(words) < 2 or "".join(words) in self.t["places"]:
            return None  # a postal locality's own name: "Alavus As" (the station), "Aura Kk", "Hangö Norra"
        bases = self.t["bases"]
        if words[0] not in bases and "".join(words[1:]) in bases and self.qualifier_like(words[0]) and len(typed_words) == len(words):
            words, typed_words = [*words[1:], words[0]], [*typed_words[1:], typed_words[0]]  # the province first
            if "".join(words) in self.t["former"]:  # "Ul Pyhäjärvi" is the former "Pyhäjärvi Ul"
                return self.former_outcome(self.t["former"]["".join(words)])
        if len(words) > 2 and self.qualifier_like(words[-2]) and self.qualifier_like(words[-1]) and "".join(words[:-2]) in bases:
            # Two provinces ("Koski Tl Hl", "Pyhäjärvi Ol Ul"): which is meant is no guess either
            return self.ambiguous(self.base_candidates("".join(words[:-2]), " ".join(typed_words)))
        base = "".join(words[:-1])
        named = bases.get(base, [])
        whole = "".join(words)
        if not named or whole in self.t["former"] or whole in self.t["region_names"] or whole in self.t["province_names"]:
            return None  # not a known name; or the name of a former municipality ("Pyhäjärvi Ul") or an area ("Vasa län")
        qualifier = words[-1]
        *typed_base, typed = typed_words
        # "Pyhäjärvi Vpl", with the qualifier as written
        text = f"{self.t['display'].get(base) or ' '.join(typed_base)} {typed if fold(typed) == qualifier else qualifier}"
        if not self.qualifier_like(qualifier):
            return None  # another municipality ("Kuopio Oulu", "Inari Anár"), a code or another word
        provinces = [self.data.province(p) for p in self.province_ids(qualifier)]
        candidates, fitting = [], []
        for kind, code in named:
            if kind == "m":
                candidate = self.candidate(code, 100.0, "qualified", text)
                regions, ceded = {candidate.municipality.region.code}, False
            else:
                candidate = self.former_candidate(code, 100.0)
                old = candidate.former
                regions = {r for r in (old.region, old.successor.region.code if old.successor else None) if r}
                ceded = old.ceded
            candidates.append(candidate)
            if any((ceded and p.ceded) or (not ceded and regions & set(p.regions)) for p in provinces):
                fitting.append(candidate)
        if len(fitting) == 1:
            chosen = fitting[0]
            return self.found("qualified", text, chosen.municipality.code if chosen.municipality else None,
                              former=chosen.former.code if chosen.former else None)
        return self.ambiguous(fitting or candidates)  # a qualifier that fits nothing is no reason to guess

    def former_outcome(self, codes: list[str]) -> Outcome:
        """The former municipality `codes` name, found; or ambiguous among them."""
        olds = [self.former_candidate(code, 100.0) for code in codes]
        if len(olds) > 1:
            return self.ambiguous(olds)
        return _outcome(Match(kind="former", text=olds[0].former.name.fi, score=100.0, municipality=olds[0].municipality,
                              former=olds[0].former, postal_code=None))

    def qualifier_like(self, word: str) -> bool:
        """A word that is, or could be, an old province's abbreviation: attested ("Vpl"), the
        start of one province's name ("Viip"), or short letters ("Xl"); not a place's name."""
        if word in self.t["names"] or word in self.t["aliases"] or word in self.t["sami"] or not word.isalpha():
            return False
        return bool(self.province_ids(word)) or len(word) <= 4

    def base_candidates(self, base: str, text: str) -> list[Candidate]:
        """Every place whose name, without its province, is `base`."""
        return [self.candidate(code, 100.0, "qualified", text) if kind == "m" else self.former_candidate(code, 100.0)
                for kind, code in self.t["bases"].get(base, [])]

    def province_ids(self, qualifier: str) -> list[str]:
        """The old provinces a qualifier names: an attested abbreviation ("Vpl", "Ul"), or the
        start of exactly one province's name ("Viip." for Viipurin lääni)."""
        if qualifier in self.t["qualifiers"]:
            return self.t["qualifiers"][qualifier]
        if len(qualifier) < 3:
            return []
        starting = {p.id for p in self.data.provinces().values() if p.kind == "old"
                    for name in p.name if name and fold(name).split()[0].startswith(qualifier)}
        return sorted(starting) if len(starting) == 1 else []

    def area(self, folded: str, endings) -> tuple[str | None, str | None]:
        """The region, or else the historical province, a query names: (region, province)."""
        words = [w for w in folded.split() if w not in _REGION_WORDS and not _is_region_word(w)]
        if not words:
            return None, None
        qkey = "".join(words)
        area_endings = endings if len(words) == len(folded.split()) else list(finnish.split_endings(qkey))
        whole = folded.replace(" ", "")  # a name with such words in it: "Province of Åland"
        if folded.startswith("province of "):  # "Province of Vaasa" is "Vaasa Province"
            qkey = folded[len("province of "):].replace(" ", "") + "province"
        for names, stems in (("region_names", "region_stems"), ("province_names", "province_stems")):
            found = list(self.t[names].get(whole, ()) or self.t[names].get(qkey, ()))
            if not found:
                for stem, _ in area_endings:
                    found.extend(c for c in self.t[stems].get(stem, ()) if c not in found)
            if found:
                return (found[0], None) if names == "region_names" else (None, found[0])
        return None, None

    def former(self, endings, qkey: str) -> list[Candidate]:
        codes = list(self.t["former"].get(qkey, ()))
        if not codes:
            for stem, _ending in endings:
                codes.extend(c for c in self.t["former_stems"].get(stem, ()) if c not in codes)
        return [self.former_candidate(code, 100.0) for code in codes]

    def places(self, qkey: str, exclude=()) -> list[Candidate]:
        text = self.display(qkey)
        return [self.candidate(code, 100.0, "postal_locality", text) for code in self.t["places"].get(qkey, ()) if code not in exclude]

    def several_municipalities(self, folded: str) -> Outcome | None:
        """"Kuopio Vaasa", "Mänttä-Vilppula ja Vaasa", "Kuopiossa Vaasassa": the words split into
        several current names. Say so; batch mode takes one per line. Names of one municipality
        ("Helsinki - Helsingfors", a bilingual label) are that municipality."""
        words = [w for w in folded.split() if w not in _CONJUNCTIONS]
        if len(words) < 2:
            return None  # most queries: one word
        parts = self.name_runs(words)
        if parts is None or len(parts) < 2:
            return None
        by_code: dict[str, str] = {}  # each municipality once, by the first name it was given
        for part in parts:
            for code in self.run_codes(part):
                by_code.setdefault(code, part)
        if len(by_code) == 1:
            (code, part), = by_code.items()
            return self.found("name", self.display(part), code)
        candidates = [self.candidate(code, 100.0, "name", self.display(part)) for code, part in by_code.items()]
        names = [self.data.municipality(code).name.fi if part not in self.t["display"] else self.display(part)
                 for code, part in by_code.items()]
        return _outcome(candidates=candidates, reason=Reason("reason_several_municipalities", (("names", shell_words(names)),)))

    def run_codes(self, run: str) -> list[str]:
        """The current municipalities a run of words names, as written or inflected ("vaasassa")."""
        codes = self.current_codes(run)
        if codes:
            return codes
        return list(dict.fromkeys(c for stem, _ in finnish.split_endings(run) for c in self.t["stems"].get(stem, ())))

    def current_codes(self, name_key: str) -> list[str]:
        return self.t["names"].get(name_key) or self.t["aliases"].get(name_key) or self.t["sami"].get(name_key, [])

    def name_runs(self, words: list[str]) -> list[str] | None:
        """The words as consecutive runs that each spell a current name, fewest runs first;
        None when they cannot be split so."""
        best: list[list[str] | None] = [[]] + [None] * len(words)
        for end in range(1, len(words) + 1):
            for start in range(end):
                run = "".join(words[start:end])
                if best[start] is not None and self.run_codes(run) and (best[end] is None or len(best[start]) + 1 < len(best[end])):
                    best[end] = [*best[start], run]
        return best[-1]

    def prefix(self, qkey: str) -> Outcome | None:
        if len(qkey) < MIN_PREFIX:
            return None
        keys, key_codes = self.t["prefix_keys"], self.t["prefix_codes"]
        names: dict[str, str] = {}  # municipality code -> the name key the query begins
        for position in range(bisect_left(keys, qkey), len(keys)):
            if not keys[position].startswith(qkey):
                break
            code = key_codes[position]
            # Of a municipality's names, report its Finnish one when the query begins both.
            if code not in names or keys[position] == key(self.data.municipality(code).name.fi):
                names[code] = keys[position]
        if len(names) == 1:
            (code, name_key), = names.items()
            if 2 * len(qkey) < len(name_key):  # "Savo" is more likely a typo of Sauvo than Savonlinna
                return None
            return self.found("prefix", self.display(name_key), code, score=round(100.0 * len(qkey) / len(name_key), 1))
        if not names:
            return None
        # Several names begin so; score by how much of each the query already spells out.
        return self.ambiguous(self.candidate(code, round(100.0 * len(qkey) / len(name_key), 1), "prefix", self.display(name_key))
                              for code, name_key in names.items())

    def fuzzy(self, qkey: str) -> Outcome:
        # Regions and provinces are searched with the municipalities: a typo that is nearer an
        # area's name ("Kainu", "Savoo") than any municipality's is not a municipality's.
        # Scoring down to the best's rival threshold decides most typos; only a query without
        # a winner needs the wider search for suggestions.
        hits = _search(self.t, "fuzzy_current", qkey, FUZZY_CUTOFF - FUZZY_MARGIN)
        area_score = max((score for choice, score, _ in hits if choice in self.t["fuzzy_areas"]), default=0.0)
        hits = [hit for hit in hits if hit[0] not in self.t["fuzzy_areas"]]
        clear = self.clear_winner(hits)
        if clear is not None and clear.match.score > area_score:
            return clear
        if not hits or hits[0][1] < FUZZY_CUTOFF:
            wider = _search(self.t, "fuzzy_current", qkey, SUGGESTION_CUTOFF)
            area_score = max([area_score] + [score for choice, score, _ in wider if choice in self.t["fuzzy_areas"]])
            hits = [hit for hit in wider if hit[0] not in self.t["fuzzy_areas"]]
        candidates = [c for choice, score, _ in hits for c in self.fuzzy_candidates(choice, score, current=True)]
        if not hits or hits[0][1] < FUZZY_CUTOFF:
            # Nothing current is close: try former municipalities and postal localities too.
            hits = _search(self.t, "fuzzy_other", qkey, FUZZY_CUTOFF_OTHER - FUZZY_MARGIN)
            candidates += [c for choice, score, _ in hits for c in self.fuzzy_candidates(choice, score, current=False)]
        ranked = rank(candidates)
        if not ranked:
            return _outcome()
        best = ranked[0]
        suggestions = [c for c in ranked if c.kind == "name"][:3]  # an obscure village is a poor suggestion
        if best.score < (FUZZY_CUTOFF if best.kind == "name" else FUZZY_CUTOFF_OTHER) or area_score >= best.score:
            return _outcome(candidates=suggestions, reason=Reason("reason_no_close_match"))
        rivals = [c for c in ranked[1:] if c.score >= best.score - FUZZY_MARGIN and c.score >= FUZZY_CUTOFF]
        if rivals:
            return _outcome(candidates=(best, *rivals))
        code = best.municipality.code if best.municipality else None
        return self.found("fuzzy", best.text, code, former=best.former.code if best.former else None, score=round(best.score, 1))

    def clear_winner(self, hits) -> Outcome | None:
        """The common case, decided without ranking every candidate: the best current name is
        close enough and no other municipality comes near it. (The full path gives the same
        answer; this one is only quicker, which matters for batches of typos.)"""
        if not hits or hits[0][1] < FUZZY_CUTOFF:
            return None
        best_choice, best_score, _ = hits[0]
        codes = self.t["names"].get(best_choice) or self.t["aliases"].get(best_choice, ())
        if len(codes) != 1:
            return None
        for choice, score, _ in hits[1:]:
            if score < best_score - FUZZY_MARGIN:
                break
            if (self.t["names"].get(choice) or self.t["aliases"].get(choice, ())) != codes:
                return None
        return self.found("fuzzy", self.display(best_choice), codes[0], score=round(best_score, 1))

    def fuzzy_candidates(self, choice: str, score: float, *, current: bool) -> list[Candidate]:
        text = self.display(choice)
        if current:
            codes = self.t["names"].get(choice) or self.t["aliases"].get(choice, [])
            return [self.candidate(code, score, "name", text) for code in codes]
        out = [self.former_candidate(code, score) for code in self.t["former"].get(choice, ())]
        return out + [self.candidate(code, score, "postal_locality", text) for code in self.t["places"].get(choice, ())]


def _reading_keys(tables) -> tuple[frozenset, frozenset]:
    """Every key and every stem the readings look up, gathered once per dataset (on the first
    query that is no name: a lookup of "Kuopio" parses none of these tables)."""
    found = _reading_keys_of.get(id(tables))
    if found is None:
        found = _reading_keys_of[id(tables)] = tuple(frozenset().union(*(tables[t] for t in names)) for names in (
            ("former", "places", "region_names", "province_names"), ("stems", "former_stems", "region_stems", "province_stems")))
    return found


_reading_keys_of: dict[int, tuple] = {}  # by the tables' id, as _name_sets
_ASCII_DIGITS = frozenset("0123456789")


_keys: dict[str, str] = {}


def _key_of(name: str) -> str:
    """key(name), remembered: the same few hundred names are asked about again and again."""
    found = _keys.get(name)
    if found is None:
        found = _keys[name] = key(name)
    return found


def _long_form_word(word: str) -> bool:
    """"kaupunki", and its inflected forms ("kaupungissa", "kaupunkiin", "kunnassa")."""
    if word in _LONG_FORM_WORDS:
        return True
    return any(stem in _INFLECTED_LONG_FORM_STEMS for stem, _ in finnish.split_endings(word))


def _is_region_word(word: str) -> bool:
    """"maakunnassa", "maakuntaan": inflected forms of "maakunta"."""
    return word.startswith(_REGION_WORD_START) and any(stem in _REGION_WORD_STEMS for stem, _ in finnish.split_endings(word))


_INFLECTED_LONG_FORM_STEMS = frozenset(finnish.stems("kaupunki") | finnish.stems("kunta") | finnish.stems("kauppala"))
_REGION_WORD_STEMS = frozenset(finnish.stems("maakunta"))
_REGION_WORD_START = os.path.commonprefix(sorted(_REGION_WORD_STEMS))  # "maakun": most words need no splitting


def _as_candidates(outcome: Outcome | None) -> list[Candidate]:
    if outcome is None:
        return []
    if outcome.match is None:
        return list(outcome.candidates)
    m = outcome.match
    return [Candidate(municipality=m.municipality, former=m.former, score=m.score, kind=m.kind, text=m.text)]


def match(query: str, dataset, *, strict: bool = False) -> Outcome:
    """Match one query (already known not to be blank) against a dataset's tables."""
    m = _Matcher(dataset)
    has_digits = not _ASCII_DIGITS.isdisjoint(query)  # codes and "Kuopio (297)": most queries have none
    digits = m.digits(query) if has_digits else None
    if digits is not None:
        return digits
    folded = fold(query)
    qkey = folded.replace(" ", "")
    if not qkey:
        return _outcome(reason=Reason("reason_no_letters"))
    if qkey.isdigit():  # digits, but not plain ASCII ones: "9:15", "2.97", "²⁹⁷"
        return _outcome(reason=Reason("reason_code_digits"))
    found = (has_digits and m.header(query)) or m.exact_name(folded, qkey)
    if found:
        return found
    endings = list(finnish.split_endings(qkey))
    if " " in folded or m.holds(qkey, endings):
        found = m.readings(query, folded, qkey, endings)
        if found:
            return found
    if len(qkey) > MAX_GUESS_LENGTH:
        return _outcome(reason=Reason("reason_too_long"))
    guess = m.prefix(qkey) or m.fuzzy(qkey)
    if strict and (guess.match is not None or guess.reason is None):
        # Guesses are not answers in strict mode: offer them as suggestions.
        return _outcome(candidates=_as_candidates(guess), reason=Reason("reason_strict"))
    return guess


def rank(candidates) -> list[Candidate]:
    """Best first: by score (a former municipality or locality a little below a current name
    that fits as well), then by name and code; one entry per municipality."""
    best: dict[tuple, Candidate] = {}
    for c in candidates:
        group = (c.municipality.code if c.municipality else None, c.former.code if c.municipality is None and c.former else None)
        if group not in best or c.score > best[group].score:
            best[group] = c
    return sorted(best.values(), key=lambda c: (-(c.score - _TIER_PENALTY.get(c.kind, 0.0)), candidate_name(c).fi,
                                                c.municipality.code if c.municipality else ""))


def candidate_name(candidate: Candidate):
    """The names a candidate stands for: its municipality's, else the ceded municipality's."""
    return candidate.municipality.name if candidate.municipality is not None else candidate.former.name


_name_sets: dict[tuple[int, str], object] = {}  # by the tables' id and the table's name


def _search(tables, table: str, qkey: str, cutoff: float):
    """(name, score, index) of the table's names that score `cutoff` or more, best first."""
    names = _name_sets.get((id(tables), table))
    if names is None:
        from .similarity import NameSet

        names = _name_sets[(id(tables), table)] = NameSet(list(tables[table]))
    return names.search(qkey, cutoff)


# ------------------------------------------------------------------------------ centres
# A centre's name is reduced to its core - the area, without words like "ELY-keskus" or
# "livskraftscentral" - and a query matches a core as written or as its genitive ("Itä-Suomi"
# is the core of "Itä-Suomen elinvoimakeskus"). Words like "ELY" or "elinvoimakeskus" in the
# query pick the kind. When several centres remain, the one active on the date wins; otherwise
# the answer is ambiguous, as with municipalities.

_ELY_WORDS = {"ely", "elykeskus", "ntm", "ntmcentralen", "elinkeino", "liikenne", "ymparistokeskus", "narings", "trafik", "miljocentralen", "centralen"}
_EVK_WORDS = {"elinvoimakeskus", "livskraftscentral", "livskraftscentralen", "economic", "development"}
_GENERIC = _ELY_WORDS | _EVK_WORDS | {"keskus", "centre", "center", "of", "i", "ja", "och", "and", "the"}


MIN_CENTRE_PREFIX = 3  # "Kaakkois" is the start of one area's name; "ka" is the start of too much


def centre_core(name: str) -> str:
    """The area part of a centre's name, as a key: "Pohjois-Savon ELY-keskus" -> "pohjoissavon"."""
    return "".join(token for token in fold(name).split() if token not in _GENERIC)


def _centre_forms(query_core: str) -> set[str]:
    """What a query's core may look like inside a centre's name: itself, its Finnish genitive
    (Itä-Suomi -> Itä-Suomen) and its Swedish genitive (Österbotten -> Österbottens)."""
    forms = {query_core, query_core + "s"}
    forms.update(stem + "n" for stem in finnish.stems(query_core))
    return forms


def match_centres(name: str, dataset, date: str | None = None) -> tuple[list, str]:
    """The centres `name` can mean, and how: ("exact", "area", "prefix", "fuzzy"), best
    first; when several fit, those active on `date` win - unless the start of a name fits
    several areas ("Pohjois"), which is no reason to prefer one."""
    tokens = set(fold(name).split())
    wanted_kind = "ely" if tokens & _ELY_WORDS else "elinvoimakeskus" if tokens & _EVK_WORDS else None
    query_key, query_core = key(name), centre_core(name)
    centres = [c for c in dataset.centres().values() if wanted_kind in (None, c.kind)]
    how = "exact"
    found = [c for c in centres if query_key in {key(c.id), *(key(n) for n in c.all_names)}]
    if not found and query_core:
        how, forms = "area", _centre_forms(query_core)
        found = [c for c in centres if forms & {centre_core(n) for n in c.all_names}]
    if not found and len(query_core) >= MIN_CENTRE_PREFIX:
        how = "prefix"
        found = [c for c in centres if any(centre_core(n).startswith(query_core) for n in c.all_names)]
        if _lineages(found) > 1:
            return found, how  # "Pohjois": Pohjois-Savo, Pohjois-Karjala, ... - no date makes it one of them
    if not found and query_core:
        how, found = "fuzzy", _fuzzy_centres(query_core, centres)
    if len(found) > 1 and date is not None:
        found = [c for c in found if c.active_on(date)] or found
    return found, how


def _lineages(centres: list) -> int:
    """How many lines of succession the centres belong to (Kaakkois-Suomi's ELY centre and
    elinvoimakeskus are one line; Pohjois-Savo's and Pohjois-Karjala's ELY centres two)."""
    line = {c.id: c.id for c in centres}

    def root(cid: str) -> str:
        while line[cid] != cid:
            cid = line[cid]
        return cid

    for c in centres:
        for _, successor in c.successors:
            if successor in line:
                line[root(successor)] = root(c.id)
    return len({root(cid) for cid in line})


def _fuzzy_centres(query_core: str, centres: list) -> list:
    from .similarity import ratio

    scored = []
    for centre in centres:
        best = max(ratio(query_core, centre_core(n)) for n in centre.all_names)
        if best >= FUZZY_CUTOFF:
            scored.append((best, centre))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    return [c for score, c in scored if score >= top - FUZZY_MARGIN]
