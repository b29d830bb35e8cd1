"""`elyguide refresh` against a real HTTP server on loopback (tests/ptv_server.py), and the
lookups that use what it keeps. No test reaches the internet."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from ptv_server import FakePTV

FETCH_TIMEOUT = "3"


@pytest.fixture
def home(tmp_path):
    """A user of their own: the refreshed data goes to this XDG_DATA_HOME."""
    from elyguide import index

    index._datasets.clear()
    yield {"XDG_DATA_HOME": str(tmp_path / "xdg"), "ELYGUIDE_PTV_TIMEOUT": FETCH_TIMEOUT}
    index._datasets.clear()


def stored(home) -> dict:
    with open(os.path.join(home["XDG_DATA_HOME"], "elyguide", "contacts.json"), encoding="utf-8") as handle:
        return json.load(handle)


def refresh(cli, home, server, *args):
    from elyguide import index

    result = cli("refresh", "--api-url", server.api_url, "--lang", "en", *args, env=home)
    index._datasets.clear()  # the next lookup reads the new file, as a new process would
    return result


def test_refresh_then_find_shows_the_registrys_contacts(cli, home):
    with FakePTV() as server:
        result = refresh(cli, home, server)
        api_url = server.api_url
    assert result.exit_code == 0, result
    assert "Saved the contacts of 2 centres" in result.stdout and "Elinvoimakeskukset" in result.stderr  # the umbrella is skipped
    assert not any("authorization" in r.headers for r in server.requests)
    data = stored(home)
    assert set(data["centres"]) == {"evk-ita-suomi", "evk-sisa-suomi"} and data["api_url"] == api_url
    record = cli.json("find", "Kuopio", env=home)
    phones = record["centre"]["contacts"]["phones"]
    assert phones[0]["number"] == "0295 000 011" and phones[0]["kind"] == "service"  # the service's own line first
    assert phones[0]["e164"] == "+358295000011" and phones[0]["label"]["sv"] == "Invandring"
    assert phones[0]["source"]["kind"] == "official" and "Palvelutietovaranto" in phones[0]["source"]["title"]
    switchboard = next(p for p in phones if p["number"] == "0295 000 001")
    assert switchboard["kind"] == "switchboard" and switchboard["verified"] == data["fetched_at"][:10]
    emails = [e["address"] for e in record["centre"]["contacts"]["emails"]]
    assert "kirjaamo.ita-suomi@elinvoimakeskus.example" in emails
    letters = record["centre"]["contacts"]["postal_addresses"]
    assert {("fi", "PL 60"), ("sv", "PB 60")} <= {(a["lang"], a["lines"][0]) for a in letters}
    text = " ".join(cli("find", "Kuopio", env=home).stdout.split())
    assert "0295 000 011 (palvelun oma numero, Maahanmuuttoasiat)" in text
    assert "lähde: Palvelutietovaranto (suomi.fi), haettu" in text


def test_refreshed_contacts_never_reach_an_ely_era_answer(cli, home):
    with FakePTV() as server:
        assert refresh(cli, home, server).exit_code == 0
    old = cli.json("find", "Kuopio", "--on", "2025-06-01", env=home)
    assert old["centre"]["id"] == "ely-pohjois-savo" and "0295 000" not in json.dumps(old)


def test_a_number_known_twice_is_listed_once(cli, home, dataset):
    with FakePTV() as server:
        assert refresh(cli, home, server).exit_code == 0
    packaged = [p.number for p in dataset.centre("evk-sisa-suomi").phones]
    shown = [p["number"] for p in cli.json("find", "Tampere", env=home)["centre"]["contacts"]["phones"]]
    assert len(shown) == len(set(shown)) and set(packaged) <= set(shown)


def test_fallback_by_business_code(cli, home):
    with FakePTV("service_404") as server:
        result = refresh(cli, home, server)
    assert result.exit_code == 0, result
    assert stored(home)["discovery"] == "businesscode"


def test_dry_run_and_json_write_nothing(cli, home):
    with FakePTV() as server:
        text = refresh(cli, home, server, "--dry-run")
        machine = refresh(cli, home, server, "--dry-run", "--json")
    assert text.exit_code == 0 and "evk-ita-suomi:" in text.stdout and "added phone: 0295 000 011" in text.stdout
    report = machine.json()
    assert report["dry_run"] is True and "evk-ita-suomi" in report["changes"]
    assert not os.path.exists(os.path.join(home["XDG_DATA_HOME"], "elyguide"))


def test_a_second_refresh_reports_no_changes_and_forget_undoes(cli, home):
    with FakePTV() as server:
        assert refresh(cli, home, server).exit_code == 0
        again = refresh(cli, home, server, "--dry-run")
    assert "No changes since the last refresh." in again.stdout
    forgot = cli("refresh", "--forget", "--lang", "en", env=home)
    assert forgot.exit_code == 0 and "Removed" in forgot.stdout
    assert not os.path.exists(os.path.join(home["XDG_DATA_HOME"], "elyguide", "contacts.json"))
    assert cli("refresh", "--forget", "--lang", "en", env=home).exit_code == 0  # nothing to remove is no error


@pytest.mark.parametrize("behaviour, status, words", [
    ("gone", 9, "HTTP error 404"), ("error_500", 9, "500"), ("invalid_json", 10, "JSON"), ("deep_json", 10, "JSON"),
    ("not_ptv_object", 10, ""),
    ("not_ptv_list", 10, ""), ("hang", 8, "within"),
])
def test_every_failure_leaves_what_was_there(cli, home, behaviour, status, words):
    with FakePTV() as server:
        assert refresh(cli, home, server).exit_code == 0
    before = stored(home)
    with FakePTV(behaviour, hang_seconds=10) as server:
        result = refresh(cli, home, server)
    assert result.exit_code == status, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("elyguide: error:") and words in lines[0]
    assert stored(home) == before


def test_retries_429_then_succeeds(cli, home):
    with FakePTV("throttle") as server:
        result = refresh(cli, home, server)
    assert result.exit_code == 0 and server.count("/v11/Service/") >= 2


def test_null_lists_and_an_unmatched_organization(cli, home):
    with FakePTV("unmatched_org") as server:
        result = refresh(cli, home, server)
    assert result.exit_code == 0 and "Esimerkkilän kunta" in result.stderr and "matches no centre" in result.stderr
    assert "Esimerkkilän" not in json.dumps(stored(home)["centres"])
    with FakePTV("null_lists") as server:
        assert refresh(cli, home, server).exit_code == 10  # nothing usable: nothing is kept


def test_network_down_and_dns(cli, home, unresolvable):
    down = cli("refresh", "--api-url", "http://127.0.0.1:9/api", env=home)
    assert down.exit_code == 6 and len(down.stderr.strip().splitlines()) == 1
    nowhere = cli("refresh", "--api-url", "http://no-such-host.invalid/api", env=home)
    assert nowhere.exit_code == 7 and len(nowhere.stderr.strip().splitlines()) == 1


ENGLISH_WORDS = ("registry", "cannot", "connection", "answer", "refused", "resolve", "error:", "must", "within")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_failures_are_said_in_the_users_language(cli, home, unresolvable, lang):
    """The client's own messages are English; what a Finnish or Swedish user reads is not."""
    results = [cli("refresh", "--api-url", url, "--lang", lang, env=home)
               for url in ("http://127.0.0.1:9/api", "http://no-such-host.invalid/api", "ftp://example")]
    results.append(cli("refresh", "--service", "123", "--lang", lang, env=home))
    for behaviour in ("gone", "invalid_json") if lang == "fi" else ("error_500", "not_ptv_list", "hang"):
        with FakePTV(behaviour, hang_seconds=10) as server:
            results.append(cli("refresh", "--api-url", server.api_url, "--lang", lang, env={**home, "ELYGUIDE_PTV_TIMEOUT": "1"}))
    assert [r.exit_code for r in results] == [6, 7, 2, 2, 9, 10] + ([] if lang == "fi" else [8])
    for result in results:
        line, = result.stderr.strip().splitlines()
        assert not [w for w in ENGLISH_WORDS if w in line.lower()], line
    assert "127.0.0.1:9" in results[0].stderr and "no-such-host.invalid" in results[1].stderr
    assert ("404" if lang == "fi" else "500") in results[4].stderr


