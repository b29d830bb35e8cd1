#!/usr/bin/env python3
"""Rebuild data/municipalities.yaml and data/centres.yaml from the raw sources.

Inputs, all in this repository:
  data/sources/                 raw files from Statistics Finland, Posti and others, each listed in
                                data/sources/manifest.yaml with its URL, retrieval time, sha256 and
                                licence; the build finds them there by role, checks every hash and
                                refuses a file the manifest does not list
  data/curated/                 hand-curated facts, each with a source (sources.yaml)

Divisions: the newest municipality key (role municipality-key) is the base division; every
newer Statistics Finland classification fetched with scripts/fetch_sources.py (kunta_1_YYYY0101
and its correspondence tables) adds a division valid from 1 January of its year. Municipalities
merged away, renamed or moved to another region then carry their dates, so answers for a date
use the division of that date.

    python scripts/build_data.py           # rewrite data/*.yaml
    python scripts/build_data.py --check   # exit 1 if data/*.yaml differ from a fresh build

Exit status 2, with a one-line message, when an input is missing, changed or contradicts another.

The output is deterministic: the same inputs give byte-identical files. The script validates its
output with elyguide's own loader, so it never writes data the tool would refuse. It is never
imported at run time.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
CURATED = ROOT / "data" / "curated"
OUTPUT = ROOT / "data"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import sources_manifest  # noqa: E402

from elyguide.api import finnish_order  # noqa: E402
from elyguide.errors import DataError  # noqa: E402

COVERS_FROM = "2021-01-01"
ELY_LAST_DAY = "2025-12-31"
EVK_FIRST_DAY = "2026-01-01"
ALAND_REGION = "21"

# Language status codes of Statistics Finland's kielisuhde classification.
LANGUAGE_STATUS = {
    "0": {"status": "unilingual", "majority": "fi"},
    "1": {"status": "bilingual", "majority": "fi"},
    "2": {"status": "unilingual", "majority": "sv"},
    "3": {"status": "bilingual", "majority": "sv"},
}


class BuildError(Exception):
    pass


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def read_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def pad(code: str, width: int) -> str:
    return str(int(float(code))).zfill(width)


def iso_from_finnish(date: str) -> str:
    day, month, year = date.split(".")
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def postal_title(name: str) -> str:
    """Posti writes localities in capitals: KOSKI TL -> Koski Tl, S:T KARINS -> S:t Karins."""
    return " ".join("-".join(part.capitalize() for part in word.split("-")) for word in name.split(" "))


class Sources:
    """The curated source registry; `cite()` expands an id into the record stored next to a fact."""

    def __init__(self, registry: dict):
        self.registry = dict(registry)
        self.used: set[str] = set()

    def add(self, registry: dict, where: str) -> None:
        """Sources defined in another curated file (its own `sources:` block)."""
        for source_id, entry in registry.items():
            known = self.registry.get(source_id)
            if known is not None:  # the same source may be cited from two files; sources.yaml words it
                if known["url"] != entry["url"]:
                    raise BuildError(f"{where}: source id {source_id!r} has another url than in sources.yaml")
                continue
            self.registry[source_id] = entry

    def cite(self, source_id: str) -> dict:
        if source_id not in self.registry:
            raise BuildError(f"unknown source id {source_id!r}")
        self.used.add(source_id)
        entry = self.registry[source_id]
        return {"id": source_id, "title": entry["title"], "url": entry["url"], "date": entry["date"], "kind": entry["kind"]}


# ------------------------------------------------------------------------------ municipalities
def build_regions(key2026: list[dict]) -> list[dict]:
    regions = {}
    for row in key2026:
        code = pad(row["maakunta_code"], 2)
        regions[code] = {
            "code": code,
            "name": {"fi": row["maakunta_name_fi"].strip(), "sv": row["maakunta_name_sv"].strip(), "en": row["maakunta_name_en"].strip()},
            "aland": code == ALAND_REGION,
        }
    return [regions[code] for code in sorted(regions)]


def region_changes(slim: list[dict]) -> dict[str, list[dict]]:
    """Year-to-year region moves of each current municipality, from the geofi yearly keys."""
    by_code: dict[str, dict[int, str]] = defaultdict(dict)
    for row in slim:
        by_code[row["kunta"]][int(row["year"])] = pad(row["maakunta_code"], 2)
    changes: dict[str, list[dict]] = {}
    for code, years in by_code.items():
        ordered = sorted(years)
        for previous, year in zip(ordered, ordered[1:]):
            if years[previous] != years[year]:
                changes.setdefault(code, []).append({"date": f"{year}-01-01", "from": years[previous], "to": years[year]})
    return changes


def build_municipalities(key2026, key2025, slim, statfi_fi, posti, inflections, sami_names, sources: Sources) -> list[dict]:
    key2025_by_code = {pad(row["kunta"], 3): row for row in key2025}
    raw_fi_labels = {item["code"]: item["classificationItemNames"][0]["name"] for item in statfi_fi}
    posti_names = {(row["municipal_code"], row["municipal_name_fi"], row["municipal_name_sv"]) for row in posti}
    changes = region_changes(slim)
    out = []
    for row in sorted(key2026, key=lambda r: pad(r["kunta"], 3)):
        code = pad(row["kunta"], 3)
        region = pad(row["maakunta_code"], 2)
        name = {"fi": row["municipality_name_fi"].strip(), "sv": row["municipality_name_sv"].strip()}
        if pad(key2025_by_code[code]["maakunta_code"], 2) != region:
            raise BuildError(f"{code}: region differs between the 2025 and 2026 keys")
        aliases = []
        if raw_fi_labels.get(code, name["fi"]) != name["fi"]:
            aliases.append({"name": raw_fi_labels[code], "source": sources.cite("statfi-kunta-2025")})
        for posti_code, posti_fi, posti_sv in sorted(posti_names):
            for alias in (posti_fi, posti_sv):
                if posti_code == code and alias not in name.values() and alias not in [a["name"] for a in aliases]:
                    aliases.append({"name": alias, "source": sources.cite("posti-pcf-2026")})
        entry = {
            "code": code,
            "name": name,
            "region": region,
            "language": {"code": int(row["kielisuhde_code"]), **LANGUAGE_STATUS[row["kielisuhde_code"]]},
            "aland": region == ALAND_REGION,
            "aliases": aliases,
            "other_names": [{"name": n["name"], "lang": n["lang"], "source": sources.cite(n["source"])}
                            for n in sami_names.get(code, [])],
            "region_changes": changes.get(code, []),
        }
        if code in inflections:
            curated = inflections[code]
            entry["inflected"] = {
                "stems": curated.get("stems", []),
                "words": curated.get("words", []),
                "source": sources.cite(curated["source"]) if curated.get("source") else None,
            }
        out.append(entry)
    return out


def build_former(kuntar, additions, slim, names_sv_rows, current_codes, sources: Sources) -> list[dict]:
    rows = {row["Lakkautuskunta"]: {"name": row["Nimike"], "date": row["Ajankohta"], "into": row["Liitoskunta"],
                                    "into_name": row["Nimike_1"], "source": None} for row in kuntar}
    for row in additions:
        if row["old_code"] in rows:
            raise BuildError(f"addition {row['old_code']} is already in the official list")
        rows[row["old_code"]] = {"name": row["old_name_fi"], "date": row["date"], "into": row["joined_to_code"], "into_name": row["joined_to_name_fi"], "source": row["source"]}
    last_year: dict[str, dict] = {}
    for row in slim:
        if row["kunta"] not in current_codes:
            if row["kunta"] not in last_year or int(row["year"]) > int(last_year[row["kunta"]]["year"]):
                last_year[row["kunta"]] = row
    names_sv = {row["old_code"]: row for row in names_sv_rows}
    unknown = set(names_sv) - set(rows)
    if unknown:
        raise BuildError(f"Swedish names for unknown former codes: {sorted(unknown)}")

    def successor(code: str, seen: tuple = ()) -> str | None:
        into = rows[code]["into"]
        if into == "NA":
            return None
        if into in current_codes:
            return into
        if into in seen or into not in rows:
            raise BuildError(f"former {code}: cannot follow successor {into}")
        return successor(into, seen + (code,))

    out = []
    for code in sorted(rows):
        row = rows[code]
        merged = iso_from_finnish(row["date"])
        if code in last_year:
            # The yearly keys show the last year the code existed; the merger took effect on
            # 1 January after it (the official list dates three 2015 mergers by their decision).
            effective = f"{int(last_year[code]['year']) + 1}-01-01"
            if effective != merged and row["date"].startswith("1.1."):
                raise BuildError(f"former {code}: list says {merged}, yearly keys say {effective}")
            merged = effective
        ceded = row["into"] == "NA"
        name_sv, name_sv_source = None, None
        if code in last_year:
            name_sv, name_sv_source = last_year[code]["municipality_name_sv"].strip(), sources.cite("statfi-yearly-keys")
        if code in names_sv:
            curated = names_sv[code]
            name_sv = curated["name_sv"]
            name_sv_source = {
                "id": None, "title": curated["source_title"], "url": curated["source_url"],
                "date": None if curated["source_date"] == "undated" else curated["source_date"],
                "kind": curated["source_class"],
            }
        entry = {
            "code": code,
            "name": {"fi": row["name"], "sv": name_sv},
            "name_sv_source": name_sv_source,
            # The region it lay in before the merger, where Statistics Finland's yearly keys
            # (2013 on) record it: lets elyguide check a pre-merger date's centre.
            "region": pad(last_year[code]["maakunta_code"], 2) if code in last_year else None,
            "merged": merged,
            "merged_into": None if ceded else {"code": row["into"], "name": row["into_name"]},
            "successor": successor(code),
            "ceded": ceded,
            "source": sources.cite(row["source"]) if row["source"] else None,
        }
        if ceded and merged[:4] not in ("1944", "1934"):
            raise BuildError(f"former {code}: ceded but dated {merged}")
        out.append(entry)
    return out


def build_postal(posti: list[dict], current_codes: set[str]) -> tuple[dict, dict, list[str]]:
    """Postal codes (code -> [municipality, type, locality fi, locality sv]), the postal
    localities of ordinary postal areas as place names (name -> municipalities), and the
    place names that belong to several municipalities."""
    codes = {}
    places: dict[str, set[str]] = defaultdict(set)
    for row in sorted(posti, key=lambda r: r["postcode"]):
        if row["municipal_code"] not in current_codes:
            raise BuildError(f"postal code {row['postcode']}: unknown municipality {row['municipal_code']}")
        fi, sv = postal_title(row["postcode_fi_name"]), postal_title(row["postcode_sv_name"])
        codes[row["postcode"]] = FlowList([row["municipal_code"], int(row["type_code"]), fi, sv])
        if row["type_code"] == "1":  # ordinary postal areas only: PO boxes and customer codes are not places
            places[fi].add(row["municipal_code"])
            places[sv].add(row["municipal_code"])
    place_names = {name: FlowList(sorted(places[name])) for name in sorted(places, key=lambda n: (finnish_order(n), n))}
    ambiguous = [name for name, municipalities in place_names.items() if len(municipalities) > 1]
    return codes, place_names, ambiguous


# ---------------------------------------------------------------------------------- centres
def cite_fact(fact: dict, sources: Sources, fields: tuple[str, ...]) -> dict:
    out = {field: fact[field] for field in fields if field in fact}
    out["source"] = sources.cite(fact["source"])
    if "verified" in fact:
        out["verified"] = fact["verified"]
    return out


def build_centres(curated, key2025, key2026, municipalities, sources: Sources) -> list[dict]:
    ely_names = {}
    ely_regions: dict[str, set[str]] = defaultdict(set)
    for row in key2025:
        region = pad(row["maakunta_code"], 2)
        if region == ALAND_REGION:  # code 16 "Ahvenanmaa" in the ELY key is not an ELY centre
            continue
        code = str(int(float(row["ely_code"])))
        ely_names[code] = {"fi": row["ely_name_fi"].strip(), "sv": row["ely_name_sv"].strip(), "en": " ".join(row["ely_name_en"].split())}
        ely_regions[code].add(region)
    evk_names = {}
    evk_regions: dict[str, set[str]] = defaultdict(set)
    for row in key2026:
        region = pad(row["maakunta_code"], 2)
        if region == ALAND_REGION:  # a statistical assignment; Åland is outside this service
            continue
        code = str(int(float(row["evk_code"])))
        evk_names[code] = {"fi": row["evk_name_fi"].strip(), "sv": row["evk_name_sv"].strip(), "en": row["evk_name_en"].strip()}
        evk_regions[code].add(region)
    evk_by_region = {region: code for code, regions in evk_regions.items() for region in regions}
    municipality_codes = {m["code"] for m in municipalities}

    centres = []
    ids_by_kind_code = {(c["kind"], c["statfi_code"]): c["id"] for c in curated["centres"]}
    for c in curated["centres"]:
        ely = c["kind"] == "ely"
        names_key, regions_key = (ely_names, ely_regions) if ely else (evk_names, evk_regions)
        if c["statfi_code"] not in names_key:
            raise BuildError(f"{c['id']}: no Statistics Finland entry {c['statfi_code']}")
        statfi_name = names_key[c["statfi_code"]]
        statfi_source = sources.cite("statfi-ely-2025" if ely else "statfi-evk-2026")
        name = dict(statfi_name)
        other_names = []
        if "name_sv" in c:  # the form the centres use themselves; keep Statistics Finland's too
            name["sv"] = c["name_sv"]["text"]
            other_names.append({"lang": "sv", "name": statfi_name["sv"], "source": statfi_source})
        for extra in c.get("other_names_en", []):
            other_names.append({"lang": "en", "name": extra["text"], "source": sources.cite(extra["source"])})
        official = {lang: {"name": value["text"], "source": sources.cite(value["source"])} for lang, value in c.get("official_name", {}).items()}
        for office in c.get("offices", []):
            if office["municipality"] not in municipality_codes:
                raise BuildError(f"{c['id']}: office in unknown municipality {office['municipality']}")
        contacts = c.get("contacts", {})
        entry = {
            "id": c["id"],
            "kind": c["kind"],
            "statfi_code": c["statfi_code"],
            "name": name,
            "name_source": statfi_source,
            "name_sv_source": sources.cite(c["name_sv"]["source"]) if "name_sv" in c else statfi_source,
            "other_names": other_names,
            "official_name": official,
            "valid_from": COVERS_FROM if ely else EVK_FIRST_DAY,
            "valid_until": ELY_LAST_DAY if ely else None,
            "regions": [
                {"region": region, "from": COVERS_FROM if ely else EVK_FIRST_DAY, "until": ELY_LAST_DAY if ely else None, "source": statfi_source}
                for region in sorted(regions_key[c["statfi_code"]])
            ],
            "offices": [cite_fact(o, sources, ("municipality", "main")) for o in c.get("offices", [])],
            "contacts": {
                "phones": [cite_fact(p, sources, ("number", "kind", "label", "charge", "charge_text", "as_written"))
                           for p in contacts.get("phones", [])],
                "emails": [cite_fact(e, sources, ("address", "kind", "label")) for e in contacts.get("emails", [])],
                "postal_addresses": [cite_fact(a, sources, ("kind", "lines", "postcode", "town", "lang"))
                                     for a in contacts.get("postal_addresses", [])],
                "web": [cite_fact(w, sources, ("url", "lang")) for w in contacts.get("web", [])],
            },
            "notes": [
                {"text": note["text"], "handled_by": note.get("handled_by"), "sources": [sources.cite(x) for x in note["sources"]]}
                for note in c.get("notes", [])
            ],
        }
        if ely:
            entry["successors"] = [
                {"region": region, "centre": ids_by_kind_code[("elinvoimakeskus", evk_by_region[region])]}
                for region in sorted(regions_key[c["statfi_code"]])
            ]
        centres.append(entry)
    return centres


def build_centres_file(curated_centres, service, key2025, key2026, municipalities, key_files: list[str], sources: Sources) -> dict:
    web = {
        lang: {"url": page["url"], "lang": lang, "source": sources.cite(page["source"]), "verified": page["verified"]}
        for lang, page in curated_centres["elinvoimakeskus_web"].items()
    }
    charges = {
        prefix: {"text": charge["text"], "sources": [sources.cite(s) for s in charge["sources"]], "verified": charge["verified"]}
        for prefix, charge in curated_centres["call_charges"].items()
    }
    svc = dict(service["service"])
    svc["source"] = sources.cite(svc["source"])
    svc["provider_since_2026"] = {
        "text": svc["provider_since_2026"]["text"],
        "sources": [sources.cite(s) for s in svc["provider_since_2026"]["sources"]],
    }
    aland = dict(service["aland"])
    aland["handled_by"] = {"name": aland["handled_by"]["name"], "source": sources.cite(aland["handled_by"]["source"])}
    aland["sources"] = [sources.cite(s) for s in aland["sources"]]
    aland["web"] = {"url": aland["web"]["url"], "lang": "sv", "source": sources.cite(aland["web"]["source"]), "verified": aland["web"]["verified"]}
    centres = build_centres(curated_centres, key2025, key2026, municipalities, sources)
    return {
        "meta": {
            "title": "Regional state centres that guide municipalities on immigration, integration and refugee reception",
            "generated_by": "scripts/build_data.py",
            "inputs": ["data/curated/centres.yaml", "data/curated/service.yaml", "data/curated/sources.yaml", *key_files],
            "sources": "cited next to every fact (title, url, date, kind: official or secondary)",
            "research": ["data/sources/centres/centres-research.md", "data/sources/centres/contacts-2026-research.md",
                         "data/sources/centres/contact-verification-2026-11-27.md"],
            "covers_from": COVERS_FROM,
            "ely_until": ELY_LAST_DAY,
            "elinvoimakeskus_from": EVK_FIRST_DAY,
            "contacts_verified": max(_verified_dates(curated_centres)),
            "licences": {
                "statistics_finland": sources_manifest.LICENCE_STATFI,
                "curated_facts": "Facts from public authorities' pages, cited per fact; the compilation is under this repository's licence",
            },
        },
        "service": svc,
        "call_charges": charges,
        "elinvoimakeskus_web": web,
        "aland": aland,
        "centres": centres,
    }


def _verified_dates(curated_centres) -> list[str]:
    dates = [page["verified"] for page in curated_centres["elinvoimakeskus_web"].values()]
    for centre in curated_centres["centres"]:
        for facts in centre.get("contacts", {}).values():
            dates.extend(fact["verified"] for fact in facts)
    return dates


def file_name(entry) -> str:
    """The file's name without the statfi_ prefix of older snapshots: kunta_1_20250101_fi.json."""
    return Path(entry.path).name.removeprefix("statfi_")


