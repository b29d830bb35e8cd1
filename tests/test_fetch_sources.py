"""scripts/fetch_sources.py and scripts/sources_manifest.py against a local synthetic API.

Every fetch runs the script as a subprocess against tests/statfi_server.py on 127.0.0.1:
nothing here reaches the internet.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from statfi_server import StatfiServer, synthetic_2027

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "fetch_sources.py"
sys.path.insert(0, str(ROOT / "scripts"))

import fetch_sources  # noqa: E402
import sources_manifest  # noqa: E402
from sources_manifest import ManifestError  # noqa: E402

YEAR = "2027"
ITEM_FILES = [f"statfi/{name}_1_20270101_{lang}.json" for name in ("kunta", "maakunta", "evk") for lang in ("fi", "sv", "en")]
MAP_FILES = ["statfi/kunta_1_20270101__maakunta_1_20270101.json", "statfi/kunta_1_20270101__evk_1_20270101.json"]
UTC_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")


@pytest.fixture
def server():
    with StatfiServer(**synthetic_2027()) as running:
        yield running


def fetch(*args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)


def fetch_statfi(server: StatfiServer, out: Path) -> subprocess.CompletedProcess:
    return fetch("statfi", "--year", YEAR, "--base-url", server.base_url, "--out", str(out), "--retry-delay", "0")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------ happy path
def test_statfi_fetch_saves_every_response_and_records_it(server, tmp_path):
    result = fetch_statfi(server, tmp_path)
    assert result.returncode == 0, result.stderr

    files = snapshot(tmp_path)
    assert sorted(files) == sorted(ITEM_FILES + MAP_FILES + ["manifest.yaml"])
    # byte for byte what the server sent
    assert files["statfi/kunta_1_20270101_sv.json"] == server.body(server.items_path("kunta", "sv"))[1]
    assert files[MAP_FILES[1]] == server.body(server.maps_path("evk"))[1]

    manifest = sources_manifest.load(tmp_path)
    entries = {e.path: e for e in manifest.entries}
    assert sorted(entries) == sorted(ITEM_FILES + MAP_FILES)
    for path, entry in entries.items():
        assert entry.sha256 == hashlib.sha256(files[path]).hexdigest()
        assert entry.valid_on == "2027-01-01"
        assert UTC_STAMP.match(entry.retrieved)
        assert entry.licence.startswith("CC BY 4.0 (Statistics Finland;") and "Lähde: Tilastokeskus" in entry.licence
        assert entry.url.startswith(server.base_url + "/")
    kunta_fi = entries["statfi/kunta_1_20270101_fi.json"]
    assert kunta_fi.role == "statfi-classification"
    assert kunta_fi.url == server.base_url + "/classifications/kunta_1_20270101/classificationItems?content=data&meta=max&lang=fi&format=json"
    evk_map = entries[MAP_FILES[1]]
    assert evk_map.role == "statfi-correspondence"
    assert evk_map.url == server.base_url + "/correspondenceTables/kunta_1_20270101%23evk_1_20270101/maps?content=data&meta=min&lang=fi"
    assert len(manifest.find("statfi-correspondence", valid_on="2027-01-01")) == 2

    # the synthetic merger and rename came through
    kunta = json.loads(files["statfi/kunta_1_20270101_fi.json"])
    names = {item["code"]: item["classificationItemNames"][0]["name"] for item in kunta}
    assert "980" not in names and names["284"] == "Koski"
    assert dict(fetch_sources.correspondence_pairs(files[MAP_FILES[1]]))["478"] == "02"

    # the manifest is deterministic: saving it again gives the same bytes
    manifest.save()
    assert (tmp_path / "manifest.yaml").read_bytes() == files["manifest.yaml"]
    # '#' reached the server encoded
    assert server.maps_path("maakunta") in server.requests


def test_the_change_table_is_fetched_where_published_and_skipped_where_not(tmp_path):
    changes_file = "statfi/kunta_1_20260101__kunta_1_20270101.json"
    with StatfiServer(**synthetic_2027()) as unpublished:
        result = fetch_statfi(unpublished, tmp_path / "without")
    assert result.returncode == 0, result.stderr
    assert "kunta_1_20260101#kunta_1_20270101: not published" in result.stderr
    assert changes_file not in snapshot(tmp_path / "without")

    pairs = [("980", "837"), ("837", "837"), ("284", "284")]
    with StatfiServer(**synthetic_2027(), changes=pairs) as published:
        result = fetch_statfi(published, tmp_path / "with")
    assert result.returncode == 0, result.stderr
    entry = next(e for e in sources_manifest.load(tmp_path / "with").entries if e.path == changes_file)
    assert entry.role == "statfi-correspondence" and entry.valid_on == "2027-01-01"
    assert sorted(fetch_sources.correspondence_pairs((tmp_path / "with" / changes_file).read_bytes())) == sorted(pairs)

    with StatfiServer(**synthetic_2027(), changes=[("980", "999")]) as wrong:  # 999 is not a 2027 municipality
        result = fetch_statfi(wrong, tmp_path / "wrong")
    assert result.returncode == 1 and "target code(s) not in the classification: 999" in result.stderr


def test_a_second_run_replaces_the_entries_and_keeps_the_others(server, tmp_path):
    assert fetch_statfi(server, tmp_path).returncode == 0
    extra = tmp_path / "municipalities" / "old.csv"
    extra.parent.mkdir()
    extra.write_text("code\n091\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="municipalities/old.csv"):
        sources_manifest.load(tmp_path)  # unlisted: the next fetch must refuse too
    assert fetch_statfi(server, tmp_path).returncode == 1
    extra.unlink()

    result = fetch_statfi(server, tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(sources_manifest.load(tmp_path).entries) == len(ITEM_FILES + MAP_FILES)


# -------------------------------------------------------------------------------- fallback
def test_http_500_on_the_maps_data_form_falls_back_to_the_plain_list(server, tmp_path):
    server.fail("maps?content=data", 500)
    result = fetch_statfi(server, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "HTTP 500" in result.stderr and "plain /maps list" in result.stderr

    manifest = sources_manifest.load(tmp_path)
    for target in ("maakunta", "evk"):
        data_form = server.maps_path(target)
        plain = server.maps_path(target, data_form=False)
        assert server.requests.count(data_form) == 2  # one retry, then the fallback
        assert plain in server.requests
        path = f"statfi/kunta_1_20270101__{target}_1_20270101.json"
        saved = (tmp_path / path).read_bytes()
        assert saved == server.body(plain)[1]
        entry = next(e for e in manifest.entries if e.path == path)
        assert entry.url == server.base_url + plain[len(server.prefix):]
        assert "FALLBACK" in entry.note and "HTTP 500" in entry.note
        assert sorted(fetch_sources.correspondence_pairs(saved)) == sorted(server.pairs(target))


def test_a_5xx_or_429_is_retried_once(server, tmp_path):
    server.fail("evk_1_20270101/classificationItems", 503, times=1)
    server.fail("lang=sv", 429, times=1)
    result = fetch_statfi(server, tmp_path)
    assert result.returncode == 0, result.stderr
    assert server.requests.count(server.items_path("evk", "fi")) == 2


# -------------------------------------------------------------------------------- failures
def test_a_server_error_leaves_the_output_folder_untouched(server, tmp_path):
    assert fetch_statfi(server, tmp_path).returncode == 0
    before = snapshot(tmp_path)

    server.fail("evk_1_20270101/classificationItems?content=data&meta=max&lang=en", 503)
    result = fetch_statfi(server, tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("fetch_sources: error: GET ") and "HTTP 503" in lines[-1] and "after 1 retry" in lines[-1]
    assert snapshot(tmp_path) == before  # no new file, no temporary file, manifest unchanged


def test_a_server_error_on_a_fresh_folder_writes_nothing(server, tmp_path):
    out = tmp_path / "sources"
    server.fail("maps", 502)  # the fallback is only for HTTP 500
    result = fetch_statfi(server, out)
    assert result.returncode == 1 and "HTTP 502" in result.stderr
    assert not out.exists()


def test_a_network_error_is_one_line_and_exit_1(tmp_path):
    result = fetch("statfi", "--year", YEAR, "--base-url", "http://127.0.0.1:9/api", "--out", str(tmp_path), "--retry-delay", "0")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("fetch_sources: error: GET http://127.0.0.1:9/api/")
    assert snapshot(tmp_path) == {}


@pytest.mark.parametrize(
    "body, message",
    [
        (b'[{"code": "01", "classificationItemNames": [{"name": "Uusimaa"', "not valid JSON"),
        (b"<html>maintenance</html>", "not valid JSON"),
        (b'{"items": []}', "non-empty JSON array"),
        (b"[]", "non-empty JSON array"),
        (b'[{"classificationItemNames": [{"lang": "sv", "name": "Nyland"}]}]', "has no code"),
        (b'[{"code": "01", "classificationItemNames": []}]', "classificationItemNames"),
        (b'[{"code": "01", "localId": "kunta_1_20270101/01", "classificationItemNames": [{"name": "Nyland"}]}]', "localId"),
    ],
)
def test_invalid_classification_json_is_refused(server, tmp_path, body, message):
    server.replace(server.items_path("maakunta", "sv"), body)
    result = fetch_statfi(server, tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "maakunta_1_20270101 (sv)" in result.stderr
    assert snapshot(tmp_path) == {}


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not json", "not valid JSON"),
        (b'[{"sourceLocalId": "kunta_1_20270101/091"}]', "no sourceLocalId"),
        (b'[{"sourceLocalId": "kunta_1_20270101/999", "targetLocalId": "evk_1_20270101/01"}]', "not in the classification"),
        (b'["http://x/maps/091"]', "URL without"),
    ],
)
def test_invalid_maps_are_refused(server, tmp_path, body, message):
    server.replace(server.maps_path("evk"), body)
    result = fetch_statfi(server, tmp_path)
    assert result.returncode == 1 and message in result.stderr
    assert snapshot(tmp_path) == {}


def test_usage_errors_exit_2(tmp_path):
    assert fetch().returncode == 2
    assert fetch("statfi", "--out", str(tmp_path)).returncode == 2  # --year missing
    assert fetch("statfi", "--year", "27").returncode == 2
    assert fetch("posti", "--url", "http://127.0.0.1:9/a.zip", "--index-url", "http://127.0.0.1:9/").returncode == 2
    assert fetch("nonsense").returncode == 2
    assert snapshot(tmp_path) == {}


# -------------------------------------------------------------------------------- manifest
def test_load_refuses_an_unlisted_file(server, tmp_path):
    assert fetch_statfi(server, tmp_path).returncode == 0
    (tmp_path / "statfi" / "README.md").write_text("documentation is not listed\n", encoding="utf-8")
    sources_manifest.load(tmp_path)  # *.md is fine
    (tmp_path / "statfi" / "kunta_1_20280101_fi.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ManifestError) as error:
        sources_manifest.load(tmp_path)
    message = str(error.value)
    assert "statfi/kunta_1_20280101_fi.json" in message and "not listed" in message and "\n" not in message


def test_load_refuses_a_tampered_or_missing_file(server, tmp_path):
    assert fetch_statfi(server, tmp_path).returncode == 0
    target = tmp_path / "statfi" / "kunta_1_20270101_fi.json"
    original = target.read_bytes()
    target.write_bytes(original.replace(b"Helsinki", b"Helsinkl"))
    with pytest.raises(ManifestError) as error:
        sources_manifest.load(tmp_path)
    message = str(error.value)
    assert message.startswith("statfi/kunta_1_20270101_fi.json: sha256 ") and "\n" not in message

    target.unlink()
    with pytest.raises(ManifestError, match=r"^statfi/kunta_1_20270101_fi.json: listed in manifest.yaml but missing$"):
        sources_manifest.load(tmp_path)
    target.write_bytes(original)
    sources_manifest.load(tmp_path)


def test_load_refuses_a_malformed_manifest(tmp_path):
    (tmp_path / "statfi").mkdir()
    (tmp_path / "statfi" / "a.json").write_bytes(b"[]")
    digest = hashlib.sha256(b"[]").hexdigest()
    good = f"files:\n  - path: statfi/a.json\n    role: statfi-classification\n    valid_on: 2027-01-01\n    retrieved: 2027-01-02T03:04:05Z\n    sha256: {digest}\n    licence: CC BY 4.0\n"
    manifest_file = tmp_path / "manifest.yaml"
    manifest_file.write_text(good, encoding="utf-8")
    assert sources_manifest.load(tmp_path).entries[0].valid_on == "2027-01-01"  # an unquoted date stays text
    for bad, message in [
        (good.replace("statfi-classification", "statfi-clasification"), "unknown role"),
        (good.replace("statfi/a.json", "a.json"), "inside a subfolder"),
        (good.replace("statfi/a.json", "statfi/../statfi/a.json"), "inside a subfolder"),
        (good.replace("    licence: CC BY 4.0\n", ""), "missing licence"),
        (good + "    colour: blue\n", "unknown field"),
        (good.replace("2027-01-01", "1.1.2027"), "valid_on"),
        (good.replace("2027-01-01", "2027-02-30"), "valid_on"),
        (good + good.replace("files:\n", ""), "listed twice"),
        ("files: [", "not valid YAML"),
        ("- just a list\n", "expected a mapping"),
    ]:
        manifest_file.write_text(bad, encoding="utf-8")
        with pytest.raises(ManifestError, match=message):
            sources_manifest.load(tmp_path)


def test_find_and_latest(tmp_path):
    manifest = sources_manifest.Manifest(tmp_path)
    for path, valid_on in [("m/key_2025.csv", "2025-01-01"), ("m/key_2026.csv", "2026-01-01"), ("m/key_hist.csv", None)]:
        manifest.add_or_replace(sources_manifest.Entry(path=path, role="municipality-key", valid_on=valid_on,
                                                       retrieved="2026-04-02", sha256="0" * 64, licence="CC BY 4.0"))
    assert manifest.latest("municipality-key").path == "m/key_2026.csv"
    assert [e.path for e in manifest.find("municipality-key", valid_on="2025-01-01")] == ["m/key_2025.csv"]
    assert manifest.path(manifest.latest("municipality-key")) == tmp_path / "m" / "key_2026.csv"
    manifest.add_or_replace(sources_manifest.Entry(path="m/key_2026_b.csv", role="municipality-key", valid_on="2026-01-01",
                                                   retrieved="2026-04-02", sha256="0" * 64, licence="CC BY 4.0"))
    with pytest.raises(ManifestError, match="use find"):
        manifest.latest("municipality-key")
    with pytest.raises(ManifestError, match="no dated entry"):
        manifest.latest("posti-pcf")
    with pytest.raises(ManifestError, match="unknown role"):
        manifest.find("municipality_key")


def test_the_repository_manifest_matches_data_sources():
    manifest = sources_manifest.load(ROOT / "data" / "sources")
    listed = {e.path for e in manifest.entries}
    on_disk = {p.relative_to(ROOT / "data" / "sources").as_posix() for p in (ROOT / "data" / "sources" / "municipalities").iterdir()
               if p.is_file() and p.suffix != ".md"}
    assert on_disk <= listed
    assert manifest.latest("municipality-key").path == "municipalities/geofi_municipality_key_2026.csv"


# ----------------------------------------------------------------------------------- Posti
def pcf_record(postcode, fi, sv, type_code, municipal_code, municipal_fi, municipal_sv, lang, date="20270105"):
    fields = [("PONOT", 5), (date, 8), (postcode, 5), (fi, 30), (sv, 30), ("", 12), ("", 12), ("19881101", 8),
              (type_code, 1), ("FI1B1", 5), ("Helsinki-Uusimaa", 30), ("Helsingfors-Nyland", 30),
              (municipal_code, 3), (municipal_fi, 20), (municipal_sv, 20), (lang, 1)]
    return "".join(value.ljust(width) for value, width in fields)


PCF = ("\r\n".join([
    pcf_record("00100", "HELSINKI", "HELSINGFORS", "1", "091", "Helsinki", "Helsingfors", "2"),
    pcf_record("02100", "ESPOO", "ESBO", "1", "049", "Espoo", "Esbo", "2"),
    pcf_record("33006", "VASTAUSLÄHETYS", "SVARSFÖRSÄNDELSE", "5", "091", "Helsinki", "Helsingfors", "2"),
]) + "\r\n").encode("iso-8859-1")


def pcf_zip(name="PCF_20270105.dat", data=PCF) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name, date_time=(2027, 1, 5, 6, 0, 0)), data)  # fixed time: same bytes every call
    return buffer.getvalue()


def test_pcf_rows_match_the_shape_the_build_reads():
    rows = fetch_sources.pcf_rows(pcf_zip())
    assert rows == fetch_sources.pcf_rows(PCF)
    stored = json.loads((ROOT / "data/sources/municipalities/posti_pcf_postcodes_20260526.json").read_text(encoding="utf-8"))
    assert list(rows[0]) == list(stored[0])  # same keys, same order
    assert rows[2] == {
        "date": "20270105", "postcode": "33006", "postcode_fi_name": "VASTAUSLÄHETYS", "postcode_sv_name": "SVARSFÖRSÄNDELSE",
        "postcode_abbr_fi": "", "postcode_abbr_sv": "", "valid_from": "19881101", "type_code": "5", "ad_area_code": "FI1B1",
        "ad_area_fi": "Helsinki-Uusimaa", "ad_area_sv": "Helsingfors-Nyland", "municipal_code": "091",
        "municipal_name_fi": "Helsinki", "municipal_name_sv": "Helsingfors", "municipal_language_ratio_code": "2",
    }
    with pytest.raises(fetch_sources.FetchError, match="PONOT record"):
        fetch_sources.pcf_rows(PCF + b"HEADER\r\n")
    with pytest.raises(fetch_sources.FetchError, match="PONOT record"):
        fetch_sources.pcf_rows(PCF[:150])


def test_posti_fetch_finds_the_newest_zip_and_records_it(server, tmp_path):
    listing = ('<html><a href="https://www.example.invalid/webpcode/PCF_20261231.zip">old</a>'
               '<a href="PCF_20270105.zip">new</a><a href="unzip/PCF_20270106.dat">dat</a>'
               '<a href="BAF_20270105.zip">baf</a></html>').encode()
    server.replace("/webpcode/", listing)
    server.replace("/webpcode/PCF_20270105.zip", pcf_zip())
    index = server.base_url.split("/api/")[0] + "/webpcode/"
    result = fetch("posti", "--index-url", index, "--out", str(tmp_path), "--retry-delay", "0")
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "posti" / "PCF_20270105.zip"
    assert saved.read_bytes() == pcf_zip()
    entry = sources_manifest.load(tmp_path).latest("posti-pcf")
    assert (entry.path, entry.valid_on, entry.url) == ("posti/PCF_20270105.zip", "2027-01-05", index + "PCF_20270105.zip")
    assert entry.sha256 == hashlib.sha256(pcf_zip()).hexdigest()


def test_posti_fetch_refuses_a_file_that_is_not_a_pcf(server, tmp_path):
    server.replace("/webpcode/PCF_20270105.zip", b"<html>moved</html>")
    url = server.base_url.split("/api/")[0] + "/webpcode/PCF_20270105.zip"
    result = fetch("posti", "--url", url, "--out", str(tmp_path), "--retry-delay", "0")
    assert result.returncode == 1 and "PONOT record" in result.stderr
    assert snapshot(tmp_path) == {}
