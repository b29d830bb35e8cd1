"""`elyguide find` driven as a user drives it: text in three languages, JSON, batch, exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

JSON_KEYS = {"query", "status", "date", "match", "municipality", "former_municipality", "centre", "ely_centre",
             "successor_centre", "candidates", "outside_service_area", "reason", "service"}


def flat(text: str) -> str:
    """Text with its wrapping undone, for phrases that may break across lines."""
    return " ".join(text.split())


def test_find_kuopio_text_fi(cli):
    result = cli("find", "Kuopio", "--on", "2026-06-01")
    assert result.exit_code == 0
    out = flat(result.stdout)
    assert "Kuopio (297) · Pohjois-Savo" in out
    assert "Vastuussa 1.6.2026: Itä-Suomen elinvoimakeskus" in out
    assert "ELY-keskus 31.12.2025 asti: Pohjois-Savon ELY-keskus" in out
    assert "Ohjaus ja neuvonta maahanmuuttoon ja kotoutumiseen" in out and "maksuton" in out
    # No verified phone for Itä-Suomi: say where to check, never a made-up number.
    assert "ei varmennettua numeroa – tarkista:" in out and "elinvoimakeskus.fi/asiointi-ja-yhteystiedot" in out
    assert "PL 60" in out and "00072 ELINVOIMAKESKUS" in out and "toissijainen lähde" in out


def test_find_in_swedish_and_english(cli):
    sv = flat(cli("find", "Kuopiossa", "--lang", "sv", "--on", "2026-06-01").stdout)
    assert "Livskraftscentralen i Östra Finland" in sv and "Kontaktuppgifter" in sv and "avgiftsfri" in sv
    assert "Kuopiossa → Kuopio" in sv
    en = flat(cli("find", "Tampere", "--lang", "en", "--on", "2026-06-01").stdout)
    assert "Inland Finland Economic Development Centre" in en and "0295 036 100 (switchboard)" in en
    assert "local network charge" in en and "free of charge" in en


def test_language_from_environment(cli):
    assert "Ansvarig" in cli("find", "Vasa", env={"LANG": "sv_FI.UTF-8"}).stdout
    assert "Responsible" in cli("find", "Vasa", env={"ELYGUIDE_LANG": "en", "LANG": "sv_FI.UTF-8"}).stdout
    assert "Vastuussa" in cli("find", "Vasa", env={"LANG": "C"}).stdout
    bad = cli("find", "Vasa", env={"ELYGUIDE_LANG": "de"})
    assert bad.exit_code == 2 and "ELYGUIDE_LANG" in bad.stderr


def test_matched_how_is_reported(cli):
    out = flat(cli("find", "Nilsiä", "--lang", "en").stdout)
    assert "Nilsiä → Kuopio (former municipality, merged 2013-01-01)" in out
    assert "Jyväskyä → Jyväskylä (typo? similarity" in flat(cli("find", "Jyväskyä", "--lang", "en").stdout)


def test_answer_for_a_date(cli):
    ely = cli.json("find", "Hollola", "--on", "2025-12-31")
    evk = cli.json("find", "Hollola", "--on", "2026-01-01")
    assert ely["centre"]["id"] == "ely-hame" and ely["successor_centre"]["id"] == "evk-kaakkois-suomi"
    assert evk["centre"]["id"] == "evk-kaakkois-suomi" and evk["ely_centre"]["id"] == "ely-hame"
    assert cli.json("find", "Hämeenlinna", "--on", "2026-01-01")["centre"]["id"] == "evk-sisa-suomi"
    assert cli.json("find", "Kuopio")["date"] == date.today().isoformat()


@pytest.mark.parametrize("bad", ["2020-12-31", "2026-13-01", "2026-02-30", "tomorrow", "", "20260101"])
def test_bad_dates_are_usage_errors(cli, bad):
    result = cli("find", "Kuopio", "--on", bad)
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("elyguide: error:")


def test_json_schema(cli):
    record = cli.json("find", "Tampere", "--on", "2026-03-01")
    assert set(record) == JSON_KEYS
    assert record["status"] == "found" and record["match"] == {"kind": "name", "text": "Tampere", "score": 100.0, "postal_code": None}
    assert record["municipality"]["code"] == "837"
    assert record["municipality"]["region"] == {"code": "06", "name": {"fi": "Pirkanmaa", "sv": "Birkaland", "en": "Pirkanmaa"}}
    centre = record["centre"]
    assert centre["id"] == "evk-sisa-suomi" and centre["kind"] == "elinvoimakeskus"
    assert set(centre["name"]) == {"fi", "sv", "en"}
    phone = centre["contacts"]["phones"][0]
    assert phone["number"] == "0295 036 100" and phone["verified"] == "2026-11-27" and phone["source"]["kind"] == "official"
    assert centre["contacts"]["emails"] == []
    assert record["ely_centre"]["id"] == "ely-pirkanmaa" and set(record["ely_centre"]["name"]) == {"fi", "sv", "en"}
    assert record["candidates"] == [] and record["outside_service_area"] is None
    assert set(record["service"]["summary"]) == {"fi", "sv", "en"} and record["service"]["free_of_charge"] is True


def test_json_for_every_status_has_every_key(cli):
    for query, status in [("Pyhä", "ambiguous"), ("Xyzzyq", "not_found"), ("Maarianhamina", "outside_service_area"),
                          ("Viipuri", "no_current_municipality"), ("Kuopio", "found")]:
        record = json.loads(cli("find", query, "--json").stdout)
        assert set(record) == JSON_KEYS and record["status"] == status


@pytest.mark.parametrize(
    "query, status, code",
    [("Kuopio", "found", 0), ("Xyzzyq", "not_found", 1), ("Pyhä", "ambiguous", 3),
     ("Maarianhamina", "outside_service_area", 4), ("Viipuri", "no_current_municipality", 4)],
)
def test_exit_codes(cli, query, status, code):
    result = cli("find", query, "--json")
    assert result.exit_code == code and json.loads(result.stdout)["status"] == status


def test_aland_says_who_handles_integration(cli):
    out = flat(cli("find", "Jomala", "--lang", "en").stdout)
    assert "Åland, which this service does not cover" in out and "Government of Åland" in out
    record = cli.json("find", "Mariehamn")
    assert record["centre"] is None and record["outside_service_area"]["handled_by"]["name"]["sv"] == "Ålands landskapsregering"


def test_ceded_place(cli):
    out = flat(cli("find", "Viipuri", "--lang", "en").stdout)
    assert "ceded in 1944" in out and "no current Finnish municipality" in out
    record = cli.json("find", "Viipuri")
    assert record["centre"] is None and record["municipality"] is None and record["former_municipality"]["ceded"] is True


def test_ambiguous_lists_candidates(cli):
    result = cli("find", "Pyhä", "--lang", "en")
    assert result.exit_code == 3
    for name in ("Pyhäjoki", "Pyhäjärvi", "Pyhäntä", "Pyhäranta"):
        assert name in result.stdout
    record = cli.json("find", "Pyhä")
    assert [c["name"]["fi"] for c in record["candidates"]][:1] == ["Pyhäntä"]


def test_usage_errors_are_one_line(cli):
    for args in (["find"], ["find", "  "], ["find", "Kuopio", "--lang", "de"], ["find", "Kuopio", "--bogus"],
                 ["find", "Kuopio", "--format", "xml"], ["find", "Kuopio", "--json", "--format", "csv"], ["find", "-", "Kuopio"]):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)


def test_batch_one_line_per_input_line(cli):
    lines = ["Kuopio", "", "Pyhä", "Xyzzyq", "Kouvolassa", "Maarianhamina", "Viipuri", "Kuopio"]
    result = cli("find", "-", "--json", "--on", "2026-02-01", input="\r\n".join(lines) + "\r\n")
    out = result.stdout.splitlines()
    assert len(out) == len(lines)
    records = [json.loads(line) for line in out]
    assert [r["query"] for r in records] == lines
    assert [r["status"] for r in records] == ["found", "not_found", "ambiguous", "not_found", "found",
                                              "outside_service_area", "no_current_municipality", "found"]
    assert records[1]["reason"] == "empty line"
    assert result.exit_code == 1  # the first query not found decides


def test_batch_text_pastes_beside_the_input(cli):
    result = cli("find", "-", "--lang", "fi", input="Kuopio\nTurku\n\nPyhä\n")
    out = result.stdout.split("\n")
    assert out[:4] == ["Kuopio (297) · Pohjois-Savo · Itä-Suomen elinvoimakeskus",
                       "Turku (853) · Varsinais-Suomi · Lounais-Suomen elinvoimakeskus", "",
                       out[3]]
    assert out[3].startswith("? monitulkintainen: Pyhäntä (630)")


def test_batch_all_found_exits_zero(cli):
    assert cli("find", "-", input="Kuopio\nVaasa\n").exit_code == 0


def test_tsv_and_csv(cli):
    tsv = cli("find", "Vaasa", "--format", "tsv", "--on", "2026-01-01").stdout.splitlines()
    header, row = tsv[0].split("\t"), tsv[1].split("\t")
    assert header[:3] == ["query", "status", "date"] and len(header) == len(row)
    assert dict(zip(header, row))["centre_id"] == "evk-pohjanmaa"
    rows = list(csv.DictReader(io.StringIO(cli("find", "-", "--format", "csv", input="Vaasa\nPyhä\n").stdout)))
    assert [r["status"] for r in rows] == ["found", "ambiguous"]


def test_json_never_wraps(cli):
    out = cli("find", "Kuopio", "--json", env={"COLUMNS": "20"}).stdout
    assert out.count("\n") == 1


def test_version_and_help(cli):
    from elyguide import __version__

    assert cli("--version").stdout.strip() == f"elyguide {__version__}"
    help_text = cli("find", "--help").stdout
    assert "Examples:" in help_text and "elyguide find Kuopio" in help_text and "--on" in help_text


def test_not_found_suggests_near_names_in_every_language(cli):
    for lang, shown in (("fi", "Alavus (010) ← Alavo"), ("en", "Alavus (010) ← Alavo"), ("sv", "Alavo (010)")):
        result = cli("find", "Ala", "--lang", lang)
        assert result.exit_code == 1 and result.stderr == ""
        assert shown in result.stdout  # Alavus, suggested by its Swedish name
    record = cli.json("find", "Ala")
    assert record["status"] == "not_found" and record["candidates"][0]["code"] == "010"
