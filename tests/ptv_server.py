"""A fake PTV (Palvelutietovaranto) open API v11 on 127.0.0.1, for testing ``elyguide.ptv``.

It is a real ``http.server.ThreadingHTTPServer`` on a free loopback port, run in a daemon
thread. It serves JSON shaped like PTV v11 (field names as in the v11 swagger and PTV's own
source; see /work/shared/sources/centres/ptv-open-api-research.md, sections 4 and 7).

    with FakePTV() as ptv:                      # or FakePTV("service_404", delay=0.05)
        snapshot = elyguide.ptv.fetch(ptv.api_url)
        assert not any("authorization" in r.headers for r in ptv.requests)

THE DATA IS FICTIONAL. The organization names are those of real centres, so that the data
looks real, but every id (except the default service id), number, e-mail address, street and
URL below is invented. The telephone numbers are in the range 0295 000 0xx, e-mail and web
addresses use the reserved ``.example`` domain, and nothing here may be shipped as contact data.

Behaviours (pass any number of them to the constructor, or change ``ptv.behaviours`` later):

=================  ===========================================================================
(none)             the normal registry: a published service with three organizations and three
                   channels (two Phone, one WebPage)
service_404        ``Service/{id}`` answers 404, so the client must use the business-code fallback
withdrawn          the service is published as "Withdrawn" (the fallback again)
gone               ``Service/{id}`` and ``Organization/businesscode/…`` both answer 404
throttle           the first request for each URL answers 429 (``Retry-After: retry_after``)
throttle_service   only the first ``Service/{id}`` request answers 429
flaky_500          the first request for each URL answers 503
error_500          every request answers 500
invalid_json       ``Service/{id}`` answers with broken JSON
not_ptv_list       ``Service/{id}`` answers ``[]``
not_ptv_object     ``Service/{id}`` answers ``{"foo": 1}``
not_ptv_orgs       ``Organization/list`` answers ``{"foo": 1}``
hang               every request waits ``hang_seconds`` before answering
hang_channels      ``ServiceChannel/…`` requests wait ``hang_seconds``
null_lists         ``serviceChannels`` is null, and so is every list of every organization
unmatched_org      the service also names an organization that matches no centre
list_405           ``Organization/list`` and ``ServiceChannel/list`` answer 405 (use the by-id URLs)
many_orgs          the service names 150 more (synthetic) organizations, so ``guids`` must be chunked
=================  ===========================================================================

Keyword options: ``delay`` (seconds every answer waits), ``hang_seconds`` (default 10),
``retry_after`` (the Retry-After header sent with 429, default "0"; None sends none).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BEHAVIOURS = frozenset({
    "service_404", "withdrawn", "gone", "throttle", "throttle_service", "flaky_500", "error_500", "invalid_json",
    "not_ptv_list", "not_ptv_object", "not_ptv_orgs", "hang", "hang_channels", "null_lists", "unmatched_org",
    "list_405", "many_orgs", "deep_json",
})

BUSINESS_CODE = "2296962-1"

# The id of the real guidance service; everything served under it here is fictional.
SERVICE_ID = "06e48156-19a1-4124-8e88-816fda5f94a6"
# Fictional ids.
FALLBACK_SERVICE_ID = "5e5e5e5e-0000-4000-8000-000000000002"
UNRELATED_SERVICE_ID = "5e5e5e5e-0000-4000-8000-000000000003"
WITHDRAWN_SERVICE_ID = "5e5e5e5e-0000-4000-8000-000000000004"
ORG_ITA = "0a0a0a0a-0000-4000-8000-000000000001"
ORG_SISA = "0a0a0a0a-0000-4000-8000-000000000002"
ORG_UMBRELLA = "0a0a0a0a-0000-4000-8000-000000000003"
ORG_UNMATCHED = "0a0a0a0a-0000-4000-8000-000000000004"
CHANNEL_PHONE_ITA = "c0c0c0c0-0000-4000-8000-000000000001"
CHANNEL_PHONE_SISA = "c0c0c0c0-0000-4000-8000-000000000002"
CHANNEL_WEB = "c0c0c0c0-0000-4000-8000-000000000003"


def synthetic_org_id(i: int) -> str:
    return f"0b0b0b0b-0000-4000-8000-{i:012d}"


# --------------------------------------------------------------------------------------------
# Fictional PTV v11 objects


def _lang(value, language):
    return {"value": value, "language": language}


def _name(value, language, type_="Name"):
    return {"type": type_, "value": value, "language": language}


def _phone(number, language, info=None, *, prefix="+358", service_number=False, charge="Chargeable",
           charge_description=None, type_=None):
    phone = {"prefixNumber": prefix, "isFinnishServiceNumber": service_number, "number": number,
             "language": language, "additionalInformation": info, "serviceChargeType": charge,
             "chargeDescription": charge_description}
    if type_ is not None:
        phone["type"] = type_
    return phone


def _po_box(box_fi, box_sv, postal_code, office_fi, office_sv=None, info=None):
    return {
        "type": "Postal", "subType": "PostOfficeBox", "country": "FI",
        "postOfficeBoxAddress": {
            "postOfficeBox": [_lang(box_fi, "fi")] + ([_lang(box_sv, "sv")] if box_sv else []),
            "postalCode": postal_code,
            "postOffice": [_lang(office_fi, "fi")] + ([_lang(office_sv, "sv")] if office_sv else []),
            "municipality": None,
            "additionalInformation": info or [],
        },
        "streetAddress": None, "otherAddress": None, "foreignAddress": None,
    }


def _street(type_, street_fi, street_sv, number, postal_code, office_fi, office_sv):
    return {
        "type": type_, "subType": "Street", "country": "FI",
        "streetAddress": {
            "street": [_lang(street_fi, "fi"), _lang(street_sv, "sv")], "streetNumber": number,
            "postalCode": postal_code, "postOffice": [_lang(office_fi, "fi"), _lang(office_sv, "sv")],
            "municipality": {"code": "297", "name": [_lang("Kuopio", "fi")]},
            "additionalInformation": [], "latitude": "6974000.0", "longitude": "533000.0",
            "coordinateState": "Ok",
        },
        "postOfficeBoxAddress": None, "otherAddress": None, "foreignAddress": None,
    }


def _org_ref(org_id, name, role):
    return {"organization": {"id": org_id, "name": name}, "roleType": role, "provisionType": None,
            "additionalInformation": []}


def _channel_ref(channel_id, name):
    return {"serviceChannel": {"id": channel_id, "name": name}, "serviceChargeType": None, "description": [],
            "serviceHours": [], "contactDetails": None, "digitalAuthorizations": [], "isASTIConnection": False,
            "modified": "2026-01-02T08:00:00"}


def organizations() -> dict[str, dict]:
    """The fictional organizations, by id."""
    ita = {
        "id": ORG_ITA, "oid": None, "organizationType": "State", "businessCode": BUSINESS_CODE,
        "businessName": None,
        "organizationNames": [
            _name("Itä-Suomen elinvoimakeskus", "fi"),
            _name("Livskraftscentralen i Östra Finland", "sv"),
            _name("Itä-Suomen EVK", "fi", "AlternativeName"),
            _name("Elinvoimakeskus Itä-Suomi", "fi", "AlternativeName"),
        ],
        "displayNameType": [{"type": "Name", "language": "fi"}],
        "organizationDescriptions": [{"type": "Description", "value": "Kuvitteellinen kuvaus.", "language": "fi"}],
        "emails": [
            {"value": "kirjaamo.ita-suomi@elinvoimakeskus.example", "description": "Kirjaamo", "language": "fi"},
            {"value": "registratur.ostra@elinvoimakeskus.example", "description": "Registratur", "language": "sv"},
        ],
        "phoneNumbers": [
            _phone("295000001", "fi", "Vaihde"),
            _phone("295000001", "sv", "Växel"),
            _phone("295000009", "fi", None, charge="Other", charge_description="Kuvitteellinen hinta"),
        ],
        "webPages": [
            {"url": "https://www.elinvoimakeskus.example/ita-suomi", "value": "Itä-Suomen elinvoimakeskus",
             "language": "fi"},
            {"url": "https://www.elinvoimakeskus.example/sv/ostra-finland", "value": None, "language": "sv"},
        ],
        "addresses": [
            _street("Visiting", "Käyntikatu", "Besöksgatan", "2", "70100", "KUOPIO", "KUOPIO"),
            _po_box("PL 60", "PB 60", "00072", "ELINVOIMAKESKUS", "ELINVOIMAKESKUS",
                    info=[_lang("Kuvitteellinen lisätieto", "fi")]),
            _street("Postal", "Esimerkkikatu", "Exempelgatan", "11", "70100", "KUOPIO", "KUOPIO"),
            {"type": "Postal", "subType": "Foreign", "country": "SE", "foreignAddress": [_lang("Box 1", "sv")],
             "postOfficeBoxAddress": None, "streetAddress": None, "otherAddress": None},
        ],
        "electronicInvoicings": [], "parentOrganizationId": ORG_UMBRELLA, "organizationRootId": ORG_UMBRELLA,
        "subOrganizations": None, "areaType": "LimitedType", "areas": [], "areaMunicipalities": [],
        "services": [], "publishingStatus": "Published", "modified": "2026-01-02T08:00:00",
        "someFieldAddedLater": {"ignored": True},
    }
    sisa = {
        "id": ORG_SISA, "organizationType": "State", "businessCode": BUSINESS_CODE,
        "organizationNames": [
            _name("Sisä-Suomen elinvoimakeskus", "fi"),
            _name("Livskraftscentralen i Inre Finland", "sv"),
            _name("Inland Finland Centre for Economic Development", "en"),
        ],
        "emails": [{"value": "kirjaamo.sisa-suomi@elinvoimakeskus.example", "description": None, "language": "fi"}],
        "phoneNumbers": [_phone("295000002", "fi", "Vaihde")],
        "webPages": None,
        "addresses": [_po_box("PL 40", None, "00072", "ELINVOIMAKESKUS")],
        "publishingStatus": "Published",
    }
    umbrella = {
        "id": ORG_UMBRELLA, "organizationType": "State", "businessCode": BUSINESS_CODE,
        "organizationNames": [_name("Elinvoimakeskukset", "fi"), _name("Livskraftscentralerna", "sv")],
        "emails": None, "phoneNumbers": None, "webPages": [], "addresses": None, "publishingStatus": "Published",
    }
    unmatched = {
        "id": ORG_UNMATCHED, "organizationType": "Municipality", "businessCode": "0000000-0",
        "organizationNames": [_name("Esimerkkilän kunta", "fi")],
        "emails": [], "phoneNumbers": [_phone("295000099", "fi", "Kuvitteellinen kunta")],
        "webPages": [], "addresses": [], "publishingStatus": "Published",
    }
    return {o["id"]: o for o in (ita, sisa, umbrella, unmatched)}


def channels() -> dict[str, dict]:
    """The fictional service channels, by id."""
    phone_ita = {
        "id": CHANNEL_PHONE_ITA, "sourceId": None, "serviceChannelType": "Phone", "organizationId": ORG_ITA,
        "serviceChannelNames": [
            _name("Maahanmuuton neuvonta, Itä-Suomi", "fi"),
            _name("Rådgivning om invandring, Östra Finland", "sv"),
            _name("Maahanmuuttoneuvonta", "fi", "AlternativeName"),
        ],
        "serviceChannelDescriptions": [{"type": "Summary", "value": "Kuvitteellinen.", "language": "fi"}],
        "areaType": "LimitedType", "areas": [], "languages": ["fi", "sv"],
        "phoneNumbers": [
            _phone("295000011", "fi", "Maahanmuuttoasiat", type_="Phone"),
            _phone("295000011", "sv", "Invandring", type_="Phone"),
            _phone("0800000012", "fi", None, prefix=None, service_number=True, charge="FreeOfCharge", type_="Phone"),
            _phone("295000013", "fi", None, type_="Sms"),
            _phone("not-a-number", "fi", None, type_="Phone"),
        ],
        "supportEmails": [_lang("neuvonta.ita-suomi@elinvoimakeskus.example", "fi")],
        "supportPhones": [], "webPages": [], "serviceHours": [],
        "services": [{"service": {"id": SERVICE_ID, "name": "Ohjaus"}, "contactDetails": None}],
        "publishingStatus": "Published",
    }
    phone_sisa = {
        "id": CHANNEL_PHONE_SISA, "serviceChannelType": "Phone", "organizationId": ORG_SISA,
        "serviceChannelNames": [_name("Kotoutumisen puhelinneuvonta", "fi")],
        "phoneNumbers": [_phone("295000021", "fi", None, type_="Phone")],
        "supportEmails": None, "webPages": None, "publishingStatus": "Published",
    }
    web = {
        "id": CHANNEL_WEB, "serviceChannelType": "WebPage", "organizationId": ORG_UMBRELLA,
        "serviceChannelNames": [_name("Verkkosivu", "fi")],
        "webPages": [{"url": "https://www.elinvoimakeskus.example/maahanmuutto", "value": "Maahanmuutto",
                      "language": "fi"}],
        "supportPhones": [_phone("295000031", "fi")], "publishingStatus": "Published",
    }
    return {c["id"]: c for c in (phone_ita, phone_sisa, web)}


def _service(service_id, fi_name, org_refs, channel_refs, status="Published"):
    return {
        "id": service_id, "sourceId": None, "type": "Service", "fundingType": "PubliclyFunded",
        "serviceChargeType": "FreeOfCharge",
        "serviceNames": [
            _name(fi_name, "fi"),
            _name("Handledning och rådgivning om invandring och integration", "sv"),
            _name("Guidance on immigration and integration", "en"),
            _name("Kotoutumisen ohjaus", "fi", "AlternativeName"),
        ],
        "serviceDescriptions": [{"type": "Summary", "value": "Kuvitteellinen tiivistelmä.", "language": "fi"}],
        "languages": ["fi", "sv", "en"], "areaType": "Nationwide", "areas": [], "serviceClasses": [],
        "targetGroups": [], "lifeEvents": None, "industrialClasses": None, "ontologyTerms": [],
        "organizations": org_refs, "mainOrganization": org_refs[0]["organization"] if org_refs else None,
        "serviceChannels": channel_refs, "publishingStatus": status, "modified": "2026-01-02T08:00:00",
    }


def service(behaviours=frozenset()) -> dict:
    """The guidance service as ``Service/{SERVICE_ID}`` serves it."""
    refs = [
        _org_ref(ORG_UMBRELLA, "Elinvoimakeskukset", "Responsible"),
        _org_ref(ORG_ITA, "Itä-Suomen elinvoimakeskus", "Producer"),
        _org_ref(ORG_SISA, "Sisä-Suomen elinvoimakeskus", "Producer"),
        _org_ref(ORG_ITA, "Itä-Suomen elinvoimakeskus", "OtherResponsible"),
    ]
    if "unmatched_org" in behaviours:
        refs.append(_org_ref(ORG_UNMATCHED, "Esimerkkilän kunta", "Producer"))
    if "many_orgs" in behaviours:
        refs += [_org_ref(synthetic_org_id(i), f"Testiorganisaatio {i}", "Producer") for i in range(1, 151)]
    channel_refs = None if "null_lists" in behaviours else [
        _channel_ref(CHANNEL_PHONE_ITA, "Maahanmuuton neuvonta, Itä-Suomi"),
        _channel_ref(CHANNEL_PHONE_SISA, "Kotoutumisen puhelinneuvonta"),
        _channel_ref(CHANNEL_WEB, "Verkkosivu"),
    ]
    status = "Withdrawn" if "withdrawn" in behaviours else "Published"
    return _service(SERVICE_ID, "Ohjaus ja neuvonta maahanmuuttoon ja kotoutumiseen liittyvissä asioissa", refs,
                    channel_refs, status)


def fallback_service() -> dict:
    """The guidance service as an organization's service list shows it after a (fictional) re-creation."""
    return _service(FALLBACK_SERVICE_ID, "Maahanmuuton ja kotoutumisen ohjaus (elinvoimakeskus)",
                    [_org_ref(ORG_ITA, "Itä-Suomen elinvoimakeskus", "Responsible"),
                     _org_ref(ORG_SISA, "Sisä-Suomen elinvoimakeskus", "Producer")],
                    [_channel_ref(CHANNEL_PHONE_ITA, "Maahanmuuton neuvonta"), _channel_ref(CHANNEL_WEB, "Verkkosivu")])


