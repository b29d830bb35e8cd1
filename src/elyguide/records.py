"""Machine-readable output: JSON, JSON Lines, TSV and CSV, built from plain data.

Nothing here passes through Rich or wraps. The JSON of a municipality, a former municipality,
a centre and the service is rendered once, from the data model, into the compiled index
(`json_fragments`); a `find --json` answer is then assembled from those fragments by code,
which keeps batch mode fast and needs no data model at all.
"""

from __future__ import annotations

import json
import re

from .resolve import OUTSIDE_SERVICE_AREA

_SURROGATES = re.compile(r"[\ud800-\udfff]")


def json_safe(text: str) -> str:
    """Lone surrogates (undecodable bytes in argv) cannot be encoded; show U+FFFD instead."""
    return _SURROGATES.sub("\ufffd", text)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# A JSON string literal, as json.dumps writes it (the C encoder when available).
encode_string = json.encoder.encode_basestring


# ------------------------------------------------------------------------------ records
def names(value, langs=("fi", "sv", "en")) -> dict | None:
    return None if value is None else value.as_dict(langs)


def source_record(source) -> dict:
    return {"title": source.title, "url": source.url, "date": source.date, "kind": source.kind}


def centre_brief(centre) -> dict | None:
    if centre is None:
        return None
    return {"id": centre.id, "kind": centre.kind, "name": names(centre.name), "valid_from": centre.valid_from, "valid_until": centre.valid_until}


def centre_record(centre, dataset) -> dict:
    """Everything about a centre, with every contact fact's source and verification date."""
    return {
        "id": centre.id,
        "kind": centre.kind,
        "statfi_code": centre.statfi_code,
        "name": names(centre.name),
        "other_names": [{"lang": lang, "name": name} for lang, name in centre.other_names],
        "official_name": names(centre.official_name, ("fi", "sv")),
        "valid_from": centre.valid_from,
        "valid_until": centre.valid_until,
        "regions": [
            {"code": p.region, "name": names(dataset.regions[p.region].name), "from": p.start, "until": p.end} for p in centre.regions
        ],
        "offices": [
            {"municipality": o.municipality.code, "name": names(o.municipality.name, ("fi", "sv")), "main": o.main} for o in centre.offices
        ],
        "contacts": {
            "phones": [
                {"number": p.number, "kind": p.kind, "charge": names(p.charge.text) if p.charge else None,
                 "source": source_record(p.source), "verified": p.verified}
                for p in centre.phones
            ],
            "postal_addresses": [
                {"kind": a.kind, "lines": list(a.lines), "postcode": a.postcode, "town": a.town,
                 "formatted": a.formatted(centre.name.fi), "source": source_record(a.source), "verified": a.verified}
                for a in centre.postal_addresses
            ],
            "emails": [
                {"address": e.address, "kind": e.kind, "source": source_record(e.source), "verified": e.verified}
                for e in centre.emails
            ],
            "web": [
                {"url": page.url, "lang": page.lang, "source": source_record(page.source), "verified": page.verified}
                for page in dataset.contact_pages.values()
            ],
        },
        "check_at": {lang: check_at(dataset, lang) for lang in ("fi", "sv", "en")},
        "notes": [
            {"text": names(n.text), "handled_by": n.handled_by, "sources": [source_record(s) for s in n.sources]} for n in centre.notes
        ],
        "successors": [{"region": region, "centre": centre_id} for region, centre_id in centre.successors],
    }


def check_at(dataset, lang: str) -> str:
    """Where to check what is not verified: the centres' own contact page."""
    pages = dataset.contact_pages
    return (pages.get(lang) or pages["fi"]).url


def municipality_record(municipality) -> dict:
    return {
        "code": municipality.code,
        "name": names(municipality.name, ("fi", "sv")),
        "region": {"code": municipality.region.code, "name": names(municipality.region.name)},
        "language": {"status": municipality.language.status, "majority": municipality.language.majority},
        "aland": municipality.aland,
    }


def former_record(old) -> dict | None:
    if old is None:
        return None
    return {"code": old.code, "name": names(old.name, ("fi", "sv")), "merged": old.merged, "ceded": old.ceded,
            "successor": old.successor.code if old.successor else None}