class Inputs:
    """The raw inputs, found in the manifest by role (no file is named here)."""

    def __init__(self, manifest: sources_manifest.Manifest):
        self.manifest = manifest
        self.used: list = []

    def entry(self, role: str, *, valid_on: str | None = None, name: str | None = None):
        found = [e for e in self.manifest.find(role, valid_on) if name is None or file_name(e) == name]
        if not found:
            raise BuildError(f"the manifest lists no {role} input" + (f" valid on {valid_on}" if valid_on else "")
                             + (f" named like {name}" if name else ""))
        entry = max(found, key=lambda e: (e.valid_on or "", e.path))
        if entry not in self.used:
            self.used.append(entry)
        return entry

    def text(self, entry) -> str:
        return self.manifest.path(entry).read_text(encoding="utf-8")

    def csv(self, role: str, **kwargs) -> list[dict[str, str]]:
        lines = [line for line in self.text(self.entry(role, **kwargs)).splitlines(keepends=True) if not line.startswith("#")]
        return list(csv.DictReader(lines))

    def json(self, role: str, **kwargs):
        return json.loads(self.text(self.entry(role, **kwargs)))

    def keys(self) -> list:
        """The municipality keys, oldest first: the newest is the base division."""
        return sorted(self.manifest.find("municipality-key"), key=lambda e: e.valid_on or "")

    def next_years(self, base: str) -> list[str]:
        """The classification dates after the base of every fetched kunta classification."""
        return sorted({e.valid_on for e in self.manifest.find("statfi-classification")
                       if e.valid_on and e.valid_on > base and file_name(e).startswith("kunta_1_")})


