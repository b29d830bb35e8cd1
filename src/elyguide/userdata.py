"""Contacts refreshed from the national service registry, kept in the user's data folder.

`elyguide refresh` writes them (refresh.py); every lookup reads them from here, if they are
there, and lays them over the current centres. Reading never touches the network and imports
no HTTP code. A file that is corrupt or not ours gives a note, and the lookup answers from the
packaged data as if it were not there.

The folder is platformdirs.user_data_dir("elyguide"): on Linux $XDG_DATA_HOME/elyguide, else
~/.local/share/elyguide. Importing platformdirs costs a lookup twice its time, so the common
Linux case is computed here (a test checks it agrees with platformdirs); other systems ask
platformdirs.
"""

from __future__ import annotations

import json
import os
import sys

from .errors import DataError
from .schema import Checker

APP = "elyguide"
REFRESHED_FILE = "contacts.json"
REFRESHED_FORMAT = 1
MAX_REFRESHED = 8 << 20


def data_home(variables=None) -> str:
    """The user data folder of elyguide (it may not exist)."""
    variables = os.environ if variables is None else variables
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        base = (variables.get("XDG_DATA_HOME") or "").strip()
        if not base:
            home = variables.get("HOME") or os.path.expanduser("~")
            base = os.path.join(home, ".local", "share")
        return os.path.join(base, APP)
    import platformdirs

    return platformdirs.user_data_dir(APP, appauthor=False) if sys.platform == "darwin" else platformdirs.user_data_dir(APP)


def refreshed_path(variables=None) -> str:
    return os.path.join(data_home(variables), REFRESHED_FILE)


class Refreshed:
    """A validated refresh: when and where it was fetched, and each current centre's contacts."""

    def __init__(self, path: str, raw: dict, contacts: dict):
        self.path, self.raw = path, raw
        self.fetched_at = raw["fetched_at"]
        self.contacts = contacts  # centre id -> (phones, emails, postal addresses, web pages)

    def apply(self, centre):
        """The centre with the registry's facts first and the packaged ones it does not repeat;
        only a current centre: an answer for the ELY era never shows them."""
        if centre.valid_until is not None or centre.id not in self.contacts:
            return centre
        from .phone import digits_key

        phones, emails, addresses, web = self.contacts[centre.id]
        known_numbers = {digits_key(p.number) for p in phones}
        known_emails = {e.address.lower() for e in emails}
        known_addresses = {(a.lines, a.postcode) for a in addresses}
        known_pages = {w.url for w in web}
        return centre._replace(
            phones=phones + tuple(p for p in centre.phones if digits_key(p.number) not in known_numbers),
            emails=emails + tuple(e for e in centre.emails if e.address.lower() not in known_emails),
            postal_addresses=addresses + tuple(a for a in centre.postal_addresses if (a.lines, a.postcode) not in known_addresses),
            web=web + tuple(w for w in centre.web if w.url not in known_pages),
            refreshed=self.fetched_at,
        )

    def summary(self) -> dict:
        """What `about` says about it."""
        return {"path": self.path, "fetched_at": self.fetched_at, "api_url": self.raw["api_url"],
                "service_id": self.raw["service_id"], "centres": sorted(self.contacts),
                "facts": sum(len(kind) for contacts in self.contacts.values() for kind in contacts),
                "skipped": self.raw.get("skipped") or []}


def read_refreshed(raw, path: str, known_centres=None) -> Refreshed:
    """Validate a refresh document (as parsed JSON) and build its contacts; DataError else."""
    from .schema_centres import build_contacts

    check = Checker(path)
    if not isinstance(raw, dict):
        check.fail("", "top level must be a mapping")
    if raw.get("format") != REFRESHED_FORMAT:
        check.fail("format", f"expected {REFRESHED_FORMAT}, found {raw.get('format')!r}")
    check.text(raw, "fetched_at", "")
    check.text(raw, "api_url", "")
    check.text(raw, "service_id", "")
    contacts = {}
    for centre_id, entry in check.get(raw, "centres", dict, "").items():
        where = f"centres.{centre_id}"
        if known_centres is not None and centre_id not in known_centres:
            check.fail(where, f"unknown centre {centre_id!r}")
        check.texts(entry, "organizations", where)
        contacts[centre_id] = build_contacts(entry, check, where, lambda _: None)
    return Refreshed(path, raw, contacts)


def load_refreshed(variables=None) -> tuple[Refreshed | None, tuple]:
    """The refreshed contacts, if any, and notes for the reader: a file that is corrupt or
    foreign is reported and left alone, never a crash."""
    path = refreshed_path(variables)
    if not os.path.lexists(path):
        return None, ()
    from .files import read_bytes

    try:
        raw = json.loads(read_bytes(path, MAX_REFRESHED).decode("utf-8"))
        return read_refreshed(raw, path), ()
    except (DataError, ValueError, UnicodeDecodeError, RecursionError) as error:
        if not isinstance(error, DataError):  # not JSON, or nested past reason
            error = DataError(path, "", ("data_not_json", {}))
        return None, (("note_refreshed_unreadable", {"detail": error.values["detail"]}),)