def test_an_empty_api_url_or_service_is_a_usage_error(cli, home):
    for option in ("--api-url", "--service"):
        result = cli("refresh", option, " ", "--lang", "en", env=home)
        assert result.exit_code == 2 and f"{option} needs a value" in result.stderr


def test_api_url_from_the_environment(cli, home):
    with FakePTV() as server:
        result = cli("refresh", env={**home, "ELYGUIDE_PTV_URL": server.api_url})
    assert result.exit_code == 0 and server.requests


def test_a_corrupt_or_foreign_file_is_a_warning_not_a_crash(cli, home):
    folder = os.path.join(home["XDG_DATA_HOME"], "elyguide")
    os.makedirs(folder)
    path = os.path.join(folder, "contacts.json")
    for content in (b"{not json", b'{"format": 99}', b"\xff\xfe", json.dumps({"format": 1, "centres": []}).encode(), b"null",
                    b"[" * 100_000, b'{"a": 1}'):
        with open(path, "wb") as handle:
            handle.write(content)
        from elyguide import index

        index._datasets.clear()
        result = cli("find", "Kuopio", "--json", "--lang", "en", env=home)
        assert result.exit_code == 0 and result.json()["municipality"]["code"] == "297", content
        assert len(result.stderr.strip().splitlines()) == 1 and "refresh --forget" in result.stderr
        assert "<function" not in result.stderr and "Error" not in result.stderr  # said, not Python's names


