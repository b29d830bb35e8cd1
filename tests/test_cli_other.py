"""list, centres, centre, about, output formats, completion and the Python API."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

import elyguide
from elyguide.completion import centre_names, municipality_names


def test_list_every_municipality_sorted_by_name(cli, dataset):
    rows = cli("list", "--json", "--on", "2026-01-01").stdout
    records = json.loads(rows)
    assert len(records) == 308
    names = [r["municipality"]["name"]["fi"] for r in records]
    assert names[0] == "Akaa" and names[-4:] == ["Ylöjärvi", "Ypäjä", "Ähtäri", "Äänekoski"]
    aland = [r for r in records if r["municipality"]["aland"]]
    assert len(aland) == 16 and all(r["centre"] is None for r in aland)


def test_list_filters_combine(cli):
    itasuomi = [r["municipality"]["code"] for r in cli.json("list", "--centre", "itä-suomi", "--on", "2026-01-01")]
    assert len(itasuomi) == 43 and "297" in itasuomi
    kainuu = cli.json("list", "--centre", "itä-suomi", "--region", "Pohjois-Savo", "--on", "2026-01-01")
    assert {r["municipality"]["region"]["code"] for r in kainuu} == {"11"}
    ely_era = cli.json("list", "--region", "Kainuu", "--on", "2025-06-01")
    assert {r["centre"]["id"] for r in ely_era} == {"ely-kainuu"} and len(ely_era) == 8
    assert cli("list", "--region", "Atlantis").exit_code == 2


def test_list_tsv_is_ready_for_cut(cli):
    lines = cli("list", "--format", "tsv", "--on", "2026-01-01").stdout.splitlines()
    header = lines[0].split("\t")
    assert header[:2] == ["municipality_code", "municipality_fi"] and len(lines) == 309
    assert all(len(line.split("\t")) == len(header) for line in lines)
    kuopio = next(line.split("\t") for line in lines if line.startswith("297\t"))
    assert kuopio[header.index("centre_id")] == "evk-ita-suomi"


def test_list_csv_and_jsonl(cli):
    rows = list(csv.DictReader(io.StringIO(cli("list", "--format", "csv", "--region", "21").stdout)))
    assert len(rows) == 16 and all(r["centre_id"] == "" for r in rows)
    lines = cli("list", "--format", "jsonl", "--region", "Kainuu").stdout.splitlines()
    assert len(lines) == 8 and all(json.loads(line)["municipality"]["region"]["code"] == "18" for line in lines)


def test_centres_on_a_date(cli):
    now = cli.json("centres", "--on", "2026-01-01")
    assert len(now) == 10 and sum(c["municipality_count"] for c in now) == 292
    before = cli.json("centres", "--on", "2025-12-31")
    assert len(before) == 15 and {c["kind"] for c in before} == {"ely"}
    text = " ".join(cli("centres", "--lang", "en").stdout.split())
    assert "Inland Finland Economic Development Centre" in text and "Municipalities (34)" in text


@pytest.mark.parametrize(
    "name, centre_id",
    [("itä-suomi", "evk-ita-suomi"), ("Pohjois-Savon ELY", "ely-pohjois-savo"), ("Östra Finland", "evk-ita-suomi"),
     ("Sisä-Suomen elinvoimakeskus", "evk-sisa-suomi"), ("evk-lappi", "evk-lappi"), ("Kainuun ELY-keskus", "ely-kainuu"),
     ("Livskraftscentralen i Österbotten", "evk-pohjanmaa"), ("Häme", "ely-hame"), ("Uusimaa", "evk-uusimaa")],
)
def test_centre_names_match(cli, name, centre_id):
    record = cli.json("centre", *name.split(), "--on", "2026-06-01")
    assert record[0]["id"] == centre_id


def test_centre_card(cli):
    text = " ".join(cli("centre", "Pohjois-Savon", "ELY", "--lang", "en").stdout.split())
    assert "North Savo ELY Centre" in text and "0295 026 500 (switchboard)" in text
    assert "kirjaamo.pohjois-savo@ely-keskus.fi" in text and "North Savo → Eastern Finland Economic Development Centre" in text
    assert "Municipalities (19)" in text
    hame = cli.json("centre", "Hämeen", "ELY")[0]
    assert {s["region"]: s["centre"] for s in hame["successors"]} == {"05": "evk-sisa-suomi", "07": "evk-kaakkois-suomi"}


def test_centre_ambiguous_and_not_found(cli):
    ambiguous = cli("centre", "Pohjanmaa", "--on", "2024-01-01")  # ELY era: the ELY centre answers
    assert ambiguous.exit_code == 0 and "Pohjanmaan ELY-keskus" in ambiguous.stdout
    assert cli("centre", "Atlantis").exit_code == 1
    both = cli("centre", "Savo")
    assert both.exit_code in (1, 3) and len(both.stderr.strip().splitlines()) == 1


def test_about(cli):
    report = cli.json("about", "--on", "2026-06-01")
    assert report["counts"]["municipalities"] == 308 and report["valid_on"] == "2026-01-01"
    assert report["contacts"]["verified_last"] == "2026-11-27"
    sisa = [f for f in report["contacts"]["facts"] if f["centre"] == "evk-sisa-suomi" and f["channel"] == "phone"]
    assert sisa == [{"centre": "evk-sisa-suomi", "channel": "phone", "value": "0295 036 100", "verified": "2026-11-27",
                     "source": sisa[0]["source"], "source_kind": "official"}]
    missing = {m["centre"]: m["channels"] for m in report["contacts"]["missing"]}
    assert missing["evk-sisa-suomi"] == ["email"] and "phone" in missing["evk-uusimaa"]
    assert any("CC BY 4.0" in (s.get("licence") or "") for s in report["sources"])
    text = " ".join(cli("about").stdout.split())
    assert "Sources and licences" in text and "Not verified" in text
    assert cli("about", "--format", "csv").exit_code == 2


def test_completion_values():
    assert "Kuopio" in municipality_names("Kuo") and "Kuortane" in municipality_names("Kuo")
    assert "Helsingfors" in municipality_names("Helsingf")
    assert municipality_names("jyvas") == ["jyvaskylä"]
    assert "Itä-Suomen elinvoimakeskus" in centre_names("Itä")
    assert "itä-Suomen elinvoimakeskus" in centre_names("itä")


def test_completion_through_the_shell_protocol(tmp_path):
    from conftest import run

    env = {"COMP_WORDS": "elyguide find Kuo", "COMP_CWORD": "2", "_ELYGUIDE_COMPLETE": "complete_bash"}
    result = run(env=env)
    assert result.returncode == 0 and result.stdout.decode().split() == ["Kuopio", "Kuortane"]
    env = {"COMP_WORDS": "elyguide find Kuopio --lang ", "COMP_CWORD": "4", "_ELYGUIDE_COMPLETE": "complete_bash"}
    assert run(env=env).stdout.decode().split() == ["fi", "sv", "en"]
    env = {"COMP_WORDS": "elyguide list --format ", "COMP_CWORD": "3", "_ELYGUIDE_COMPLETE": "complete_bash"}
    assert run(env=env).stdout.decode().split() == ["text", "json", "jsonl", "tsv", "csv"]


def test_show_completion_prints_a_script():
    from conftest import run

    result = run("--show-completion", "bash", env={"SHELL": "/bin/bash"})
    assert result.returncode == 0 and b"_ELYGUIDE_COMPLETE=complete_bash" in result.stdout


def test_python_api_returns_frozen_dataclasses():
    import dataclasses

    result = elyguide.find("Kouvolassa", on="2026-01-01")
    assert dataclasses.is_dataclass(result) and result.centre.id == "evk-kaakkois-suomi"
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "x"
    rows = elyguide.municipalities(on="2026-01-01", centre="itä-suomi")
    assert len(rows) == 43 and all(r.centre.id == "evk-ita-suomi" for r in rows)
    assert [c.id for c in elyguide.centres(on="2025-12-31")][:1] == ["ely-uusimaa"]
    assert elyguide.find_centre("Östra Finland").id == "evk-ita-suomi"
    with pytest.raises(elyguide.UsageError):
        elyguide.find("  ")
    with pytest.raises(elyguide.UsageError):
        elyguide.find("Kuopio", on="2020-01-01")
    with pytest.raises(LookupError):
        elyguide.find_centre("Atlantis")


def test_api_and_library_import_neither_typer_nor_rich():
    import subprocess
    import sys

    code = ("import sys, elyguide; elyguide.find('Kuopio'); elyguide.municipalities(); "
            "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "ELYGUIDE_DATA_DIR": ""})
    assert out.stdout.strip() == "[]", out.stderr
