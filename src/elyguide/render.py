"""Turn results into text for people (plain, or Rich on a terminal) and for machines.

Machine formats (JSON, JSON Lines, TSV, CSV) are built here from plain data and never pass
through Rich. Human text is laid out once, as lines of styled segments, and then either printed
plainly or handed to Rich for colour: both show the same words. Nothing from a query or the
data is ever parsed as markup, and control characters are shown escaped, never sent to the
terminal.
"""

from __future__ import annotations

import json
import re
import textwrap

from .messages import format_date, message
from .model import Centre, Names, Source
from .resolve import AMBIGUOUS, FOUND, NO_CURRENT_MUNICIPALITY, OUTSIDE_SERVICE_AREA, FindResult

# ------------------------------------------------------------------------------ safety
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe for a terminal: control, format and bidi characters shown as escapes."""
    return _UNSAFE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xFF else f"\\x{ord(m.group()):02x}", text)


def json_safe(text: str) -> str:
    """Lone surrogates (undecodable bytes in argv) cannot be encoded; show U+FFFD instead."""
    return _SURROGATES.sub("\ufffd", text)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ------------------------------------------------------------------------------ records
def names(value: Names | None, langs=("fi", "sv", "en")) -> dict | None:
    return None if value is None else value.as_dict(langs)


def source_record(source: Source) -> dict:
    return {"title": source.title, "url": source.url, "date": source.date, "kind": source.kind}


def centre_brief(centre: Centre | None) -> dict | None:
    if centre is None:
        return None
    return {"id": centre.id, "kind": centre.kind, "name": names(centre.name), "valid_from": centre.valid_from, "valid_until": centre.valid_until}


def centre_record(centre: Centre, dataset) -> dict:
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


class JsonRenderer:
    """find results as JSON objects with a fixed key order (see README, "JSON output").

    The parts that do not depend on the query (a centre, the service) are serialised once and
    reused, which keeps batch mode fast.
    """

    KEYS = ("query", "status", "date", "match", "municipality", "former_municipality", "centre", "ely_centre",
            "successor_centre", "candidates", "outside_service_area", "reason", "service")

    def __init__(self, dataset):
        self.dataset = dataset
        self._cache: dict[tuple, str] = {}

    def _cached(self, key: tuple, build) -> str:
        text = self._cache.get(key)
        if text is None:
            text = self._cache[key] = dumps(build())
        return text

    def record(self, result: FindResult) -> dict:
        return json.loads(self.line(result))

    def line(self, result: FindResult) -> str:
        dataset = self.dataset
        m, c = result.match, result.centre
        parts = [
            dumps(json_safe(result.query)),
            dumps(result.status),
            dumps(result.date),
            "null" if m is None else dumps({
                "kind": m.kind, "text": m.text, "score": m.score, "postal_code": m.postal_code,
            }),
            "null" if result.municipality is None else self._cached(("m", result.municipality.code), lambda: municipality_record(result.municipality)),
            dumps(former_record(result.former)),
            "null" if c is None else self._cached(("c", c.id), lambda: centre_record(c, dataset)),
            "null" if result.ely_centre is None else self._cached(("b", result.ely_centre.id), lambda: centre_brief(result.ely_centre)),
            dumps(centre_brief(successor_of(result, dataset))),
            dumps([
                {"code": x.code, "name": names(x.name, ("fi", "sv")), "score": round(x.score, 1), "kind": x.kind, "text": x.text, "former": x.former}
                for x in result.candidates
            ]),
            self._cached(("aland",), lambda: aland_record(dataset)) if result.status == OUTSIDE_SERVICE_AREA else "null",
            dumps(result.reason),
            self._cached(("service",), lambda: service_record(dataset)),
        ]
        return "{" + ",".join(f'"{k}":{v}' for k, v in zip(self.KEYS, parts)) + "}"


def successor_of(result: FindResult, dataset) -> Centre | None:
    """For an answer in the ELY era: the elinvoimakeskus that took over the region."""
    centre = result.centre
    if centre is None or centre.kind != "ely" or result.municipality is None:
        return None
    region = result.municipality.region.code
    return next((dataset.centres[target] for r, target in centre.successors if r == region), None)


# ------------------------------------------------------------------------------ tables
FIND_COLUMNS = ("query", "status", "date", "match_kind", "match_text", "score", "municipality_code", "municipality_fi",
                "municipality_sv", "region_code", "region_fi", "centre_id", "centre_fi", "centre_sv", "centre_en",
                "ely_centre_id", "ely_centre_fi", "phone", "postal_address", "email", "check_at", "candidates")


def find_row(result: FindResult, dataset) -> list[str]:
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


# ------------------------------------------------------------------------------ human text
_NUMBER = re.compile(r"\d[\d ]*\d")


def _wrap(text: str, width: int, first: str, indent: str) -> list[str]:
    """textwrap that never breaks a URL, a hyphenated name or a phone number ("0295 036 100")."""
    protected = _NUMBER.sub(lambda m: m.group().replace(" ", "\u00a0"), text)
    lines = textwrap.wrap(protected, width, initial_indent=first, subsequent_indent=indent,
                          break_long_words=False, break_on_hyphens=False) or [first]
    return [line.replace("\u00a0", " ") for line in lines]


class Doc:
    """Lines of (text, style) segments, laid out once for both plain and Rich output."""

    NARROW = 50  # below this width a label goes on a line of its own

    def __init__(self, width: int):
        self.width = max(20, min(width, 100))
        self.lines: list[list[tuple[str, str]]] = []

    def add(self, *segments) -> None:
        self.lines.append([(printable(s), "") if isinstance(s, str) else (printable(s[0]), s[1]) for s in segments])

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append([])

    def wrap(self, text: str, style: str = "", indent: str = "", first: str | None = None) -> None:
        for line in _wrap(text, self.width, indent if first is None else first, indent):
            self.add((line, style))

    def field(self, label: str, label_width: int, values: list[tuple[str, str]]) -> None:
        """A labelled block: the label once, then each value wrapped under the value column."""
        if self.width < self.NARROW:
            self.add((label, "label"))
            for text, style in values:
                self.wrap(text, style, "  ")
            return
        indent = " " * (label_width + 2)
        for i, (text, style) in enumerate(values):
            if i == 0:
                wrapped = _wrap(text, self.width, f"{label:<{label_width}}  ", indent)
                self.add((wrapped[0][: label_width + 2], "label"), (wrapped[0][label_width + 2:], style))
                for line in wrapped[1:]:
                    self.add((line, style))
            else:
                self.wrap(text, style, indent)

    def plain(self) -> str:
        return "".join("".join(text for text, _ in line).rstrip() + "\n" for line in self.lines)


STYLES = {"title": "bold", "centre": "bold cyan", "label": "dim", "warn": "yellow", "dim": "dim", "heading": "bold underline"}


def print_rich(doc: Doc, stream, *, color: bool) -> None:
    """Write a Doc through Rich (only ever on a terminal). Segments are Text, never markup."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, no_color=not color, highlight=False, emoji=False, markup=False, soft_wrap=True)
    for line in doc.lines:
        text = Text()
        for segment, style in line:
            text.append(segment, STYLES.get(style, ""))
        console.print(text)


