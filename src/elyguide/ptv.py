"""Read contact details from PTV, Finland's national service registry (open API v11).

PTV (Palvelutietovaranto, https://api.palvelutietovaranto.suomi.fi) publishes who offers a public
service and how to reach them. Its v11 reads are anonymous GETs that return JSON. This module
turns one guidance service into a small, JSON-serialisable snapshot of its organizations and
telephone channels. It uses the standard library only.

Flow
----
1. Discovery. ``GET v11/Service/{service_id}``. The service's ``organizations[]`` name the
   centres that give the guidance (with their ``roleType``), and ``serviceChannels[]`` name
   its channels.
2. Fallback. If the service answers 404, is Withdrawn or Archived, or names no organization,
   we look up the organizations that share the centres' business ID
   (``v11/Organization/businesscode/2296962-1``). Then we page through each one's services
   (``v11/Service/list/organization``) for the guidance service: its id is ``service_id``, or
   its Finnish name mentions "maahanmuut…" and "kotout…".
3. Details. ``v11/Organization/list`` and ``v11/ServiceChannel/list`` are asked for up to 100
   ids at a time, in parallel. If a list endpoint refuses (404/405), each id is fetched on its
   own (``v11/Organization/{id}``, ``v11/ServiceChannel/{id}``).
4. Snapshot. Only the fields a contact card needs are kept (phones, e-mails, postal addresses,
   web pages, names), as plain dicts and lists. Telephone channels are those with
   ``serviceChannelType == "Phone"``.

Robustness
----------
- The registry serialises empty lists as ``null`` and adds fields over time. Null lists count
  as empty, and unknown fields are ignored.
- A response that is not JSON, or not shaped like PTV, raises :class:`RegistryShapeError`
  naming the URL.
- Its rate limit counts requests in flight (HTTP 429), so at most ``max_in_flight`` requests
  run at once. 429 and 5xx answers are retried with exponential backoff, honouring
  ``Retry-After``.
- One deadline covers the whole fetch, so a registry that hangs cannot hang the command.
- No ``Authorization`` header is ever sent: the reads are anonymous, and a stale token makes
  PTV answer 500.
- :func:`fetch` raises :class:`RegistryError` subclasses only (``ValueError`` for bad
  arguments, before any traffic). A failed fetch returns nothing partial.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import queue
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from functools import partial
from typing import Any, Callable

__all__ = [
    "BUSINESS_CODE", "DEFAULT_API_URL", "DEFAULT_SERVICE_ID", "RegistryError", "RegistryHTTPError",
    "RegistryNetworkError", "RegistryShapeError", "RegistryTimeout", "fetch",
]

DEFAULT_API_URL = "https://api.palvelutietovaranto.suomi.fi/api"
DEFAULT_SERVICE_ID = "06e48156-19a1-4124-8e88-816fda5f94a6"
BUSINESS_CODE = "2296962-1"  # shared by the ELY centres and the elinvoimakeskus centres

LANGUAGES = ("fi", "sv", "en")
GUIDS_PER_REQUEST = 100  # PTV: "Max 100 can be added into list."
MAX_PAGES = 200  # a registry that never stops paging must not loop forever
MAX_BODY_BYTES = 32 * 1024 * 1024
_GRACE_SECONDS = 0.25  # lets a worker report its own, more precise, timeout first
_GONE = {"Withdrawn", "Archived", "Deleted"}
_ROLE_PRIORITY = {"Responsible": 0, "OtherResponsible": 1, "Producer": 2}
_CHARGE_TYPES = {"Chargeable", "FreeOfCharge", "Other"}
_PHONE_TYPES = {"Phone", "Sms", "Fax"}
_GUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")


# --------------------------------------------------------------------------------------------
# Errors


class RegistryError(Exception):
    """The registry could not be read. ``str(e)`` is one line, ready for ``elyguide: error: …``.

    ``reason`` is one of "network", "dns", "timeout", "http" or "shape"; ``url`` is the URL
    concerned, when there is one.
    """

    reason = "network"

    def __init__(self, message: str, *, url: str | None = None, reason: str | None = None, **facts):
        super().__init__(" ".join(str(message).split()))
        self.url = url
        if reason is not None:
            self.reason = reason
        # What a caller needs to say it in its own words: host (dns), status (http), seconds
        # (timeout), cause (network: "connection refused", "connection reset" or the system's
        # text), kind (shape: "not_json", "too_large", "no_service"; else not PTV-shaped).
        self.facts = {"url": url or "", **facts}


class RegistryNetworkError(RegistryError):
    """No connection: refused, reset, unreachable (reason "network"), or DNS failed ("dns")."""

    reason = "network"


class RegistryTimeout(RegistryError):
    """The registry did not answer within the fetch's overall deadline."""

    reason = "timeout"


