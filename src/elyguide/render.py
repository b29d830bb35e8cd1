"""Text for people: plain when piped, coloured on a terminal.

Human text is laid out once, as lines of styled segments, and then either written plainly or
coloured with ANSI styles (Rich's style module, only on a terminal): both show the same words.
Nothing from a query or the data is ever parsed as markup, and control, format and bidi
characters are shown escaped, never sent to the terminal. Machine formats live in records.py.
"""

from __future__ import annotations

from .messages import format_date, format_score, message, warning_line
from .model import GUESS_KINDS
from .normalize import printable
from .resolve import AMBIGUOUS, FOUND, NO_CURRENT_MUNICIPALITY, OUTSIDE_SERVICE_AREA

# ------------------------------------------------------------------------------ layout
def _wrap(text: str, width: int, first: str, indent: str) -> list[str]:
    """Greedy word wrap that breaks only at spaces, so never inside a URL or a hyphenated name,
    and never inside a phone number ("0295 036 100" is one word to it)."""
    words: list[str] = []
    for word in text.split():
        if words and words[-1][-1:].isdigit() and word.rstrip(".,;:)").isdigit():
            words[-1] += " " + word
        else:
            words.append(word)
    lines, line, empty = [], first, True
    for word in words:
        if not empty and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, empty = indent + word, False
            continue
        line += word if empty else " " + word
        empty = False
    lines.append(line)
    return lines


class Doc:
    """Lines of (text, style) segments, laid out once for both plain and coloured output."""

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

    def coloured(self) -> str:
        """The same lines with ANSI styles. rich.style alone renders them: Rich's Console
        would cost more start-up time than the whole lookup."""
        from rich.color import ColorSystem
        from rich.style import Style

        styles = {name: Style.parse(spec) for name, spec in STYLES.items()}
        return "".join("".join(styles[style].render(text, color_system=ColorSystem.STANDARD) if style in styles and text else text
                               for text, style in line).rstrip() + "\n" for line in self.lines)


STYLES = {"title": "bold", "bold": "bold", "centre": "bold cyan", "label": "dim", "warn": "yellow", "dim": "dim",
          "heading": "bold underline"}


# ------------------------------------------------------------------------------ names
def municipality_name(place, lang: str) -> str:
    """A current or former municipality's name: Swedish in sv, else Finnish (also in en)."""
    return place.name.get(lang) if lang == "sv" else place.name.fi


def header(municipality, lang: str) -> str:
    """"Kuopio (297) · Pohjois-Savo": what elyguide prints, and reads back as an exact match."""
    return f"{municipality_name(municipality, lang)} ({municipality.code}) · {municipality.region.name.get(lang)}"


def candidate_text(c, lang: str) -> str:
    """"Jämsä (182) ← Längelmäki (former municipality)"; just "Pyhäntä (630)" for a name."""
    owner = c.municipality or c.former
    name = municipality_name(owner, lang)
    where = f" ({c.municipality.code})" if c.municipality else ""
    if c.kind in ("former", "postal_locality"):
        return f"{name}{where} ← {c.text} ({message('label_' + c.kind, lang)})"
    if c.text and c.text != name:
        return f"{name}{where} ← {c.text}"
    return f"{name}{where}"


def source_line(fact, centre, lang: str, today: str) -> tuple[str, str]:
    """At most one short line about where a contact fact comes from (the full citation is in
    JSON, `about` and `centre --sources`)."""
    if centre.valid_until is not None and centre.valid_until < today:
        return message("source_historical", lang, until=format_date(centre.valid_until, lang)), "dim"
    if fact.source.secondary:
        return message("source_secondary", lang), "warn"
    if centre.refreshed is not None and fact.source.url.startswith(REGISTRY_URL_PREFIXES):
        return message("source_registry", lang, date=format_date(fact.verified, lang)), "dim"
    return message("source_official", lang, site=_site(fact.source.url), date=format_date(fact.verified, lang)), "dim"


REGISTRY_URL_PREFIXES = ("https://api.palvelutietovaranto", "https://www.suomi.fi", "http://127.0.0.1", "http://localhost")