def build_municipalities_file(sources: Sources, inputs: Inputs) -> tuple[dict, tuple]:
    keys = inputs.keys()
    if len(keys) < 2:
        raise BuildError("the manifest must list the base municipality key and the one with the ELY centres (2025)")
    base_entry, ely_entry = keys[-1], next(e for e in reversed(keys) if e.valid_on <= ELY_LAST_DAY)
    inputs.used += [base_entry, ely_entry]
    base_key = list(csv.DictReader(inputs.text(base_entry).splitlines(keepends=True)))
    ely_key = list(csv.DictReader(inputs.text(ely_entry).splitlines(keepends=True)))
    base = base_entry.valid_on
    slim = inputs.csv("municipality-key-history")
    # The official Finnish labels (some differ from the key's names: aliases), of the newest
    # kunta classification up to the base.
    labelled = [e for e in inputs.manifest.find("statfi-classification")
                if file_name(e).startswith("kunta_1_") and file_name(e).endswith("_fi.json") and (e.valid_on or "") <= base]
    if not labelled:
        raise BuildError(f"the manifest lists no Finnish kunta classification valid on or before {base}")
    label_entry = max(labelled, key=lambda e: e.valid_on)
    inputs.used.append(label_entry)
    labels = json.loads(inputs.text(label_entry))
    posti = inputs.json("postal-codes")
    kuntar = inputs.csv("abolished-municipalities")
    additions = read_csv(CURATED / "mergers_after_2019.csv")
    names_sv = read_csv(CURATED / "former_municipality_names_sv.csv")
    inflections = read_yaml(CURATED / "inflections.yaml")
    sami = read_yaml(CURATED / "sami_names.yaml")
    sources.add(sami["sources"], "sami_names.yaml")
    for names in sami["names"].values():
        for name in names:
            for corroborating in name.get("also") or ():  # kept in the curated file, not the data
                sources.cite(corroborating)
    provinces_input = read_yaml(CURATED / "provinces.yaml")
    sources.add(provinces_input["sources"], "provinces.yaml")

    regions = build_regions(base_key)
    municipalities = build_municipalities(base_key, ely_key, slim, labels, posti, inflections, sami["names"], sources)
    current = {m["code"] for m in municipalities}
    former = build_former(kuntar, additions, slim, names_sv, current, sources)
    for row in additions:
        sources.cite(row["source"])
    postal_codes, place_names, ambiguous_places = build_postal(posti, current)
    divisions = [{"valid_from": base}]
    for year in inputs.next_years(base):
        add_division(municipalities, regions, year, inputs, additions)
        divisions[-1]["valid_until"] = day_before(year)
        divisions.append({"valid_from": year})
    divisions[-1]["valid_until"] = f"{divisions[-1]['valid_from'][:4]}-12-31"
    newest = [m for m in municipalities if "valid_until" not in m]
    document = {
        "meta": {
            "title": "Finnish municipalities, their regions, former municipalities and postal codes",
            "generated_by": "scripts/build_data.py",
            "valid_on": divisions[-1]["valid_from"],
            "valid_until": divisions[-1]["valid_until"],
            "divisions": divisions,
            "covers_from": COVERS_FROM,
            "sources": [input_source(e, sources) for e in inputs.used] + CURATED_INPUTS,
            "licences": {"statistics_finland": sources_manifest.LICENCE_STATFI, "posti": sources_manifest.LICENCE_POSTI},
            "counts": {
                "municipalities": len(newest),
                "mainland": sum(not m["aland"] for m in newest),
                "aland": sum(m["aland"] for m in newest),
                "former_municipalities": len(former),
                "ceded": sum(f["ceded"] for f in former),
                "postal_codes": len(postal_codes),
                "place_names": len(place_names),
            },
        },
        "regions": regions,
        "municipalities": municipalities,
        "former_municipalities": former,
        "postal_codes": postal_codes,
        "place_names": place_names,
        "ambiguous_place_names": ambiguous_places,
        "provinces": build_provinces(provinces_input, {r["code"] for r in regions}, sources),
    }
    key_files = [f"data/sources/{e.path}" for e in (ely_entry, base_entry)]
    return document, (ely_key, base_key, municipalities, key_files)


