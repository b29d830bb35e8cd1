"""Whatever comes in as a query: generated queries through the real CLI, and named cases."""

from __future__ import annotations

import json
import time

import pytest
from conftest import elyguide_command, run
from fuzz_cli import check, queries

import elyguide


def test_10000_generated_queries_through_the_real_cli():
    # tests/fuzz_cli.py runs longer batches (`--count 1000000`) before a release
    check([*elyguide_command(), "find", "-", "--json"], queries(10_000, seed=2026))


@pytest.mark.parametrize("query", ["", " ", "\t", "\u00a0", "\u200b", "   \u3000 "])
def test_empty_and_blank_queries_are_usage_errors(cli, query):
    result = cli("find", query, "--lang", "en")
    assert result.exit_code == 2 and "empty query" in result.stderr and result.stdout == ""
    with pytest.raises(elyguide.UsageError):
        elyguide.find(query)


def test_blank_lines_in_a_batch_keep_their_place(cli):
    out = cli("find", "-", "--json", input="Kuopio\n\n  \nVaasa\n").stdout.splitlines()
    assert [json.loads(line)["status"] for line in out] == ["found", "not_found", "not_found", "found"]


def test_a_100000_character_query_is_answered_quickly(dataset):
    from elyguide.match import match

    query = "Kuopio" * 16_667
    start = time.perf_counter()
    outcome = match(query, dataset)
    assert time.perf_counter() - start < 1.0  # a bound on pathological slowness, not a benchmark
    assert outcome.status == "not_found"
    result = run("find", query[:100_000], "--json")
    assert result.returncode == 1 and json.loads(result.stdout)["status"] == "not_found"


def test_nul_bytes_and_surrogates():
    result = run("find", "-", "--json", input=b"Kuo\x00pio\n\x00\nVaasa\x00\n")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3 and records[0]["municipality"]["code"] == "297" and records[2]["municipality"]["code"] == "905"
    assert elyguide.find("\x00Vaasa").municipality.code == "905"
    assert elyguide.find("\udcffKuopio").municipality.code == "297"
    assert elyguide.find("\ud800").status == "not_found"
    result = run("find", "Kuopio\udce4", "--json", env={"LANG": "C", "LC_ALL": "C"})
    record = json.loads(result.stdout)
    assert result.returncode == 0 and record["query"].startswith("Kuopio") and "\udce4" not in record["query"]


def test_invalid_utf8_lines_are_read_as_windows_1252():
    data = "Kuopio\r\n".encode() + b"J\xe4ms\xe4\r\n" + b"\xff\xfe\r\n" + "Vaasa".encode()
    result = run("find", "-", "--json", input=data)
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [r["municipality"]["code"] if r["municipality"] else None for r in records] == ["297", "182", None, "905"]
    assert b"not UTF-8" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize("query", ["\u200bKuopio", "Kuo\u200dpio", "\u200fKuopio\u200e", "\u202eKuopio\u202c", "\ufeffKuopio",
                                   "Ku\u0308opio".replace("\u0308", ""), "🦆 Kuopio 🦆"])
def test_invisible_marks_and_emoji(cli, query):
    assert cli.json("find", query)["municipality"]["code"] == "297"


def test_rich_markup_is_printed_literally_and_controls_escaped(cli):
    out = cli("find", "[bold red]Kuopiox[/]", "--lang", "en").stdout
    assert "[bold red]Kuopiox[/]" in out
    result = cli("find", "\x1b[31mXyzzyq\x1b[0m\x07\x08\x9b")
    assert result.exit_code == 1
    for char in ("\x1b", "\x07", "\x08", "\x9b"):
        assert char not in result.stdout and char not in result.stderr
    assert "\\x1b[31mXyzzyq" in result.stdout
    bad_date = cli("find", "Kuopio", "--on", "\x1b[2J")
    assert bad_date.exit_code == 2 and "\x1b" not in bad_date.stderr
    batch = cli("find", "-", input="\x1b]0;x\x07Pyhä\n").stdout
    assert "\x1b" not in batch and "\x07" not in batch