class RegistryHTTPError(RegistryError):
    """The registry answered with an HTTP error status (after the retries, for 429 and 5xx)."""

    reason = "http"

    def __init__(self, message: str, *, status: int, url: str):
        super().__init__(message, url=url, status=status)
        self.status = status


class RegistryShapeError(RegistryError):
    """The answer was not JSON, was not shaped like PTV's, or did not contain what we need."""

    reason = "shape"


# --------------------------------------------------------------------------------------------
# Public entry point


def fetch(api_url: str = DEFAULT_API_URL, service_id: str = DEFAULT_SERVICE_ID, *, timeout: float = 30.0,
          max_in_flight: int = 3, retries: int = 3, backoff: float = 0.5, user_agent: str = "elyguide") -> dict:
    """Fetch the guidance service's organizations and telephone channels as a snapshot.

    The snapshot holds only dicts, lists, str, bool and None, so it can be written as JSON.
    ``timeout`` bounds the whole fetch, not each request. See the module docstring for the flow.
    """
    base = _check_arguments(api_url, service_id, timeout, max_in_flight, retries, backoff)
    session = _Session(base, timeout=timeout, max_in_flight=max_in_flight, retries=retries, backoff=backoff,
                       user_agent=user_agent)
    found = _discover_by_service(session, service_id)
    if found.services:
        discovery = "service"
    else:
        found = _discover_by_business_code(session, service_id, unusable=found)
        discovery = "businesscode"
    org_ids = [i for i in found.org_ids if i not in found.organizations]
    fetched, missing = _fetch_entities(session, {"Organization": org_ids, "ServiceChannel": found.channel_ids})
    found.organizations.update(fetched["Organization"])
    return _snapshot(session, service_id, discovery, found, fetched["ServiceChannel"], missing)


def check_api_url(api_url) -> str:
    """The API base without a trailing slash; ValueError unless it is an http(s) URL."""
    base = str(api_url).strip().rstrip("/")
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in base):
        raise ValueError(f"the registry URL must be an http(s) URL: {api_url!r}")
    return base


def check_service_id(service_id) -> None:
    if not isinstance(service_id, str) or not _GUID.match(service_id):
        raise ValueError(f"a PTV service id is a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx): {service_id!r}")


def _check_arguments(api_url, service_id, timeout, max_in_flight, retries, backoff) -> str:
    """Reject bad arguments before any traffic; they are the caller's bug, not the registry's."""
    base = check_api_url(api_url)
    check_service_id(service_id)
    if not timeout > 0:
        raise ValueError(f"timeout must be positive: {timeout!r}")
    if not isinstance(max_in_flight, int) or max_in_flight < 1:
        raise ValueError(f"max_in_flight must be a positive integer: {max_in_flight!r}")
    if not isinstance(retries, int) or retries < 0 or not backoff >= 0:
        raise ValueError("retries and backoff must not be negative")
    return base


# --------------------------------------------------------------------------------------------
# HTTP: one session per fetch, with its deadline, its concurrency limit and its request log


