"""`elyguide refresh`: fetch the centres' contacts from the national service registry (PTV),
map the registry's organizations to elyguide's centres, and keep the result locally.

The flow: ptv.fetch (network, all or nothing) -> map organizations to centres by name, with
the same matcher as `elyguide centre`, never guessing -> contact facts, each citing the
registry and dated the day they were fetched -> validate the whole result as a lookup would
read it -> write it atomically (a temporary file, then a rename). Any failure before the
rename leaves what was there untouched. `--dry-run` shows what would change; `--forget`
removes the refreshed data.
"""

from __future__ import annotations

import json
import os

from .errors import DataError, ElyguideError, ExitStatus, UsageError
from .messages import format_date, message
from .model import LANGUAGES
from .phone import digits_key

REGISTRY_TITLE = "Palvelutietovaranto (suomi.fi), open API v11"
TIMEOUT_ENV = "ELYGUIDE_PTV_TIMEOUT"  # seconds for the whole fetch (default 30)
API_URL_ENV = "ELYGUIDE_PTV_URL"
_STATUS = {"network": ExitStatus.REGISTRY_UNREACHABLE, "dns": ExitStatus.REGISTRY_DNS, "timeout": ExitStatus.REGISTRY_TIMEOUT,
           "http": ExitStatus.REGISTRY_HTTP, "shape": ExitStatus.REGISTRY_DATA}
_SWITCHBOARD_WORDS = ("vaihde", "växel", "vaxel", "switchboard")
_CHARGES = {
    "Chargeable": {"fi": "Puhelu on maksullinen.", "sv": "Samtalet är avgiftsbelagt.", "en": "The call is charged."},
    "FreeOfCharge": {"fi": "Puhelu on maksuton.", "sv": "Samtalet är avgiftsfritt.", "en": "The call is free of charge."},
}


class RegistryFailed(ElyguideError):
    """The registry could not be reached, or its answer could not be used; the status says
    which. Said in the user's language from the facts the client gives (host, URL, HTTP status,
    seconds, what was wrong): the client's own messages are English."""

    def __init__(self, reason: str, message_id: str, **values):
        super().__init__(message_id, **values)
        self.exit_status = _STATUS[reason]

    @classmethod
    def from_client(cls, error, api_url: str) -> RegistryFailed:
        reason = error.reason if error.reason in _STATUS else "shape"
        facts = {**error.facts, "url": error.facts.get("url") or api_url}
        if reason == "network":
            cause = {"connection refused": "_refused", "connection reset": "_reset"}.get(facts.get("cause", ""), "")
            return cls(reason, "registry_network" + cause, url=facts["url"])
        if reason == "shape":
            kind = facts.get("kind") if facts.get("kind") in ("not_json", "too_large", "no_service") else "not_ptv"
            return cls(reason, f"registry_shape_{kind}", url=facts["url"])
        return cls(reason, f"registry_{reason}", **{k: facts.get(k, "") for k in ("url", "host", "status", "seconds")})


def run_refresh(env, *, api_url=None, service=None, dry_run=False, json_flag=False, forget=False, lang="fi") -> int:
    from .userdata import refreshed_path

    path = refreshed_path(env.variables)
    if forget:
        if dry_run or api_url or service:
            raise UsageError("forget_alone")
        return _forget(env, path, lang)
    for option, value in (("--api-url", api_url), ("--service", service)):
        if value is not None and not value.strip():
            raise UsageError("empty_option", option=option)
    api_url = (api_url or env.variables.get(API_URL_ENV) or "").strip() or None
    timeout = _timeout(env)
    snapshot = _fetch(api_url, service, timeout)
    document, skipped = build_document(snapshot, env)
    _validated(document, path)
    old = _previous(path)
    changes = diff(old, document)
    for item in skipped:
        env.note("refresh_skipped", name=item["name"], why=message(item["why"], env.message_lang))
    if json_flag:
        from .records import dumps

        env.write(dumps({"dry_run": bool(dry_run), "path": path, "fetched_at": document["fetched_at"], "api_url": document["api_url"],
                         "changes": changes, "skipped": skipped}) + "\n", machine=True)
    else:
        _print_changes(env, changes, lang)
    if not dry_run:
        _write_atomically(path, document)
        if not json_flag:
            env.write(message("refresh_saved", lang, path=path, centres=len(document["centres"]),
                              date=format_date(document["fetched_at"][:10], lang)) + "\n")
    elif not json_flag:
        env.write(message("refresh_dry_run", lang) + "\n")
    return ExitStatus.FOUND


