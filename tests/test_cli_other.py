"""list, centres, centre, about, data compile, completion and the Python API."""

from __future__ import annotations

import csv
import io
import json

import pytest

import elyguide


def test_list_every_municipality_sorted_by_name(cli, dataset):
    records = cli.json("list", "--on", "2026-01-01")
    assert len(records) == len(dataset.sections["municipalities"])
    names = [r["municipality"]["name"]["fi"] for r in records]
    assert names[0] == "Akaa" and names[-2:] == ["Ähtäri", "Äänekoski"]
    aland = [r for r in records if r["municipality"]["aland"]]
    assert aland and all(r["centre"] is None for r in aland)


def test_list_sorts_by_the_shown_language(cli):
    sv = [line.split(" (")[0] for line in cli("list", "--lang", "sv", "--region", "Uusimaa").stdout.splitlines()]
    assert sv == sorted(sv, key=elyguide.api.finnish_order) and "Esbo" in sv and "Espoo" not in sv


def test_list_filters_combine(cli, dataset):
    served = [r["municipality"]["code"] for r in cli.json("list", "--centre", "itä-suomi", "--on", "2026-01-01")]
    expected = {m.code for m in dataset.municipalities().values() if dataset.centre_id_on(m.region.code, "2026-01-01") == "evk-ita-suomi"}
    assert set(served) == expected and "297" in served
    both = cli.json("list", "--centre", "itä-suomi", "--region", "Pohjois-Savo", "--on", "2026-01-01")
    assert {r["municipality"]["region"]["code"] for r in both} == {"11"}
    ely_era = cli.json("list", "--region", "Kainuussa", "--on", "2025-06-01")
    assert {r["centre"]["id"] for r in ely_era} == {"ely-kainuu"}
    assert cli("list", "--region", "Atlantis").exit_code == 2
    for code in dataset.regions():  # a region's code in plain digits, with or without its zero; no other digits
        assert {r["municipality"]["region"]["code"] for r in cli.json("list", "--region", code.lstrip("0"))} <= {code}
        for lookalike in (code.translate(str.maketrans("0123456789", "０１２３４５６７８９")), code.lstrip("0").translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))):
            assert cli("list", "--region", lookalike).exit_code == 2, lookalike


def test_filter_errors_name_centres_in_the_readers_language(cli, dataset):
    several = cli("list", "--centre", "Pohjois", "--lang", "sv")
    assert several.exit_code == 3
    for centre in dataset.centres().values():
        if centre.name.fi.startswith("Pohjois-"):
            assert centre.name.sv in several.stderr and centre.name.fi not in several.stderr
    gone = cli("list", "--centre", "itä-suomi", "--on", "2025-01-01", "--lang", "sv")
    assert gone.exit_code == 1 and "1.1.2025" in gone.stderr
    assert all(c.name.sv in gone.stderr for c in dataset.centres().values() if c.active_on("2025-01-01"))
    assert cli("list", "--centre", "Kuopio").stdout == cli("list", "--centre", "itä-suomi").stdout  # a municipality's centre


def test_list_filters_say_why_nothing_matched(cli):
    for args in (["--centre", ""], ["--region", ""], ["--region", "  "]):
        result = cli("list", *args)
        assert result.exit_code == 2 and result.stdout == "", (args, result)
    result = cli("list", "--centre", "itä-suomi", "--on", "2025-06-01", "--lang", "en")
    assert result.exit_code == 1 and result.stdout == ""
    assert "did not exist on 2025-06-01" in result.stderr and "ELY" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_list_tsv_is_ready_for_cut(cli, dataset):
    lines = cli("list", "--format", "tsv", "--on", "2026-01-01").stdout.splitlines()
    header = lines[0].split("\t")
    assert header[:2] == ["municipality_code", "municipality_fi"] and len(lines) == len(dataset.sections["municipalities"]) + 1
    assert all(len(line.split("\t")) == len(header) for line in lines)
    kuopio = next(line.split("\t") for line in lines if line.startswith("297\t"))
    assert kuopio[header.index("centre_id")] == "evk-ita-suomi"