def _source_note(source: Source, verified: str | None, lang: str) -> tuple[str, str]:
    title = re.sub(r"\s*\[[A-Z0-9-]+\]$", "", source.title)
    dated = message("source_dated", lang, date=format_date(source.date, lang)) if source.date else ""
    text = message("fact_source", lang, title=title, date=dated, verified=format_date(verified, lang))
    if source.secondary:
        return (f"{message('secondary', lang)}; {text}", "warn")
    return (text, "dim")


def render_find(result: FindResult, dataset, lang: str, width: int, today: str) -> Doc:
    doc = Doc(width)
    if result.status == FOUND:
        _found(doc, result, dataset, lang, today)
    elif result.status == OUTSIDE_SERVICE_AREA:
        mun = result.municipality
        doc.add((f"{mun.name.get(lang)} ({mun.code}) · {mun.region.name.get(lang)}", "title"))
        _matched(doc, result, lang)
        doc.blank()
        doc.wrap(message("outside", lang, name=mun.name.get(lang)))
        aland = dataset.aland
        doc.wrap(message("handled_by", lang, name=aland.handled_by.get(lang)), "centre")
        doc.wrap(aland.summary.get(lang))
        doc.wrap(message("no_contact_aland", lang, url=aland.web.url))
    elif result.status == NO_CURRENT_MUNICIPALITY:
        old = result.former
        doc.add((old.name.get(lang) if lang == "sv" else old.name.fi, "title"))
        doc.wrap(message("ceded", lang, name=old.name.get(lang) if lang == "sv" else old.name.fi, year=old.merged[:4]))
    elif result.status == AMBIGUOUS:
        doc.add((message("ambiguous", lang, query=result.query), "title"))
        for c in result.candidates:
            doc.add(f"  {_candidate_text(c, lang)}")
        doc.add((message("ambiguous_hint", lang), "dim"))
    else:
        doc.add((message("not_found", lang, query=result.query), "title"))
        if result.reason:
            doc.add((result.reason, "dim"))
        if result.candidates:
            doc.add(message("did_you_mean", lang))
            for c in result.candidates:
                doc.add(f"  {_candidate_text(c, lang)}")
    return doc


