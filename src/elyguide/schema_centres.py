"""centres.yaml: the service, call charges, web channels, Åland, and the centres with their
contacts, validated and built into the model in one pass (see schema_municipalities.py for
the pattern). Contact facts are shared with the registry refresh (schema_refresh.py).
"""

from __future__ import annotations

from collections.abc import Callable

from .model import LANGUAGES, AlandInfo, CallCharge, Centre, Email, Names, Note, Office, Phone, PostalAddress, RegionPeriod, Service, WebPage
from .schema import CODE5, Checker, next_day

CENTRE_KINDS = ("ely", "elinvoimakeskus")
PHONE_KINDS = ("service", "switchboard", "general")
EMAIL_KINDS = ("registry", "service", "general")
ADDRESS_KINDS = ("registry", "postal", "sender", "publisher")


def _is_phone_number(text: str) -> bool:
    digits = text[1:] if text.startswith("+") else text
    return 6 <= len(text) <= 24 and digits.replace(" ", "").isascii() and digits.replace(" ", "").isdigit()


def _is_email(text: str) -> bool:
    local, at, domain = text.partition("@")
    name, dot, top = domain.rpartition(".")
    return (bool(local) and bool(at) and bool(name) and bool(dot) and len(top) >= 2 and top.isalpha() and top.islower()
            and "@" not in domain and not any(ch.isspace() for ch in text))


# ------------------------------------------------------------------------------ contact facts
def build_phone(raw, check: Checker, where: str, charge_of: Callable[[str], CallCharge | None]) -> Phone:
    from .phone import e164

    number = check.text(raw, "number", where)
    if not _is_phone_number(number):
        check.fail(f"{where}.number", f"{number!r} is not a phone number")
    source, verified = check.verified(raw, where)
    # What a call costs: a shared text by number prefix (`charge`), or the source's own words
    # for this line (`charge_text`, as the registry gives it).
    charge_key = check.text(raw, "charge", where, optional=True)
    charge_text = check.names(raw, "charge_text", where, ("fi",), optional=True)
    charge = None
    if charge_key is not None:
        charge = charge_of(charge_key)
        if charge is None:
            check.fail(f"{where}.charge", f"unknown call charge {charge_key!r}")
    elif charge_text is not None:
        charge = CallCharge(text=charge_text, sources=(source,), verified=verified)
    return Phone(number=number, e164=e164(number), kind=check.text(raw, "kind", where, choices=PHONE_KINDS),
                 label=check.names(raw, "label", where, ("fi",), optional=True), charge=charge, source=source,
                 verified=verified, as_written=check.text(raw, "as_written", where, optional=True))


def build_email(raw, check: Checker, where: str) -> Email:
    address = check.text(raw, "address", where)
    if not _is_email(address):
        check.fail(f"{where}.address", f"{address!r} is not an e-mail address")
    source, verified = check.verified(raw, where)
    return Email(address=address, kind=check.text(raw, "kind", where, choices=EMAIL_KINDS),
                 label=check.names(raw, "label", where, ("fi",), optional=True), source=source, verified=verified)


def build_postal_address(raw, check: Checker, where: str) -> PostalAddress:
    source, verified = check.verified(raw, where)
    return PostalAddress(kind=check.text(raw, "kind", where, choices=ADDRESS_KINDS), lines=check.texts(raw, "lines", where),
                         postcode=check.text(raw, "postcode", where, pattern=CODE5), town=check.text(raw, "town", where),
                         lang=check.text(raw, "lang", where, optional=True, choices=("fi", "sv")) or "fi",
                         source=source, verified=verified)


def build_web_page(raw, check: Checker, where: str) -> WebPage:
    url = check.text(raw, "url", where)
    if not url.startswith("https://"):
        check.fail(f"{where}.url", f"{url!r} is not an https address")
    source, verified = check.verified(raw, where)
    return WebPage(url=url, lang=check.text(raw, "lang", where, choices=LANGUAGES), source=source, verified=verified)


def build_contacts(raw, check: Checker, where: str, charge_of) -> tuple:
    """(phones, emails, postal addresses, web pages) of a `contacts` mapping."""
    contacts = check.get(raw, "contacts", dict, where)
    here = f"{where}.contacts"
    return (
        tuple(build_phone(p, check, f"{here}.phones[{i}]", charge_of) for i, p in enumerate(check.listing(contacts, "phones", here, optional=True))),
        tuple(build_email(e, check, f"{here}.emails[{i}]") for i, e in enumerate(check.listing(contacts, "emails", here, optional=True))),
        tuple(build_postal_address(a, check, f"{here}.postal_addresses[{i}]")
              for i, a in enumerate(check.listing(contacts, "postal_addresses", here, optional=True))),
        tuple(build_web_page(w, check, f"{here}.web[{i}]") for i, w in enumerate(check.listing(contacts, "web", here, optional=True))),
    )