def service_record(dataset) -> dict:
    s = dataset.service
    return {
        "id": s.id, "name": names(s.name), "summary": names(s.summary), "how_to_contact": names(s.how_to_contact),
        "free_of_charge": s.free_of_charge, "area": names(s.area), "languages": list(s.languages),
        "source": source_record(s.source), "provider_since_2026": names(s.provider_since_2026),
    }


def aland_record(dataset) -> dict:
    a = dataset.aland
    return {
        "reason": "Åland is outside this service; integration there falls under Åland's own law",
        "handled_by": {"name": names(a.handled_by)},
        "summary": names(a.summary),
        "web": {"url": a.web.url, "source": source_record(a.web.source), "verified": a.web.verified},
        "sources": [source_record(s) for s in a.sources],
    }


def json_fragments(dataset) -> dict:
    """Every record a `find --json` answer can contain, rendered once (into the index)."""
    return {
        "json_municipality": {code: dumps(municipality_record(m)) for code, m in dataset.municipalities.items()},
        "json_former": {code: dumps(former_record(f)) for code, f in dataset.former.items()},
        "json_centre": {cid: dumps(centre_record(c, dataset)) for cid, c in dataset.centres.items()},
        "json_brief": {cid: dumps(centre_brief(c)) for cid, c in dataset.centres.items()},
        "json_fixed": {"service": dumps(service_record(dataset)), "aland": dumps(aland_record(dataset))},
    }


class JsonRenderer:
    """`find` answers as JSON objects with a fixed key order (see README, "JSON output").

    An answer's JSON is "query", then how it matched, then everything that follows from the
    municipality and the date. That last part is rendered once per distinct answer and reused
    as UTF-8 bytes: a batch of 20,000 names repeats a few hundred answers of several kB each.
    """

    TAIL_KEYS = ("municipality", "former_municipality", "centre", "ely_centre", "successor_centre", "candidates",
                 "outside_service_area", "reason", "service")

    def __init__(self, index: dict):
        self.index = index
        self._tails: dict[tuple, bytes] = {}

    def line(self, answer) -> str:
        """One answer (resolve.Answer) as one line of JSON (without the newline)."""
        return self.line_bytes(answer)[:-1].decode("utf-8")

    def line_bytes(self, answer) -> bytes:
        """The same line as UTF-8 bytes, newline included."""
        return b"".join(self.line_parts(answer))

    def line_parts(self, answer) -> tuple[bytes, bytes]:
        """The line in two pieces, the second shared by every answer for the same municipality
        (a batch joins them once, with everything else it writes)."""
        hit = answer.hit
        if hit is None:
            matched = "null"
        else:  # what json.dumps would write, spelled out: this runs for every distinct typo
            postal = "null" if hit.postal_code is None else f'"{hit.postal_code}"'
            matched = f'{{"kind":"{hit.kind}","text":{encode_string(hit.text)},"score":{hit.score!r},"postal_code":{postal}}}'
        head = f'{{"query":{encode_string(json_safe(answer.query))},"status":"{answer.status}","date":"{answer.date}","match":{matched}'
        key = answer[4:]  # municipality, former, centres, options, reason: what the tail depends on
        tail = self._tails.get(key)
        if tail is None:
            if len(self._tails) > 50_000:
                self._tails.clear()
            tail = self._tails[key] = self._render_tail(answer)
        return head.encode("utf-8"), tail

    def _render_tail(self, answer) -> bytes:
        index = self.index
        fixed = index["json_fixed"]
        parts = (
            index["json_municipality"][answer.municipality] if answer.municipality else "null",
            index["json_former"][answer.former] if answer.former else "null",
            index["json_centre"][answer.centre] if answer.centre else "null",
            index["json_brief"][answer.ely_centre] if answer.ely_centre else "null",
            index["json_brief"][answer.successor] if answer.successor else "null",
            dumps([self._candidate(option) for option in answer.options]),
            fixed["aland"] if answer.status == OUTSIDE_SERVICE_AREA else "null",
            dumps(answer.reason),
            fixed["service"],
        )
        return ("".join(f',"{k}":{v}' for k, v in zip(self.TAIL_KEYS, parts)) + "}\n").encode("utf-8")

    def _candidate(self, option) -> dict:
        if option.code is not None:
            fi, sv = self.index["municipalities"][option.code][:2]
        else:
            fi, sv = self.index["former_info"][option.former][:2]
        return {"code": option.code, "name": {"fi": fi, "sv": sv}, "score": round(option.score, 1),
                "kind": option.kind, "text": option.text, "former": option.former}