def test_about_says_what_was_refreshed(cli, home):
    with FakePTV() as server:
        refresh(cli, home, server)
    report = cli.json("about", env=home)["refreshed"]
    assert report["centres"] == ["evk-ita-suomi", "evk-sisa-suomi"] and report["path"].endswith("contacts.json") and report["facts"] > 0
    assert "Refreshed from Palvelutietovaranto" in cli("about", "--lang", "en", env=home).stdout


def test_a_lookup_with_refreshed_data_imports_no_network_code(cli, home):
    with FakePTV() as server:
        refresh(cli, home, server)
    code = ("import sys, io; sys.argv = ['elyguide', 'find', 'Kuopio', '--json']\n"
            "from elyguide.launch import main; from elyguide.environment import Environment\n"
            "env = Environment(io.BytesIO(), io.BytesIO(), io.BytesIO(), variables=dict(__import__('os').environ))\n"
            "status = main(['find', 'Kuopio', '--json'], env)\n"
            "print(int(status), '0295 000 011' in env.stdout.getvalue().decode(), "
            "[m for m in ('urllib.request', 'http.client', 'socket', 'elyguide.ptv', 'elyguide.refresh') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **home})
    assert result.stdout.strip() == "0 True []", result.stdout + result.stderr


def test_user_data_folder_agrees_with_platformdirs(monkeypatch, tmp_path):
    import platformdirs

    from elyguide.userdata import data_home

    for variables in ({"XDG_DATA_HOME": str(tmp_path)}, {"HOME": str(tmp_path)}, {"XDG_DATA_HOME": "", "HOME": str(tmp_path)}):
        for name in ("XDG_DATA_HOME", "HOME"):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        assert data_home(variables) == platformdirs.user_data_dir("elyguide")


def test_fold_refresh_writes_curated_facts_with_sources(cli, home, tmp_path):
    """scripts/fold_refresh.py carries a refresh into data/curated/centres.yaml (here a copy)."""
    import shutil

    from conftest import CURATED, ROOT

    with FakePTV() as server:
        refresh(cli, home, server)
    curated = tmp_path / "centres.yaml"
    shutil.copy(CURATED / "centres.yaml", curated)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "fold_refresh.py"),
                             os.path.join(home["XDG_DATA_HOME"], "elyguide", "contacts.json"), "--curated", str(curated),
                             "--sources", str(tmp_path / "sources.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = curated.read_text(encoding="utf-8")
    assert "0295 000 011" in text and "verified:" in text
    import yaml

    sources = yaml.safe_load((tmp_path / "sources.yaml").read_text(encoding="utf-8"))
    assert all(s["kind"] == "official" and "Palvelutietovaranto" in s["title"] for s in sources.values())