def build_provinces(curated: dict, region_codes: set[str], sources: Sources) -> dict:
    """The old provinces (lääni), whose abbreviations tell same-named municipalities apart,
    and the historical provinces (historialliset maakunnat). An old province lists every region
    it ever covered, even in part (a qualifier only chooses between a few same-named places);
    a historical province lists the regions it mainly covers."""
    def regions(entry: dict, wide: bool) -> list[str]:
        codes = list(entry.get("regions") or [])
        if wide or not codes:
            codes += entry.get("regions_partly") or []
        if wide:
            codes += list((entry.get("regions_earlier") or {}).keys())
        unknown = set(codes) - region_codes
        if unknown:
            raise BuildError(f"province {entry['id']}: unknown regions {sorted(unknown)}")
        return sorted(set(codes))

    def sourced(entry: dict) -> list[dict]:
        return [sources.cite(s) for s in entry["sources"]]

    old = [dict(id=f"laani-{p['id']}", name=p["name"], abbreviations=FlowList(p.get("abbreviations") or []),
                    regions=FlowList(regions(p, True)), ceded=bool(p.get("ceded")), sources=sourced(p))
           for p in curated["old_provinces"]]
    historical = [dict(id=f"historical-{p['id']}", name=p["name"], regions=FlowList(regions(p, False)), sources=sourced(p))
                  for p in curated["historical_provinces"]]
    for entry in curated["old_provinces"]:
        for ids in (entry.get("abbreviation_sources") or {}).values():
            for source_id in ids:
                sources.cite(source_id)
    return {"old": old, "historical": historical}