def _site(url: str) -> str:
    """The web site a source lives on, as people say it: "oikeusministerio.fi"."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


def citation(source, lang: str) -> str:
    """A full citation, for `centre --sources`: title, date, address and kind."""
    dated = f", {format_date(source.date, lang)}" if source.date else ""
    kind = message("source_kind_" + source.kind, lang)
    return f"{source.title}{dated} ({kind}) {source.url}"


# ------------------------------------------------------------------------------ find
def render_find(result, dataset, lang: str, width: int, today: str) -> Doc:
    doc = Doc(width)
    if result.status == FOUND:
        _found(doc, result, dataset, lang, today)
    elif result.status == OUTSIDE_SERVICE_AREA:
        place = municipality_name(result.municipality, lang) if result.municipality else result.region.region.name.get(lang)
        doc.add((header(result.municipality, lang) if result.municipality else place, "title"))
        _matched(doc, result, lang)
        doc.blank()
        doc.wrap(message("outside" if result.municipality else "outside_region", lang, name=place))
        aland = dataset.aland
        doc.wrap(message("handled_by", lang, name=aland.handled_by.get(lang)), "centre")
        doc.wrap(aland.summary.get(lang))
        doc.wrap(message("no_contact_aland", lang, url=aland.web.url))
    elif result.status == NO_CURRENT_MUNICIPALITY:
        old = result.former
        name = municipality_name(old, lang)
        doc.add((name, "title"))
        doc.wrap(message("ceded", lang, name=name, year=old.merged[:4]))
    else:
        _not_found_or_ambiguous(doc, result, dataset, lang)
    render_warnings(doc, result.warnings, lang)
    return doc


def _say_with_command(doc: Doc, text: str, style: str) -> None:
    """A sentence that ends in a command to run: the command on a line of its own, never
    wrapped, so that it can be copied as it is."""
    head, colon, command = text.rpartition(": ")
    if colon and command.startswith(("elyguide ", "printf ")) and len(text) > doc.width:
        doc.wrap(head + ":", style)
        doc.add(("  " + command, style))
    else:
        doc.wrap(text, style)


def _not_found_or_ambiguous(doc: Doc, result, dataset, lang: str) -> None:
    query = result.query.strip()
    if result.region is not None or result.province is not None:
        _area(doc, result, dataset, lang)
    if result.status == AMBIGUOUS:
        doc.add((message("ambiguous", lang, query=query), "title"))
        for c in result.candidates:
            doc.add(f"  {candidate_text(c, lang)}")
        if result.reason is not None:
            _say_with_command(doc, message(result.reason.id, lang, **dict(result.reason.values)), "dim")
        else:
            doc.add((message("ambiguous_hint", lang), "dim"))
        return
    if result.region is None and result.province is None:
        doc.add((message("not_found", lang, query=query), "title"))
    if result.reason is not None and result.reason.id not in ("reason_region", "reason_province"):
        _say_with_command(doc, message(result.reason.id, lang, **dict(result.reason.values)), "dim")
    if result.candidates:
        doc.add(message("did_you_mean", lang))
        for c in result.candidates:
            doc.add(f"  {candidate_text(c, lang)}")


def _area(doc: Doc, result, dataset, lang: str) -> None:
    """"Lappi on maakunta. Sen kuntia palvelee Lapin elinvoimakeskus." and how to list them."""
    if result.region is not None:
        region, centre = result.region.region, result.region.centre
        doc.wrap(message("is_region", lang, name=region.name.get(lang)), "title")
        if centre is not None:
            doc.wrap(message("region_served_by", lang, centre=centre.name.get(lang), date=format_date(result.date, lang)))
        _say_with_command(doc, message("region_list_hint", lang, command=f"elyguide list --region {region.code}"), "dim")
    else:
        province = result.province
        regions = [dataset.region(code) for code in province.regions]
        doc.wrap(message("is_province", lang, name=province.name.get(lang),
                         regions=", ".join(r.name.get(lang) for r in regions)), "title")
        for region in regions:
            centre = dataset.centre_on(region.code, result.date)
            if centre is not None:
                doc.wrap(f"{region.name.get(lang)}: {centre.name.get(lang)}", indent="    ", first="  - ")
    doc.blank()


def render_warnings(doc: Doc, warnings, lang: str) -> None:
    if warnings:
        doc.blank()
        for w in warnings:
            doc.wrap(warning_line(w, lang), "warn")


def _matched(doc: Doc, result, lang: str) -> None:
    """How the query was read, e.g. "Nilsiä → Kuopio (former municipality, merged 1.1.2013)"."""
    from .normalize import key

    m = result.match
    if m is None or m.kind == "name":
        return
    steps = [printable(result.query.strip())]
    if m.former is not None and key(m.former.name.fi) != key(steps[0]):
        steps.append(m.former.name.fi)
    if m.municipality is not None:
        steps.append(municipality_name(m.municipality, lang))
    merged = format_date(m.former.merged, lang) if m.former else ""
    how = [message(f"kind_{m.kind}", lang, score=format_score(m.score, lang), merged=merged)]
    if m.former is not None and m.kind != "former":
        how.append(message("kind_former", lang, merged=merged))
    guess = "? " if m.kind in GUESS_KINDS else ""
    doc.add((guess + message("matched_as", lang, chain=" → ".join(steps), how="; ".join(how)), "warn" if guess else "dim"))


def _found(doc: Doc, result, dataset, lang: str, today: str) -> None:
    mun, centre = result.municipality, result.centre
    doc.add((header(mun, lang), "title"))
    _matched(doc, result, lang)
    old = result.former
    if old is not None and result.date < old.merged:
        note = message("merged_before", lang, name=old.name.fi, date=format_date(result.date, lang),
                       into=municipality_name(mun, lang), merged=format_date(old.merged, lang))
        if old.region == mun.region.code:
            note += " " + message("same_region", lang)
        elif old.region is not None:
            note += " " + message("other_region", lang, region=dataset.region(old.region).name.get(lang))
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
    if centre.valid_until is not None and today > centre.valid_until:
        doc.wrap(message("ceased", lang, successor=(successor.name.get(lang) if successor else dataset.check_at(lang))), "warn")

    service = dataset.service
    doc.blank()
    doc.add((service.name.get(lang), "heading"))
    doc.wrap(service.summary.get(lang))
    doc.wrap(f"{service.how_to_contact.get(lang)} {message('service_free', lang)} "
             + message("service_area", lang, area=service.area.get(lang), languages=message("language_names", lang)))
    doc.blank()
    render_contacts(doc, centre, dataset, lang, today)


def render_contacts(doc: Doc, centre, dataset, lang: str, today: str, *, sources: bool = False) -> None:
    """Phone, letter, e-mail, web: verified facts with one short line on their source, else
    where to check. With `sources`, the full citation of every fact instead."""
    url = dataset.check_at(lang)
    doc.add((message("how_to_contact", lang), "heading"))
    labels = {k: message(k, lang) for k in ("phone", "letter", "email", "web")}
    width = max(map(len, labels.values()))

    def about(fact) -> tuple[str, str]:
        return (citation(fact.source, lang), "dim") if sources else source_line(fact, centre, lang, today)

    phones: list[tuple[str, str]] = []
    for p in centre.phones:
        label = p.label.get(lang) if p.label else None
        phones.append((f"{p.number} ({message('phone_' + p.kind, lang)}{', ' + label if label else ''})", "bold"))
        if p.charge:
            phones.append((p.charge.text.get(lang), ""))
        phones.append(about(p))
    doc.field(labels["phone"], width, phones or [(message("no_verified_phone", lang, url=url), "warn")])
    letters: list[tuple[str, str]] = []
    for a in centre.postal_addresses:
        letters.append((f"{message('address_' + a.kind, lang)}:", "dim"))
        letters.extend((line, "bold") for line in a.formatted(centre.name.get(a.lang)))
        letters.append(about(a))
    doc.field(labels["letter"], width, letters or [(message("no_verified_letter", lang, url=url), "warn")])
    emails: list[tuple[str, str]] = []
    for e in centre.emails:
        label = e.label.get(lang) if e.label else message("email_" + e.kind, lang)
        emails.append((f"{e.address} ({label})", "bold"))
        emails.append(about(e))
    doc.field(labels["email"], width, emails or [(message("no_verified_email", lang, url=url), "warn")])
    pages = [page.url for page in centre.web if page.lang == lang] or [page.url for page in centre.web[:1]]
    doc.field(labels["web"], width, [(u, "") for u in dict.fromkeys([*pages, url])])


def batch_line(result, lang: str) -> str:
    """One line per query, so answers paste beside their input; guesses start with "?"."""
    if result.status == FOUND:
        mun, centre = result.municipality, result.centre
        name = centre.name.get(lang) if centre else message("no_centre", lang)
        line = f"{header(mun, lang)} · {name}"
        m = result.match
        if m.kind in GUESS_KINDS:
            line = f"? {line} ({message('kind_' + m.kind, lang, score=format_score(m.score, lang), merged='')})"
        return printable(line)
    if result.status == AMBIGUOUS:
        return printable(f"? {message('batch_ambiguous', lang)}: " + ", ".join(candidate_text(c, lang) for c in result.candidates))
    if result.status == OUTSIDE_SERVICE_AREA:
        name = header(result.municipality, lang) if result.municipality else result.region.region.name.get(lang)
        return printable(f"{name} · {message('batch_outside', lang)}")
    if result.status == NO_CURRENT_MUNICIPALITY:
        return printable(f"{result.former.name.fi} · {message('batch_ceded', lang)}")
    if result.region is not None:
        centre = result.region.centre
        served = f" {message('region_served_by', lang, centre=centre.name.get(lang), date=format_date(result.date, lang))}" \
            if centre is not None else ""
        return printable(f"– {message('is_region', lang, name=result.region.region.name.get(lang))}{served}")
    return f"– {message('batch_not_found', lang)}"


# ------------------------------------------------------------------------------ list, centres
def list_line(row, lang: str) -> str:
    m, c = row.municipality, row.centre
    centre = c.name.get(lang) if c else message("batch_outside", lang)
    return printable(f"{header(m, lang)} · {centre}")


def render_centre(centre, dataset, lang: str, width: int, served: list, today: str, *, sources: bool = False,
                  with_municipalities: bool = True, warnings=()) -> Doc:
    doc = Doc(width)
    doc.add((centre.name.get(lang), "centre"))
    others = [n for n in dict.fromkeys(centre.name) if n and n != centre.name.get(lang)]
    if others:
        doc.wrap(" · ".join(others), "dim")
    until = centre.valid_until
    period = message("valid_between", lang, start=format_date(centre.valid_from, lang), end=format_date(until, lang)) if until \
        else message("valid_from", lang, start=format_date(centre.valid_from, lang))
    doc.wrap(f"{message('valid', lang)}: {period}")
    if until is not None and until < today:
        successors = [dataset.centre(t).name.get(lang) for t in dict.fromkeys(t for _, t in centre.successors)]
        doc.wrap(message("centre_ceased", lang, until=format_date(until, lang), successors=", ".join(successors)), "warn")
    doc.wrap(f"{message('regions_served', lang)}: " + ", ".join(dataset.region(r).name.get(lang) for r in centre.region_codes))
    if centre.offices:
        offices = [municipality_name(o.municipality, lang) + (f" ({message('main_office', lang)})" if o.main else "")
                   for o in centre.offices]
        doc.wrap(f"{message('offices', lang)}: " + ", ".join(offices))
    predecessors = [c.name.get(lang) for c in dataset.centres().values() if any(t == centre.id for _, t in c.successors)]
    if predecessors:
        doc.wrap(f"{message('predecessor_of', lang)}: " + ", ".join(predecessors))
    if centre.successors:
        doc.wrap(f"{message('successor_of', lang)}: " + ", ".join(
            f"{dataset.region(r).name.get(lang)} → {dataset.centre(t).name.get(lang)}" for r, t in centre.successors))
    for note in centre.notes:
        doc.wrap(f"{message('note', lang)} {note.text.get(lang)}", "dim")
    doc.blank()
    render_contacts(doc, centre, dataset, lang, today, sources=sources)
    if with_municipalities and served:
        doc.blank()
        doc.add((message("serves", lang, count=len(served)), "heading"))
        doc.wrap(", ".join(municipality_name(m, lang) for m in served))
    render_warnings(doc, warnings, lang)
    return doc


def render_centre_via(result, centre, lang: str, width: int) -> Doc:
    """`centre Kuopio`: say that the card is that of the centre serving the municipality."""
    doc = Doc(width)
    date = format_date(result.date, lang)
    if result.municipality is not None:
        doc.wrap(message("centre_via_municipality", lang, municipality=header(result.municipality, lang), date=date,
                         centre=centre.name.get(lang)), "dim")
    elif result.region is not None:
        doc.wrap(message("centre_via_region", lang, region=result.region.region.name.get(lang), date=date,
                         centre=centre.name.get(lang)), "dim")
    else:  # an old or historical province that one centre serves whole ("Savo")
        doc.wrap(message(f"centre_via_province_{result.province.kind}", lang, province=result.province.name.get(lang), date=date,
                         centre=centre.name.get(lang)), "dim")
    _matched(doc, result, lang)  # how the name was read, and "?" when it was a guess
    doc.blank()
    return doc


def render_centres_table(centres, dataset, lang: str, width: int, served: dict, warnings: dict) -> Doc:
    """`centres`: two lines per centre, to fit a screen - its name and phone, then its area and
    letter address (a PL box needs no label). The number of municipalities served is in --long
    and JSON."""
    doc = Doc(width)
    right = min(width, 80)
    for centre in centres:
        name = centre.name.get(lang)
        phone = f"{message('phone', lang)}: {'; '.join(p.number for p in centre.phones) or message('no_phone_short', lang)}"
        gap = right - len(name) - len(phone)
        if gap >= 2:
            doc.add((name, "centre"), (" " * gap + phone, ""))
        else:  # a long name in a narrow terminal: the phone on a line of its own
            doc.add((name, "centre"))
            doc.wrap(phone, indent="    ", first="  ")
        regions = ", ".join(dataset.region(r).name.get(lang) for r in centre.region_codes)
        letter = " / ".join(", ".join(a.formatted(centre.name.get(a.lang))[1:]) for a in centre.postal_addresses)
        doc.wrap(f"{regions} · {letter or message('no_letter_short', lang)}", "dim", indent="    ", first="  ")
    render_warnings(doc, tuple(dict.fromkeys(w for c in centres for w in warnings[c.id])), lang)
    doc.blank()
    doc.wrap(message("centres_more", lang, url=dataset.check_at(lang)), "dim")
    return doc


def render_about(report: dict, lang: str, width: int) -> Doc:
    """About the data: vintage, freshness, warnings' rules, sources and licences."""
    doc = Doc(width)
    counts, contacts, division = report["counts"], report["contacts"], report["division"]
    doc.add((f"elyguide {report['version']}", "title"))
    doc.wrap(message("about_data_dir", lang, directory=report["data_dir"])
             + (" " + message("about_compiled", lang) if report["compiled_cache"] else ""), "dim")
    doc.blank()
    doc.wrap(message("about_division", lang, valid_on=format_date(division["valid_from"], lang),
                     until=format_date(division["valid_until"], lang), covers_from=format_date(report["covers_from"], lang),
                     municipalities=counts["municipalities"], mainland=counts["mainland"], aland=counts["aland"],
                     former=counts["former_municipalities"], ceded=counts["ceded"], postal_codes=counts["postal_codes"],
                     places=counts["place_names"]))
    doc.wrap(message("about_centres", lang, ely_until=format_date(report["centres"]["ely_until"], lang),
                     evk_from=format_date(report["centres"]["elinvoimakeskus_from"], lang),
                     active=len(report["centres"]["active"]), date=format_date(report["date"], lang)))
    doc.blank()
    doc.add((message("about_contacts", lang), "heading"))
    doc.wrap(message("about_contact_counts", lang, count=contacts["count"], secondary=contacts["secondary"],
                     first=format_date(contacts["verified_first"], lang), last=format_date(contacts["verified_last"], lang)))
    refreshed = report["refreshed"]
    if refreshed is not None:
        doc.wrap(message("about_refreshed", lang, path=refreshed["path"], date=format_date(refreshed["fetched_at"][:10], lang),
                         added=refreshed["facts"], centres=len(refreshed["centres"])))
    else:
        doc.wrap(message("about_not_refreshed", lang), "dim")
    active = set(report["centres"]["active"])
    current = [f for f in contacts["facts"] if f["centre"] in active]
    if current:
        doc.wrap(message("about_current_contacts", lang, date=format_date(report["date"], lang)))
        for fact in current:
            doc.wrap(f"{fact['centre']}: {message(fact['channel'], lang)} {fact['value']} "
                     f"({message('about_verified', lang, date=format_date(fact['verified'], lang))}, "
                     f"{message('source_kind_' + fact['source_kind'], lang)})", indent="    ", first="  - ")
    if contacts["missing"]:
        doc.wrap(message("about_missing", lang, count=contacts["missing_count"], date=format_date(report["date"], lang),
                         url=contacts["check_at"].get(lang) or contacts["check_at"]["fi"]))
        for gap in contacts["missing"]:
            doc.wrap(f"{gap['centre']}: {', '.join(message(c, lang) for c in gap['channels'])}", indent="    ", first="  - ")
    doc.blank()
    doc.add((message("about_warnings", lang), "heading"))
    for code in report["warning_rules"]:
        doc.wrap(f"{code}: {message('warning_rule_' + code, lang)}", indent="    ", first="  - ")
    doc.blank()
    doc.add((message("about_sources", lang), "heading"))
    # A file's licence as the licences listed below name it: by its first words ("CC BY 4.0"),
    # since a manifest may add who to credit.
    licence_keys = {text.split(" (")[0]: name for name, text in report["licences"].items()}
    for source in report["sources"]:
        line = source["file"] + (f": {source['what']}" if lang == "en" else "")  # the data describes its files in English
        if source.get("snapshot"):
            line += f" ({message('about_snapshot', lang)} {format_date(source['snapshot'], lang)})"
        if source.get("licence"):
            name = licence_keys.get(source["licence"].split(" (")[0], "other")
            line += f"; {message('about_licence', lang)}: {message('licence_' + name, lang)}"
        doc.wrap(line, indent="    ", first="  - ")
    for name in report["licences"]:
        doc.wrap(message("licence_" + name, lang), indent="    ", first="  - ")
    return doc
