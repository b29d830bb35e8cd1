"""The typo score elyguide computes itself is rapidfuzz's, which it used before: same hits, same
floats, same order, same treatment of a score that lies exactly on a cutoff."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process

from elyguide.match import FUZZY_CUTOFF, FUZZY_CUTOFF_OTHER, FUZZY_MARGIN, SUGGESTION_CUTOFF
from elyguide.similarity import NameSet, ratio

CUTOFFS = (FUZZY_CUTOFF - FUZZY_MARGIN, FUZZY_CUTOFF, SUGGESTION_CUTOFF, FUZZY_CUTOFF_OTHER - FUZZY_MARGIN, FUZZY_CUTOFF_OTHER)


def extract(query: str, names: list[str], cutoff: float) -> list[tuple]:
    return [tuple(hit) for hit in process.extract(query, names, scorer=fuzz.ratio, limit=None, score_cutoff=cutoff)]


def typos(name: str, rng: random.Random) -> set[str]:
    """A deletion, a swap, an insertion and a replacement, at random places."""
    if len(name) < 2:
        return {name}
    i = rng.randrange(len(name) - 1)
    letter = rng.choice("aeiklmnorstuyäö")
    return {name[:i] + name[i + 1:], name[:i] + name[i + 1] + name[i] + name[i + 2:], name[:i] + letter + name[i:],
            name[:i] + letter + name[i + 1:]}


@pytest.mark.parametrize("table", ["fuzzy_current", "fuzzy_other"])
def test_the_search_over_the_real_tables_is_rapidfuzzs(dataset, table):
    names = list(dataset.sections[table])
    packed = NameSet(names)
    rng = random.Random(2026)
    sample = names if table == "fuzzy_current" else rng.sample(names, 150)
    queries = sorted({typo for name in sample for typo in typos(name, rng)} | set(sample[:50]))
    for query in queries:
        for cutoff in CUTOFFS:
            assert packed.search(query, cutoff) == extract(query, names, cutoff), (query, cutoff)


def test_scores_on_a_cutoff_long_names_and_repeats_are_rapidfuzzs():
    """Few letters make many ties and many scores exactly on a cutoff; names of 64 letters or
    more take no lane and are compared one by one."""
    rng = random.Random(7)
    for _ in range(400):
        names = ["".join(rng.choice("abc") for _ in range(rng.randrange(1, 14))) for _ in range(30)]
        names += ["x" * rng.randrange(58, 70), "x" * rng.randrange(58, 70)] + names[:3]
        packed = NameSet(names)
        query = "".join(rng.choice("abcx") for _ in range(rng.randrange(1, 16)))
        for cutoff in (0.0, 40.0, 50.0, 60.0, 66.0, *CUTOFFS, 75.0, 100.0):
            assert packed.search(query, cutoff) == extract(query, names, cutoff), (query, cutoff, names)


def test_one_pair_scores_as_rapidfuzzs_ratio():
    rng = random.Random(3)
    for _ in range(2000):
        a, b = ("".join(rng.choice("abcdä") for _ in range(rng.randrange(0, 12))) for _ in range(2))
        assert ratio(a, b) == fuzz.ratio(a, b), (a, b)
