"""Matching: every way of writing a municipality the issue names, against the real data."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elyguide.data import load_index
from elyguide.finnish import split_endings, stems
from elyguide.match import match, option_name
from elyguide.normalize import fold, key


@pytest.fixture(scope="module")
def index():
    return load_index()


def found(index, query):
    outcome = match(query, index)
    assert outcome.status == "found", (query, outcome)
    return outcome.hit


@pytest.mark.parametrize(
    "query, code, kind",
    [
        ("179", "179", "code"), ("049", "049", "code"), ("49", "049", "code"),
        ("40100", "179", "postal_code"), ("00100 Helsinki", "091", "postal_code"), ("70101", "297", "postal_code"),
        ("Kuopio", "297", "name"), ("kuopio", "297", "name"), ("  KUOPIO ", "297", "name"),
        ("Vasa", "905", "name"), ("Jamsa", "182", "name"), ("Vora", "946", "name"), ("Abo", "853", "name"),
        ("Mänttä–Vilppula", "508", "name"), ("mantta vilppula", "508", "name"), ("Uusi kaupunki", "895", "name"),
        ("S:t Mårtens", "480", "name"), ("St Mårtens", "480", "name"), ("Pedersöre", "599", "name"),
        ("Maarianhamina - Mariehamn", "478", "alias"),
        ("Porin kaupunki", "609", "long_form"), ("Jakobstads stad", "598", "long_form"), ("Inkoon kunta", "149", "long_form"),
        ("Kuopion kaupunki", "297", "long_form"), ("Vasa stad", "905", "long_form"), ("Helsingin kaupunki", "091", "long_form"),
        ("City of Espoo", "049", "long_form"), ("Kauniaisten kaupunki", "235", "long_form"),
        ("Kouvolassa", "286", "inflected"), ("Hangossa", "078", "inflected"), ("Lappeenrannassa", "405", "inflected"),
        ("Pietarsaaressa", "598", "inflected"), ("Mikkeliin", "491", "inflected"), ("Kuopiossa", "297", "inflected"),
        ("Turussa", "853", "inflected"), ("Helsingissä", "091", "inflected"), ("Lahdessa", "398", "inflected"),
        ("Tampereella", "837", "inflected"), ("Seinäjoella", "743", "inflected"), ("Rovaniemelle", "698", "inflected"),
        ("Kauniaisissa", "235", "inflected"), ("Kaustisella", "236", "inflected"), ("Varkaudessa", "915", "inflected"),
        ("Orivedellä", "562", "inflected"), ("Vihdissä", "927", "inflected"), ("Lopella", "433", "inflected"),
        ("Espooseen", "049", "inflected"), ("Iihin", "139", "inflected"), ("Järvenpäähän", "186", "inflected"),
        ("Uudessakaupungissa", "895", "inflected"), ("Isossakyrössä", "152", "inflected"), ("Virroilla", "936", "inflected"),
        ("Punkalaitumella", "619", "inflected"), ("Pihtiputaalla", "601", "inflected"), ("Koskella", "284", "inflected"),
        ("Kiiminki", "564", "former"), ("Kiimingissä", "564", "former"), ("Pernå", "434", "former"),
        ("Nilsiä", "297", "former"), ("Strömfors", "434", "former"), ("Tenala", "710", "former"),
        ("Karigasniemi", "890", "postal_locality"), ("Äkäslompolo", "273", "postal_locality"),
        ("Jyväskyä", "179", "fuzzy"), ("Tamperre", "837", "fuzzy"),
    ],
)
def test_finds(index, query, code, kind):
    hit = found(index, query)
    assert (hit.municipality, hit.kind) == (code, kind)


def test_typo_prefix_porvo(index):
    hit = found(index, "Porvo")
    assert hit.municipality == "638" and hit.kind in ("prefix", "fuzzy")


def test_current_names_win_over_former_and_places(index):
    assert found(index, "Pirkkala").municipality == "604"  # old Pirkkala (994) became Nokia
    assert found(index, "Tornio").municipality == "851"  # a postal locality of Keminmaa too
    assert found(index, "Mariehamn").municipality == "478"  # a postal locality of Jomala too
    assert found(index, "Parainen").municipality == "445"


def test_near_tie_is_ambiguous_with_ranked_options(index):
    outcome = match("Pyhä", index)
    assert outcome.status == "ambiguous"
    assert {option_name(o, index) for o in outcome.options} == {"Pyhäjoki", "Pyhäjärvi", "Pyhäntä", "Pyhäranta"}
    scores = [o.score for o in outcome.options]
    assert scores == sorted(scores, reverse=True)


def test_postal_locality_in_two_municipalities_is_ambiguous(index):
    outcome = match("Tikkala", index)
    assert outcome.status == "ambiguous" and {o.code for o in outcome.options} == {"179", "848"}


def test_former_name_that_is_also_a_village_elsewhere_is_ambiguous(index):
    outcome = match("Längelmäki", index)  # merged into Jämsä; the village is partly in Orivesi
    assert outcome.status == "ambiguous" and {o.code for o in outcome.options} == {"182", "562"}


def test_ceded_municipality_has_no_current_municipality(index, dataset):
    hit = found(index, "Viipuri")
    assert hit.municipality is None and dataset.former[hit.former].ceded
    assert dataset.former[hit.former].merged.startswith("1944")
    assert found(index, "Viborg").former == "929"


def test_not_found_and_special_postal_codes(index):
    assert match("Xyzzyq", index).status == "not_found"
    assert match("999", index).status == "not_found"
    special = match("33006", index)  # reply mail: Posti assigns it to Helsinki, but it is no place
    assert special.status == "not_found" and "not a place" in special.reason
    assert match("00100 Turku", index).status == "not_found"


def test_a_region_is_not_a_municipality(index):
    outcome = match("Etelä-Savo", index)
    assert outcome.status == "not_found" and "is a region" in outcome.reason and "--region 10" in outcome.reason
    assert match("Lappi", index).status == "found"  # also a former municipality (now Rauma): that wins


def test_ranking_is_deterministic(index):
    first = match("Pyhä", index)
    for _ in range(3):
        assert match("Pyhä", index) == first


def test_compiled_index_equals_a_fresh_build(dataset):
    """The index a lookup uses (precompiled in a wheel) is the one built from the data."""
    from elyguide.data import build_index

    index = load_index()
    assert (index.load_all() if hasattr(index, "load_all") else index) == build_index(dataset)


def test_typos_are_rarely_answered_wrong(index, dataset):
    """One deletion, swap or doubling in each current name: right nearly always, never wrong silently
    more than a handful of times (the handful are typos that spell another real name)."""
    outcomes = {"right": 0, "wrong": 0, "other": 0}
    for municipality in dataset.municipalities.values():
        name = municipality.name.fi
        variants = {name[:i] + name[i + 1:] for i in range(1, len(name))}
        variants |= {name[:i] + name[i + 1] + name[i] + name[i + 2:] for i in range(1, len(name) - 1)}
        for variant in variants - {name}:
            outcome = match(variant, index)
            if outcome.hit is None:
                outcomes["other"] += 1
            elif outcome.hit.municipality == municipality.code:
                outcomes["right"] += 1
            else:
                outcomes["wrong"] += 1
    total = sum(outcomes.values())
    assert outcomes["right"] / total > 0.95, outcomes
    assert outcomes["wrong"] / total < 0.01, outcomes


def test_folding():
    assert fold("Ha\u0308meenlinna") == fold("Hämeenlinna") == "hameenlinna"
    assert fold("Hel\u200bsinki") == "helsinki"
    assert fold("\u202eKuopio\u202c") == "kuopio"
    assert key("Mänttä - Vilppula") == key("Mänttä-Vilppula") == key("MÄNTTÄVILPPULA")


def test_stems_and_endings():
    assert {"lahti", "lahde", "lahte"} <= stems("lahti")
    assert "helsingi" in stems("helsinki")
    assert ("kuopio", "on") in set(split_endings("kuopioon"))
    assert ("espoo", "seen") in set(split_endings("espooseen"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_unicode_string_gives_an_outcome(index, text):
    outcome = match(text, index)
    assert outcome.status in ("found", "ambiguous", "not_found")
    assert match(text, index) == outcome


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_exact_name_always_finds_its_municipality(index, dataset, data):
    municipality = data.draw(st.sampled_from(sorted(dataset.municipalities.values(), key=lambda m: m.code)))
    name = data.draw(st.sampled_from([n for n in (municipality.name.fi, municipality.name.sv) if n]))
    spelled = data.draw(st.sampled_from([name, name.upper(), name.lower(), f"  {name} ", name.replace("-", " ")]))
    assert found(index, spelled).municipality == municipality.code
