"""Machine-readable output: JSON, JSON Lines, CSV, TSV and Excel-friendly CSV, built from the model.

Nothing here passes through Rich or wraps, and machine formats are always UTF-8. The JSON of
a municipality, a former municipality, a centre and the service is rendered once, into the
compiled index (`json_fragments`); a `find --json` answer is assembled from those fragments by
code, which keeps batch mode fast. A centre whose contacts were refreshed from the registry is
rendered afresh instead.
"""

from __future__ import annotations

import json

from .model import LANGUAGES
from .normalize import printable
from .resolve import OUTSIDE_SERVICE_AREA


def json_safe(text: str) -> str:
    """Lone surrogates (undecodable bytes in argv) cannot be encoded; show U+FFFD instead."""
    if text.isascii():
        return text
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


# json.dumps(value, ensure_ascii=False, separators=(",", ":")), without building an encoder per call
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# A JSON string literal, as json.dumps writes it (the C encoder when available).
encode_string = json.encoder.encode_basestring


# ------------------------------------------------------------------------------ records
def names(value, langs=LANGUAGES) -> dict | None:
    return None if value is None else value.as_dict(langs)


def source_record(source) -> dict:
    return {"title": source.title, "url": source.url, "date": source.date, "kind": source.kind}


def centre_brief(centre) -> dict | None:
    if centre is None:
        return None
    return {"id": centre.id, "kind": centre.kind, "name": names(centre.name), "valid_from": centre.valid_from,
            "valid_until": centre.valid_until}


def phone_record(p) -> dict:
    return {"number": p.number, "e164": p.e164, "kind": p.kind, "label": names(p.label),
            "charge": names(p.charge.text) if p.charge else None, "source": source_record(p.source), "verified": p.verified}


def web_pages(centre, dataset) -> list:
    """The centre's own pages, then the centres' shared contact page (for every language)."""
    return [*centre.web, *dataset.contact_pages.values()]


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
        "regions": [{"code": p.region, "name": names(dataset.region(p.region).name), "from": p.start, "until": p.end}
                    for p in centre.regions],
        "offices": [{"municipality": o.municipality.code, "name": names(o.municipality.name, ("fi", "sv")), "main": o.main}
                    for o in centre.offices],
        "contacts": {
            "phones": [phone_record(p) for p in centre.phones],
            "postal_addresses": [
                {"kind": a.kind, "lines": list(a.lines), "postcode": a.postcode, "town": a.town, "lang": a.lang,
                 "formatted": a.formatted(centre.name.get(a.lang)), "source": source_record(a.source), "verified": a.verified}
                for a in centre.postal_addresses
            ],
            "emails": [{"address": e.address, "kind": e.kind, "label": names(e.label), "source": source_record(e.source),
                        "verified": e.verified} for e in centre.emails],
            "web": [{"url": page.url, "lang": page.lang, "source": source_record(page.source), "verified": page.verified}
                    for page in web_pages(centre, dataset)],
        },
        "refreshed": centre.refreshed,
        "check_at": {lang: dataset.check_at(lang) for lang in LANGUAGES},
        "notes": [{"text": names(n.text), "handled_by": n.handled_by, "sources": [source_record(s) for s in n.sources]}
                  for n in centre.notes],
        "successors": [{"region": region, "centre": centre_id} for region, centre_id in centre.successors],
    }


