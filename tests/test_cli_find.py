"""`elyguide find` driven through its real entry point: text in three languages, JSON, tables,
batch, exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

JSON_KEYS = {"query", "status", "date", "match", "municipality", "former_municipality", "centre", "ely_centre",
             "successor_centre", "candidates", "outside_service_area", "reason", "region", "province", "warnings", "service"}


def flat(text: str) -> str:
    """Text with its wrapping undone, for phrases that may break across lines."""
    return " ".join(text.split())


def test_find_kuopio_text_fi(cli, dataset):
    result = cli("find", "Kuopio", "--on", "2026-06-01")
    assert result.exit_code == 0 and result.stderr == ""
    out = flat(result.stdout)
    centre = dataset.centre("evk-ita-suomi")
    assert "Kuopio (297) · Pohjois-Savo" in out
    assert f"Vastuussa 1.6.2026: {centre.name.fi}" in out
    assert "ELY-keskus 31.12.2025 asti: Pohjois-Savon ELY-keskus" in out
    assert dataset.service.name.fi in out and "maksuton" in out
    for phone in centre.phones:
        assert phone.number in out
    if not centre.phones:  # say where to check, never a made-up number
        assert "ei varmennettua numeroa – tarkista:" in out and dataset.check_at("fi") in out
    for address in centre.postal_addresses:
        assert address.lines[0] in out


def test_find_in_swedish_and_english(cli, dataset):
    sv = flat(cli("find", "Kuopiossa", "--lang", "sv", "--on", "2026-06-01").stdout)
    assert dataset.centre("evk-ita-suomi").name.sv in sv and "Kontaktuppgifter" in sv and "avgiftsfri" in sv
    assert "Kuopiossa → Kuopio" in sv
    en = flat(cli("find", "Tampere", "--lang", "en", "--on", "2026-06-01").stdout)
    assert dataset.centre("evk-sisa-suomi").name.en in en and "local network charge" in en and "free of charge" in en
    switchboards = [p for p in dataset.centre("evk-sisa-suomi").phones if p.kind == "switchboard"]
    assert all(f"{p.number} (switchboard" in en for p in switchboards)


def test_language_from_environment(cli):
    assert "Ansvarig" in cli("find", "Vasa", env={"LANG": "sv_FI.UTF-8"}).stdout
    assert "Ansvarig" in cli("find", "Vasa", env={"LC_ALL": "sv_FI.UTF-8", "LANG": "fi_FI.UTF-8"}).stdout
    assert "Responsible" in cli("find", "Vasa", env={"ELYGUIDE_LANG": "en", "LANG": "sv_FI.UTF-8"}).stdout
    assert "Vastuussa" in cli("find", "Vasa", env={"LANG": "C"}).stdout
    bad = cli("find", "Vasa", env={"ELYGUIDE_LANG": "de"})
    assert bad.exit_code == 2 and "ELYGUIDE_LANG" in bad.stderr


def test_matched_how_is_reported(cli):
    out = flat(cli("find", "Nilsiä", "--lang", "en").stdout)
    assert "Nilsiä → Kuopio (former municipality, merged 2013-01-01)" in out
    typo = flat(cli("find", "Jyväskyä", "--lang", "fi").stdout)
    assert "? Tunnistettu: Jyväskyä → Jyväskylä (kirjoitusvirhe? samankaltaisuus 94,1 %)" in typo


def test_answer_for_a_date(cli):
    ely = cli.json("find", "Hollola", "--on", "2025-12-31")
    evk = cli.json("find", "Hollola", "--on", "1.1.2026")
    assert ely["centre"]["id"] == "ely-hame" and ely["successor_centre"]["id"] == "evk-kaakkois-suomi"
    assert evk["centre"]["id"] == "evk-kaakkois-suomi" and evk["ely_centre"]["id"] == "ely-hame"
    assert cli.json("find", "Hämeenlinna", "--on", "01.01.2026")["centre"]["id"] == "evk-sisa-suomi"
    assert cli.json("find", "Kuopio")["date"] == date.today().isoformat()


@pytest.mark.parametrize("bad", ["2020-12-31", "2026-13-01", "2026-02-30", "tomorrow", "", "20260101", "31.2.2026", "1.1.26"])
def test_bad_dates_are_usage_errors_showing_both_forms(cli, bad):
    result = cli("find", "Kuopio", "--on", bad, "--lang", "en")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("elyguide: error:")
    if bad != "2020-12-31":
        assert "YYYY-MM-DD" in result.stderr and "D.M.YYYY" in result.stderr


def test_json_schema(cli, dataset):
    record = cli.json("find", "Tampere", "--on", "2026-03-01")
    assert set(record) == JSON_KEYS
    assert record["status"] == "found" and record["match"] == {"kind": "name", "text": "Tampere", "score": 100.0, "postal_code": None}
    assert record["municipality"]["code"] == "837"
    assert record["municipality"]["region"] == {"code": "06", "name": {"fi": "Pirkanmaa", "sv": "Birkaland", "en": "Pirkanmaa"}}
    centre = record["centre"]
    assert centre["id"] == "evk-sisa-suomi" and centre["kind"] == "elinvoimakeskus"
    phones = centre["contacts"]["phones"]
    assert [p["number"] for p in phones] == [p.number for p in dataset.centre("evk-sisa-suomi").phones]
    for phone in phones:
        assert phone["e164"].startswith("+358") and phone["source"]["kind"] in ("official", "secondary") and phone["verified"]
    assert record["ely_centre"]["id"] == "ely-pirkanmaa" and set(record["ely_centre"]["name"]) == {"fi", "sv", "en"}
    assert record["candidates"] == [] and record["outside_service_area"] is None and record["warnings"] == []
    assert set(record["service"]["summary"]) == {"fi", "sv", "en"} and record["service"]["free_of_charge"] is True


@pytest.mark.parametrize(
    "query, status, code",
    [("Kuopio", "found", 0), ("Xyzzyq", "not_found", 1), ("Pyhä", "ambiguous", 3),
     ("Maarianhamina", "outside_service_area", 4), ("Viipuri", "no_current_municipality", 4), ("Kainuu", "not_found", 1)],
)
def test_every_status_has_every_key_and_its_exit_code(cli, query, status, code):
    result = cli("find", query, "--json")
    assert result.exit_code == code
    record = result.json()
    assert set(record) == JSON_KEYS and record["status"] == status


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
    scores = [c["score"] for c in record["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_usage_errors_are_one_line(cli):
    for args in (["find"], ["find", "  "], ["find", "Kuopio", "--lang", "de"], ["find", "Kuopio", "--bogus"],
                 ["find", "Kuopio", "--format", "xml"], ["find", "Kuopio", "--json", "--format", "csv"], ["find", "-", "Kuopio"],
                 ["find", "Kuopio", "--on"], ["find", "Kuopio", "--json=yes"], ["find", "Kuopio", "--data-dir", ""]):
        result = cli(*args)
        assert result.exit_code == 2, (args, result)
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, (args, result)


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


def test_batch_text_pastes_beside_the_input(cli, dataset):
    result = cli("find", "-", "--lang", "fi", "--on", "2026-06-01", input="Kuopio\nTurku\n\nPyhä\nJyväskyä\n")
    out = result.stdout.split("\n")
    assert out[0] == f"Kuopio (297) · Pohjois-Savo · {dataset.centre('evk-ita-suomi').name.fi}"
    assert out[1] == f"Turku (853) · Varsinais-Suomi · {dataset.centre('evk-lounais-suomi').name.fi}"
    assert out[2] == "" and out[3].startswith("? monitulkintainen: Pyhäntä (630)")
    assert out[4].startswith("? Jyväskylä (179)") and "94,1\u00a0%" in out[4]  # a guess is marked, with its score


def test_batch_all_found_exits_zero(cli):
    assert cli("find", "-", input="Kuopio\nVaasa\n").exit_code == 0


@pytest.mark.parametrize("lines, code", [
    (["Kuopio", "Vaasa", "Kuopio", "Xyzzyq", "Jyväskyä", "", "Vaasa", "Pyhä"] * 3, 1),
    (["Kuopio", "Vaasa", "Kuopio", "Turku", "Pyhä", "Xyzzyq", "Pyhä"], 3),
])
def test_a_batch_line_gets_what_the_query_gets_alone_wherever_the_slices_fall(cli, monkeypatch, lines, code):
    """A batch answers a slice of lines at a time, each distinct query once. Where the slices
    fall, and how much the batch remembers, change nothing: each line gets what its query gets
    alone, and the first line not found decides the status even in a later slice."""
    from elyguide import commands

    text = "\n".join(lines) + "\n"
    whole = cli("find", "-", "--json", input=text)
    monkeypatch.setattr(commands, "BATCH_SLICE", 3)
    monkeypatch.setattr(commands, "BATCH_MEMORY", 4)
    sliced = cli("find", "-", "--json", input=text)
    assert sliced.stdout == whole.stdout and sliced.exit_code == whole.exit_code == code
    alone = {query: cli("find", query, "--json").stdout for query in set(lines) if query}
    out = whole.stdout.splitlines(keepends=True)
    assert len(out) == len(lines) and all(line == alone[query] for query, line in zip(lines, out) if query)


def test_tsv_csv_and_excel(cli):
    tsv = cli("find", "Vaasa", "--format", "tsv", "--on", "2026-01-01").stdout.splitlines()
    header, row = tsv[0].split("\t"), tsv[1].split("\t")
    assert header[:3] == ["query", "status", "date"] and len(header) == len(row)
    fields = dict(zip(header, row))
    assert fields["centre_id"] == "evk-pohjanmaa" and fields["match_kind"] == "name" and fields["match_score"] == "100"
    assert fields["contacts_secondary"] in ("true", "false") and fields["centre_ceased"] == "false"
    result = cli("find", "-", "--format", "csv", input="Vaasa\nPyhä\nJyväskyä\n")
    assert result.stdout_bytes.count(b"\r\n") == 4  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["status"] for r in rows] == ["found", "ambiguous", "found"]
    assert rows[2]["match_kind"] == "fuzzy" and float(rows[2]["match_score"]) < 100
    excel = cli("find", "Vaasa", "--excel").stdout_bytes
    assert excel.startswith("\ufeff".encode()) and b"\r\n" in excel
    assert excel.decode("utf-8-sig").splitlines()[0].split(";")[:3] == ["query", "status", "date"]


def test_no_cell_is_a_formula(cli):
    """Read back as a spreadsheet or a csv reader would (quotes and all), no cell starts a formula."""
    import csv
    import io

    queries = ["=HYPERLINK(\"x\")", "+358", "-1", "@SUM(1)", '"=1"', "'=1", ' "+1"', '""=1']
    for fmt, delimiter in (("csv", ","), ("tsv", "\t"), ("excel", ";")):
        out = cli("find", "-", "--format", fmt, input="\n".join(queries) + "\n").stdout
        rows = list(csv.reader(io.StringIO(out.replace("\ufeff", "")), delimiter=delimiter))[1:]
        assert len(rows) == len(queries), fmt
        for row in rows:
            assert not any(value.lstrip(" \"").startswith(("=", "+", "-", "@")) for value in row), (fmt, row)


def test_json_never_wraps(cli):
    out = cli("find", "Kuopio", "--json", width=20).stdout
    assert out.count("\n") == 1


def test_version_and_help(cli):
    from elyguide import __version__

    assert cli("--version").stdout.strip() == f"elyguide {__version__}"
    help_text = cli("find", "--help", "--lang", "en").stdout
    assert "Examples:" in help_text and "elyguide find Kuopio" in help_text and "--on" in help_text


def test_not_found_suggests_near_names_in_every_language(cli):
    for lang, shown in (("fi", "Alavus (010) ← Alavo"), ("en", "Alavus (010) ← Alavo"), ("sv", "Alavo (010)")):
        result = cli("find", "Ala", "--lang", lang)
        assert result.exit_code == 1 and result.stderr == ""
        assert shown in result.stdout  # Alavus, suggested by its Swedish name
    record = cli.json("find", "Ala")
    assert record["status"] == "not_found" and record["candidates"][0]["code"] == "010"


def test_strict_turns_guesses_into_suggestions(cli):
    for args, env in ((["--strict"], {}), ([], {"ELYGUIDE_STRICT": "1"})):
        result = cli("find", "Jyväskyä", "--json", *args, env=env)
        record = result.json()
        assert result.exit_code == 1 and record["status"] == "not_found" and record["candidates"][0]["code"] == "179"
    assert cli("find", "Kuopiossa", "--strict").exit_code == 0  # an inflected form is exact
    assert cli("find", "Jyväsk", "--strict").exit_code == 1  # a prefix is a guess


def test_warnings_for_dates_past_the_data(cli, dataset):
    from elyguide.resolve import division_until, months_before

    assert cli.json("find", "Kuopio")["warnings"] == []  # today, fresh data: no warning
    until = division_until(dataset)
    later = f"{int(until[:4]) + 1}-06-01"
    record = cli.json("find", "Kuopio", "--on", later)
    assert [w["code"] for w in record["warnings"]][:1] == ["beyond_division"]
    assert set(record["warnings"][0]["text"]) == {"fi", "sv", "en"}
    assert "Varoitus:" in cli("find", "Kuopio", "--on", later).stdout
    verified = min(p.verified for c in dataset.centres().values() for p in (*c.phones, *c.postal_addresses, *c.emails))
    much_later = f"{int(verified[:4]) + 2}-01-01"
    assert months_before(much_later, 12) > verified
    codes = [w["code"] for w in cli.json("find", "Tampere", "--on", much_later)["warnings"]]
    assert codes == ["beyond_division", "contacts_old"]
    aland = [m.name.fi for m in dataset.municipalities().values() if m.aland][0]  # Åland's page is a contact shown too
    assert [w["code"] for w in cli.json("find", aland, "--on", much_later)["warnings"]] == ["beyond_division", "contacts_old"]
    assert cli.json("find", aland)["warnings"] == []
    finnish = " ".join(cli("find", "Kuopio", "--on", later).stdout.split())
    assert f"31.12.{until[:4]}" in finnish and until not in finnish  # dates as the language writes them


def test_every_answer_past_the_data_warns(cli, dataset):
    """centre, centres and list answer for a date too: their JSON always has warnings, and
    their text says them."""
    from elyguide.resolve import division_until

    later = f"{int(division_until(dataset)[:4]) + 2}-01-01"
    for args in (["centre", "sisä-suomi"], ["centres"], ["list", "--region", "Kainuu"]):
        assert all(r["warnings"] == [] for r in cli.json(*args)), args
        records = cli.json(*args, "--on", later)
        assert records and all("beyond_division" in [w["code"] for w in r["warnings"]] for r in records), args
        text = cli(*args, "--on", later, "--lang", "en")
        said = text.stderr if args[0] == "list" else text.stdout
        assert said.count("Warning: the data's municipalities") == 1, args  # once, not once per centre
        assert "warnings" in cli(*args, "--on", later, "--format", "csv").stdout.splitlines()[0].split(","), args
    assert "contacts_old" in [w["code"] for w in cli.json("centre", "sisä-suomi", "--on", later)[0]["warnings"]]
    assert cli("centres", "--long", "--on", later, "--lang", "en").stdout.count("Warning: the data's municipalities") == 1
    for args in (["find", "Kuopio"], ["centre", "itä-suomi"]):  # a vCard's note says them too
        card = cli(*args, "--format", "vcard", "--on", later, "--lang", "en").stdout.replace("\r\n ", "")
        assert "Warning: the data's municipalities" in card, args
    batch = cli("find", "-", "--on", later, "--lang", "en", input="Kuopio\nVaasa\nTampere\n")
    assert len(batch.stdout.splitlines()) == 3 and batch.stderr.count("valid until") == 1 and "Warning:" in batch.stderr


def test_a_region_in_a_batch_names_its_centre(cli, dataset):
    """Typed as a batch line, a region says which centre serves it, in text and in tables."""
    import csv
    import io

    from elyguide.normalize import key

    regions = [r for r in dataset.regions().values() if not r.aland and key(r.name.fi) not in dataset.sections["former"]]
    assert len(regions) > 15  # Lappi, also a former municipality, is ambiguous instead
    names = "\n".join(r.name.fi for r in regions) + "\n"
    text = cli("find", "-", input=names).stdout.splitlines()
    rows = list(csv.DictReader(io.StringIO(cli("find", "-", "--format", "csv", input=names).stdout)))
    for region, line, row in zip(regions, text, rows):
        centre = dataset.centre_on(region.code, row["date"])
        assert centre.name.fi in line, line
        assert (row["status"], row["region_code"], row["centre_id"]) == ("not_found", region.code, centre.id), row


def test_excel_scores_have_a_decimal_comma(cli):
    import csv
    import io

    out = cli("find", "-", "--excel", input="Jyväskyä\nKuopio\n").stdout.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert "," in rows[0]["match_score"] and float(rows[0]["match_score"].replace(",", ".")) < 100
    assert rows[1]["match_score"] == "100"
    plain = list(csv.DictReader(io.StringIO(cli("find", "-", "--format", "csv", input="Jyväskyä\n").stdout)))
    assert "." in plain[0]["match_score"]  # RFC 4180 CSV keeps the point


def test_a_suggested_command_is_never_wrapped(cli):
    """However narrow the terminal, the batch hint's command stays on one line to copy."""
    command = "printf '%s\\n' Mänttä-Vilppula 'Koski Tl' | elyguide find -"
    for width in (40, 80, 200):
        for lang in ("fi", "sv", "en"):
            out = cli("find", "Mänttä-Vilppula Koski Tl", "--lang", lang, width=width).stdout
            assert any(line.endswith(command) for line in out.splitlines()), (width, lang, out)