def test_list_csv_and_jsonl(cli):
    rows = list(csv.DictReader(io.StringIO(cli("list", "--format", "csv", "--region", "21").stdout)))
    assert rows and all(r["centre_id"] == "" for r in rows)
    lines = cli("list", "--format", "jsonl", "--region", "Kainuu").stdout.splitlines()
    assert lines and all(json.loads(line)["municipality"]["region"]["code"] == "18" for line in lines)


def test_centres_on_a_date(cli, dataset):
    now = cli.json("centres", "--on", "2026-01-01")
    mainland = sum(not m.aland for m in dataset.municipalities().values())
    assert {c["kind"] for c in now} == {"elinvoimakeskus"} and sum(c["municipality_count"] for c in now) == mainland
    before = cli.json("centres", "--on", "2025-12-31")
    assert {c["kind"] for c in before} == {"ely"} and sum(c["municipality_count"] for c in before) == mainland


def test_centres_fit_one_screen_and_long_gives_cards(cli, dataset):
    """Two lines a centre at 80 columns - name and phone, area and letter address - and a
    short footer: today's ten fit a 24-line terminal in every language."""
    active = [c for c in dataset.centres().values() if c.active_on("2026-06-01")]
    for lang in ("fi", "sv", "en"):
        compact = cli("centres", "--lang", lang, "--on", "2026-06-01")
        lines = compact.stdout.splitlines()
        assert compact.exit_code == 0 and len(lines) <= 2 * len(active) + 4 <= 24, (lang, len(lines))
        for centre in active:
            row = lines.index(next(line for line in lines if line.startswith(centre.name.get(lang))))
            assert all(p.number in lines[row] for p in centre.phones), (lang, centre.id)
            assert all(a.postcode in lines[row + 1] for a in centre.postal_addresses), (lang, centre.id)
    lines = compact.stdout.splitlines()
    long = cli("centres", "--long", "--lang", "en", "--on", "2026-06-01").stdout
    assert "How to contact" in long and len(long.splitlines()) > len(lines)
    assert "source:" not in compact.stdout  # citations stay in the cards and JSON


def test_centre_names_match(cli):
    for name, centre_id in [("itä-suomi", "evk-ita-suomi"), ("Pohjois-Savon ELY", "ely-pohjois-savo"), ("Östra Finland", "evk-ita-suomi"),
                            ("Sisä-Suomen elinvoimakeskus", "evk-sisa-suomi"), ("evk-lappi", "evk-lappi"),
                            ("Kainuun ELY-keskus", "ely-kainuu"), ("Livskraftscentralen i Österbotten", "evk-pohjanmaa"),
                            ("Häme", "ely-hame"), ("Uusimaa", "evk-uusimaa")]:
        assert cli.json("centre", *name.split(), "--on", "2026-06-01")[0]["id"] == centre_id, name


def test_centre_for_a_municipality_says_so(cli):
    record = cli.json("centre", "Kuopio", "--on", "2026-06-01")[0]
    assert record["id"] == "evk-ita-suomi" and record["for_query"]["municipality"] == "297"
    text = " ".join(cli("centre", "Kuopio", "--lang", "en", "--on", "2026-06-01").stdout.split())
    assert "Kuopio (297) · North Savo: its centre on 2026-06-01 is Eastern Finland Economic Development Centre." in text


def test_ceased_centre_names_its_successor(cli):
    text = " ".join(cli("centre", "Pohjois-Savon", "ELY", "--lang", "en").stdout.split())
    assert "This centre ceased on 2025-12-31. Its successor: Eastern Finland Economic Development Centre." in text
    assert "historical (the ELY Centre ceased on 2025-12-31)" in text


def test_centre_ambiguous_not_found_and_blank(cli):
    assert cli("centre", "Pohjanmaa", "--on", "2024-01-01").exit_code == 0  # ELY era: the ELY centre answers
    assert cli("centre", "Atlantis").exit_code == 1
    several = cli("centre", "Savo", "--on", "2025-06-01")
    assert several.exit_code == 3 and len(several.stderr.strip().splitlines()) == 1
    for blank in (" ", "\u200b", "---", "…"):
        result = cli("centre", blank)
        assert result.exit_code == 2 and result.stdout == "", blank


