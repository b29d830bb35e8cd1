"""Broken data gives one line naming the file, where and what, with exit status 5."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import run


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def assert_data_error(cli, data_dir: Path, file: str, *fragments: str):
    result = cli("find", "Kuopio", "--data-dir", str(data_dir))
    assert result.exit_code == 5, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("elyguide: data error: ") and file in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def test_missing_file(cli, data_copy):
    (data_copy / "centres.yaml").unlink()
    assert_data_error(cli, data_copy, "centres.yaml", "file not found")


def test_missing_directory(cli, tmp_path):
    assert_data_error(cli, tmp_path / "nowhere", "nowhere", "data directory not found")


def test_truncated_yaml(cli, data_copy):
    path = data_copy / "municipalities.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 3], encoding="utf-8")
    assert_data_error(cli, data_copy, "municipalities.yaml")


def test_yaml_syntax_error_names_line_and_column(cli, data_copy):
    edit(data_copy / "centres.yaml", "centres:\n", "centres: [\n")
    assert_data_error(cli, data_copy, "centres.yaml", "line ", "column ")


def test_wrong_type(cli, data_copy):
    edit(data_copy / "municipalities.yaml", "aland: false", "aland: 'no'")
    assert_data_error(cli, data_copy, "municipalities.yaml", "aland", "expected bool")


def test_duplicated_code(cli, data_copy):
    edit(data_copy / "municipalities.yaml", "code: '009'", "code: '005'")
    assert_data_error(cli, data_copy, "municipalities.yaml", "duplicate municipality code '005'")


def test_region_with_two_centres_on_one_date(cli, data_copy):
    # Let Uusimaa's ELY centre go on serving after its successor has started.
    edit(data_copy / "centres.yaml", "      - region: '01'\n        from: '2021-01-01'\n        until: '2025-12-31'",
         "      - region: '01'\n        from: '2021-01-01'\n        until: '2026-06-30'")
    edit(data_copy / "centres.yaml", "    valid_until: '2025-12-31'", "    valid_until: '2026-06-30'")
    line = assert_data_error(cli, data_copy, "centres.yaml")
    assert "two centres" in line or "does not serve region" in line


def test_dangling_successor(cli, data_copy):
    edit(data_copy / "centres.yaml", "centre: evk-uusimaa", "centre: evk-atlantis")
    assert_data_error(cli, data_copy, "centres.yaml", "unknown centre 'evk-atlantis'")


def test_dangling_municipality_reference(cli, data_copy):
    edit(data_copy / "municipalities.yaml", "'00100': ['091',", "'00100': ['999',")
    assert_data_error(cli, data_copy, "municipalities.yaml", "postal_codes.00100", "unknown municipality '999'")


def test_python_object_tag_is_refused_and_never_run(cli, data_copy, tmp_path):
    marker = tmp_path / "pwned"
    edit(data_copy / "centres.yaml", "meta:\n", f"evil: !!python/object/apply:os.system ['touch {marker}']\nmeta:\n")
    assert_data_error(cli, data_copy, "centres.yaml", "line ", "python/object/apply:os.system")
    assert not marker.exists()


def test_not_utf8(cli, data_copy):
    path = data_copy / "centres.yaml"
    path.write_bytes(path.read_bytes().replace("Sisä".encode(), "Sis\xe4".encode("latin-1"), 1))
    assert_data_error(cli, data_copy, "centres.yaml", "not UTF-8")


def test_empty_file(cli, data_copy):
    (data_copy / "centres.yaml").write_text("", encoding="utf-8")
    assert_data_error(cli, data_copy, "centres.yaml", "top level must be a mapping")


def test_contact_without_verification_date(cli, data_copy):
    edit(data_copy / "centres.yaml", "          verified: '2026-11-27'\n", "", 1)
    assert_data_error(cli, data_copy, "centres.yaml", "missing 'verified'")


def test_alias_mapping_two_municipalities_is_refused(cli, data_copy):
    edit(data_copy / "municipalities.yaml", "      - name: Maarianhamina - Mariehamn", "      - name: Kuopio")
    assert_data_error(cli, data_copy, "municipalities.yaml", "'kuopio' belongs to several municipalities")


def test_place_name_for_two_municipalities_must_be_marked(cli, data_copy):
    edit(data_copy / "municipalities.yaml", "ambiguous_place_names: [Längelmäki, Mariehamn, Tikkala, Tornio]",
         "ambiguous_place_names: [Längelmäki, Mariehamn, Tikkala]")
    assert_data_error(cli, data_copy, "municipalities.yaml", "place_names.Tornio", "not listed in ambiguous_place_names")


def test_edited_yaml_is_not_shadowed_by_the_compiled_cache(data_copy):
    from elyguide.data import compile_cache

    compile_cache(data_copy, data_copy)  # as the wheel ships them
    before = json.loads(run("about", "--json", "--data-dir", str(data_copy)).stdout)
    assert before["compiled_cache"] is True
    edit(data_copy / "centres.yaml", "number: '0295 036 100'", "number: '0295 036 199'")
    for fmt in ("--json", "--format=tsv"):
        result = run("find", "Tampere", fmt, "--data-dir", str(data_copy))
        assert result.returncode == 0
        assert b"0295 036 199" in result.stdout and b"0295 036 100" not in result.stdout
    assert json.loads(run("about", "--json", "--data-dir", str(data_copy)).stdout)["compiled_cache"] is False


def test_data_dir_from_environment(cli, data_copy):
    edit(data_copy / "centres.yaml", "number: '0295 036 100'", "number: '0295 036 177'")
    result = cli("find", "Tampere", "--json", env={"ELYGUIDE_DATA_DIR": str(data_copy)})
    assert "0295 036 177" in result.stdout


def test_data_error_in_a_subprocess_is_one_line(data_copy):
    (data_copy / "municipalities.yaml").write_text("meta: [unclosed\n", encoding="utf-8")
    result = run("find", "Kuopio", "--json", "--data-dir", str(data_copy))
    assert result.returncode == 5
    assert result.stdout == b""
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert re.search(r"municipalities\.yaml: line \d+, column \d+", result.stderr.decode())


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(cli, data_copy):
    (data_copy / "centres.yaml").chmod(0)
    assert_data_error(cli, data_copy, "centres.yaml", "cannot read")


def test_two_centres_for_one_region(cli, data_copy):
    # Lounais-Suomi also claims Uusimaa from 2026: two centres answer for region 01.
    edit(data_copy / "centres.yaml", "      - region: '02'\n        from: '2026-01-01'",
         "      - region: '01'\n        from: '2026-01-01'\n        until: null\n        source: {title: x, url: 'https://example.org', date: null, kind: official}\n      - region: '02'\n        from: '2026-01-01'")
    assert_data_error(cli, data_copy, "centres.yaml", "two centres for region 01")
