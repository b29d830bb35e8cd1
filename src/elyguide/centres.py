"""Find a centre by name, however it is written: "itä-suomi", "Pohjois-Savon ELY",
"Östra Finland", "Sisä-Suomen elinvoimakeskus", "evk-lappi".

A centre's name is reduced to its core - the area, without words like "ELY-keskus" or
"livskraftscentral" - and a query matches a core as written or as its genitive ("Itä-Suomi"
is the core of "Itä-Suomen elinvoimakeskus"). Words like "ELY" or "elinvoimakeskus" in the
query pick the kind. When several centres remain, the one active on the date wins; otherwise
the answer is ambiguous, as with municipalities.

>>> from elyguide.data import load_dataset
>>> match_centre("itä-suomi", load_dataset()).id
'evk-ita-suomi'
"""

from __future__ import annotations

from . import finnish
from .errors import AmbiguousError, NotFoundError
from .model import Centre
from .normalize import fold, key

_ELY_WORDS = {"ely", "elykeskus", "ntm", "ntmcentralen", "elinkeino", "liikenne", "ymparistokeskus", "narings", "trafik", "miljocentralen", "centralen"}
_EVK_WORDS = {"elinvoimakeskus", "livskraftscentral", "livskraftscentralen", "economic", "development"}
_GENERIC = _ELY_WORDS | _EVK_WORDS | {"keskus", "centre", "center", "of", "i", "ja", "och", "and", "the"}
_FUZZY_CUTOFF = 80.0


def core(name: str) -> str:
    """The area part of a centre's name, as a key: "Pohjois-Savon ELY-keskus" -> "pohjoissavon"."""
    return "".join(token for token in fold(name).split() if token not in _GENERIC)


def _names(centre: Centre) -> list[str]:
    names = [n for n in centre.name.as_dict().values() if n]
    names += [name for _, name in centre.other_names]
    if centre.official_name:
        names += [n for n in centre.official_name.as_dict().values() if n]
    return names


def _forms(query_core: str) -> set[str]:
    """What a query's core may look like inside a centre's name: itself, its Finnish genitive
    (Itä-Suomi -> Itä-Suomen) and its Swedish genitive (Österbotten -> Österbottens)."""
    forms = {query_core, query_core + "s"}
    forms.update(stem + "n" for stem in finnish.stems(query_core))
    return forms


def match_centre(name: str, dataset, date: str | None = None) -> Centre:
    """The one centre `name` means; raises NotFoundError or AmbiguousError."""
    tokens = set(fold(name).split())
    wanted_kind = "ely" if tokens & _ELY_WORDS else "elinvoimakeskus" if tokens & _EVK_WORDS else None
    query_key, query_core = key(name), core(name)
    if not query_key:
        raise NotFoundError("empty centre name")
    centres = [c for c in dataset.centres.values() if wanted_kind in (None, c.kind)]
    found = [c for c in centres if query_key in {c.id, *(key(n) for n in _names(c))}]
    if not found and query_core:
        forms = _forms(query_core)
        found = [c for c in centres if forms & {core(n) for n in _names(c)}]
    if not found and query_core:
        found = _fuzzy(query_core, centres)
    if len(found) > 1 and date is not None:
        active = [c for c in found if c.active_on(date)]
        found = active or found
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"no centre matches {name!r}; `elyguide centres` lists them")
    raise AmbiguousError(f"{name!r} could mean several centres: " + ", ".join(f"{c.name.fi} ({c.id})" for c in found),
                         tuple(found))


def _fuzzy(query_core: str, centres: list[Centre]) -> list[Centre]:
    from rapidfuzz import fuzz

    scored = []
    for centre in centres:
        best = max(fuzz.ratio(query_core, core(n)) for n in _names(centre))
        if best >= _FUZZY_CUTOFF:
            scored.append((best, centre))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    return [c for score, c in scored if score >= top - 4.0]
