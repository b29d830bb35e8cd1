"""A centre as a vCard 4.0 (RFC 6350), for address books.

Written by hand rather than with a library: the format needs thirty lines of escaping and line
folding, and address books read exactly this. Names come in all three languages (ALTID groups
alternatives of one property), phones and addresses are typed as work, and a NOTE says where
each fact comes from and when it was verified.
"""

from __future__ import annotations

from .messages import message
from .records import web_pages

def escape(text: str) -> str:
    """A text value: backslash, comma, semicolon and newline escaped (RFC 6350, 3.4)."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on lines that start with a space (RFC 6350, 3.2),
    never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def centre_vcard(centre, dataset, lang: str = "fi", warnings=()) -> str:
    """A vCard 4.0 of the centre; the note gives each fact's source and date, and the
    answer's warnings (a date past the data's vintage)."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org", "PRODID:-//elyguide//vCard 4.0//EN"]
    names = [(code, name) for code, name in zip(("fi", "sv", "en"), centre.name) if name]
    for code, name in names:
        lines.append(f"FN;LANGUAGE={code};ALTID=1{';PREF=1' if code == lang else ''}:{escape(name)}")
    for code, name in names:
        lines.append(f"ORG;LANGUAGE={code};ALTID=2{';PREF=1' if code == lang else ''}:{escape(name)}")
    for i, phone in enumerate(centre.phones, 1):
        kind = "work,voice"
        lines.append(f"TEL;VALUE=uri;TYPE=\"{kind}\";PREF={i}:tel:{phone.e164}")
    for address in centre.postal_addresses:
        addressee = centre.name.get(address.lang)
        label = "\\n".join(escape(line) for line in address.formatted(addressee))
        street = escape(", ".join(address.lines))
        lines.append(f"ADR;TYPE=work;LANGUAGE={address.lang};LABEL=\"{label}\":;;{street};{escape(address.town.upper())};;"
                     f"{address.postcode};{escape(message('country', address.lang))}")
    for email in centre.emails:
        lines.append(f"EMAIL;TYPE=work:{escape(email.address)}")
    for page in dict.fromkeys(p.url for p in web_pages(centre, dataset)):
        lines.append(f"URL;TYPE=work:{page}")
    lines.append(f"NOTE:{escape(_note(centre, lang, warnings))}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def _note(centre, lang: str, warnings=()) -> str:
    """Where each fact comes from, as the card says it to people: one short line each (the
    full citations are in JSON and `centre --sources`), with the date it was checked."""
    from .messages import format_date, warning_line
    from .render import source_line
    from .resolve import today

    lines = [message("vcard_note", lang)]
    for fact, value in [*((p, p.number) for p in centre.phones), *((a, ", ".join(a.lines)) for a in centre.postal_addresses),
                        *((e, e.address) for e in centre.emails)]:
        short, checked = source_line(fact, centre, lang, today())[0], format_date(fact.verified, lang)
        lines.append(f"{value}: {short}" if checked in short else f"{value}: {short}; {message('about_verified', lang, date=checked)}")
    lines += [warning_line(w, lang) for w in warnings]
    return "\n".join(lines)


_STATUS_WORDS = {"not_found": "batch_not_found", "ambiguous": "batch_ambiguous", "outside_service_area": "batch_outside",
                 "no_current_municipality": "batch_ceded"}


def vcard_of(result, dataset, env, lang: str = "fi") -> str:
    """`find … --format vcard`: the answer's centre; none (and a note) for an answer without one."""
    if result.centre is None:
        env.note("vcard_no_centre", status=message(_STATUS_WORDS[result.status], env.message_lang))
        return ""
    return centre_vcard(result.centre, dataset, lang, result.warnings)