class _Session:
    """Everything one fetch shares: the deadline, the in-flight slots, retries and the log."""

    def __init__(self, base: str, *, timeout: float, max_in_flight: int, retries: int, backoff: float,
                 user_agent: str):
        self.base = base
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.max_in_flight = max_in_flight
        self.retries = retries
        self.backoff = backoff
        # Accept only: never an Authorization header (see the module docstring).
        self.headers = {"Accept": "application/json", "User-Agent": user_agent}
        self.requests: list[str] = []
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._lock = threading.Lock()
        self._in_flight: list[str] = []
        # Honours the usual *_proxy variables, like any urllib client; never installs globally.
        self._opener = urllib.request.build_opener()

    def url(self, path: str, query: dict | None = None) -> str:
        url = f"{self.base}/{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query, safe=",")
        return url

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    # -- running requests in parallel --------------------------------------------------------

    def run(self, tasks: list[Callable[[], Any]]) -> list[Any]:
        """Run the tasks on at most ``max_in_flight`` threads; results in order, or the first error.

        The threads are daemons and the caller waits only until the deadline. So a request
        stuck in a socket call cannot keep ``fetch`` (or the interpreter) from returning.
        """
        if not tasks:
            return []
        todo: queue.SimpleQueue = queue.SimpleQueue()
        for index, task in enumerate(tasks):
            todo.put((index, task))
        done: queue.SimpleQueue = queue.SimpleQueue()
        stop = threading.Event()

        def worker():
            while not stop.is_set():
                try:
                    index, task = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.put((index, None, task()))
                except BaseException as exc:  # handed to the caller's thread, which re-raises it
                    done.put((index, exc, None))

        for _ in range(min(self.max_in_flight, len(tasks))):
            threading.Thread(target=worker, name="elyguide-ptv", daemon=True).start()
        results: list[Any] = [None] * len(tasks)
        try:
            for _ in tasks:
                try:
                    index, error, value = done.get(timeout=max(self.remaining(), 0.0) + _GRACE_SECONDS)
                except queue.Empty:
                    raise self._timeout(self._waiting_for()) from None
                if error is not None:
                    raise error
                results[index] = value
        finally:
            stop.set()
        return results

    # -- one logical GET, with retries ------------------------------------------------------

    def get(self, path: str, query: dict | None = None, *, missing_ok: frozenset = frozenset()):
        """GET ``path`` and parse its JSON. Returns ``(url, data)``; data is None for ``missing_ok``."""
        url = self.url(path, query)
        for attempt in range(self.retries + 1):
            status, retry_after, body = self._attempt(url)
            if 200 <= status < 300:
                self._log(url)
                return url, _parse_json(body, url)
            if status in missing_ok:
                self._log(url)
                return url, None
            if not (status == 429 or status >= 500) or attempt == self.retries:
                break
            self._wait_to_retry(url, status, self._delay(attempt, retry_after))
        raise RegistryHTTPError(f"registry answered HTTP {status} for {url}", status=status, url=url)

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Retry-After if the registry gave one, else exponential backoff."""
        told = _retry_after_seconds(retry_after)
        return told if told is not None else self.backoff * (2 ** attempt)

    def _wait_to_retry(self, url: str, status: int, delay: float) -> None:
        """Sleep before a retry, but never past the deadline: give up instead."""
        if delay >= self.remaining():
            raise RegistryHTTPError(
                f"registry answered HTTP {status} for {url}, and waiting {delay:g} s to retry would pass "
                f"the {self.timeout:g} s time limit", status=status, url=url)
        time.sleep(delay)

    def _attempt(self, url: str) -> tuple[int, str | None, bytes]:
        """One HTTP exchange: ``(status, Retry-After, body)``, or a RegistryError for no answer."""
        remaining = self.remaining()
        if remaining <= 0:
            raise self._timeout(url)
        request = urllib.request.Request(url, headers=self.headers, method="GET")
        with self._slots, self._tracking(url):
            try:
                with self._opener.open(request, timeout=remaining) as response:
                    return response.status, None, self._read(response, url)
            except urllib.error.HTTPError as exc:
                retry_after = exc.headers.get("Retry-After") if exc.headers is not None else None
                exc.close()
                return exc.code, retry_after, b""
            except urllib.error.URLError as exc:
                raise self._connection_error(exc.reason, url) from None
            except (TimeoutError, socket.timeout):
                raise self._timeout(url) from None
            except (http.client.HTTPException, OSError) as exc:
                raise self._connection_error(exc, url) from None

    def _read(self, response, url: str) -> bytes:
        """Read the body in pieces, checking the deadline between them (a trickling server)."""
        chunks, size = [], 0
        read = getattr(response, "read1", response.read)
        while True:
            if self.remaining() <= 0:
                raise self._timeout(url)
            chunk = read(65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise RegistryShapeError(f"registry answer for {url} is larger than {MAX_BODY_BYTES} bytes", url=url,
                                         kind="too_large")
            chunks.append(chunk)

    # -- bookkeeping and error messages -------------------------------------------------------

    def _log(self, url: str) -> None:
        with self._lock:
            self.requests.append(url)

    @contextlib.contextmanager
    def _tracking(self, url: str):
        """Remember which URLs are in flight, so that a timeout can say what it waited for."""
        with self._lock:
            self._in_flight.append(url)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight.remove(url)

    def _waiting_for(self) -> str | None:
        with self._lock:
            return self._in_flight[0] if self._in_flight else None

    def _timeout(self, url: str | None) -> RegistryTimeout:
        where = f" ({url})" if url else ""
        return RegistryTimeout(f"the registry did not answer within {self.timeout:g} s{where}", url=url,
                               seconds=f"{self.timeout:g}")

    def _connection_error(self, cause: object, url: str) -> RegistryError:
        """Classify what urllib or the socket raised: DNS, timeout or another network failure."""
        if isinstance(cause, socket.gaierror):
            host = urllib.parse.urlsplit(url).hostname
            return RegistryNetworkError(f"cannot resolve the registry host {host}: {_describe(cause)}",
                                        url=url, reason="dns", host=host or "")
        if isinstance(cause, (TimeoutError, socket.timeout)):
            return self._timeout(url)
        return RegistryNetworkError(f"cannot reach the registry at {url}: {_describe(cause)}", url=url,
                                    cause=_describe(cause))


def _describe(cause: object) -> str:
    """A short human description of a socket-level failure."""
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(cause, ConnectionResetError):
        return "connection reset"
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(cause) or type(cause).__name__


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _parse_json(body: bytes, url: str) -> Any:
    """JSON, or RegistryShapeError naming the URL (an HTML error page, a cut-off answer…)."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RegistryShapeError(f"registry answer for {url} is not UTF-8 text", url=url, kind="not_json") from None
    except json.JSONDecodeError as exc:
        raise RegistryShapeError(f"registry answer for {url} is not valid JSON ({exc})", url=url, kind="not_json") from None
    except RecursionError:
        raise RegistryShapeError(f"registry answer for {url} is nested too deeply", url=url, kind="not_json") from None