CURATED_INPUTS = [
    {"file": "data/curated/mergers_after_2019.csv", "what": "mergers of 2020, 2021 and 2025, hand-curated with a source per merger"},
    {"file": "data/curated/former_municipality_names_sv.csv", "what": "Swedish names of former municipalities, hand-curated with a source per name"},
    {"file": "data/curated/inflections.yaml", "what": "irregular Finnish inflected forms, hand-curated"},
    {"file": "data/curated/sami_names.yaml", "what": "Sámi names of the municipalities of the Sámi homeland, with a source per name"},
    {"file": "data/curated/provinces.yaml", "what": "old and historical provinces and their abbreviations, with a source per fact"},
]


def input_source(entry, sources: Sources) -> dict:
    """How meta.sources lists one raw input: from its manifest entry, citing the curated source
    registry where it describes the same address."""
    listed = {"file": f"data/sources/{entry.path}", "what": sources_manifest.ROLES[entry.role],
              "snapshot": entry.retrieved[:10], "licence": entry.licence}
    if entry.url:
        known = next((source_id for source_id, known in sources.registry.items() if known["url"] == entry.url), None)
        listed["source"] = sources.cite(known) if known else {
            "id": None, "title": f"{file_name(entry)} ({entry.role}, valid on {entry.valid_on})" if entry.valid_on else file_name(entry),
            "url": entry.url, "date": entry.retrieved[:10], "kind": "official"}
    return listed