# ------------------------------------------------------------------------------ records
def build_charge(raw, check: Checker, where: str) -> CallCharge:
    return CallCharge(text=check.names(raw, "text", where, LANGUAGES), sources=check.sources(raw, "sources", where),
                      verified=check.date(raw, "verified", where))


def build_service(raw, check: Checker, where: str = "service") -> Service:
    provider = check.get(raw, "provider_since_2026", dict, where)
    return Service(
        id=check.text(raw, "id", where), name=check.names(raw, "name", where, LANGUAGES),
        summary=check.names(raw, "summary", where, LANGUAGES),
        how_to_contact=check.names(raw, "how_to_contact", where, LANGUAGES),
        free_of_charge=check.flag(raw, "free_of_charge", where), area=check.names(raw, "area", where, LANGUAGES),
        languages=check.texts(raw, "languages", where), source=check.source(raw, "source", where),
        provider_since_2026=check.names(provider, "text", f"{where}.provider_since_2026", LANGUAGES),
        provider_sources=check.sources(provider, "sources", f"{where}.provider_since_2026"),
    )


def build_aland(raw, check: Checker, where: str = "aland") -> AlandInfo:
    return AlandInfo(handled_by=check.names(check.get(raw, "handled_by", dict, where), "name", f"{where}.handled_by", LANGUAGES),
                     summary=check.names(raw, "summary", where, LANGUAGES), sources=check.sources(raw, "sources", where),
                     web=build_web_page(check.get(raw, "web", dict, where), check, f"{where}.web"))


def build_centre(raw, check: Checker, where: str, *, charge_of, municipality_of, region_of) -> Centre:
    centre_id = check.text(raw, "id", where)
    where = f"{where} ({centre_id})"
    valid_from = check.date(raw, "valid_from", where)
    valid_until = check.date(raw, "valid_until", where, optional=True)
    if valid_until is not None and valid_until < valid_from:
        check.fail(f"{where}.valid_until", "is before valid_from")
    periods = []
    for i, period in enumerate(check.listing(raw, "regions", where)):
        here = f"{where}.regions[{i}]"
        region = region_of(check.text(period, "region", here))
        if region is None:
            check.fail(f"{here}.region", f"unknown region {period['region']!r}")
        if region.aland:
            check.fail(f"{here}.region", "Åland is outside this service")
        start, end = check.date(period, "from", here), check.date(period, "until", here, optional=True)
        if start < valid_from or (valid_until and (end is None or end > valid_until)) or (end is not None and end < start):
            check.fail(here, "period lies outside the centre's own validity")
        periods.append(RegionPeriod(region=region.code, start=start, end=end))
    offices = []
    for i, office in enumerate(check.listing(raw, "offices", where, optional=True)):
        here = f"{where}.offices[{i}]"
        municipality = municipality_of(check.text(office, "municipality", here))
        if municipality is None:
            check.fail(f"{here}.municipality", f"unknown municipality {office['municipality']!r}")
        offices.append(Office(municipality=municipality, main=check.flag(office, "main", here), source=check.source(office, "source", here)))
    phones, emails, addresses, web = build_contacts(raw, check, where, charge_of)
    notes = tuple(
        Note(text=check.names(note, "text", f"{where}.notes[{i}]", LANGUAGES), sources=check.sources(note, "sources", f"{where}.notes[{i}]"),
             handled_by=check.text(note, "handled_by", f"{where}.notes[{i}]", optional=True))
        for i, note in enumerate(check.listing(raw, "notes", where, optional=True))
    )
    successors = tuple((check.text(s, "region", f"{where}.successors[{i}]"), check.text(s, "centre", f"{where}.successors[{i}]"))
                       for i, s in enumerate(check.listing(raw, "successors", where, optional=True)))
    check.source(raw, "name_source", where, optional=True)
    check.source(raw, "name_sv_source", where, optional=True)
    official = check.get(raw, "official_name", dict, where, optional=True)
    official_name = None
    if official:
        fi = check.get(official, "fi", dict, f"{where}.official_name", optional=True)
        sv = check.get(official, "sv", dict, f"{where}.official_name", optional=True)
        official_name = Names(fi=check.text(fi, "name", f"{where}.official_name.fi") if fi else None,
                              sv=check.text(sv, "name", f"{where}.official_name.sv") if sv else None)
    other_names = tuple((check.text(o, "lang", f"{where}.other_names[{i}]", choices=LANGUAGES),
                         check.text(o, "name", f"{where}.other_names[{i}]"))
                        for i, o in enumerate(check.listing(raw, "other_names", where, optional=True)))
    return Centre(id=centre_id, kind=check.text(raw, "kind", where, choices=CENTRE_KINDS),
                  statfi_code=check.text(raw, "statfi_code", where), name=check.names(raw, "name", where, LANGUAGES),
                  other_names=other_names, official_name=official_name, valid_from=valid_from, valid_until=valid_until,
                  regions=tuple(periods), offices=tuple(offices), phones=phones, emails=emails, postal_addresses=addresses,
                  web=web, notes=notes, successors=successors, refreshed=None)