def _candidate_text(c, lang: str) -> str:
    name = c.name.get(lang) if lang == "sv" else c.name.fi
    where = f" ({c.code})" if c.code else ""
    if c.kind in ("former", "postal_locality") or (c.text and c.text != name):
        kind = message(f"kind_{c.kind}", lang, score=f"{c.score:g}", merged="").removesuffix(" ").rstrip(", ")
        kind = kind.split(",")[0]
        return f"{name}{where} ← {c.text} ({kind})"
    return f"{name}{where}"


def _matched(doc: Doc, result: FindResult, lang: str) -> None:
    """How the query was read, e.g. "Nilsiä → Kuopio (former municipality, merged 2013-01-01)"."""
    from .normalize import key

    m = result.match
    if m is None or m.kind == "name":
        return
    steps = [result.query.strip()]
    if m.former is not None and key(m.former.name.fi) != key(steps[0]):
        steps.append(m.former.name.fi)
    if m.municipality is not None:
        steps.append(m.municipality.name.get(lang))
    merged = format_date(m.former.merged, lang) if m.former else ""
    how = [message(f"kind_{m.kind}", lang, score=f"{m.score:g}", merged=merged)]
    if m.former is not None and m.kind != "former":
        how.append(message("kind_former", lang, merged=merged))
    doc.add((message("matched_as", lang, chain=" → ".join(steps), how="; ".join(how)), "dim"))


def _found(doc: Doc, result: FindResult, dataset, lang: str, today: str) -> None:
    mun, centre = result.municipality, result.centre
    doc.add((f"{mun.name.get(lang)} ({mun.code}) · {mun.region.name.get(lang)}", "title"))
    _matched(doc, result, lang)
    old = result.former
    if old is not None and result.date < old.merged:
        note = message("merged_before", lang, name=old.name.fi, date=format_date(result.date, lang),
                       into=mun.name.get(lang), merged=format_date(old.merged, lang))
        if old.region == mun.region.code:
            note += " " + message("same_region", lang)
        elif old.region is not None:
            note += " " + message("other_region", lang, region=dataset.regions[old.region].name.get(lang))
        doc.wrap(note, "dim")
    doc.blank()
    labels = [message("responsible_on", lang, date=format_date(result.date, lang)) + ":"]
    rows = [(labels[0], (centre.name.get(lang) if centre else message("no_centre", lang), "centre"))]
    if centre is not None and centre.kind != "ely" and result.ely_centre is not None:
        rows.append((message("ely_until", lang) + ":", (result.ely_centre.name.get(lang), "")))
    successor = successor_of(result, dataset)
    if successor is not None:
        rows.append((message("successor_from", lang) + ":", (successor.name.get(lang), "")))
    label_width = max(len(label) for label, _ in rows)
    for label, value in rows:
        doc.field(label, label_width, [value])
    if centre is None:
        return
    for note in centre.notes:
        doc.wrap(f"{message('note', lang)} {note.text.get(lang)}", "dim")
    if centre.kind == "ely" and today > (centre.valid_until or today):
        doc.wrap(message("ceased", lang, successor=(successor.name.get(lang) if successor else check_at(dataset, lang))), "warn")

    service = dataset.service
    doc.blank()
    doc.add((service.name.get(lang), "heading"))
    doc.wrap(service.summary.get(lang))
    doc.wrap(f"{service.how_to_contact.get(lang)} {message('service_free', lang)}")
    doc.blank()
    render_contacts(doc, centre, dataset, lang)


