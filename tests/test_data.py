"""The data layer, checked against the raw official sources it is built from."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT, SOURCES

from elyguide.data import load_dataset

DATA = ROOT / "data"


def pad(code: str, width: int) -> str:
    return str(int(float(code))).zfill(width)


def test_308_municipalities_equal_the_2026_classification(dataset, key2026):
    assert len(dataset.municipalities) == 308
    assert set(dataset.municipalities) == {pad(row["kunta"], 3) for row in key2026}
    assert sum(m.aland for m in dataset.municipalities.values()) == 16
    assert sum(not m.aland for m in dataset.municipalities.values()) == 292


def test_names_are_statistics_finlands_including_swedish_exonyms(dataset, key2026):
    for row in key2026:
        municipality = dataset.municipalities[pad(row["kunta"], 3)]
        assert municipality.name.fi == row["municipality_name_fi"].strip()
        assert municipality.name.sv == row["municipality_name_sv"].strip()
    assert dataset.municipalities["020"].name.sv == "Ackas"
    assert dataset.municipalities["081"].name.sv == "Gustav Adolfs"


def test_language_status_counts(dataset):
    statuses = [(m.language.status, m.language.majority) for m in dataset.municipalities.values()]
    assert statuses.count(("unilingual", "fi")) == 259
    assert statuses.count(("bilingual", "fi")) == 18
    assert statuses.count(("bilingual", "sv")) == 15
    assert statuses.count(("unilingual", "sv")) == 16


def test_official_long_labels_are_names_or_aliases(dataset):
    assert dataset.municipalities["599"].name.fi == "Pedersören kunta"
    assert dataset.municipalities["284"].name.fi == "Koski Tl"
    assert "Maarianhamina - Mariehamn" in dataset.municipalities["478"].aliases


def test_former_municipalities(dataset):
    raw = SOURCES / "derived_former_municipalities_to_2026.csv"
    with raw.open(encoding="utf-8") as handle:
        rows = {row["old_code"]: row for row in csv.DictReader(handle)}
    assert len(dataset.former) == 318 == len(rows)
    assert sum(old.ceded for old in dataset.former.values()) == 46
    for code, old in dataset.former.items():
        # The build follows successors itself; it must agree with the researchers' derivation.
        expected = rows[code]["current_code_2026"] or None
        assert (old.successor.code if old.successor else None) == expected, code
        assert old.ceded == (expected is None)
    assert dataset.former["255"].successor.code == "564"  # Kiiminki -> Oulu
    assert dataset.former["502"].successor.code == "297"  # Muuruvesi -> Juankoski -> Kuopio


def test_swedish_names_of_former_municipalities_carry_a_source(dataset):
    pernaja = dataset.former["585"]
    assert pernaja.name.sv == "Pernå" and pernaja.name_sv_source.url.startswith("https://")
    assert dataset.former["701"].name.sv == "Strömfors"
    assert dataset.former["842"].name.sv == "Tenala"
    named = [old for old in dataset.former.values() if old.name.sv]
    assert all(old.name_sv_source is not None for old in named)


def test_postal_codes_and_places(dataset):
    posti = json.loads((SOURCES / "posti_pcf_postcodes_20260526.json").read_text(encoding="utf-8"))
    assert len(dataset.postal_codes) == 3779 == len(posti)
    for row in posti:
        assert dataset.postal_code(row["postcode"]).municipality == row["municipal_code"]
    assert dataset.postal_code("00100").locality.sv == "Helsingfors"
    places = dataset.place_names
    assert places["Karigasniemi"] == ["890"] and places["Äkäslompolo"] == ["273"]
    assert places["Tornio"] == ["241", "851"]
    text = (DATA / "municipalities.yaml").read_text(encoding="utf-8")
    assert "ambiguous_place_names: [Längelmäki, Mariehamn, Tikkala, Tornio]" in text


def test_every_mainland_municipality_has_the_statistics_finland_centre(dataset, key2025, key2026):
    ely = {c.statfi_code: c for c in dataset.centres.values() if c.kind == "ely"}
    evk = {c.statfi_code: c for c in dataset.centres.values() if c.kind == "elinvoimakeskus"}
    for row in key2025:
        municipality = dataset.municipalities[pad(row["kunta"], 3)]
        if municipality.aland:
            continue
        assert dataset.centre_on(municipality.region.code, "2025-12-31") is ely[str(int(float(row["ely_code"])))]
    for row in key2026:
        municipality = dataset.municipalities[pad(row["kunta"], 3)]
        if municipality.aland:
            continue
        assert dataset.centre_on(municipality.region.code, "2026-01-01") is evk[str(int(float(row["evk_code"])))]


def test_hame_split(dataset):
    hame = dataset.centres["ely-hame"]
    assert set(hame.region_codes) == {"05", "07"}
    assert dict(hame.successors) == {"05": "evk-sisa-suomi", "07": "evk-kaakkois-suomi"}
    assert dataset.centre_on("05", "2026-01-01").id == "evk-sisa-suomi"
    assert dataset.centre_on("07", "2026-01-01").id == "evk-kaakkois-suomi"


@pytest.mark.parametrize(
    "name, old_region, new_region",
    [("Heinävesi", "10", "12"), ("Iitti", "08", "07"), ("Isokyrö", "15", "14"), ("Joroinen", "10", "11"), ("Kuhmoinen", "13", "06")],
)
def test_the_five_municipalities_that_changed_region_in_2021(dataset, name, old_region, new_region):
    municipality = next(m for m in dataset.municipalities.values() if m.name.fi == name)
    assert municipality.region.code == new_region
    assert {"date": "2021-01-01", "from": old_region, "to": new_region} in municipality.region_changes


def test_each_mainland_region_has_one_centre_on_every_date(dataset):
    for region in dataset.regions.values():
        for date in ("2021-01-01", "2023-06-15", "2025-12-31", "2026-01-01", "2030-01-01"):
            serving = [c for c in dataset.centres.values() if any(p.region == region.code and p.covers(date) for p in c.regions)]
            assert len(serving) == (0 if region.aland else 1), (region.code, date)


def test_contacts_carry_source_and_verification_date(dataset):
    for centre in dataset.centres.values():
        for fact in (*centre.phones, *centre.emails, *centre.postal_addresses):
            assert fact.source.url.startswith(("http://", "https://"))
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fact.verified)
    assert [p.number for p in dataset.centres["evk-sisa-suomi"].phones] == ["0295 036 100"]
    # No registry e-mail for any elinvoimakeskus: no source states one.
    assert not any(c.emails for c in dataset.centres.values() if c.kind == "elinvoimakeskus")


def test_codes_are_quoted_strings_in_the_yaml():
    text = (DATA / "municipalities.yaml").read_text(encoding="utf-8")
    assert not re.search(r"^\s*-?\s*code: \d", text, re.M)
    assert "code: '045'" in text


def test_committed_yaml_equals_a_fresh_build():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_data.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_build_is_byte_identical_twice():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_data
    finally:
        sys.path.pop(0)
    assert build_data.build() == build_data.build()


def test_yaml_loads_with_the_plain_safe_loader_too():
    # The C loader is used when present; the pure-Python one must read the same thing.
    for name in ("municipalities.yaml", "centres.yaml"):
        text = (DATA / name).read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def test_meta_blocks_record_sources_and_licences(dataset):
    assert "CC BY 4.0" in dataset.municipalities_meta["licences"]["statistics_finland"]
    assert "Posti" in dataset.municipalities_meta["licences"]["posti"]
    assert dataset.municipalities_meta["valid_on"] == "2026-01-01"
    assert dataset.centres_meta["covers_from"] == "2021-01-01"


def test_loading_is_memoised():
    assert load_dataset() is load_dataset()
