"""The PTV client against a real HTTP server on 127.0.0.1 (tests/ptv_server.py), and phone formatting.

No test reaches the internet: name lookups for anything but the loopback host are refused
(see ``loopback_only``), and proxies are switched off.
"""

from __future__ import annotations

import doctest
import json
import re
import socket
import time

import pytest

from elyguide import phone, ptv
from ptv_server import (
    CHANNEL_PHONE_ITA, CHANNEL_PHONE_SISA, CHANNEL_WEB, FALLBACK_SERVICE_ID, ORG_ITA, ORG_SISA, ORG_UMBRELLA,
    ORG_UNMATCHED, SERVICE_ID, WITHDRAWN_SERVICE_ID, FakePTV,
)

FAST = {"timeout": 5.0, "backoff": 0.01}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Refuse every name lookup but the loopback's, and ignore proxy settings."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (blocked in tests)")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def fake():
    """Start a FakePTV with the given behaviours; every one started is stopped afterwards."""
    servers = []

    def start(*behaviours, **options) -> FakePTV:
        server = FakePTV(*behaviours, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def by_id(items):
    return {item["id"]: item for item in items}


def fails(exc_type, *args, **kwargs) -> ptv.RegistryError:
    """Run fetch, expecting exc_type; check the message is one line, and return the error."""
    with pytest.raises(exc_type) as info:
        ptv.fetch(*args, **kwargs)
    error = info.value
    assert isinstance(error, ptv.RegistryError)
    assert "\n" not in str(error) and str(error)
    return error


# --------------------------------------------------------------------------------------------
# The normal path


def test_snapshot_from_the_service(fake):
    server = fake()
    snapshot = ptv.fetch(server.api_url + "/", **FAST)

    assert snapshot["api_url"] == server.api_url
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", snapshot["fetched_at"])
    assert snapshot["service_id"] == SERVICE_ID
    assert snapshot["discovery"] == "service"
    assert snapshot["service"] == {"id": SERVICE_ID, "names": {
        "fi": "Ohjaus ja neuvonta maahanmuuttoon ja kotoutumiseen liittyvissä asioissa",
        "sv": "Handledning och rådgivning om invandring och integration",
        "en": "Guidance on immigration and integration"}}
    assert json.loads(json.dumps(snapshot)) == snapshot

    # Organizations, in the service's order, each with its strongest role.
    assert [o["id"] for o in snapshot["organizations"]] == [ORG_UMBRELLA, ORG_ITA, ORG_SISA]
    orgs = by_id(snapshot["organizations"])
    assert {i: o["role"] for i, o in orgs.items()} == {
        ORG_UMBRELLA: "Responsible", ORG_ITA: "OtherResponsible", ORG_SISA: "Producer"}
    ita = orgs[ORG_ITA]
    assert ita["business_code"] == "2296962-1"
    assert ita["names"] == {"fi": ["Itä-Suomen elinvoimakeskus", "Itä-Suomen EVK", "Elinvoimakeskus Itä-Suomi"],
                            "sv": ["Livskraftscentralen i Östra Finland"], "en": []}
    assert ita["phones"][0] == {"number": "295000001", "prefix": "+358", "service_number": False, "lang": "fi",
                                "additional_information": "Vaihde", "charge_type": "Chargeable",
                                "charge_description": None, "type": None}
    assert [p["additional_information"] for p in ita["phones"]] == ["Vaihde", "Växel", None]
    assert ita["phones"][2]["charge_type"] == "Other"
    assert ita["phones"][2]["charge_description"] == "Kuvitteellinen hinta"
    assert ita["emails"] == [
        {"address": "kirjaamo.ita-suomi@elinvoimakeskus.example", "description": "Kirjaamo", "lang": "fi"},
        {"address": "registratur.ostra@elinvoimakeskus.example", "description": "Registratur", "lang": "sv"}]
    assert ita["web_pages"] == [
        {"url": "https://www.elinvoimakeskus.example/ita-suomi", "name": "Itä-Suomen elinvoimakeskus", "lang": "fi"},
        {"url": "https://www.elinvoimakeskus.example/sv/ostra-finland", "name": None, "lang": "sv"}]
    # Postal PO box and street only: the visiting and the foreign address are left out.
    assert ita["postal_addresses"] == [
        {"sub_type": "PostOfficeBox", "postal_code": "00072",
         "by_lang": {"fi": {"lines": ["PL 60"], "post_office": "ELINVOIMAKESKUS"},
                     "sv": {"lines": ["PB 60"], "post_office": "ELINVOIMAKESKUS"}},
         "additional_information": {"fi": "Kuvitteellinen lisätieto"}},
        {"sub_type": "Street", "postal_code": "70100",
         "by_lang": {"fi": {"lines": ["Esimerkkikatu 11"], "post_office": "KUOPIO"},
                     "sv": {"lines": ["Exempelgatan 11"], "post_office": "KUOPIO"}},
         "additional_information": {}}]
    # Null lists in the registry's answer are empty lists in the snapshot.
    umbrella = orgs[ORG_UMBRELLA]
    assert umbrella["phones"] == umbrella["emails"] == umbrella["postal_addresses"] == []
    assert orgs[ORG_SISA]["web_pages"] == []
    assert orgs[ORG_SISA]["names"]["en"] == ["Inland Finland Centre for Economic Development"]

    # Telephone channels only (not the web page), numbers without digits dropped.
    channels = snapshot["phone_channels"]
    assert [c["id"] for c in channels] == [CHANNEL_PHONE_ITA, CHANNEL_PHONE_SISA]
    ita_channel = channels[0]
    assert ita_channel["organization_id"] == ORG_ITA
    assert ita_channel["names"] == {"fi": "Maahanmuuton neuvonta, Itä-Suomi",
                                    "sv": "Rådgivning om invandring, Östra Finland", "en": None}
    assert [(p["number"], p["type"]) for p in ita_channel["phones"]] == [
        ("295000011", "Phone"), ("295000011", "Phone"), ("0800000012", "Phone"), ("295000013", "Sms")]
    free = ita_channel["phones"][2]
    assert (free["prefix"], free["service_number"], free["charge_type"]) == (None, True, "FreeOfCharge")
    assert ita_channel["emails"] == [
        {"address": "neuvonta.ita-suomi@elinvoimakeskus.example", "description": None, "lang": "fi"}]
    assert channels[1]["emails"] == channels[1]["web_pages"] == []

    assert snapshot["ids"] == {"services": [SERVICE_ID], "organizations": [ORG_UMBRELLA, ORG_ITA, ORG_SISA],
                               "channels": [CHANNEL_PHONE_ITA, CHANNEL_PHONE_SISA, CHANNEL_WEB]}
    assert snapshot["missing"] == {"organizations": [], "channels": []}
    assert snapshot["requests"][0] == f"{server.api_url}/v11/Service/{SERVICE_ID}"
    assert sorted(u.split("?")[0].rsplit("/", 2)[-2] for u in snapshot["requests"][1:]) == [
        "Organization", "ServiceChannel"]
    assert f"guids={ORG_UMBRELLA},{ORG_ITA},{ORG_SISA}" in " ".join(snapshot["requests"])


def test_numbers_print_the_finnish_way(fake):
    snapshot = ptv.fetch(fake().api_url, **FAST)
    printed = [phone.national(p["prefix"], p["number"], p["service_number"])
               for p in snapshot["phone_channels"][0]["phones"]]
    assert printed == ["0295 000 011", "0295 000 011", "0800 000 012", "0295 000 013"]
    keys = {phone.digits_key(n) for n in printed}
    assert keys == {"358295000011", "358800000012", "358295000013"}


def test_requests_are_anonymous_json_gets(fake):
    server = fake()
    ptv.fetch(server.api_url, user_agent="elyguide-test/1", **FAST)
    assert server.requests
    for request in server.requests:
        assert request.method == "GET"
        assert request.path.startswith("/api/v11/")
        assert "authorization" not in request.headers
        assert request.headers["accept"] == "application/json"
        assert request.headers["user-agent"] == "elyguide-test/1"


def test_null_lists(fake):
    server = fake("null_lists")
    snapshot = ptv.fetch(server.api_url, **FAST)
    assert snapshot["phone_channels"] == []
    assert snapshot["ids"]["channels"] == []
    assert server.count("/ServiceChannel") == 0
    for org in snapshot["organizations"]:
        assert org["names"] == {"fi": [], "sv": [], "en": []}
        assert org["phones"] == org["emails"] == org["postal_addresses"] == org["web_pages"] == []


def test_an_organization_that_matches_no_centre_is_kept(fake):
    snapshot = ptv.fetch(fake("unmatched_org").api_url, **FAST)
    unmatched = by_id(snapshot["organizations"])[ORG_UNMATCHED]
    assert unmatched["names"]["fi"] == ["Esimerkkilän kunta"]
    assert unmatched["role"] == "Producer"
    assert unmatched["business_code"] == "0000000-0"


def test_list_endpoints_refused_so_fetch_by_id(fake):
    normal = ptv.fetch(fake().api_url, **FAST)
    server = fake("list_405")
    snapshot = ptv.fetch(server.api_url, **FAST)
    assert snapshot["organizations"] == normal["organizations"]
    assert snapshot["phone_channels"] == normal["phone_channels"]
    assert server.count(f"/v11/Organization/{ORG_ITA}") == 1
    assert server.count(f"/v11/ServiceChannel/{CHANNEL_WEB}") == 1


def test_guids_are_sent_a_hundred_at_a_time(fake):
    server = fake("many_orgs")
    snapshot = ptv.fetch(server.api_url, **FAST)
    assert len(snapshot["organizations"]) == 153
    lists = [r for r in server.requests if r.path == "/api/v11/Organization/list"]
    sizes = sorted(len(r.query["guids"][0].split(",")) for r in lists)
    assert sizes == [53, 100]
    assert all(r.status == 200 for r in server.requests)


@pytest.mark.parametrize("limit", [1, 2])
def test_at_most_max_in_flight_requests(fake, limit):
    server = fake("list_405", delay=0.05)  # 3 organizations + 3 channels fetched one by one
    ptv.fetch(server.api_url, max_in_flight=limit, **FAST)
    assert server.max_concurrent == limit


# --------------------------------------------------------------------------------------------
# The business-code fallback


def test_fallback_when_the_service_is_gone(fake):
    server = fake("service_404")
    snapshot = ptv.fetch(server.api_url, **FAST)
    assert snapshot["discovery"] == "businesscode"
    assert snapshot["service"]["id"] == FALLBACK_SERVICE_ID
    assert snapshot["service"]["names"]["fi"] == "Maahanmuuton ja kotoutumisen ohjaus (elinvoimakeskus)"
    assert snapshot["ids"]["services"] == [FALLBACK_SERVICE_ID]  # not the withdrawn one, and only once
    assert WITHDRAWN_SERVICE_ID not in json.dumps(snapshot)
    assert [o["id"] for o in snapshot["organizations"]] == [ORG_ITA, ORG_SISA, ORG_UMBRELLA]
    assert {o["id"]: o["role"] for o in snapshot["organizations"]} == {
        ORG_ITA: "Responsible", ORG_SISA: "Producer", ORG_UMBRELLA: None}
    assert [c["id"] for c in snapshot["phone_channels"]] == [CHANNEL_PHONE_ITA]

    requests = snapshot["requests"]
    assert f"{server.api_url}/v11/Organization/businesscode/2296962-1" in requests
    base = f"{server.api_url}/v11/Service/list/organization?organizationId={ORG_ITA}"
    assert f"{base}&page=1" in requests and f"{base}&page=2" in requests  # pages followed
    assert not any("/v11/Organization/list" in url for url in requests)  # already had them all
    assert server.count("/v11/Organization/businesscode/") == 1


def test_fallback_when_the_service_is_withdrawn(fake):
    snapshot = ptv.fetch(fake("withdrawn").api_url, **FAST)
    assert snapshot["discovery"] == "businesscode"
    assert snapshot["service"]["id"] == FALLBACK_SERVICE_ID


def test_404_with_no_fallback(fake):
    server = fake("gone")
    error = fails(ptv.RegistryHTTPError, server.api_url, **FAST)
    assert error.reason == "http" and error.status == 404
    assert error.url == f"{server.api_url}/v11/Service/{SERVICE_ID}"
    assert str(error).startswith(f"registry answered HTTP 404 for {server.api_url}/v11/Service/{SERVICE_ID}")


# --------------------------------------------------------------------------------------------
# Retries


def test_429_then_success(fake):
    server = fake("throttle")
    snapshot = ptv.fetch(server.api_url, **FAST)
    assert [c["id"] for c in snapshot["phone_channels"]] == [CHANNEL_PHONE_ITA, CHANNEL_PHONE_SISA]
    statuses = [r.status for r in server.requests if r.path.endswith(SERVICE_ID)]
    assert statuses == [429, 200]
    assert len(snapshot["requests"]) == 3  # logged once each, not per attempt


def test_retry_after_is_honoured(fake):
    server = fake("throttle_service", retry_after="1")
    started = time.monotonic()
    ptv.fetch(server.api_url, **FAST)
    first, second = [r for r in server.requests if r.path.endswith(SERVICE_ID)]
    assert second.started - first.started >= 0.9
    assert time.monotonic() - started < 3


def test_retry_after_past_the_deadline_gives_up_at_once(fake):
    server = fake("throttle_service", retry_after="120")
    started = time.monotonic()
    error = fails(ptv.RegistryHTTPError, server.api_url, timeout=2, backoff=0.01)
    assert time.monotonic() - started < 1
    assert error.status == 429 and "time limit" in str(error)


def test_503_then_success(fake):
    server = fake("flaky_500")
    snapshot = ptv.fetch(server.api_url, **FAST)
    assert snapshot["discovery"] == "service"
    assert [r.status for r in server.requests].count(503) == 3


def test_persistent_500(fake):
    server = fake("error_500")
    error = fails(ptv.RegistryHTTPError, server.api_url, retries=2, **FAST)
    assert error.reason == "http" and error.status == 500
    assert server.count(f"/v11/Service/{SERVICE_ID}") == 3
    assert f"HTTP 500 for {server.api_url}/v11/Service/{SERVICE_ID}" in str(error)


# --------------------------------------------------------------------------------------------
# Answers that are not PTV's


def test_invalid_json(fake):
    server = fake("invalid_json")
    error = fails(ptv.RegistryShapeError, server.api_url, **FAST)
    assert error.reason == "shape"
    assert f"{server.api_url}/v11/Service/{SERVICE_ID}" in str(error) and "not valid JSON" in str(error)


@pytest.mark.parametrize("behaviour, says", [("not_ptv_list", "got an array"), ("not_ptv_object", "has no id")])
def test_json_that_is_not_a_ptv_service(fake, behaviour, says):
    server = fake(behaviour)
    error = fails(ptv.RegistryShapeError, server.api_url, **FAST)
    assert error.reason == "shape" and says in str(error)
    assert error.url == f"{server.api_url}/v11/Service/{SERVICE_ID}"


def test_organization_list_that_is_not_a_list(fake):
    server = fake("not_ptv_orgs")
    error = fails(ptv.RegistryShapeError, server.api_url, **FAST)
    assert "/v11/Organization/list?guids=" in str(error) and "not a list" in str(error)


# --------------------------------------------------------------------------------------------
# No answer at all


def test_a_hanging_registry_times_out(fake):
    server = fake("hang")
    started = time.monotonic()
    error = fails(ptv.RegistryTimeout, server.api_url, timeout=1.5)
    assert 1.4 <= time.monotonic() - started < 3.5
    assert error.reason == "timeout" and "1.5 s" in str(error)


def test_a_hang_in_the_parallel_stage_times_out(fake):
    server = fake("hang_channels")
    started = time.monotonic()
    error = fails(ptv.RegistryTimeout, server.api_url, timeout=1.0)
    assert time.monotonic() - started < 3
    assert error.reason == "timeout"


def test_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    error = fails(ptv.RegistryNetworkError, f"http://127.0.0.1:{port}/api", **FAST)
    assert error.reason == "network" and "connection refused" in str(error)


def test_dns_failure(unresolvable):
    error = fails(ptv.RegistryNetworkError, "https://api.palvelutietovaranto.invalid/api", **FAST)
    assert error.reason == "dns" and "api.palvelutietovaranto.invalid" in str(error)


@pytest.mark.parametrize("kwargs", [
    {"api_url": "ftp://example.invalid/api"}, {"api_url": "not a url"}, {"service_id": "../Organization"},
    {"timeout": 0}, {"max_in_flight": 0}, {"retries": -1},
])
def test_bad_arguments_are_refused_before_any_traffic(kwargs):
    with pytest.raises(ValueError):
        ptv.fetch(**{"api_url": "http://127.0.0.1:9/api", **kwargs})


# --------------------------------------------------------------------------------------------
# Phone numbers


@pytest.mark.parametrize("prefix, digits, service, printed", [
    ("+358", "295036100", False, "0295 036 100"),
    ("+358", "401234567", False, "040 123 4567"),
    ("+358", "501234567", False, "050 123 4567"),
    ("+358", "98765432", False, "09 876 5432"),
    ("+358", "9123456", False, "09 123 456"),
    ("+358", "812345678", False, "08 1234 5678"),
    ("+358", "207654321", False, "020 765 4321"),
    ("+358", "1912345", False, "019 12 345"),
    ("+358", "800123456", True, "0800 123 456"),
    (None, "0800123456", True, "0800 123 456"),
    (None, "0295036100", True, "0295 036 100"),
    (None, "116117", True, "116 117"),
    ("358", "295036100", False, "0295 036 100"),
    ("+46", "8123456", False, "+46 8 123 456"),
])
def test_national(prefix, digits, service, printed):
    assert phone.national(prefix, digits, service) == printed
    if not printed.startswith("+") and printed.startswith("0"):
        assert phone.e164(printed) == "+358" + printed.replace(" ", "")[1:]


@pytest.mark.parametrize("written", ["0295 036 100", "+358295036100", "+358 29 503 6100", "+358 (0)29 503 6100",
                                     "00358 295 036 100", "0295-036-100", "0295\u00a0036\u00a0100"])
def test_the_same_number_written_differently(written):
    assert phone.e164(written) == "+358295036100"
    assert phone.digits_key(written) == "358295036100"


@pytest.mark.parametrize("bad", ["", "   ", "puh. 0295 036 100", "0295 036 100 ext 2", "+"])
def test_not_a_number(bad):
    with pytest.raises(ValueError):
        phone.e164(bad)


def test_phone_doctests():
    result = doctest.testmod(phone)
    assert result.attempted > 10 and result.failed == 0