# ------------------------------------------------------------------------------ the document
class CentresDocument:
    def __init__(self, sections: dict, centres: dict, service: Service, aland: AlandInfo, contact_pages: dict, charges: dict):
        self.sections = sections
        self.centres, self.service, self.aland, self.contact_pages, self.charges = centres, service, aland, contact_pages, charges


def read_document(doc, path: str, municipalities) -> CentresDocument:
    """Validate a parsed centres.yaml against the municipalities document and build its model."""
    check = Checker(path)
    if not isinstance(doc, dict):
        check.fail("", f"top level must be a mapping, found {type(doc).__name__ if doc is not None else 'nothing'}")
    meta = check.get(doc, "meta", dict, "")
    check.text(meta, "title", "meta")
    check.text(meta, "generated_by", "meta")
    check.texts(meta, "inputs", "meta")
    check.text(meta, "sources", "meta")
    check.texts(meta, "research", "meta")
    covers_from = check.date(meta, "covers_from", "meta")
    check.date(meta, "ely_until", "meta")
    check.date(meta, "elinvoimakeskus_from", "meta")
    check.date(meta, "contacts_verified", "meta")
    for name in check.get(meta, "licences", dict, "meta"):
        check.text(meta["licences"], name, "meta.licences")
    service = build_service(check.get(doc, "service", dict, ""), check)
    raw_charges = check.get(doc, "call_charges", dict, "")
    charges = {prefix: build_charge(raw, check, f"call_charges.{prefix}") for prefix, raw in raw_charges.items()}
    raw_pages = check.get(doc, "elinvoimakeskus_web", dict, "")
    pages = {lang: build_web_page(raw, check, f"elinvoimakeskus_web.{lang}") for lang, raw in raw_pages.items()}
    if "fi" not in pages:
        check.fail("elinvoimakeskus_web", "missing 'fi'")
    aland = build_aland(check.get(doc, "aland", dict, ""), check)

    centres, records, seen = {}, {}, {}
    for i, raw in enumerate(check.listing(doc, "centres", "")):
        centre = build_centre(raw, check, f"centres[{i}]", charge_of=charges.get, municipality_of=municipalities.municipalities.get,
                              region_of=municipalities.regions.get)
        check.unique(seen, centre.id, f"centres[{i}].id", "centre id")
        centres[centre.id], records[centre.id] = centre, raw
    _check_succession(centres, check)
    _check_coverage(centres, municipalities.regions, covers_from, check)
    sections = {"centres_meta": meta, "centres": records, "service": doc["service"], "call_charges": raw_charges,
                "contact_pages": raw_pages, "aland": doc["aland"]}
    return CentresDocument(sections, centres, service, aland, pages, charges)


def _check_succession(centres: dict, check: Checker) -> None:
    """handled_by and successors point at real centres, and a successor takes a region over
    the day after its predecessor hands it on."""
    for i, centre in enumerate(centres.values()):
        where = f"centres[{i}] ({centre.id})"
        for j, note in enumerate(centre.notes):
            if note.handled_by is not None and note.handled_by not in centres:
                check.fail(f"{where}.notes[{j}].handled_by", f"unknown centre {note.handled_by!r}")
        for j, (region, target) in enumerate(centre.successors):
            here = f"{where}.successors[{j}]"
            if target not in centres:
                check.fail(f"{here}.centre", f"unknown centre {target!r}")
            own = [p for p in centre.regions if p.region == region]
            if not own or own[-1].end is None:
                check.fail(f"{here}.region", f"the centre does not hand over region {region!r}")
            handover = next_day(own[-1].end)
            if not any(p.region == region and p.start == handover for p in centres[target].regions):
                check.fail(f"{here}.centre", f"{target!r} does not serve region {region!r} from {handover}")


def _check_coverage(centres: dict, regions: dict, covers_from: str, check: Checker) -> None:
    """Every mainland region has exactly one centre on every date from covers_from on."""
    periods: dict[str, list] = {}
    for centre in centres.values():
        for p in centre.regions:
            periods.setdefault(p.region, []).append((p.start, p.end, centre.id))
    for code, region in regions.items():
        if region.aland:
            continue
        spans = sorted(periods.get(code, []), key=lambda span: span[0])
        if not spans:
            check.fail("centres", f"no centre serves region {code} ({region.name.fi})")
        expected_start = covers_from
        for start, end, centre_id in spans:
            if expected_start is None:  # an earlier period never ends
                check.fail("centres", f"two centres for region {code} ({region.name.fi}) on {start} ({centre_id})")
            if start != expected_start:
                problem = "two centres" if start < expected_start else "no centre"
                check.fail("centres", f"{problem} for region {code} ({region.name.fi}) on {min(start, expected_start)} ({centre_id})")
            expected_start = None if end is None else next_day(end)
        if spans[-1][1] is not None:
            check.fail("centres", f"no centre for region {code} ({region.name.fi}) after {spans[-1][1]}")
