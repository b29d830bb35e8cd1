"""The data against the raw sources it is built from. Assertions about today's data - counts,
names, centres - live here and are derived from the sources where they can be, so adding a
verified contact or a year's mergers breaks no behaviour test."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest
import yaml
from conftest import CURATED, ROOT, SOURCES

DATA = ROOT / "data"


def pad(code: str, width: int) -> str:
    return str(int(float(code))).zfill(width)


@pytest.fixture(scope="module")
def key2026() -> list[dict]:
    with (SOURCES / "geofi_municipality_key_2026.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def key2025() -> list[dict]:
    with (SOURCES / "geofi_municipality_key_2025.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_municipalities_equal_the_classification(dataset, key2026):
    municipalities = dataset.municipalities()
    assert set(municipalities) == {pad(row["kunta"], 3) for row in key2026}
    for row in key2026:
        municipality = municipalities[pad(row["kunta"], 3)]
        assert municipality.name.fi == row["municipality_name_fi"].strip()
        assert municipality.name.sv == row["municipality_name_sv"].strip()
        assert municipality.region.code == pad(row["maakunta_code"], 2)
        assert municipality.aland == (municipality.region.code == "21")
    counts = dataset.municipalities_meta["counts"]
    assert counts["municipalities"] == len(municipalities)
    assert counts["aland"] == sum(m.aland for m in municipalities.values())


def test_language_status_follows_the_classification(dataset, key2026):
    statuses = {"0": ("unilingual", "fi"), "1": ("bilingual", "fi"), "2": ("unilingual", "sv"), "3": ("bilingual", "sv")}
    for row in key2026:
        language = dataset.municipality(pad(row["kunta"], 3)).language
        assert (language.status, language.majority) == statuses[row["kielisuhde_code"]]


def test_former_municipalities_and_their_successors(dataset, key2026):
    """Every abolished municipality of Statistics Finland's list, and every later merger, leads
    through its successors to the 2026 municipality the data names (or to none: ceded in 1944)."""
    with (SOURCES / "kuntar_lakkautetut_kunnnat_2019_tilastokeskus.csv").open(encoding="utf-8") as handle:
        joined = {row["Lakkautuskunta"]: row["Liitoskunta"] for row in csv.DictReader(handle)}
    with (CURATED / "mergers_after_2019.csv").open(encoding="utf-8") as handle:
        joined.update((row["old_code"], row["joined_to_code"]) for row in csv.DictReader(line for line in handle if not line.startswith("#")))
    current = {pad(row["kunta"], 3) for row in key2026}

    def successor(code: str) -> str | None:
        while code in joined and code not in current:
            code = joined[code]
        return None if code == "NA" else code

    former = dataset.former_municipalities()
    assert set(former) == set(joined)
    for code, old in former.items():
        expected = successor(code)
        assert expected is None or expected in current, code
        assert (old.successor.code if old.successor else None) == expected, code
        assert old.ceded == (expected is None)
        assert old.name.sv is None or old.name_sv_source is not None


def test_postal_codes_and_places(dataset):
    posti = json.loads((SOURCES / "posti_pcf_postcodes_20260526.json").read_text(encoding="utf-8"))
    assert len(dataset.sections["postal_codes"]) == len(posti)
    for row in posti:
        assert dataset.postal_code(row["postcode"]).municipality == row["municipal_code"]
    for codes in dataset.place_names.values():
        assert codes == sorted(set(codes))


def test_every_mainland_municipality_has_statistics_finlands_centre(dataset, key2025, key2026):
    centres = dataset.centres().values()
    ely = {c.statfi_code: c.id for c in centres if c.kind == "ely"}
    evk = {c.statfi_code: c.id for c in centres if c.kind == "elinvoimakeskus"}
    for key, date, table, column in ((key2025, "2025-12-31", ely, "ely_code"), (key2026, "2026-01-01", evk, "evk_code")):
        for row in key:
            municipality = dataset.municipality(pad(row["kunta"], 3))
            if not municipality.aland:
                assert dataset.centre_id_on(municipality.region.code, date) == table[str(int(float(row[column])))]


def test_each_mainland_region_has_one_centre_on_every_date(dataset):
    for region in dataset.regions().values():
        for date in ("2021-01-01", "2023-06-15", "2025-12-31", "2026-01-01", "2030-01-01"):
            serving = [c for c in dataset.centres().values() if any(p.region == region.code and p.covers(date) for p in c.regions)]
            assert len(serving) == (0 if region.aland else 1), (region.code, date)


def test_the_hame_split(dataset):
    hame = dataset.centre("ely-hame")
    assert dict(hame.successors) == {"05": "evk-sisa-suomi", "07": "evk-kaakkois-suomi"}


def test_the_region_moves_of_2021(dataset):
    moved = {m.name.fi: (c.old, c.new) for m in dataset.municipalities().values() for c in m.region_changes if c.date == "2021-01-01"}
    assert moved == {"Heinävesi": ("10", "12"), "Iitti": ("08", "07"), "Isokyrö": ("15", "14"), "Joroinen": ("10", "11"),
                     "Kuhmoinen": ("13", "06")}


def test_contacts_carry_source_and_date_and_come_from_the_curated_input(dataset):
    curated = yaml.safe_load((CURATED / "centres.yaml").read_text(encoding="utf-8"))
    sources = yaml.safe_load((CURATED / "sources.yaml").read_text(encoding="utf-8"))
    for entry in curated["centres"]:
        centre = dataset.centre(entry["id"])
        contacts = entry.get("contacts", {})
        assert [p.number for p in centre.phones] == [p["number"] for p in contacts.get("phones", [])]
        assert [e.address for e in centre.emails] == [e["address"] for e in contacts.get("emails", [])]
        for fact, raw in zip(centre.phones, contacts.get("phones", [])):
            assert fact.source.url == sources[raw["source"]]["url"] and fact.verified == raw["verified"]
            assert fact.e164 == "+358" + re.sub(r"\D", "", fact.number)[1:]


def test_ely_switchboards_of_the_2026_11_30_research(dataset):
    note = (ROOT / "data" / "sources" / "centres" / "contacts-research-2026-11-30.md").read_text(encoding="utf-8")
    table = re.search(r"### C\. Fact 5.*?\n\n", note, re.S).group(0)
    found = re.findall(r"\| (\S[^|]*?) \| \*\*(0295 \d{3} \d{3})\*\*", table)
    assert len(found) >= 5
    from elyguide.normalize import fold

    for area, number in found:
        centre = dataset.centre("ely-" + fold(area).replace(" ", "-"))
        assert number in [p.number for p in centre.phones], (area, number)


def test_codes_are_quoted_strings_in_the_yaml():
    text = (DATA / "municipalities.yaml").read_text(encoding="utf-8")
    assert not re.search(r"^\s*-?\s*code: \d", text, re.M)


def test_committed_yaml_equals_a_fresh_build():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_data.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_meta_records_sources_and_licences(dataset):
    assert "CC BY 4.0" in dataset.municipalities_meta["licences"]["statistics_finland"]
    assert dataset.centres_meta["covers_from"] == "2021-01-01"