# --------------------------------------------------------------------------------------------
# Discovery


class _Found:
    """What discovery found: the guidance services, and the organization and channel ids."""

    def __init__(self, services: list[dict] | None = None, why_not: str = "", status: int | None = None,
                 url: str | None = None):
        self.services = services or []  # parsed services, the primary one first
        self.why_not = why_not  # why the service itself could not be used
        self.status = status  # HTTP status behind why_not, if any
        self.url = url
        self.organizations: dict[str, tuple[dict, str]] = {}  # id -> (raw organization, URL)
        self.business_code_ids: list[str] = []

    @property
    def org_ids(self) -> list[str]:
        return _unique([*self.business_code_ids, *(i for s in self.services for i, _ in s["org_refs"])])

    @property
    def channel_ids(self) -> list[str]:
        return _unique(i for s in self.services for i in s["channel_ids"])

    def roles(self) -> dict[str, str]:
        """Each organization's role in the service(s); Responsible beats OtherResponsible beats Producer."""
        roles: dict[str, str] = {}
        for service in self.services:
            for org_id, role in service["org_refs"]:
                if role and (org_id not in roles or _role_rank(role) < _role_rank(roles[org_id])):
                    roles[org_id] = role
        return roles


def _discover_by_service(session: _Session, service_id: str) -> _Found:
    """The service by id; an empty _Found (with the reason) if it cannot be used."""
    path = f"v11/Service/{urllib.parse.quote(service_id, safe='')}"
    url, raw = session.run([partial(session.get, path, missing_ok=frozenset({404}))])[0]
    if raw is None:
        return _Found(why_not=f"registry answered HTTP 404 for {url}", status=404, url=url)
    service = _shaped(url, _parse_service, _entity(raw, url, "a service"), url)
    if service["status"] in _GONE:
        return _Found(why_not=f"service {service_id} is {service['status']} in the registry", url=url)
    if not service["org_refs"]:
        return _Found(why_not=f"service {service_id} names no organization in the registry", url=url)
    return _Found([service])


