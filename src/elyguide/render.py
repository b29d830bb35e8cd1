"""Text for people: plain when piped, coloured with Rich on a terminal.

Human text is laid out once, as lines of styled segments, and then either written plainly or
coloured with Rich styles: both show the same words. Nothing from a query or the data is ever
parsed as markup, and control characters are shown escaped, never sent to the terminal.
Machine formats live in records.py.
"""

from __future__ import annotations

import re
import textwrap

from .messages import format_date, message
from .records import check_at, served_municipalities
from .resolve import AMBIGUOUS, FOUND, NO_CURRENT_MUNICIPALITY, OUTSIDE_SERVICE_AREA

# ------------------------------------------------------------------------------ safety
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe for a terminal: control, format and bidi characters shown as escapes."""
    return _UNSAFE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xFF else f"\\x{ord(m.group()):02x}", text)


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


STYLES = {"title": "bold", "bold": "bold", "centre": "bold cyan", "label": "dim", "warn": "yellow", "dim": "dim",
          "heading": "bold underline"}


def print_rich(doc: Doc, stream) -> None:
    """Write a Doc in colour, with Rich's styles (only ever on a terminal that wants colour).

    The layout is already done, so only rich.style is needed: Rich's Console would cost more
    start-up time than the whole lookup. Segments are styled as plain text, never markup.
    """
    from rich.color import ColorSystem
    from rich.style import Style

    styles = {name: Style.parse(spec) for name, spec in STYLES.items()}
    for line in doc.lines:
        rendered = "".join(
            styles[style].render(text, color_system=ColorSystem.STANDARD) if style in styles and text else text
            for text, style in line
        )
        stream.write(rendered.rstrip() + "\n")


def _source_note(source, verified: str | None, lang: str) -> tuple[str, str]:
    title = re.sub(r"\s*\[[A-Z0-9-]+\]$", "", source.title)
    dated = message("source_dated", lang, date=format_date(source.date, lang)) if source.date else ""
    text = message("fact_source", lang, title=title, date=dated, verified=format_date(verified, lang))
    if source.secondary:
        return (f"{message('secondary', lang)}; {text}", "warn")
    return (text, "dim")


def render_find(result, dataset, lang: str, width: int, today: str) -> Doc:
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
        if result.reason and not result.candidates:  # with suggestions, "did you mean" says it
            doc.wrap(result.reason, "dim")
        if result.candidates:
            doc.add(message("did_you_mean", lang))
            for c in result.candidates:
                doc.add(f"  {_candidate_text(c, lang)}")
    return doc


def _candidate_text(c, lang: str) -> str:
    """"Jämsä (182) ← Längelmäki (former municipality)"; just "Pyhäntä (630)" for a name."""
    name = c.name.get(lang) if lang == "sv" else c.name.fi
    where = f" ({c.code})" if c.code else ""
    if c.kind in ("former", "postal_locality"):
        return f"{name}{where} ← {c.text} ({message('label_' + c.kind, lang)})"
    if c.text and c.text != name:
        return f"{name}{where} ← {c.text}"
    return f"{name}{where}"


def _matched(doc: Doc, result, lang: str) -> None:
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


def _found(doc: Doc, result, dataset, lang: str, today: str) -> None:
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
    rows = [(message("responsible_on", lang, date=format_date(result.date, lang)) + ":",
             (centre.name.get(lang) if centre else message("no_centre", lang), "centre"))]
    if centre is not None and centre.kind != "ely" and result.ely_centre is not None:
        rows.append((message("ely_until", lang) + ":", (result.ely_centre.name.get(lang), "")))
    successor = result.successor_centre
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
    doc.wrap(f"{service.how_to_contact.get(lang)} {message('service_free', lang)} "
             + message("service_area", lang, area=service.area.get(lang), languages=message("language_names", lang)))
    doc.blank()
    render_contacts(doc, centre, dataset, lang)


def render_contacts(doc: Doc, centre, dataset, lang: str) -> None:
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


def batch_line(result, lang: str) -> str:
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
def list_line(row, lang: str) -> str:
    m, c = row.municipality, row.centre
    centre = c.name.get(lang) if c else message("batch_outside", lang)
    return printable(f"{m.name.get(lang)} ({m.code}) · {m.region.name.get(lang)} · {centre}")


def render_centre(centre, dataset, lang: str, width: int, date: str | None, *, with_municipalities: bool = True) -> Doc:
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
    doc.wrap(f"{contacts['count']} contact facts, each with its source; {contacts['secondary']} rest on a secondary source. "
             f"Verified between {contacts['verified_first']} and {contacts['verified_last']}.")
    active = set(report["centres"]["active"])
    current = [f for f in contacts["facts"] if f["centre"] in active]
    if current:
        doc.wrap(f"Verified contacts of the centres responsible on {report['date']}:")
        for fact in current:
            doc.wrap(f"{fact['centre']}: {fact['channel'].replace('_', ' ')} {fact['value']} "
                     f"(verified {fact['verified']}, {fact['source_kind']} source)", indent="    ", first="  - ")
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