# ------------------------------------------------------------------------------ tables
FIND_COLUMNS = ("query", "status", "date", "match_kind", "match_text", "score", "municipality_code", "municipality_fi",
                "municipality_sv", "region_code", "region_fi", "centre_id", "centre_fi", "centre_sv", "centre_en",
                "ely_centre_id", "ely_centre_fi", "phone", "postal_address", "email", "check_at", "candidates")


def find_row(result, dataset) -> list[str]:
    m, mun, c = result.match, result.municipality, result.centre
    return [
        json_safe(result.query), result.status, result.date,
        m.kind if m else "", m.text if m else "", f"{m.score:g}" if m else "",
        mun.code if mun else "", mun.name.fi if mun else "", (mun.name.sv or "") if mun else "",
        mun.region.code if mun else "", mun.region.name.fi if mun else "",
        c.id if c else "", c.name.fi if c else "", (c.name.sv or "") if c else "", (c.name.en or "") if c else "",
        result.ely_centre.id if result.ely_centre else "", result.ely_centre.name.fi if result.ely_centre else "",
        "; ".join(p.number for p in c.phones) if c else "",
        " / ".join(", ".join(a.formatted(c.name.fi)) for a in c.postal_addresses) if c else "",
        "; ".join(e.address for e in c.emails) if c else "",
        check_at(dataset, "fi") if c else "",
        "; ".join(f"{x.name.fi} ({x.code or x.former})" for x in result.candidates),
    ]


def table_line(values, fmt: str) -> str:
    """One TSV or CSV line. TSV fields never contain tabs or newlines (they become spaces)."""
    if fmt == "tsv":
        return "\t".join(re.sub(r"[\t\r\n]+", " ", str(v)) for v in values)
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


LIST_COLUMNS = ("municipality_code", "municipality_fi", "municipality_sv", "region_code", "region_fi",
                "centre_id", "centre_fi", "centre_sv", "centre_en", "ely_centre_id", "ely_centre_fi", "date")


def list_record(row) -> dict:
    return {"municipality": municipality_record(row.municipality), "date": row.date,
            "centre": centre_brief(row.centre), "ely_centre": centre_brief(row.ely_centre)}


def list_row(row) -> list[str]:
    m, c, e = row.municipality, row.centre, row.ely_centre
    return [m.code, m.name.fi, m.name.sv or "", m.region.code, m.region.name.fi,
            c.id if c else "", c.name.fi if c else "", (c.name.sv or "") if c else "", (c.name.en or "") if c else "",
            e.id if e else "", e.name.fi if e else "", row.date]


CENTRE_COLUMNS = ("centre_id", "kind", "centre_fi", "centre_sv", "centre_en", "valid_from", "valid_until", "regions",
                  "municipality_count", "phone", "postal_address", "email", "check_at")


def served_municipalities(centre, dataset, date: str | None) -> list:
    """The municipalities a centre serves (on `date`, or over its whole life), by name."""
    from .api import finnish_order

    served = [m for m in dataset.municipalities.values()
              if any(p.region == m.region.code and (date is None or p.covers(date)) for p in centre.regions)]
    return sorted(served, key=lambda m: (finnish_order(m.name.fi), m.code))


def centre_row(centre, dataset, date: str | None) -> list[str]:
    return [centre.id, centre.kind, centre.name.fi, centre.name.sv or "", centre.name.en or "", centre.valid_from,
            centre.valid_until or "", ",".join(centre.region_codes), str(len(served_municipalities(centre, dataset, date))),
            "; ".join(p.number for p in centre.phones),
            " / ".join(", ".join(a.formatted(centre.name.fi)) for a in centre.postal_addresses),
            "; ".join(e.address for e in centre.emails), check_at(dataset, "fi")]


def centre_full_record(centre, dataset, date: str | None) -> dict:
    record = centre_record(centre, dataset)
    served = served_municipalities(centre, dataset, date)
    record["municipality_count"] = len(served)
    record["municipalities"] = [{"code": m.code, "name": names(m.name, ("fi", "sv"))} for m in served]
    record["predecessors"] = [c.id for c in dataset.centres.values() if any(t == centre.id for _, t in c.successors)]
    return record