def day_before(iso: str) -> str:
    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()


def statfi_items(inputs: Inputs, name: str, year: str, lang: str) -> dict[str, str]:
    """code -> name of one language of a fetched Statistics Finland classification."""
    cid = f"{name}_1_{year.replace('-', '')}"
    items = inputs.json("statfi-classification", valid_on=year, name=f"{cid}_{lang}.json")
    return {item["code"]: item["classificationItemNames"][0]["name"].strip() for item in items}


def statfi_pairs(inputs: Inputs, source: str, target: str, year: str, *, optional: bool = False) -> dict[str, str]:
    """source code -> target code of a fetched correspondence table."""
    from fetch_sources import correspondence_pairs

    name = f"{source}__{target}.json"
    if optional and not [e for e in inputs.manifest.find("statfi-correspondence", year) if file_name(e) == name]:
        return {}
    data = inputs.text(inputs.entry("statfi-correspondence", valid_on=year, name=name)).encode("utf-8")
    return dict(correspondence_pairs(data, name))


def add_division(municipalities: list[dict], regions: list[dict], year: str, inputs: Inputs, mergers: list[dict]) -> None:
    """Bring in the division valid from `year` (YYYY-01-01): municipalities merged away end the
    day before, new ones begin, renamed ones keep their old names, moved ones their old region."""
    stamp = year.replace("-", "")
    previous_stamp = f"{int(year[:4]) - 1}0101"
    names = {lang: statfi_items(inputs, "kunta", year, lang) for lang in ("fi", "sv")}
    region_of = statfi_pairs(inputs, f"kunta_1_{stamp}", f"maakunta_1_{stamp}", year)
    changes = statfi_pairs(inputs, f"kunta_1_{previous_stamp}", f"kunta_1_{stamp}", year, optional=True)
    known_regions = {r["code"] for r in regions}
    by_code = {m["code"]: m for m in municipalities if "valid_until" not in m}
    curated = {row["old_code"]: row["joined_to_code"] for row in mergers if iso_from_finnish(row["date"]) == year}
    for code, entry in by_code.items():
        if code in names["fi"]:
            continue
        successor = changes.get(code) or curated.get(code)
        if successor is None or successor not in names["fi"]:
            raise BuildError(f"{year}: municipality {code} ({entry['name']['fi']}) is not in the new division, and neither "
                             "the change table nor data/curated/mergers_after_2019.csv says where it went")
        entry["valid_until"], entry["merged_into"] = day_before(year), successor
    for code in names["fi"]:
        region = pad(region_of.get(code, ""), 2) if region_of.get(code) else None
        if region is None or region not in known_regions:
            raise BuildError(f"{year}: municipality {code} has no known region")
        name = {"fi": names["fi"][code], "sv": names["sv"].get(code) or names["fi"][code]}
        entry = by_code.get(code)
        if entry is None:  # formed by a merger: it begins now; Statistics Finland classifies its languages later
            municipalities.append({"code": code, "name": name, "region": region, "language": None, "aland": region == ALAND_REGION,
                                   "aliases": [], "other_names": [], "region_changes": [], "valid_from": year})
            continue
        if name != entry["name"]:
            entry.setdefault("names_before", []).append({"until": day_before(year), "name": entry["name"]})
            entry["name"] = name
        if region != entry["region"]:
            entry["region_changes"].append({"date": year, "from": entry["region"], "to": region})
            entry["region"], entry["aland"] = region, region == ALAND_REGION
    municipalities.sort(key=lambda m: m["code"])