def unrelated_service() -> dict:
    return _service(UNRELATED_SERVICE_ID, "Yritysten neuvonta", [_org_ref(ORG_ITA, "Itä-Suomen elinvoimakeskus",
                                                                          "Responsible")], [])


def withdrawn_old_service() -> dict:
    return _service(WITHDRAWN_SERVICE_ID, "Maahanmuuttoon ja kotoutumiseen liittyvä vanha neuvonta",
                    [_org_ref(ORG_SISA, "Sisä-Suomen elinvoimakeskus", "Responsible")], [], status="Withdrawn")


def services_by_org_pages() -> dict[str, list[list[dict]]]:
    """``Service/list/organization`` pages per organization (page 1 first)."""
    return {
        ORG_ITA: [[unrelated_service()], [fallback_service()]],
        ORG_SISA: [[withdrawn_old_service(), fallback_service()]],
        ORG_UMBRELLA: [],
    }


def _nulled(org: dict) -> dict:
    org = dict(org)
    for key in ("organizationNames", "emails", "phoneNumbers", "webPages", "addresses"):
        org[key] = None
    return org


# --------------------------------------------------------------------------------------------
# The server


@dataclass
class RecordedRequest:
    method: str
    path: str  # e.g. /api/v11/Service/…
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    started: float
    status: int | None = None