def _discover_by_business_code(session: _Session, service_id: str, unusable: _Found) -> _Found:
    """Find the guidance service through the organizations sharing the centres' business ID.

    ``unusable`` says why the service itself could not be used; it is reported if this finds
    nothing either (as the HTTP error it was, when it was a 404).
    """
    path = f"v11/Organization/businesscode/{BUSINESS_CODE}"
    url, data = session.run([partial(session.get, path, missing_ok=frozenset({404}))])[0]
    organizations = _entity_list(data, url, "organizations")
    found = _Found(why_not=unusable.why_not, status=unusable.status, url=unusable.url)
    for raw in organizations:
        found.organizations.setdefault(raw["id"].lower(), (raw, url))
    found.business_code_ids = list(found.organizations)
    per_org = session.run([partial(_guidance_services_of, session, org_id, service_id)
                           for org_id in found.business_code_ids])
    services = _unique_by_id(s for batch in per_org for s in batch)
    services.sort(key=lambda s: s["id"] != service_id.lower())  # the asked-for one first, else keep order
    if not services:
        message = (f"{found.why_not}, and no organization with business code {BUSINESS_CODE} "
                   f"offers an immigration and integration guidance service")
        if found.status is not None:
            raise RegistryHTTPError(message, status=found.status, url=found.url)
        raise RegistryShapeError(message, url=found.url, kind="no_service")
    found.services = services
    return found


def _guidance_services_of(session: _Session, org_id: str, service_id: str) -> list[dict]:
    """Page through one organization's services, keeping the guidance ones."""
    matches = []
    for page in range(1, MAX_PAGES + 1):
        query = {"organizationId": org_id, "page": page}
        url, data = session.get("v11/Service/list/organization", query, missing_ok=frozenset({404}))
        if data is None:
            break
        if not isinstance(data, dict) or "itemList" not in data:
            raise RegistryShapeError(f"registry answer for {url} is not a PTV page (no itemList)", url=url)
        for raw in _entity_list(data.get("itemList"), url, "services"):
            service = _shaped(url, _parse_service, raw, url)
            if service["status"] not in _GONE and _is_guidance(service, service_id):
                matches.append(service)
        page_count = data.get("pageCount")
        if not isinstance(page_count, int) or page >= page_count:
            break
    return matches


def _is_guidance(service: dict, service_id: str) -> bool:
    """The asked-for service, or one whose Finnish name is about immigration and integration."""
    if service["id"] == service_id.lower():
        return True
    name = (service["fi_name"] or "").casefold()
    return "maahanmuut" in name and "kotout" in name


# --------------------------------------------------------------------------------------------
# Details: organizations and channels, a hundred at a time