def municipality_record(m) -> dict:
    return {
        "code": m.code,
        "valid_from": m.valid_from,
        "valid_until": m.valid_until,
        "name": names(m.name, ("fi", "sv")),
        "other_names": [{"name": o.name, "lang": o.lang} for o in m.other_names],
        "region": {"code": m.region.code, "name": names(m.region.name)},
        "language": None if m.language is None else {"status": m.language.status, "majority": m.language.majority},
        "aland": m.aland,
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


def region_record(region_answer) -> dict | None:
    if region_answer is None:
        return None
    centre = region_answer.centre
    return {"code": region_answer.region.code, "name": names(region_answer.region.name),
            "centre": None if centre is None else {"id": centre.id, "name": names(centre.name)}}


def province_record(province, dataset, date: str) -> dict | None:
    if province is None:
        return None
    regions = []
    for code in province.regions:
        centre = dataset.centre_on(code, date)
        regions.append({"code": code, "name": names(dataset.region(code).name),
                        "centre": None if centre is None else {"id": centre.id, "name": names(centre.name)}})
    return {"id": province.id, "kind": province.kind, "name": names(province.name), "regions": regions}


def warning_records(warnings) -> list:
    from .messages import warning_text

    return [{"code": w.code, "text": {lang: warning_text(w, lang) for lang in LANGUAGES}}
            for w in warnings]


def reason_text(reason) -> str | None:
    """A reason in English, as JSON gives it (human output says it in the reader's language)."""
    if reason is None:
        return None
    from .messages import message

    return message(reason.id, "en", **dict(reason.values))


def candidate_record(c) -> dict:
    name = c.municipality.name if c.municipality is not None else c.former.name
    return {"code": c.municipality.code if c.municipality else None, "name": names(name, ("fi", "sv")),
            "score": round(c.score, 1), "kind": c.kind, "text": c.text, "former": c.former.code if c.former else None}


def json_fragments(dataset) -> dict:
    """Every record a `find --json` answer can contain, rendered once (into the index)."""
    centres = dataset.centres()
    return {
        "json_municipality": {code: dumps(municipality_record(m)) for code, m in dataset.municipalities().items()},
        "json_former": {code: dumps(former_record(f)) for code, f in dataset.former_municipalities().items()},
        "json_centre": {cid: dumps(centre_record(c, dataset)) for cid, c in centres.items()},
        "json_brief": {cid: dumps(centre_brief(c)) for cid, c in centres.items()},
        "json_fixed": {"service": dumps(service_record(dataset)), "aland": dumps(aland_record(dataset))},
    }


class JsonRenderer:
    """`find` answers as JSON objects with a fixed key order (see README, "JSON output").

    An answer's JSON is "query", then how it matched, then everything that follows from the
    municipality and the date. That last part is rendered once per distinct answer and reused
    as UTF-8 bytes: a batch of 20,000 names repeats a few hundred answers of several kB each.
    """

    KEYS = ("query", "status", "date", "match", "municipality", "former_municipality", "centre", "ely_centre",
            "successor_centre", "candidates", "outside_service_area", "reason", "region", "province", "warnings", "service")

    def __init__(self, dataset):
        self.dataset = dataset
        self.fragments = dataset.sections
        self._tails: dict[tuple, bytes] = {}

    def line_parts(self, result) -> tuple[bytes, bytes]:
        """The line in two pieces, the second shared by every answer for the same municipality
        (a batch joins them once, with everything else it writes)."""
        m = result.match
        if m is None:
            matched = "null"
        else:  # what json.dumps would write, spelled out: this runs for every distinct query
            postal = "null" if m.postal_code is None else f'"{m.postal_code}"'
            matched = f'{{"kind":"{m.kind}","text":{encode_string(m.text)},"score":{m.score!r},"postal_code":{postal}}}'
        head = f'{{"query":{encode_string(json_safe(result.query))},"status":"{result.status}","date":"{result.date}","match":{matched}'
        key = tail_key(result)
        tail = self._tails.get(key)
        if tail is None:
            if len(self._tails) > 10_000:  # several kB each: a bound on a batch's memory
                self._tails.clear()
            tail = self._tails[key] = self._render_tail(result)
        return head.encode("utf-8"), tail

    def _centre(self, centre, full: bool) -> str:
        if centre is None:
            return "null"
        if full and centre.refreshed is not None:
            return dumps(centre_record(centre, self.dataset))
        return self.fragments["json_centre" if full else "json_brief"][centre.id]

    def _render_tail(self, result) -> bytes:
        fragments = self.fragments
        fixed = fragments["json_fixed"]
        municipality = result.municipality
        parts = (
            "null" if municipality is None else fragments["json_municipality"][municipality.code]
            if municipality is self.dataset.municipality(municipality.code) else dumps(municipality_record(municipality)),
            "null" if result.former is None else fragments["json_former"].get(result.former.code)
            or dumps(former_record(result.former)),  # a municipality merged within the data's divisions
            self._centre(result.centre, True),
            self._centre(result.ely_centre, False),
            self._centre(result.successor_centre, False),
            dumps([candidate_record(c) for c in result.candidates]),
            fixed["aland"] if result.status == OUTSIDE_SERVICE_AREA else "null",
            dumps(reason_text(result.reason)),
            dumps(region_record(result.region)),
            dumps(province_record(result.province, self.dataset, result.date)),
            dumps(warning_records(result.warnings)),
            fixed["service"],
        )
        return ("".join(f',"{k}":{v}' for k, v in zip(self.KEYS[4:], parts)) + "}\n").encode("utf-8")


def tail_key(result) -> tuple:
    """What everything after "match" depends on, cheaply: codes and ids, not whole objects."""
    return (result.status, result.date, result.municipality.code if result.municipality else None,
            result.former.code if result.former else None, result.centre.id if result.centre else None,
            result.ely_centre.id if result.ely_centre else None,
            result.successor_centre.id if result.successor_centre else None,
            tuple((c.municipality.code if c.municipality else None, c.former.code if c.former else None, c.score, c.kind, c.text)
                  for c in result.candidates),
            result.reason, result.region.region.code if result.region else None,
            result.province.id if result.province else None, result.warnings)


# ------------------------------------------------------------------------------ tables
FIND_COLUMNS = ("query", "status", "date", "match_kind", "match_text", "match_score", "municipality_code", "municipality_fi",
                "municipality_sv", "region_code", "region_fi", "centre_id", "centre_fi", "centre_sv", "centre_en",
                "ely_centre_id", "ely_centre_fi", "phone", "postal_address", "email", "check_at", "contacts_secondary",
                "centre_ceased", "warnings", "candidates")


def contact_columns(centre, dataset, date: str) -> list[str]:
    """phone, postal address, e-mail, where to check, whether a secondary source stands behind
    any of them, and whether the centre has ceased."""
    if centre is None:
        return ["", "", "", "", "", ""]
    facts = (*centre.phones, *centre.postal_addresses, *centre.emails)
    return [
        "; ".join(p.number for p in centre.phones),
        " / ".join(", ".join(a.formatted(centre.name.get(a.lang))) for a in centre.postal_addresses),
        "; ".join(e.address for e in centre.emails),
        dataset.check_at("fi"),
        "true" if any(f.source.secondary for f in facts) else "false",
        "true" if centre.valid_until is not None and centre.valid_until < date else "false",
    ]


def find_row_head(result, fmt: str = "csv") -> list[str]:
    """The columns that differ for every query: the query and how it was read. For Excel the
    score has a decimal comma, as Finnish and Swedish Excel read numbers."""
    m = result.match
    score = (f"{m.score:g}".replace(".", ",") if fmt == "excel" else f"{m.score:g}") if m else ""
    return [json_safe(result.query), result.status, result.date, m.kind if m else "", m.text if m else "", score]


def find_row_tail(result, dataset) -> list[str]:
    """The columns that follow from the answer alone (see tail_key): a batch renders them once."""
    mun, c, ely = result.municipality, result.centre, result.ely_centre
    region = mun.region if mun else result.region.region if result.region else None
    if c is None and result.region is not None:
        c = result.region.centre  # a region named: the centre that serves it
    return [
        mun.code if mun else "", mun.name.fi if mun else "", (mun.name.sv or "") if mun else "",
        region.code if region else "", region.name.fi if region else "",
        c.id if c else "", c.name.fi if c else "", (c.name.sv or "") if c else "", (c.name.en or "") if c else "",
        ely.id if ely else "", ely.name.fi if ely else "",
        *contact_columns(c, dataset, result.date),
        ",".join(w.code for w in result.warnings),
        "; ".join(f"{(x.municipality or x.former).name.fi} ({x.municipality.code if x.municipality else x.former.code})"
                  for x in result.candidates),
    ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RISKY_FIRST = frozenset("=+-@\t\r \"'")  # most cells start otherwise: one set lookup decides


def cell(value) -> str:
    """A table cell no spreadsheet reads as a formula - one that would start with = + - or @
    gets a leading apostrophe, which spreadsheets show as text (OWASP, "CSV injection") - and
    no terminal reads as a command: control and bidi characters are shown escaped."""
    text = printable(str(value))
    # also after the quotes and blanks a reader may strip: '"=1"' is =1 to a csv reader
    if text[:1] in _RISKY_FIRST and text.lstrip(" \"'").startswith(_FORMULA_START):
        return "'" + text
    return text


def table_line(values, fmt: str) -> str:
    """One TSV, CSV or Excel line, without its line end. TSV fields never contain tabs or
    newlines (they become spaces); CSV quotes as RFC 4180 says (and Python's csv module does);
    Excel's uses semicolons."""
    if fmt == "tsv":
        return "\t".join(" ".join(cell(v).replace("\t", " ").splitlines()) for v in values)
    delimiter = ";" if fmt == "excel" else ","
    return delimiter.join(_quoted(cell(v), delimiter) for v in values)


def _quoted(text: str, delimiter: str) -> str:
    if delimiter in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


LINE_END = {"tsv": "\n", "csv": "\r\n", "excel": "\r\n"}
TABLE_FORMATS = tuple(LINE_END)
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one


LIST_COLUMNS = ("municipality_code", "municipality_fi", "municipality_sv", "region_code", "region_fi",
                "centre_id", "centre_fi", "centre_sv", "centre_en", "ely_centre_id", "ely_centre_fi", "date", "warnings")


def list_record(row, warnings) -> dict:
    return {"municipality": municipality_record(row.municipality), "date": row.date,
            "centre": centre_brief(row.centre), "ely_centre": centre_brief(row.ely_centre), "warnings": warning_records(warnings)}


def list_row(row, warnings) -> list[str]:
    m, c, e = row.municipality, row.centre, row.ely_centre
    return [m.code, m.name.fi, m.name.sv or "", m.region.code, m.region.name.fi,
            c.id if c else "", c.name.fi if c else "", (c.name.sv or "") if c else "", (c.name.en or "") if c else "",
            e.id if e else "", e.name.fi if e else "", row.date, ",".join(w.code for w in warnings)]


CENTRE_COLUMNS = ("centre_id", "kind", "centre_fi", "centre_sv", "centre_en", "valid_from", "valid_until", "regions",
                  "municipality_count", "phone", "postal_address", "email", "check_at", "contacts_secondary", "centre_ceased",
                  "warnings")


def centre_row(centre, dataset, served: list, date: str, warnings) -> list[str]:
    return [centre.id, centre.kind, centre.name.fi, centre.name.sv or "", centre.name.en or "", centre.valid_from,
            centre.valid_until or "", ",".join(centre.region_codes), str(len(served)), *contact_columns(centre, dataset, date),
            ",".join(w.code for w in warnings)]


def centre_full_record(centre, dataset, served: list, warnings) -> dict:
    record = centre_record(centre, dataset)
    record["municipality_count"] = len(served)
    record["municipalities"] = [{"code": m.code, "name": names(m.name, ("fi", "sv"))} for m in served]
    record["predecessors"] = [c.id for c in dataset.centres().values() if any(t == centre.id for _, t in c.successors)]
    record["warnings"] = warning_records(warnings)
    return record