class FlowList(list):
    """A short list written on one line, e.g. ['091', 1, Helsinki, Helsingfors]."""



class _Dumper(yaml.SafeDumper):
    """Block style for records, flow style for short leaf mappings; never wrap inside a line."""

    def increase_indent(self, flow=False, indentless=False):  # indent list items under their key
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):  # spell every fact out; no &anchors for a reader to chase
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str):
    # Quote every code and date: plain 08 is a string to PyYAML but the number 8 to YAML 1.2
    # parsers, and plain 045 is an integer to many.
    style = "'" if value[:1].isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(FlowList, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True))


def dump(document: dict, header: str) -> str:
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=None, width=4096)
    return header + body


HEADER = """# GENERATED by scripts/build_data.py from data/sources/ and data/curated/. Do not edit by hand:
# change the inputs and rebuild (`python scripts/build_data.py`). To patch a local copy for
# your organisation instead, see README, "Local data updates".
"""
MUNICIPALITIES_HEADER = HEADER + """#
# postal_codes:  code: [municipality, Posti's type, locality in Finnish, locality in Swedish]
#                types: 1 ordinary postal area, 2 PO boxes, 3 customer code, 4 other,
#                5 reply mail, 6 parcel machine, 7 pick-up point
# place_names:   the localities of ordinary postal areas: name: [municipalities]; a name that
#                belongs to several municipalities must be listed in ambiguous_place_names
"""