def _fetch_entities(session: _Session, wanted: dict[str, list[str]]):
    """Fetch entities of each kind by list endpoint, by id where a list endpoint refuses.

    Returns ``(found, missing)``: ``found[kind]`` maps id -> (raw, URL); ``missing[kind]`` lists
    the ids the registry did not return.
    """
    found: dict[str, dict[str, tuple[dict, str]]] = {kind: {} for kind in wanted}
    jobs = [(kind, chunk) for kind, ids in wanted.items() for chunk in _chunks(ids, GUIDS_PER_REQUEST)]
    tasks = [partial(session.get, f"v11/{kind}/list", {"guids": ",".join(chunk)}, missing_ok=frozenset({404, 405}))
             for kind, chunk in jobs]
    one_by_one = []
    for (kind, chunk), (url, data) in zip(jobs, session.run(tasks)):
        if data is None:
            one_by_one.extend((kind, entity_id) for entity_id in chunk)
            continue
        for raw in _entity_list(data, url, f"{kind} objects"):
            found[kind].setdefault(raw["id"].lower(), (raw, url))
    tasks = [partial(session.get, f"v11/{kind}/{urllib.parse.quote(entity_id, safe='')}", missing_ok=frozenset({404}))
             for kind, entity_id in one_by_one]
    for (kind, _), (url, data) in zip(one_by_one, session.run(tasks)):
        if data is not None:
            raw = _entity(data, url, f"a {kind} object")
            found[kind].setdefault(raw["id"].lower(), (raw, url))
    missing = {kind: [i for i in ids if i not in found[kind]] for kind, ids in wanted.items()}
    return found, missing


# --------------------------------------------------------------------------------------------
# Shape checks


def _entity(data: Any, url: str, what: str) -> dict:
    """A PTV object: a JSON object with a string ``id``."""
    if not isinstance(data, dict):
        raise RegistryShapeError(f"registry answer for {url} is not {what} (expected a JSON object, got "
                                 f"{_json_type(data)})", url=url)
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        raise RegistryShapeError(f"registry answer for {url} is not {what} (it has no id)", url=url)
    return data


def _entity_list(data: Any, url: str, what: str) -> list[dict]:
    """A JSON array of PTV objects (null items skipped); also accepts a PTV page's itemList."""
    if data is None:
        return []
    if isinstance(data, dict) and "itemList" in data:
        data = data["itemList"] or []
    if not isinstance(data, list):
        raise RegistryShapeError(f"registry answer for {url} is not a list of {what} (got {_json_type(data)})",
                                 url=url)
    return [_entity(item, url, f"a list of {what}") for item in data if item is not None]


def _json_type(data: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(data), "a number")


def _shaped(url: str, parse: Callable, *args):
    """Run a parser; a type surprise deep inside the data becomes a RegistryShapeError."""
    try:
        return parse(*args)
    except RegistryError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise RegistryShapeError(f"registry answer for {url} has unexpected data ({type(exc).__name__}: {exc})",
                                 url=url) from None


def _items(obj: dict, key: str, url: str) -> list[dict]:
    """A list field: null or missing is empty, null items are skipped, anything else is an error."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RegistryShapeError(f"registry answer for {url}: field {key!r} should be a list, not "
                                 f"{_json_type(value)}", url=url)
    return [item for item in value if isinstance(item, dict)]


def _text(value: Any) -> str | None:
    """A non-blank string, stripped, or None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


# --------------------------------------------------------------------------------------------
# Parsing PTV objects into snapshot parts


