"""Next year's municipalities in one fetch and one build (issue 14).

A copy of the repository's scripts and data inputs fetches a synthetic kunta_1_20270101 from
tests/statfi_server.py on 127.0.0.1 and rebuilds the data; elyguide then answers from the
rebuilt folder. The 2027 division is this repository's 2026 division with one merger (Ylöjärvi
into Tampere) and one rename (Koski Tl to Koski), both invented for the test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from statfi_server import Area, Municipality, StatfiServer

ROOT = Path(__file__).resolve().parents[1]
MERGED, INTO = "980", "837"  # Ylöjärvi -> Tampere
RENAMED, NEW_NAME = "284", "Koski"  # Koski Tl -> Koski


def division_2027(dataset) -> dict:
    """The 2026 division of the real data, as the classification API would serve it for 2027."""
    evk_of_region = {code: dataset.centres()[dataset.centre_id_on(code, "2026-06-01")].statfi_code
                     for code, region in dataset.regions().items() if not region.aland}
    evk_of_region["21"] = evk_of_region["02"]  # Åland: Statistics Finland gives it Lounais-Suomi's code
    regions = [Area(code, r.name.fi, r.name.sv, r.name.en, evk=evk_of_region[code]) for code, r in dataset.regions().items()]
    evks = [Area(c.statfi_code, c.name.fi, c.name.sv, c.name.en) for c in dataset.centres().values()
            if c.kind == "elinvoimakeskus"]
    municipalities, changes = [], []
    for code, m in dataset.municipalities().items():
        changes.append((code, INTO if code == MERGED else code))
        if code != MERGED:
            fi = NEW_NAME if code == RENAMED else m.name.fi
            municipalities.append(Municipality(code, fi, m.name.sv, fi, m.region.code))
    return {"municipalities": municipalities, "regions": regions, "evks": evks, "year": 2027, "changes": changes}


def fetch_and_build(copy: Path, division: dict) -> subprocess.CompletedProcess:
    """In a copy of the repository: the two commands of README, "Updating the data"."""
    shutil.copytree(ROOT / "scripts", copy / "scripts")
    shutil.copytree(ROOT / "data", copy / "data", ignore=shutil.ignore_patterns("compiled.json"))
    with StatfiServer(**division) as server:
        fetched = subprocess.run([sys.executable, str(copy / "scripts" / "fetch_sources.py"), "statfi", "--year", "2027",
                                  "--base-url", server.base_url, "--retry-delay", "0"], capture_output=True, text=True, timeout=60)
    assert fetched.returncode == 0, fetched.stderr
    return subprocess.run([sys.executable, str(copy / "scripts" / "build_data.py")], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def data_2027(dataset, tmp_path_factory) -> Path:
    """The data folder of a repository copy after `fetch_sources.py statfi --year 2027` and `build_data.py`."""
    copy = tmp_path_factory.mktemp("repository")
    built = fetch_and_build(copy, division_2027(dataset))
    assert built.returncode == 0, built.stderr
    return copy / "data"


def test_without_a_change_table_the_build_names_the_merger_it_cannot_place(dataset, tmp_path):
    built = fetch_and_build(tmp_path, {**division_2027(dataset), "changes": None})
    assert built.returncode == 2
    assert f"municipality {MERGED} ({dataset.municipality(MERGED).name.fi}) is not in the new division" in built.stderr
    assert "mergers_after_2019.csv" in built.stderr and "Traceback" not in built.stderr


def find(cli, data: Path, query: str, date: str) -> dict:
    result = cli("find", query, "--on", date, "--json", "--data-dir", str(data))
    assert result.exit_code in (0, 1), result
    return result.json()


def test_the_build_records_both_divisions(data_2027):
    import yaml

    meta = yaml.safe_load((data_2027 / "municipalities.yaml").read_text(encoding="utf-8"))["meta"]
    assert meta["divisions"] == [{"valid_from": "2026-01-01", "valid_until": "2026-12-31"},
                                 {"valid_from": "2027-01-01", "valid_until": "2027-12-31"}]
    assert (meta["valid_on"], meta["valid_until"]) == ("2027-01-01", "2027-12-31")


def test_a_merged_municipality_answers_as_itself_until_the_merger_and_as_former_after(cli, dataset, data_2027):
    before = find(cli, data_2027, "Ylöjärvi", "2026-12-31")
    assert before["status"] == "found" and before["municipality"]["code"] == MERGED and before["former_municipality"] is None
    after = find(cli, data_2027, "Ylöjärvi", "2027-01-01")
    assert after["status"] == "found" and after["municipality"]["code"] == INTO
    assert after["former_municipality"]["code"] == MERGED and after["former_municipality"]["merged"] == "2027-01-01"
    # Both answers name the centre of the region the municipality lies in on that date.
    region = dataset.municipality(MERGED).region.code
    assert before["centre"]["id"] == after["centre"]["id"] == dataset.centre_id_on(region, "2026-12-31")


def test_a_renamed_municipality_has_its_name_of_the_date_and_answers_to_both(cli, dataset, data_2027):
    old_name = dataset.municipality(RENAMED).name.fi
    for query in (old_name, NEW_NAME):
        before, after = find(cli, data_2027, query, "2026-12-31"), find(cli, data_2027, query, "2027-06-01")
        assert before["municipality"]["code"] == after["municipality"]["code"] == RENAMED, query
        assert before["municipality"]["name"]["fi"] == old_name
        assert after["municipality"]["name"]["fi"] == NEW_NAME
    # The old name is read as a name the municipality had, not as a guess or a province qualifier.
    assert find(cli, data_2027, old_name, "2027-06-01")["match"]["kind"] == "alias"


def test_the_list_follows_the_date(cli, data_2027):
    def codes(date):
        result = cli("list", "--on", date, "--json", "--data-dir", str(data_2027))
        assert result.exit_code == 0, result
        return {row["municipality"]["code"] for row in result.json()}

    assert MERGED in codes("2026-12-31") and MERGED not in codes("2027-01-01")
    assert codes("2026-12-31") - codes("2027-01-01") == {MERGED}


def test_beyond_division_moves_with_the_new_division(cli, data_2027):
    def warnings(data_args, date):
        result = cli("find", "Tampere", "--on", date, "--json", *data_args)
        return [w["code"] for w in result.json()["warnings"]]

    assert "beyond_division" in warnings((), "2027-06-01")  # the shipped data ends on 31.12.2026
    assert "beyond_division" not in warnings(("--data-dir", str(data_2027)), "2027-06-01")
    assert "beyond_division" in warnings(("--data-dir", str(data_2027)), "2028-01-01")