def test_the_start_of_a_centre_name(cli, dataset):
    """Every start (3 letters or more) of every centre's area name: one line of succession
    answers, its centre of the date; several lines are ambiguous, whatever the date."""
    from elyguide.match import centre_core, match_centres

    date = "2026-06-01"
    asked: set = set()  # each set of centres once through the CLI
    for centre in dataset.centres().values():
        for core in {centre_core(n) for n in centre.all_names}:
            for end in range(3, len(core)):
                found, how = match_centres(core[:end], dataset, date)
                assert found, core[:end]
                if how != "prefix":
                    continue
                assert all(any(centre_core(n).startswith(core[:end]) for n in c.all_names) for c in found), core[:end]
                if len(found) > 1:  # the date did not decide: these are different areas
                    if frozenset(c.id for c in found) not in asked:
                        asked.add(frozenset(c.id for c in found))
                        assert cli("centre", core[:end], "--on", date).exit_code == 3, core[:end]
                else:
                    lineage = {centre.id, *(s for _, s in centre.successors)}
                    lineage |= {c.id for c in dataset.centres().values() if centre.id in {s for _, s in c.successors}}
                    assert found[0].id in lineage, (core[:end], found)
    assert cli("centre", "Pohjois").exit_code == 3 and cli("centre", "Etelä").exit_code == 3
    assert cli.json("centre", "Kaakkois", "--on", date)[0]["id"] == "evk-kaakkois-suomi"
    assert cli.json("centre", "Kaakkois", "--on", "2025-06-01")[0]["id"] == "ely-kaakkois-suomi"
    pohja = cli("centre", "Pohja")  # a former municipality's name, not the start of Pohjanmaa
    assert pohja.exit_code == 3 and "municipalities" in pohja.stderr


def test_centre_reads_a_place_as_find_does(cli, dataset):
    """Åland, ceded places, several places, guesses and ambiguous starts: `centre` exits as
    `find` does, and where find names a centre, centre shows that one."""
    queries = [m.name.fi for m in dataset.municipalities().values() if m.aland]
    queries += [f.name.fi for f in dataset.former_municipalities().values() if f.ceded]
    queries += ["Ahvenanmaa", "Åland", "Pyhä", "Kuopio Vaasa", "Kuopoi", "Kuopiossa", "Vpl. Pyhäjärvi", "xyzzyq"]
    for query in queries:
        found, shown = cli("find", query, "--json"), cli("centre", query, "--json")
        assert shown.exit_code == found.exit_code, (query, found, shown)
        if found.exit_code == 0:
            assert shown.json()[0]["id"] == found.json()["centre"]["id"], query
        else:
            assert shown.stdout == "" and len(shown.stderr.splitlines()) == 1, query
    assert "?" in cli("centre", "Kuopoi", "--lang", "en").stdout  # a guess is shown as one


def test_centre_for_every_province_and_region(cli, dataset):
    """Each name of every province and region, in every format: the centre serving it, or
    the centres it spans (ambiguous), or outside the service; never an internal error."""
    areas = [*dataset.provinces().values(), *dataset.regions().values()]
    for area in areas:
        for name in (n for n in area.name if n):
            for fmt in ("text", "json"):
                result = cli("centre", name, "--format", fmt, "--lang", "sv")
                assert result.exit_code in (0, 1, 3, 4), (name, fmt, result)
                if result.exit_code == 0 and fmt == "text":
                    assert "Traceback" not in result.stderr and result.stdout.strip()


def test_centre_sources_cite_in_full(cli, dataset):
    cited = cli("centre", "sisä-suomi", "--sources", "--lang", "en").stdout
    for phone in dataset.centre("evk-sisa-suomi").phones:
        assert phone.source.url in cited
    short = cli("centre", "sisä-suomi", "--lang", "en").stdout
    assert not any(p.source.url in short for p in dataset.centre("evk-sisa-suomi").phones)