def _parse_service(raw: dict, url: str) -> dict:
    """The service parts discovery needs: id, names, status, organizations and channel ids."""
    org_refs = []
    for entry in _items(raw, "organizations", url):
        org = entry.get("organization")
        if isinstance(org, dict) and _text(org.get("id")):
            org_refs.append((_text(org["id"]).lower(), _text(entry.get("roleType"))))
    channel_ids = []
    for entry in _items(raw, "serviceChannels", url):
        channel = entry.get("serviceChannel")
        if isinstance(channel, dict) and _text(channel.get("id")):
            channel_ids.append(_text(channel["id"]).lower())
    names = _names(raw, "serviceNames", url)
    fi_names = [e for e in _items(raw, "serviceNames", url) if e.get("language") == "fi"
                and e.get("type") in (None, "Name") and _text(e.get("value"))]
    return {"id": raw["id"].strip().lower(), "names": _first(names),
            "fi_name": _text(fi_names[0]["value"]) if fi_names else None,
            "status": _text(raw.get("publishingStatus")), "org_refs": org_refs, "channel_ids": channel_ids}


def _parse_organization(raw: dict, url: str, role: str | None) -> dict:
    return {
        "id": raw["id"].strip().lower(),
        "business_code": _text(raw.get("businessCode")),
        "names": _names(raw, "organizationNames", url),
        "phones": _phones(raw, "phoneNumbers", url),
        "emails": _emails(raw, "emails", url),
        "postal_addresses": _postal_addresses(raw, url),
        "web_pages": _web_pages(raw, url),
        "role": role,
    }


def _parse_channel(raw: dict, url: str) -> dict:
    return {
        "id": raw["id"].strip().lower(),
        "organization_id": (_text(raw.get("organizationId")) or "").lower() or None,
        "names": _first(_names(raw, "serviceChannelNames", url)),
        "phones": _phones(raw, "phoneNumbers", url),
        "emails": _emails(raw, "supportEmails", url),
        "web_pages": _web_pages(raw, url),
    }


def _names(raw: dict, key: str, url: str) -> dict[str, list[str]]:
    """All names per language, type Name before AlternativeName (and before untyped ones)."""
    order = {"Name": 0, "AlternativeName": 1}
    entries = sorted(_items(raw, key, url), key=lambda e: order.get(e.get("type"), 2))
    names: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for entry in entries:
        lang, value = entry.get("language"), _text(entry.get("value"))
        if lang in names and value and value not in names[lang]:
            names[lang].append(value)
    return names


def _first(names: dict[str, list[str]]) -> dict[str, str | None]:
    return {lang: values[0] if values else None for lang, values in names.items()}


def _phones(raw: dict, key: str, url: str) -> list[dict]:
    """PTV phones; one that has no usable digits is dropped rather than guessed at."""
    phones = []
    for item in _items(raw, key, url):
        number = item.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        number = re.sub(r"[\s\-]", "", number) if isinstance(number, str) else ""
        if not re.fullmatch(r"\d{1,20}", number):
            continue
        prefix = _text(item.get("prefixNumber"))
        prefix = "+" + prefix.lstrip("+") if prefix and re.fullmatch(r"\+?\d{1,4}", prefix) else None
        phones.append({
            "number": number,
            "prefix": prefix,
            "service_number": item.get("isFinnishServiceNumber") is True,
            "lang": item.get("language") if item.get("language") in LANGUAGES else None,
            "additional_information": _text(item.get("additionalInformation")),
            "charge_type": item.get("serviceChargeType") if item.get("serviceChargeType") in _CHARGE_TYPES else None,
            "charge_description": _text(item.get("chargeDescription")),
            "type": item.get("type") if item.get("type") in _PHONE_TYPES else None,
        })
    return phones


def _emails(raw: dict, key: str, url: str) -> list[dict]:
    return [{"address": _text(item.get("value")), "description": _text(item.get("description")),
             "lang": _text(item.get("language"))}
            for item in _items(raw, key, url) if _text(item.get("value"))]


def _web_pages(raw: dict, url: str) -> list[dict]:
    return [{"url": _text(item.get("url")), "name": _text(item.get("value")), "lang": _text(item.get("language"))}
            for item in _items(raw, "webPages", url) if _text(item.get("url"))]


