"""Broken data gives one line naming the file, where and what (exit status 5), never a crash.

Generated from the real data: every field of one record of every kind is deleted once and
given the wrong type once, and the documents are validated as a lookup would validate them.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from elyguide.errors import DataError
from elyguide.schema_centres import read_document as read_centres
from elyguide.schema_municipalities import read_document as read_municipalities

DATA = ROOT / "data"
OPTIONAL = {  # fields a record may leave out (a required one is required in the schema, once)
    "municipalities": {"aliases", "other_names", "region_changes", "inflected"},
    "former_municipalities": {"region", "name_sv_source", "merged_into", "source"},  # successor: unless ceded
    "centres": {"official_name", "other_names", "offices", "notes", "successors", "valid_until", "name_source",
                "name_sv_source"},
    "phones": {"charge", "as_written", "label", "charge_text"},
    "emails": {"label"},
    "postal_addresses": {"lang"},
    "web": set(),
    "provinces.old": set(),
    "provinces.historical": set(),
}


@pytest.fixture(scope="module")
def documents():
    load = lambda name: yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: E731
    return load("municipalities.yaml"), load("centres.yaml")


def validate(mdoc, cdoc, municipalities=None) -> None:
    municipalities = municipalities or read_municipalities(mdoc, "municipalities.yaml")
    read_centres(cdoc, "centres.yaml", municipalities)


def _first_with(records: list, field: str) -> dict:
    return next(r for r in records if r.get(field))


def record_paths(mdoc, cdoc):
    """(kind, document index 0/1, path to one record of that kind)."""
    centre = next(i for i, c in enumerate(cdoc["centres"]) if c["contacts"].get("phones") and c["contacts"].get("emails")
                  and c["contacts"].get("postal_addresses") and c.get("official_name"))
    yield "regions", 0, ("regions", 0)
    yield "municipalities", 0, ("municipalities", next(i for i, m in enumerate(mdoc["municipalities"]) if m.get("aliases")))
    yield "former_municipalities", 0, ("former_municipalities", next(i for i, f in enumerate(mdoc["former_municipalities"])
                                                                     if f.get("name_sv_source") and f.get("region")))
    yield "provinces.old", 0, ("provinces", "old", 0)
    yield "provinces.historical", 0, ("provinces", "historical", 0)
    yield "centres", 1, ("centres", centre)
    yield "phones", 1, ("centres", centre, "contacts", "phones", 0)
    yield "emails", 1, ("centres", centre, "contacts", "emails", 0)
    yield "postal_addresses", 1, ("centres", centre, "contacts", "postal_addresses", 0)
    yield "service", 1, ("service",)
    yield "aland", 1, ("aland",)
    yield "call_charges", 1, ("call_charges", next(iter(cdoc["call_charges"])))
    yield "web", 1, ("elinvoimakeskus_web", "fi")
    yield "meta (municipalities)", 0, ("meta",)
    yield "meta (centres)", 1, ("meta",)


def _get(doc, path):
    for step in path:
        doc = doc[step]
    return doc


def _wrong(value):
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, str):
        return 12345
    if isinstance(value, (int, float)):
        return "x"
    return "x" if isinstance(value, (list, dict)) else [1]


def cases():
    mdoc = yaml.load((DATA / "municipalities.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    cdoc = yaml.load((DATA / "centres.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for kind, which, path in record_paths(mdoc, cdoc):
        record = _get((mdoc, cdoc)[which], path)
        for field in record:
            yield pytest.param(kind, which, path, field, "delete", id=f"{kind}-{field}-delete")
            yield pytest.param(kind, which, path, field, "mistype", id=f"{kind}-{field}-mistype")


def _copied_along(doc, path):
    """A copy of `doc` in which only the containers on `path` are new (the rest is shared)."""
    top = copy.copy(doc)
    parent = top
    for step in path:
        child = copy.copy(parent[step])
        parent[step] = child
        parent = child
    return top


@pytest.fixture(scope="module")
def validated_municipalities(documents):
    return read_municipalities(documents[0], "municipalities.yaml")


@pytest.mark.parametrize("kind, which, path, field, how", list(cases()))
def test_every_field_is_checked(documents, validated_municipalities, kind, which, path, field, how):
    docs = list(documents)
    docs[which] = _copied_along(documents[which], path)
    record = _get(docs[which], path)
    if how == "delete":
        del record[field]
    else:
        record[field] = _wrong(record[field])
    reuse = validated_municipalities if which == 1 else None
    optional = field in OPTIONAL.get(kind, set())
    if how == "delete" and optional:
        validate(*docs, reuse)
        return
    with pytest.raises(DataError) as raised:
        validate(*docs, reuse)
    message = str(raised.value)
    assert "\n" not in message and ("municipalities.yaml", "centres.yaml")[which] in message


def _write(tmp_path: Path, mdoc, cdoc) -> Path:
    for name, doc in (("municipalities.yaml", mdoc), ("centres.yaml", cdoc)):
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        (tmp_path / name).write_text(yaml.dump(doc, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("field", ["kind", "verified"])
def test_a_broken_phone_is_a_data_error_through_the_cli(cli, documents, tmp_path, field):
    mdoc, cdoc = copy.deepcopy(documents[0]), copy.deepcopy(documents[1])
    phone = next(c for c in cdoc["centres"] if c["contacts"].get("phones"))["contacts"]["phones"][0]
    del phone[field]
    result = cli("find", "Kuopio", "--data-dir", str(_write(tmp_path, mdoc, cdoc)))
    assert result.exit_code == 5 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("elyguide: data error: ") and "centres.yaml" in lines[0] and field in lines[0]


def test_edits_that_break_the_whole(documents):
    """Cross-record rules: one centre per region per date, successors that exist, unique codes."""
    cases = []
    mdoc, cdoc = copy.deepcopy(documents[0]), copy.deepcopy(documents[1])
    cdoc["centres"][0]["regions"][0]["until"] = "2026-06-30"
    cdoc["centres"][0]["valid_until"] = "2026-06-30"
    cases.append((mdoc, cdoc, ("two centres", "does not serve")))
    mdoc, cdoc = copy.deepcopy(documents[0]), copy.deepcopy(documents[1])
    next(c for c in cdoc["centres"] if c.get("successors"))["successors"][0]["centre"] = "evk-atlantis"
    cases.append((mdoc, cdoc, ("unknown centre 'evk-atlantis'",)))
    mdoc, cdoc = copy.deepcopy(documents[0]), copy.deepcopy(documents[1])
    mdoc["municipalities"][1]["code"] = mdoc["municipalities"][0]["code"]
    cases.append((mdoc, cdoc, ("duplicate municipality code",)))
    mdoc, cdoc = copy.deepcopy(documents[0]), copy.deepcopy(documents[1])
    mdoc["postal_codes"]["00100"][0] = "999"
    cases.append((mdoc, cdoc, ("unknown municipality '999'",)))
    for mdoc, cdoc, expected in cases:
        with pytest.raises(DataError) as raised:
            validate(mdoc, cdoc)
        assert any(e in str(raised.value) for e in expected), raised.value