def _timeout(env) -> float:
    raw = env.variables.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return 30.0
    try:
        value = float(raw)
        if not 0 < value <= 600:
            raise ValueError
        return value
    except ValueError:
        raise UsageError("bad_timeout", value=raw, variable=TIMEOUT_ENV) from None


def _fetch(api_url, service, timeout: float) -> dict:
    from . import ptv

    api_url, service = api_url or ptv.DEFAULT_API_URL, service or ptv.DEFAULT_SERVICE_ID
    try:
        ptv.check_api_url(api_url)
    except ValueError:
        raise UsageError("bad_registry_url", value=api_url) from None
    try:
        ptv.check_service_id(service)
    except ValueError:
        raise UsageError("bad_service_id", value=service) from None
    try:
        return ptv.fetch(api_url, service, timeout=timeout)
    except ptv.RegistryError as error:
        raise RegistryFailed.from_client(error, api_url) from None


# ------------------------------------------------------------------------------ mapping
def map_organization(org: dict, dataset, today: str) -> tuple[str | None, str | None]:
    """(centre id, None) when the organization's Finnish and Swedish names all point at one
    current centre; (None, why) otherwise. Exact names and area names only: never a guess."""
    from .match import match_centres

    names = [n for lang in ("fi", "sv") for n in (org.get("names") or {}).get(lang) or () if n]
    matched: set[str] = set()
    for name in names:
        found, how = match_centres(name, dataset, today)
        if how in ("exact", "area") and len(found) == 1:
            matched.add(found[0].id)
        elif how in ("exact", "area") and len(found) > 1:
            matched.update(c.id for c in found)
    if not matched:
        return None, "refresh_why_no_centre"
    if len(matched) > 1:
        return None, "refresh_why_several"
    centre = dataset.centre(matched.pop())
    if not centre.active_on(today):
        return None, "refresh_why_not_current"
    return centre.id, None


def build_document(snapshot: dict, env) -> tuple[dict, list]:
    """The refreshed-contacts document for a registry snapshot, and the organizations skipped."""
    from .index import load_dataset
    from .resolve import today

    dataset = load_dataset(variables=env.variables)
    date = snapshot["fetched_at"][:10]
    api = snapshot["api_url"].rstrip("/")
    centres: dict[str, dict] = {}
    skipped = []
    org_centre = {}
    for org in snapshot["organizations"]:
        centre_id, why = map_organization(org, dataset, today())
        name = _first_name(org.get("names") or {})
        if centre_id is None:
            skipped.append({"organization": org["id"], "name": name, "why": why})
            continue
        org_centre[org["id"]] = centre_id
        entry = centres.setdefault(centre_id, {"organizations": [], "contacts": {"phones": [], "emails": [], "postal_addresses": [], "web": []}})
        entry["organizations"].append(org["id"])
        source = _source(f"{api}/v11/Organization/{org['id']}", name, date)
        contacts = entry["contacts"]
        contacts["phones"] += _phones(org.get("phones") or [], None, source, date)
        contacts["emails"] += _emails(org.get("emails") or [], source, date)
        contacts["postal_addresses"] += _addresses(org.get("postal_addresses") or [], source, date)
        contacts["web"] += [{"url": w["url"], "lang": w.get("lang") or "fi", "source": source, "verified": date}
                            for w in org.get("web_pages") or () if (w.get("url") or "").startswith("https://")]
    for channel in snapshot.get("phone_channels") or ():
        centre_id = org_centre.get(channel.get("organization_id"))
        if centre_id is None:
            continue
        source = _source(f"{api}/v11/ServiceChannel/{channel['id']}", _first_name({k: [v] for k, v in (channel.get("names") or {}).items() if v}), date)
        contacts = centres[centre_id]["contacts"]
        contacts["phones"] = _phones(channel.get("phones") or [], "service", source, date) + contacts["phones"]
        contacts["emails"] = _emails(channel.get("emails") or [], source, date, "service") + contacts["emails"]
    for entry in centres.values():
        for kind, facts in entry["contacts"].items():
            entry["contacts"][kind] = _unique(facts, lambda fact, kind=kind: _fact_key(kind, fact))
    if not centres:
        raise RegistryFailed("shape", "registry_shape_nothing_matched", count=len(snapshot["organizations"]))
    document = {"format": 1, "fetched_at": snapshot["fetched_at"], "api_url": snapshot["api_url"],
                "service_id": snapshot["service_id"], "discovery": snapshot.get("discovery"), "ids": snapshot.get("ids") or {},
                "centres": dict(sorted(centres.items())), "skipped": skipped}
    return document, skipped


