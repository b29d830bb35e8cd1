"""Hostile data folders: alias bombs, duplicate keys, huge files, pipes and devices, damaged
caches, missing folders. Each is one line and exit status 5 (2 for an empty --data-dir), fast,
from every command."""

from __future__ import annotations

import os
import re
import time

import pytest

COMMANDS = (["find", "Kuopio"], ["list"], ["centres"], ["centre", "itä-suomi"], ["about"])


def assert_data_error(result, *fragments: str) -> str:
    assert result.exit_code == 5, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("elyguide: data error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_alias_bomb_is_refused_fast(cli, data_copy):
    bomb = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    for i in range(1, 12):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    (data_copy / "centres.yaml").write_text(bomb, encoding="utf-8")
    start = time.perf_counter()
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml", "aliases are not allowed")
    assert time.perf_counter() - start < 5  # refused before expanding, not after


def test_self_referencing_alias(cli, data_copy):
    (data_copy / "centres.yaml").write_text("a: &a [*a]\n", encoding="utf-8")
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml")


def test_duplicate_keys_are_refused(cli, data_copy):
    path = data_copy / "centres.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("meta:\n", "meta:\n  title: x\n", 1), encoding="utf-8")
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml", "duplicate key 'title'")


def test_huge_file_is_refused_unread(cli, data_copy):
    with (data_copy / "municipalities.yaml").open("ab") as handle:
        handle.truncate(65 << 20)  # sparse: costs no disk
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "municipalities.yaml", "refused")


def test_fifo_and_device_are_refused_without_reading(cli, data_copy):
    (data_copy / "centres.yaml").unlink()
    os.mkfifo(data_copy / "centres.yaml")  # reading it would block for ever
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml", "not a regular file")
    (data_copy / "centres.yaml").unlink()
    os.symlink("/dev/zero", data_copy / "centres.yaml")
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml", "not a regular file")


def test_python_object_tag_is_refused_and_never_run(cli, data_copy, tmp_path):
    marker = tmp_path / "pwned"
    path = data_copy / "centres.yaml"
    path.write_text(f"evil: !!python/object/apply:os.system ['touch {marker}']\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml", "line ")
    assert not marker.exists()


def test_not_utf8_truncated_and_empty(cli, data_copy):
    path = data_copy / "centres.yaml"
    original = path.read_bytes()
    path.write_bytes(original.replace("Sisä".encode(), "Sis\xe4".encode("latin-1"), 1))
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml", "not UTF-8")
    path.write_bytes(original[: len(original) // 3])
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml")
    path.write_text("", encoding="utf-8")
    assert_data_error(cli("find", "Kuopio", "--data-dir", str(data_copy)), "centres.yaml", "top level must be a mapping")


@pytest.mark.parametrize("args", COMMANDS)
def test_a_bad_data_dir_gives_the_same_status_from_every_command(cli, tmp_path, args):
    assert_data_error(cli(*args, "--data-dir", str(tmp_path / "nowhere")), "nowhere", "not found")
    assert_data_error(cli(*args, "--data-dir", "/etc/passwd"), "/etc/passwd", "not a directory")
    assert_data_error(cli(*args, env={"ELYGUIDE_DATA_DIR": str(tmp_path / "nowhere")}), "nowhere")
    empty = cli(*args, "--data-dir", "")
    assert empty.exit_code == 2 and len(empty.stderr.strip().splitlines()) == 1
    missing = tmp_path / "empty"
    missing.mkdir()
    assert_data_error(cli(*args, "--data-dir", str(missing)), "file not found")


def test_damaged_or_stale_cache_is_ignored_with_a_note(cli, data_copy):
    from elyguide import index

    cli("data", "compile", str(data_copy))
    cache = data_copy / "compiled.json"
    blob = bytearray(cache.read_bytes())
    blob[len(blob) // 2] ^= 0x20  # one flipped bit in the body
    cache.write_bytes(bytes(blob))
    index._datasets.clear()
    result = cli("find", "Kuopio", "--json", "--data-dir", str(data_copy), "--lang", "en")
    assert result.exit_code == 0 and result.json()["municipality"]["code"] == "297"
    assert "damaged" in result.stderr and "elyguide data compile" in result.stderr
    cache.write_bytes(b"garbage")
    index._datasets.clear()
    assert cli("find", "Kuopio", "--data-dir", str(data_copy)).exit_code == 0


def _edited_headers(header: dict):
    """The cache's header with where the sections lie edited, every way outside testing tried."""
    sections = header["sections"]
    first, second = sorted(sections)[:2]
    yield {**header, "sections": {**sections, first: sections[second], second: sections[first]}}  # two swapped
    yield {**header, "sections": {**sections, first: "here"}}  # not an offset at all


def test_a_damaged_cache_header_is_never_an_internal_error(cli, data_copy):
    import json

    from elyguide import index

    cli("data", "compile", str(data_copy))
    cache = data_copy / "compiled.json"
    head, body = cache.read_bytes().split(b"\n", 1)
    for header in _edited_headers(json.loads(head)):
        cache.write_bytes(json.dumps(header).encode() + b"\n" + body)
        index._datasets.clear()
        result = cli("find", "Kuopio", "--json", "--data-dir", str(data_copy), "--lang", "en")  # damage is found on loading
        assert result.exit_code == 0 and "damaged" in result.stderr, (header["sections"] if isinstance(header["sections"], str) else "", result)


def test_edited_yaml_is_not_shadowed_by_the_compiled_cache(cli, data_copy):
    from elyguide import index

    cli("data", "compile", str(data_copy))
    path = data_copy / "centres.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("0295 036 100", "0295 036 199"), encoding="utf-8")
    index._datasets.clear()
    result = cli("find", "Tampere", "--json", "--data-dir", str(data_copy), "--lang", "en")
    assert "0295 036 199" in result.stdout and "0295 036 100" not in result.stdout and "stale" in result.stderr


def test_nothing_is_written_at_lookup_time(cli, data_copy):
    before = sorted(os.listdir(data_copy))
    cli("find", "Kuopio", "--data-dir", str(data_copy))
    assert sorted(os.listdir(data_copy)) == before


ENGLISH = {"not", "file", "refused", "directory", "duplicate", "allowed", "line", "column", "bytes", "found", "key"}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_data_errors_in_the_readers_language(cli, data_copy, tmp_path, lang):
    """What is wrong with a folder or file is said in Finnish or Swedish; only what YAML and
    the schema say of a file's content stays technical English (for whoever edits it)."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    cases = [str(tmp_path / "missing"), str(tmp_path / "afile")]
    for name, text in (("dup", "a: 1\na: 2\n"), ("alias", "a: &x 1\nb: *x\n")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "centres.yaml").write_text(text, encoding="utf-8")
        (folder / "municipalities.yaml").write_bytes((data_copy / "municipalities.yaml").read_bytes())
        cases.append(str(folder))
    (data_copy / "municipalities.yaml").write_bytes(b"\xff\xfe not utf-8")
    cases.append(str(data_copy))
    for folder in cases:
        from elyguide import index

        index._datasets.clear()
        said = cli("find", "Kuopio", "--data-dir", folder, "--lang", lang)
        assert said.exit_code == 5, folder
        line = said.stderr.strip().split(": ", 2)[2].replace(folder, "")
        assert not ENGLISH & set(re.findall(r"[a-z]+", line.lower())), (folder, said.stderr)
