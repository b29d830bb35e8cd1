"""Exit statuses and the typed errors of the library.

Every exit status has a name, and every error the library raises on purpose carries the status
the command line exits with, so the CLI maps errors to statuses in one place. Errors meant for
people carry a message id and its values (messages.py says them in Finnish, Swedish or
English); str() gives the English text, for Python callers and logs.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    FOUND = 0
    NOT_FOUND = 1
    USAGE = 2
    AMBIGUOUS = 3
    OUTSIDE_SERVICE = 4  # Åland, or a place ceded in 1944: no centre answers for it
    DATA_ERROR = 5  # a data file is missing, unreadable or invalid
    REGISTRY_UNREACHABLE = 6  # refresh: no connection to the registry (network down)
    REGISTRY_DNS = 7  # refresh: the registry's host name could not be resolved
    REGISTRY_TIMEOUT = 8  # refresh: the registry did not answer in time
    REGISTRY_HTTP = 9  # refresh: the registry answered with an HTTP error
    REGISTRY_DATA = 10  # refresh: the registry's answer was not what its API documents
    IO_ERROR = 74  # input or output failed: a full disk, a closed stream (EX_IOERR)
    INTERNAL_ERROR = 70  # a bug; the message asks for a report (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader went away (as if killed by SIGPIPE)


class ElyguideError(Exception):
    """Base class: an error with a message id, its values, and an exit status."""

    exit_status = ExitStatus.INTERNAL_ERROR

    def __init__(self, message_id: str, **values):
        self.message_id, self.values = message_id, values
        super().__init__(message_id)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """The message in `lang` (a value may be a function of the language; see message())."""
        from .messages import message

        return message(self.message_id, lang, **self.values)


class UsageError(ElyguideError, ValueError):
    """The caller asked for something invalid: a blank query, a bad date, an unknown language."""

    exit_status = ExitStatus.USAGE


class DataError(ElyguideError):
    """A data file is missing, unreadable or invalid. Names the file, where in it, and what.
    `where` and `what` are text (a schema's field paths and YAML's own words: technical, in
    English, for whoever edits the file) or (message id, values), said in the reader's
    language; `.where` and `.what` keep the English."""

    exit_status = ExitStatus.DATA_ERROR

    def __init__(self, file: str, where, what):
        self.file, self.where, self.what = file, _said(where, "en"), _said(what, "en")
        super().__init__("data_error", detail=lambda lang: ": ".join(filter(None, (file, _said(where, lang), _said(what, lang)))))


def _said(part, lang: str) -> str:
    if isinstance(part, tuple):
        from .messages import message

        message_id, values = part
        return message(message_id, lang, **values)
    return part


class NotFoundError(ElyguideError, LookupError):
    """Nothing matched (where there is no result object to carry a status, e.g. centres)."""

    exit_status = ExitStatus.NOT_FOUND

    def __init__(self, message_id: str, suggestions: tuple = (), **values):
        super().__init__(message_id, **values)
        self.suggestions = suggestions


class NoCentreError(ElyguideError, LookupError):
    """`centre` for a place no centre answers for (Åland, a ceded place: status 4), or a
    query that names no one place (1); `why` says why, in the reader's language."""

    def __init__(self, message_id: str, exit_status: ExitStatus, **values):
        super().__init__(message_id, **values)
        self.exit_status = exit_status


class AmbiguousError(ElyguideError, LookupError):
    """Several things matched equally well; `candidates` lists them, best first."""

    exit_status = ExitStatus.AMBIGUOUS

    def __init__(self, message_id: str, candidates: tuple = (), **values):
        super().__init__(message_id, **values)
        self.candidates = candidates


class StreamError(ElyguideError):
    """Input or output failed: the disk is full, or a stream is closed."""

    exit_status = ExitStatus.IO_ERROR