def _first_name(names: dict) -> str:
    for lang in LANGUAGES:
        for name in names.get(lang) or ():
            if name:
                return name
    return "?"


def _source(url: str, name: str, date: str) -> dict:
    return {"title": f"{REGISTRY_TITLE}: {name}", "url": url, "date": date, "kind": "official"}


def _unique(items: list, key) -> list:
    seen, out = set(), []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _phones(raw: list, kind: str | None, source: dict, date: str) -> list:
    """The registry lists one phone object per language; merge them by number, keeping each
    language's words about the line."""
    from .phone import national

    merged: dict[str, dict] = {}
    for phone in raw:
        if phone.get("type") not in (None, "Phone"):
            continue  # a fax or SMS number is not for calling
        try:
            number = national(phone.get("prefix"), phone["number"], bool(phone.get("service_number")))
        except (ValueError, KeyError, TypeError):
            continue
        entry = merged.setdefault(digits_key(number), {"number": number, "labels": {}, "charges": {}, "charge_type": phone.get("charge_type")})
        lang = phone.get("lang") or "fi"
        if phone.get("additional_information"):
            entry["labels"].setdefault(lang, phone["additional_information"].strip())
        if phone.get("charge_description"):
            entry["charges"].setdefault(lang, phone["charge_description"].strip())
    out = []
    for entry in merged.values():
        labels = entry["labels"]
        phone_kind = kind or ("switchboard" if any(w in text.lower() for text in labels.values() for w in _SWITCHBOARD_WORDS)
                              else "general")
        charge = _charge_text(entry["charge_type"], entry["charges"])
        out.append({"number": entry["number"], "kind": phone_kind, "label": _names(labels), "charge_text": charge,
                    "source": source, "verified": date})
    return out


def _names(texts: dict) -> dict | None:
    """{fi, sv, en} from whatever languages the registry gave (Finnish falls back to another)."""
    if not texts:
        return None
    return {"fi": texts.get("fi") or next(iter(texts.values())), "sv": texts.get("sv"), "en": texts.get("en")}


def _charge_text(charge_type: str | None, descriptions: dict) -> dict | None:
    base = _CHARGES.get(charge_type or "")
    if not base and not descriptions:
        return None
    text = {}
    for lang in LANGUAGES:
        parts = [p for p in ((base or {}).get(lang), descriptions.get(lang)) if p]
        text[lang] = " ".join(parts) or None
    if not text["fi"]:
        text["fi"] = next(v for v in text.values() if v)
    return text


def _emails(raw: list, source: dict, date: str, kind: str = "general") -> list:
    merged: dict[str, dict] = {}
    for email in raw:
        address = (email.get("address") or "").strip()
        if "@" not in address:
            continue
        entry = merged.setdefault(address.lower(), {"address": address, "labels": {}})
        if email.get("description"):
            entry["labels"].setdefault(email.get("lang") or "fi", email["description"].strip())
    return [{"address": e["address"], "kind": kind, "label": _names(e["labels"]), "source": source, "verified": date}
            for e in merged.values()]


def _addresses(raw: list, source: dict, date: str) -> list:
    """One address per language the registry writes it in, so its lines always stand under
    the centre's name in the same language."""
    out = []
    for address in raw:
        postcode = address.get("postal_code") or ""
        for lang, text in sorted((address.get("by_lang") or {}).items()):
            if lang not in ("fi", "sv") or not text.get("lines") or not text.get("post_office"):
                continue
            out.append({"kind": "postal", "lines": list(text["lines"]), "postcode": postcode, "town": text["post_office"],
                        "lang": lang, "source": source, "verified": date})
    return out