def render_contacts(doc: Doc, centre: Centre, dataset, lang: str) -> None:
    """Phone, letter, e-mail, web: verified facts with their dates, else where to check."""
    url = check_at(dataset, lang)
    doc.add((message("how_to_contact", lang), "heading"))
    labels = {k: message(k, lang) for k in ("phone", "letter", "email", "web")}
    width = max(map(len, labels.values()))
    phones: list[tuple[str, str]] = []
    for p in centre.phones:
        phones.append((f"{p.number} ({message(p.kind, lang)})", "bold"))
        if p.charge:
            phones.append((p.charge.text.get(lang), ""))
        phones.append(_source_note(p.source, p.verified, lang))
    doc.field(labels["phone"], width, phones or [(message("no_verified_phone", lang, url=url), "warn")])
    letters: list[tuple[str, str]] = []
    for a in centre.postal_addresses:
        for line in a.formatted(centre.name.get(lang) if lang != "en" else centre.name.fi):
            letters.append((line, "bold"))
        letters.append((f"({message(a.kind, lang)})", "dim"))
        letters.append(_source_note(a.source, a.verified, lang))
    doc.field(labels["letter"], width, letters or [(message("no_verified_letter", lang, url=url), "warn")])
    emails: list[tuple[str, str]] = []
    for e in centre.emails:
        emails.append((f"{e.address} ({message(e.kind, lang)})", "bold"))
        emails.append(_source_note(e.source, e.verified, lang))
    doc.field(labels["email"], width, emails or [(message("no_verified_email", lang, url=url), "warn")])
    doc.field(labels["web"], width, [(url, "")])


def batch_line(result: FindResult, lang: str) -> str:
    """One line per query, so answers paste beside their input."""
    if result.status == FOUND:
        mun, centre = result.municipality, result.centre
        centre_name = centre.name.get(lang) if centre else message("no_centre", lang)
        return printable(f"{mun.name.get(lang)} ({mun.code}) · {mun.region.name.get(lang)} · {centre_name}")
    if result.status == AMBIGUOUS:
        return printable(f"? {message('batch_ambiguous', lang)}: " + ", ".join(_candidate_text(c, lang) for c in result.candidates))
    if result.status == OUTSIDE_SERVICE_AREA:
        return printable(f"{result.municipality.name.get(lang)} ({result.municipality.code}) · {message('batch_outside', lang)}")
    if result.status == NO_CURRENT_MUNICIPALITY:
        return printable(f"{result.former.name.fi} · {message('batch_ceded', lang)}")
    return f"– {message('batch_not_found', lang)}"


# ------------------------------------------------------------------------------ list, centres
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


def list_line(row, lang: str) -> str:
    m, c = row.municipality, row.centre
    centre = c.name.get(lang) if c else message("batch_outside", lang)
    return printable(f"{m.name.get(lang)} ({m.code}) · {m.region.name.get(lang)} · {centre}")


CENTRE_COLUMNS = ("centre_id", "kind", "centre_fi", "centre_sv", "centre_en", "valid_from", "valid_until", "regions",
                  "municipality_count", "phone", "postal_address", "email", "check_at")


def served_municipalities(centre: Centre, dataset, date: str | None) -> list:
    """The municipalities a centre serves (on `date`, or over its whole life)."""
    from .api import _sort_key

    served = [m for m in dataset.municipalities.values()
              if any(p.region == m.region.code and (date is None or p.covers(date)) for p in centre.regions)]
    return sorted(served, key=lambda m: (_sort_key(m.name.fi), m.code))


def centre_row(centre: Centre, dataset, date: str | None) -> list[str]:
    return [centre.id, centre.kind, centre.name.fi, centre.name.sv or "", centre.name.en or "", centre.valid_from,
            centre.valid_until or "", ",".join(centre.region_codes), str(len(served_municipalities(centre, dataset, date))),
            "; ".join(p.number for p in centre.phones),
            " / ".join(", ".join(a.formatted(centre.name.fi)) for a in centre.postal_addresses),
            "; ".join(e.address for e in centre.emails), check_at(dataset, "fi")]


def centre_full_record(centre: Centre, dataset, date: str | None) -> dict:
    record = centre_record(centre, dataset)
    served = served_municipalities(centre, dataset, date)
    record["municipality_count"] = len(served)
    record["municipalities"] = [{"code": m.code, "name": names(m.name, ("fi", "sv"))} for m in served]
    record["predecessors"] = [c.id for c in dataset.centres.values() if any(t == centre.id for _, t in c.successors)]
    return record