def build() -> dict[str, str]:
    try:
        manifest = sources_manifest.load(SOURCES)
    except sources_manifest.ManifestError as error:
        raise BuildError(str(error)) from None
    sources = Sources(read_yaml(CURATED / "sources.yaml"))
    municipalities_doc, (key2025, key2026, municipalities, key_files) = build_municipalities_file(sources, Inputs(manifest))
    centres_doc = build_centres_file(
        read_yaml(CURATED / "centres.yaml"), read_yaml(CURATED / "service.yaml"), key2025, key2026, municipalities, key_files, sources
    )
    unused = set(sources.registry) - sources.used
    if unused:
        raise BuildError(f"sources.yaml has unused ids: {sorted(unused)}")
    return {
        "municipalities.yaml": dump(municipalities_doc, MUNICIPALITIES_HEADER),
        "centres.yaml": dump(centres_doc, HEADER),
    }


def validate(files: dict[str, str]) -> None:
    """Load the fresh output with elyguide's own loader: the build never writes refused data."""
    import tempfile

    from elyguide.index import read_documents

    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            Path(folder, name).write_text(text, encoding="utf-8")
        read_documents(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if data/*.yaml differ from a fresh build")
    args = parser.parse_args(argv)
    try:
        files = build()
        validate(files)
    except (BuildError, DataError) as error:
        print(f"build_data: {error}", file=sys.stderr)
        return 2
    stale = [name for name, text in files.items() if not (OUTPUT / name).exists() or (OUTPUT / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"build_data: data/{name} differs from a fresh build; run scripts/build_data.py", file=sys.stderr)
        return 1 if stale else 0
    for name, text in files.items():
        (OUTPUT / name).write_text(text, encoding="utf-8")
    print(f"build_data: wrote {', '.join('data/' + n for n in files)} ({'changed: ' + ', '.join(stale) if stale else 'unchanged'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