# ------------------------------------------------------------------------------ storing
def _validated(document: dict, path: str) -> None:
    """The document must read back exactly as a lookup will read it."""
    from .errors import DataError
    from .userdata import read_refreshed

    try:
        read_refreshed(json.loads(json.dumps(document)), path)
    except DataError as error:
        raise RegistryFailed("shape", "registry_shape_invalid", detail=error.values["detail"]) from None


def _previous(path: str) -> dict | None:
    """The last refresh's file, to report what changed; anything unreadable counts as none."""
    from .files import read_bytes
    from .userdata import MAX_REFRESHED

    try:
        old = json.loads(read_bytes(path, MAX_REFRESHED).decode("utf-8"))
        return old if isinstance(old, dict) else None
    except (DataError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


def _write_atomically(path: str, document: dict) -> None:
    from .errors import StreamError

    from .files import write_atomically

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomically(path, (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8"), durable=True)
    except OSError as error:
        raise StreamError("cannot_save", path=path, reason=error.strerror or str(error)) from None


def _forget(env, path: str, lang: str) -> int:
    from .errors import StreamError

    if not os.path.lexists(path):
        env.write(message("refresh_nothing_to_forget", lang, path=path) + "\n")
        return ExitStatus.FOUND
    try:
        os.unlink(path)
    except OSError as error:
        raise StreamError("cannot_save", path=path, reason=error.strerror or str(error)) from None
    env.write(message("refresh_forgotten", lang, path=path) + "\n")
    return ExitStatus.FOUND


# ------------------------------------------------------------------------------ changes
_FACT_KEYS = {"phones": "number", "emails": "address", "postal_addresses": None, "web": "url"}


def _fact_key(kind: str, fact: dict):
    field = _FACT_KEYS[kind]
    if field == "number":
        return digits_key(fact["number"])
    if field == "address":
        return fact["address"].lower()  # as fold_refresh.py and the overlay compare e-mail addresses
    return fact[field] if field else (fact.get("lang"), tuple(fact["lines"]), fact["postcode"])


def _describe(kind: str, fact: dict) -> str:
    if kind == "postal_addresses":
        return ", ".join([*fact["lines"], f"{fact['postcode']} {fact['town']}"])
    return fact[_FACT_KEYS[kind]]


def diff(old: dict | None, new: dict) -> dict:
    """Centre by centre, the facts added, changed and removed since the last refresh."""
    old_centres = (old or {}).get("centres") or {}
    changes = {}
    for centre_id in sorted(set(old_centres) | set(new["centres"])):
        before = ((old_centres.get(centre_id) or {}).get("contacts")) or {}
        after = (new["centres"].get(centre_id) or {}).get("contacts") or {}
        entry = {"added": [], "changed": [], "removed": []}
        for kind in _FACT_KEYS:
            was = {_fact_key(kind, f): f for f in before.get(kind) or () if isinstance(f, dict)}
            now = {_fact_key(kind, f): f for f in after.get(kind) or ()}
            for k, fact in now.items():
                if k not in was:
                    entry["added"].append({"kind": kind, "value": _describe(kind, fact)})
                elif _comparable(was[k]) != _comparable(fact):
                    entry["changed"].append({"kind": kind, "value": _describe(kind, fact)})
            entry["removed"] += [{"kind": kind, "value": _describe(kind, f)} for k, f in was.items() if k not in now]
        if any(entry.values()):
            changes[centre_id] = entry
    return changes


def _comparable(fact: dict) -> dict:
    return {k: v for k, v in fact.items() if k not in ("verified", "source")}


def _print_changes(env, changes: dict, lang: str) -> None:
    if not changes:
        env.write(message("refresh_no_changes", lang) + "\n")
        return
    for centre_id, entry in changes.items():
        env.write(f"{centre_id}:\n")
        for what in ("added", "changed", "removed"):
            for item in entry[what]:
                env.write(f"  {message('refresh_' + what, lang)} {message('fact_' + item['kind'], lang)}: {item['value']}\n")