def test_about(cli, dataset):
    report = cli.json("about", "--on", "2026-06-01")
    assert report["counts"]["municipalities"] == len(dataset.sections["municipalities"])
    assert report["division"] == {"valid_from": report["valid_on"], "valid_until": f"{report['valid_on'][:4]}-12-31"}
    assert report["warning_rules"] == ["beyond_division", "contacts_old"] and report["refreshed"] is None
    facts = report["contacts"]["facts"]
    assert report["contacts"]["verified_first"] == min(f["verified"] for f in facts)
    assert any("CC BY 4.0" in (s.get("licence") or "") for s in report["sources"])
    for lang, heading in (("en", "Sources and licences"), ("fi", "Lähteet ja lisenssit"), ("sv", "Källor och licenser")):
        assert heading in cli("about", "--lang", lang).stdout
    text = " ".join(cli("about", "--lang", "en").stdout.split())  # every raw file's licence is named, none left vague
    assert "see the file's source" not in text and text.count("licence: Statistics Finland's data: CC BY 4.0") >= 3
    assert cli("about", "--format", "csv").exit_code == 2


def test_data_compile_makes_a_local_copy_fast(cli, data_copy):
    slow = cli("find", "Kuopio", "--json", "--data-dir", str(data_copy), "--lang", "en")
    assert slow.exit_code == 0 and "elyguide data compile" in slow.stderr and len(slow.stderr.splitlines()) == 1
    compiled = cli("data", "compile", str(data_copy))
    assert compiled.exit_code == 0 and (data_copy / "compiled.json").exists()
    from elyguide import index

    index._datasets.clear()  # a new process would read it fresh
    fast = cli("find", "Kuopio", "--json", "--data-dir", str(data_copy))
    assert fast.exit_code == 0 and fast.stderr == "" and fast.json() == slow.json()
    assert cli("about", "--json", "--data-dir", str(data_copy)).json()["compiled_cache"] is True


def test_completion_values():
    from elyguide.completion import centre_names, municipality_names, region_names

    assert municipality_names("ham") == ["Hamina", "Hammarland", "Hämeenkyrö", "Hämeenlinna"]
    assert "Helsingfors" in municipality_names("Helsingf") and "Kuopio" in municipality_names("kuo")
    assert "Itä-Suomen elinvoimakeskus" in centre_names("itä") and "Livskraftscentralen i Östra Finland" in centre_names("livs")
    assert "Pohjois-Savo" in region_names("pohjois-s") and "Norra Savolax" in region_names("norra s")


def test_completion_through_the_shell_protocol():
    from conftest import run

    def complete(words: str, index: int) -> list[str]:
        env = {"COMP_WORDS": words, "COMP_CWORD": str(index), "_ELYGUIDE_COMPLETE": "complete_bash"}
        result = run(env=env)
        assert result.returncode == 0, result
        return result.stdout.decode().split("\n")

    assert complete("elyguide find Kuo", 2)[:2] == ["Kuopio", "Kuortane"]
    assert complete("elyguide find Kuopio --lang ", 4)[:3] == ["fi", "sv", "en"]
    assert "Itä-Suomen\\ elinvoimakeskus" in complete("elyguide centre itä", 2)  # quoted for bash
    assert "Pohjois-Savo" in complete("elyguide list --region pohjois", 3)


def test_centre_completion_offers_swedish_and_english_areas(cli, monkeypatch):
    """"öst" offers "Östra Finland"; every value offered is one `centre` takes."""
    from elyguide.completion import centre_names

    monkeypatch.delenv("_ELYGUIDE_COMPLETE", raising=False)
    assert "Östra Finland" in centre_names("öst") and "Sydöstra Finland" in centre_names("sydö")
    for value in centre_names(""):
        assert cli("centre", value, "--json").exit_code == 0, value


def test_show_completion_prints_a_script():
    from conftest import run

    result = run("--show-completion", "bash", env={"SHELL": "/bin/bash"})
    assert result.returncode == 0 and b"_ELYGUIDE_COMPLETE=complete_bash" in result.stdout