class FakePTV:
    """A fake PTV v11 on 127.0.0.1; use as a context manager. ``api_url`` ends in /api.

    ``requests`` records every request (path, query, lower-cased headers, status);
    ``max_concurrent`` is the most requests the server was handling at one time.
    """

    def __init__(self, *behaviours: str, delay: float = 0.0, hang_seconds: float = 10.0,
                 retry_after: str | None = "0"):
        unknown = set(behaviours) - BEHAVIOURS
        if unknown:
            raise ValueError(f"unknown behaviour(s): {sorted(unknown)}")
        self.behaviours = set(behaviours)
        self.delay = delay
        self.hang_seconds = hang_seconds
        self.retry_after = retry_after
        self.requests = []
        self.max_concurrent = 0
        self._concurrent = 0
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakePTV:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-ptv", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes hanging handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakePTV:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return self._server.server_address[1]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    # -- what tests look at -------------------------------------------------------------------

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def count(self, fragment: str) -> int:
        return sum(fragment in r.path for r in self.requests)

    # -- routing ------------------------------------------------------------------------------

    def respond(self, method: str, path: str, query: dict[str, list[str]]) -> tuple[int, dict, bytes]:
        """(status, headers, body) for one request, after the behaviours have had their say."""
        b = self.behaviours
        url_key = path + "?" + "&".join(f"{k}={v}" for k, vs in sorted(query.items()) for v in vs)
        with self._lock:
            first_time = url_key not in self._seen
            self._seen.add(url_key)
        if method != "GET":
            return _json(405, {"errorMessage": "Method not allowed."})
        if "error_500" in b:
            return _json(500, {"errorMessage": "Internal server error (fake)."})
        if first_time and "flaky_500" in b:
            return _json(503, {"errorMessage": "Service unavailable (fake)."})
        is_service = path == f"/api/v11/Service/{SERVICE_ID}"
        if first_time and ("throttle" in b or ("throttle_service" in b and is_service)):
            headers = {"Content-Type": "text/plain"}
            if self.retry_after is not None:
                headers["Retry-After"] = self.retry_after
            return 429, headers, b"Too many requests sent to server, try again later"
        if not path.startswith("/api/v11/"):
            return _json(404, {"errorMessage": "Not found."})
        return self._route(path[len("/api/v11/"):].split("/"), query)

    def _route(self, parts: list[str], query: dict[str, list[str]]) -> tuple[int, dict, bytes]:
        b = self.behaviours
        orgs = self._organizations()
        chans = channels()
        match parts:
            case ["Service", "list", "organization"]:
                return self._services_of(query)
            case ["Service", service_id] if service_id == SERVICE_ID:
                if b & {"service_404", "gone"}:
                    return _json(404, {"errorMessage": f"Service with id '{service_id}' not found."})
                if "invalid_json" in b:
                    return 200, {"Content-Type": "application/json"}, b'{"id": "06e48156-19a1-4124-8e88-816f'
                if "deep_json" in b:  # valid JSON, nested deeper than any parser recurses
                    return 200, {"Content-Type": "application/json"}, b"[" * 100_000 + b"]" * 100_000
                if "not_ptv_list" in b:
                    return _json(200, [])
                if "not_ptv_object" in b:
                    return _json(200, {"foo": 1})
                return _json(200, service(b))
            case ["Service", service_id]:
                return _json(404, {"errorMessage": f"Service with id '{service_id}' not found."})
            case ["Organization", "businesscode", code]:
                if "gone" in b or code != BUSINESS_CODE:
                    return _json(404, {"errorMessage": f"Organizations with business code '{code}' not found."})
                return _json(200, [orgs[i] for i in (ORG_ITA, ORG_SISA, ORG_UMBRELLA)])
            case ["Organization", "list"]:
                if "list_405" in b:
                    return _json(405, {"errorMessage": "Method not allowed (fake)."})
                if "not_ptv_orgs" in b:
                    return _json(200, {"foo": 1})
                return self._list(orgs, query, "Organizations")
            case ["Organization", org_id]:
                if org_id in orgs:
                    return _json(200, orgs[org_id])
                return _json(404, {"errorMessage": f"Organization with id '{org_id}' not found."})
            case ["ServiceChannel", "list"]:
                if "list_405" in b:
                    return _json(405, {"errorMessage": "Method not allowed (fake)."})
                return self._list(chans, query, "Service channels")
            case ["ServiceChannel", channel_id]:
                if channel_id in chans:
                    return _json(200, chans[channel_id])
                return _json(404, {"errorMessage": f"Service channel with id '{channel_id}' not found."})
        return _json(404, {"errorMessage": "Not found."})

    def _organizations(self) -> dict[str, dict]:
        orgs = organizations()
        if "many_orgs" in self.behaviours:
            for i in range(1, 151):
                orgs[synthetic_org_id(i)] = {"id": synthetic_org_id(i), "businessCode": None,
                                             "organizationNames": [_name(f"Testiorganisaatio {i}", "fi")],
                                             "phoneNumbers": [], "emails": [], "webPages": [], "addresses": []}
        if "null_lists" in self.behaviours:
            orgs = {i: _nulled(o) for i, o in orgs.items()}
        return orgs

    def _list(self, entities: dict[str, dict], query, not_found: str) -> tuple[int, dict, bytes]:
        guids = [g for g in ",".join(query.get("guids", [])).split(",") if g]
        if len(guids) > 100:
            return _json(400, {"guids": ["Max 100 guids can be added into list."]})
        items = [copy.deepcopy(entities[g]) for g in guids if g in entities]
        if not items:
            return _json(404, {"errorMessage": f"{not_found} not found."})
        return _json(200, items)

    def _services_of(self, query) -> tuple[int, dict, bytes]:
        org_id = (query.get("organizationId") or [""])[0]
        page = int((query.get("page") or ["1"])[0])
        pages = services_by_org_pages().get(org_id, [])
        items = pages[page - 1] if 1 <= page <= len(pages) else None
        return _json(200, {"pageNumber": page, "pageSize": 100, "pageCount": len(pages), "itemList": items})

    # -- bookkeeping used by the handler --------------------------------------------------------

    def _enter(self, record: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(record)
            self._concurrent += 1
            self.max_concurrent = max(self.max_concurrent, self._concurrent)

    def _leave(self) -> None:
        with self._lock:
            self._concurrent -= 1

    def _should_hang(self, path: str) -> bool:
        return "hang" in self.behaviours or ("hang_channels" in self.behaviours and "/ServiceChannel/" in path)


def _json(status: int, data) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(data, ensure_ascii=False).encode()


class _Handler(BaseHTTPRequestHandler):
    fake: FakePTV
    server_version = "FakePTV/11"

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        record = RecordedRequest(method, parts.path, parse_qs(parts.query),
                                 {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        fake = self.fake
        fake._enter(record)
        left = False
        try:
            if fake.delay:
                fake._stopping.wait(fake.delay)
            if fake._should_hang(parts.path):
                if fake._stopping.wait(fake.hang_seconds):
                    return  # the test is over
            status, headers, body = fake.respond(method, parts.path, record.query)
            record.status = status
            # The request counts as done before its answer is sent: a client that reads the
            # answer and asks again at once must not look like two requests in flight.
            fake._leave()
            left = True
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)
        finally:
            if not left:
                fake._leave()

    def log_message(self, format, *args):  # keep pytest output clean
        pass