def _postal_addresses(raw: dict, url: str) -> list[dict]:
    """Postal addresses that are a PO box or a street; visiting and foreign ones are skipped."""
    addresses = []
    for item in _items(raw, "addresses", url):
        sub_type = item.get("subType")
        if item.get("type") != "Postal" or sub_type not in ("PostOfficeBox", "Street"):
            continue
        body = item.get("postOfficeBoxAddress" if sub_type == "PostOfficeBox" else "streetAddress")
        if not isinstance(body, dict):
            continue
        lines = _address_lines(body, sub_type, url)
        post_offices = _by_language(body, "postOffice", url)
        fallback = post_offices.get("fi") or next(iter(post_offices.values()), None)
        by_lang = {lang: {"lines": [line], "post_office": post_offices.get(lang, fallback)}
                   for lang, line in lines.items()}
        postal_code = _text(body.get("postalCode"))
        if by_lang or postal_code:
            addresses.append({"sub_type": sub_type, "postal_code": postal_code, "by_lang": by_lang,
                              "additional_information": _by_language(body, "additionalInformation", url)})
    return addresses


def _address_lines(body: dict, sub_type: str, url: str) -> dict[str, str]:
    """The address line per language: "PL 60", or street and number ("Kallanranta 11")."""
    if sub_type == "PostOfficeBox":
        return _by_language(body, "postOfficeBox", url)
    number = _text(body.get("streetNumber"))
    return {lang: f"{street} {number}" if number else street
            for lang, street in _by_language(body, "street", url).items()}


def _by_language(body: dict, key: str, url: str) -> dict[str, str]:
    """A PTV LanguageItem list as {language: first value}."""
    values: dict[str, str] = {}
    for entry in _items(body, key, url):
        lang, value = _text(entry.get("language")), _text(entry.get("value"))
        if lang and value:
            values.setdefault(lang, value)
    return values


# --------------------------------------------------------------------------------------------
# Snapshot


def _snapshot(session: _Session, service_id: str, discovery: str, found: _Found,
              channels: dict[str, tuple[dict, str]], missing: dict[str, list[str]]) -> dict:
    roles = found.roles()
    organizations = [_shaped(url, _parse_organization, raw, url, roles.get(org_id))
                     for org_id, (raw, url) in _in_order(found.organizations, found.org_ids)]
    phone_channels = [_shaped(url, _parse_channel, raw, url)
                      for _, (raw, url) in _in_order(channels, found.channel_ids)
                      if raw.get("serviceChannelType") == "Phone"]
    primary = found.services[0]
    return {
        "api_url": session.base,
        "fetched_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "service_id": service_id,
        "discovery": discovery,
        "service": {"id": primary["id"], "names": primary["names"]},
        "organizations": organizations,
        "phone_channels": phone_channels,
        "requests": list(session.requests),
        "ids": {"services": [s["id"] for s in found.services], "organizations": found.org_ids,
                "channels": found.channel_ids},
        "missing": {"organizations": missing.get("Organization", []), "channels": missing.get("ServiceChannel", [])},
    }


def _in_order(entities: dict[str, tuple[dict, str]], order: list[str]):
    """Entities in the order the service listed them; any others after, as fetched."""
    for entity_id in _unique([*order, *entities]):
        if entity_id in entities:
            yield entity_id, entities[entity_id]


# --------------------------------------------------------------------------------------------
# Small helpers


def _unique(values) -> list:
    return list(dict.fromkeys(values))


def _unique_by_id(services) -> list[dict]:
    """The first service of each id, in order (several organizations list the same service)."""
    unique: dict[str, dict] = {}
    for service in services:
        unique.setdefault(service["id"], service)
    return list(unique.values())


def _chunks(values: list, size: int) -> list[list]:
    return [values[i:i + size] for i in range(0, len(values), size)]


def _role_rank(role: str) -> int:
    return _ROLE_PRIORITY.get(role, len(_ROLE_PRIORITY))