def render_centre(centre: Centre, dataset, lang: str, width: int, date: str | None, *, with_municipalities: bool = True) -> Doc:
    doc = Doc(width)
    doc.add((centre.name.get(lang), "centre"))
    others = [n for n in dict.fromkeys(centre.name.as_dict().values()) if n and n != centre.name.get(lang)]
    if others:
        doc.wrap(" · ".join(others), "dim")
    until = centre.valid_until
    period = message("valid_between", lang, start=format_date(centre.valid_from, lang), end=format_date(until, lang)) if until \
        else message("valid_from", lang, start=format_date(centre.valid_from, lang))
    doc.wrap(f"{message('valid', lang)}: {period}")
    doc.wrap(f"{message('regions_served', lang)}: " + ", ".join(dataset.regions[r].name.get(lang) for r in centre.region_codes))
    if centre.offices:
        offices = [o.municipality.name.get(lang) + (f" ({message('main_office', lang)})" if o.main else "") for o in centre.offices]
        doc.wrap(f"{message('offices', lang)}: " + ", ".join(offices))
    predecessors = [c.name.get(lang) for c in dataset.centres.values() if any(t == centre.id for _, t in c.successors)]
    if predecessors:
        doc.wrap(f"{message('predecessor_of', lang)}: " + ", ".join(predecessors))
    if centre.successors:
        doc.wrap(f"{message('successor_of', lang)}: " + ", ".join(
            f"{dataset.regions[r].name.get(lang)} → {dataset.centres[t].name.get(lang)}" for r, t in centre.successors))
    for note in centre.notes:
        doc.wrap(f"{message('note', lang)} {note.text.get(lang)}", "dim")
    doc.blank()
    render_contacts(doc, centre, dataset, lang)
    if with_municipalities:
        served = served_municipalities(centre, dataset, date)
        doc.blank()
        doc.add((message("serves", lang, count=len(served)), "heading"))
        doc.wrap(", ".join(m.name.get(lang) for m in served))
    return doc


def render_about(report: dict, lang: str, width: int) -> Doc:
    """About the data, in English: it is reference material for maintainers as much as users."""
    doc = Doc(width)
    counts = report["counts"]
    contacts = report["contacts"]
    doc.add((f"elyguide {report['version']}", "title"))
    doc.wrap(f"Data folder: {report['data_dir']}" + (" (compiled cache in use)" if report["compiled_cache"] else ""), "dim")
    doc.blank()
    doc.wrap(f"Municipalities: Statistics Finland's classification valid on {report['valid_on']}; answers for dates from "
             f"{report['covers_from']} on. {counts['municipalities']} municipalities ({counts['mainland']} mainland, "
             f"{counts['aland']} Åland), {counts['former_municipalities']} former municipalities ({counts['ceded']} in areas "
             f"ceded in 1944), {counts['postal_codes']} postal codes, {counts['place_names']} postal localities.")
    doc.wrap(f"Centres: ELY-keskus until {report['centres']['ely_until']}, elinvoimakeskus from "
             f"{report['centres']['elinvoimakeskus_from']}; {len(report['centres']['active'])} responsible on {report['date']}.")
    doc.blank()
    doc.add(("Contacts", "heading"))
    doc.wrap(f"{contacts['facts']} contact facts, each with its source; {contacts['secondary']} rest on a secondary source. "
             f"Verified between {contacts['verified_first']} and {contacts['verified_last']}.")
    if contacts["missing"]:
        doc.wrap(f"Not verified ({contacts['missing_count']} channels of the centres responsible on {report['date']}; "
                 f"elyguide points to {contacts['check_at'].get('fi')} instead):")
        for gap in contacts["missing"]:
            doc.wrap(f"{gap['centre']}: {', '.join(c.replace('_', ' ') for c in gap['channels'])}", indent="    ", first="  - ")
    doc.blank()
    doc.add(("Sources and licences", "heading"))
    for source in report["sources"]:
        line = f"{source['file']}: {source['what']}"
        if source.get("snapshot"):
            line += f" (snapshot {source['snapshot']})"
        if source.get("licence"):
            line += f"; licence: {source['licence']}"
        doc.wrap(line, indent="    ", first="  - ")
    for name, licence in report["licences"].items():
        doc.wrap(f"{name.replace('_', ' ')}: {licence}", indent="    ", first="  - ")
    return doc