def test_python_api_returns_immutable_records():
    result = elyguide.find("Kouvolassa", on="2026-01-01")
    assert result.centre.id == "evk-kaakkois-suomi" and result.municipality.name.fi == "Kouvola"
    with pytest.raises(AttributeError):
        result.status = "x"
    rows = elyguide.municipalities(on="2026-01-01", centre="itä-suomi")
    assert rows and all(r.centre.id == "evk-ita-suomi" for r in rows)
    assert [c.id for c in elyguide.centres(on="2025-12-31")][:1] == ["ely-uusimaa"]
    assert elyguide.find_centre("Östra Finland").id == "evk-ita-suomi"
    assert elyguide.find("Jyväskyä", strict=True).status == "not_found"
    with pytest.raises(elyguide.UsageError):
        elyguide.find("  ")
    with pytest.raises(elyguide.UsageError):
        elyguide.find("Kuopio", on="2020-01-01")
    with pytest.raises(LookupError):
        elyguide.find_centre("Atlantis")


def test_api_and_library_import_neither_typer_nor_rich():
    import os
    import subprocess
    import sys

    code = ("import sys, elyguide; elyguide.find('Kuopio'); elyguide.municipalities(); elyguide.about(); "
            "print(sorted(m for m in ('typer', 'rich', 'click', 'urllib.request', 'elyguide.ptv') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("args, centre_id", [(["find", "Tampere"], "evk-sisa-suomi"), (["centre", "itä-suomi", "--lang", "sv"], "evk-ita-suomi"),
                                             (["centre", "Pohjois-Savon", "ELY", "--lang", "en"], "ely-pohjois-savo")])
def test_a_vcard_is_well_formed_and_cites_for_people(cli, dataset, args, centre_id):
    """RFC 6350: CRLF lines of at most 75 octets, folded with a space; BEGIN, VERSION:4.0, FN,
    END. Phones as tel: URIs; the note says each fact's source in a short line with its date."""
    from elyguide.messages import format_date

    out = cli(*args, "--format", "vcard").stdout_bytes
    physical = out.split(b"\r\n")
    assert physical[-1] == b"" and b"\n" not in out.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in physical)
    lines = out.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCARD" and lines[1] == "VERSION:4.0" and lines[-1] == "END:VCARD"
    centre = dataset.centre(centre_id)
    assert any(line.startswith("FN") and line.endswith(":" + centre.name.fi) or centre.name.fi in line for line in lines)
    note = next(line for line in lines if line.startswith("NOTE:"))
    lang = args[args.index("--lang") + 1] if "--lang" in args else "fi"
    for phone in centre.phones:
        assert any(line.startswith("TEL") and line.endswith("tel:" + phone.e164) for line in lines)
        assert phone.number in note and format_date(phone.verified, lang) in note
    for fact in (*centre.phones, *centre.postal_addresses, *centre.emails):
        assert fact.source.title.replace(",", "\\,") not in note  # the full citation is for JSON and --sources


def test_no_import_circles_counting_imports_inside_functions():
    """The core flows one way (STYLE.md): no module imports, at any depth, one that imports it."""
    import ast
    import pathlib

    package = pathlib.Path(__file__).parents[1] / "src" / "elyguide"
    graph = {}
    for path in package.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imported |= {node.module} if node.module else {alias.name for alias in node.names}
        graph[path.stem] = {name.split(".")[0] for name in imported} - {path.stem}

    def reaches(start: str, goal: str, seen: set) -> bool:
        return any(n == goal or (n not in seen and not seen.add(n) and reaches(n, goal, seen)) for n in graph.get(start, ()))

    circles = sorted(m for m in graph if reaches(m, m, set()))
    assert not circles, circles


def test_a_guess_is_marked_in_every_format(cli):
    """Where the output has no room for the "?" (a list, a vCard, a centre's JSON or table),
    a note on stderr says the place was guessed; the JSON says how it was read."""
    for args in (["list", "--centre", "Tamperre"], ["find", "Jyväsk", "--format", "vcard"], ["centre", "Kuopoi", "--json"],
                 ["centre", "Kuopoi", "--format", "csv"]):
        result = cli(*args, "--lang", "en")
        assert result.exit_code == 0 and "was read as a guess" in result.stderr, args
    assert cli.json("centre", "Kuopoi")[0]["for_query"]["match_kind"] == "fuzzy"
    for args in (["list", "--centre", "Tampere"], ["find", "Jyväskylä", "--format", "vcard"], ["centre", "Kuopio", "--json"]):
        assert cli(*args).stderr == "", args
