"""Recognise Finnish inflected forms of place names: "Kuopiossa", "Lahdesta", "Hangon".

Two halves meet in a dictionary lookup. `stems()` lists, for a name, the stems its case forms
are built on (consonant gradation, i/e stems and -nen names included); `split_endings()` cuts
the possible case endings off a query. A query is an inflected form of a name when one of its
cut-off stems is one of the name's stems. Both work on folded keys (see normalize.py), so
vowel harmony does not matter: "ssä" folds to "ssa".

The rules over-generate on purpose (they also produce stems no Finn would use); that is harmless
because a stem only ever matches a query that ends in a case ending after it. Forms no short
rule covers live in data (municipalities.yaml, `inflected`).

>>> sorted(stems("lahti"))
['lahde', 'lahdi', 'lahte', 'lahti']
>>> ("lahde", "ssa") in set(split_endings("lahdessa"))
True
>>> "helsingi" in stems("helsinki")
True
"""

from __future__ import annotations

from collections.abc import Iterator

VOWELS = frozenset("aeiouy")

# Strong grade -> weak grade of the consonant(s) before a name's final vowel, longest first.
_GRADATION = (
    ("kk", "k"), ("pp", "p"), ("tt", "t"),
    ("nk", "ng"), ("mp", "mm"), ("nt", "nn"), ("lt", "ll"), ("rt", "rr"), ("ht", "hd"),
    ("lk", "l"), ("rk", "r"), ("hk", "h"),
    ("k", ""), ("p", "v"), ("t", "d"),
)

# Case endings as they look after folding, longest first so "ssa" is tried before "a",
# grouped by their last letter so a query is only tested against endings it could have.
ENDINGS = ("ksi", "ssa", "sta", "lla", "lta", "lle", "tta", "ten", "na", "ta", "n", "a")
_ENDINGS_BY_LAST = {last: tuple(e for e in ENDINGS if e[-1] == last) for last in {e[-1] for e in ENDINGS}}
# Words that qualify a name rather than inflect ("Koski Tl": Turun ja Porin lääni).
_QUALIFIERS = frozenset({"tl", "hl", "vl", "vi", "ul", "ol", "ml", "kl", "vpl"})
_MIN_STEM = 2


def weaken(word: str) -> str:
    """The weak grade of a word ending in consonant(s) + one vowel; else the word itself."""
    if len(word) < 3 or word[-1] not in VOWELS or word[-2] in VOWELS:
        return word
    body, vowel = word[:-1], word[-1]
    for strong, weak in _GRADATION:
        if not body.endswith(strong) or len(body) <= len(strong):
            continue
        # A lone k/p/t only weakens between vowels (Juuka: Juuassa, but Kotka: Kotkassa).
        if len(strong) == 1 and body[-2] not in VOWELS:
            return word
        return body[: -len(strong)] + weak + vowel
    return word


def _word_stems(word: str) -> set[str]:
    out = {word}
    last = word[-1]
    if last in VOWELS:
        out.add(weaken(word))
        if last == "e" and not word.endswith("ee"):  # Tampere: Tampereella
            out.update({word + "e", weaken(word) + "e"})
        if last == "i":  # old i-words: Lahti: Lahdessa, Kemijärvi: Kemijärvellä
            e_stem = word[:-1] + "e"
            out.update({e_stem, weaken(e_stem)})
            if len(word) > 2 and word.endswith("si") and word[-3] in VOWELS:  # -vesi: Orivedellä, Oriveteen
                out.update({word[:-2] + "te", word[:-2] + "de"})
    elif word.endswith("nen"):  # Kaustisella, Kauniaisissa, Huittisten
        out.update({word[:-3] + "se", word[:-3] + "si", word[:-3] + "s"})
    elif word.endswith(("us", "ys")):  # Kannuksessa, Varkaudessa
        out.update({word[:-1] + "kse", word[:-1] + "de", word[:-1] + "te", word + "i"})
    elif last == "s" and word[-2] in VOWELS:  # Muhoksella, Nurmeksessa, Korsnäsissä
        out.update({word[:-1] + "kse", word + "i"})
    else:  # other consonant endings, mostly Swedish names used in Finnish: Saltvikissa
        out.add(word + "i")
    return {s for s in out if len(s) >= _MIN_STEM}


def stems(folded_name: str) -> set[str]:
    """Stems (space-free keys) of a folded name; only the last word inflects."""
    words = folded_name.split()
    while len(words) > 1 and words[-1] in _QUALIFIERS:
        words.pop()
    if not words or words[-1] in {"mlk", "lk"}:
        return set()
    prefix = "".join(words[:-1])
    return {prefix + stem for stem in _word_stems(words[-1])}


# Names that begin with an adjective inflect it too: Uusimaa -> Uudellamaalla, Isokyrö ->
# Isonkyrön. (folded adjective, the stems its case forms are built on)
_ADJECTIVES = (("uusi", ("uude", "uute")), ("iso", ("iso",)), ("vaha", ("vaha",)))
_ADJECTIVE_ENDINGS = ("ksi", "ssa", "sta", "lla", "lta", "lle", "en", "on", "an", "na", "n")
_ADJECTIVE_STEMS = tuple(stem for _, stems in _ADJECTIVES for stem in stems)


def split_endings(query_key: str) -> Iterator[tuple[str, str]]:
    """Every (stem, ending) the query could be made of, as space-free keys; for a name that
    begins with an inflected adjective, also those of the name with the adjective as in its
    base form ("uudenmaan" -> "uusimaan" -> ("uusimaa", "n"))."""
    yield from _split(query_key)
    if not query_key.startswith(_ADJECTIVE_STEMS):  # nearly every query: one check
        return
    for adjective, adjective_stems in _ADJECTIVES:
        for adjective_stem in adjective_stems:
            if query_key.startswith(adjective_stem):
                tail = query_key[len(adjective_stem):]
                for ending in _ADJECTIVE_ENDINGS:
                    if tail.startswith(ending) and len(tail) - len(ending) >= _MIN_STEM:
                        yield from _split(adjective + tail[len(ending):])


def _split(query_key: str) -> Iterator[tuple[str, str]]:
    if not query_key:
        return
    for ending in _ENDINGS_BY_LAST.get(query_key[-1], ()):
        if query_key.endswith(ending) and len(query_key) - len(ending) >= _MIN_STEM:
            yield query_key[: -len(ending)], ending
    if query_key[-1] != "n":
        return
    # Illative: the stem's last vowel doubled + n (Kuopioon, Lahteen, Kaskisiin) ...
    if len(query_key) >= 4 and query_key[-2] == query_key[-3] and query_key[-2] in VOWELS:
        yield query_key[:-2], query_key[-2:]
    # ... or -seen / -hVn after a long vowel (Espooseen, Iihin, Järvenpäähän).
    ending = "seen" if query_key.endswith("seen") else query_key[-3:] if (
        len(query_key) >= 3 and query_key[-3] == "h" and query_key[-2] in VOWELS) else ""
    if ending and len(query_key) - len(ending) >= _MIN_STEM:
        yield query_key[: -len(ending)], ending
