"""Exit statuses and the typed errors of the library.

Every exit status has a name, and every error the library raises on purpose carries the status
the command line exits with, so the CLI maps errors to statuses in one place.
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
    INTERNAL_ERROR = 70  # a bug; the message asks for a report (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader went away (as if killed by SIGPIPE)


class ElyguideError(Exception):
    """Base class: an error with a one-line message and an exit status."""

    exit_status = ExitStatus.INTERNAL_ERROR


class UsageError(ElyguideError, ValueError):
    """The caller asked for something invalid: a blank query, a bad date, an unknown language."""

    exit_status = ExitStatus.USAGE


class DataError(ElyguideError):
    """A data file is missing, unreadable or invalid. Names the file, where in it, and what."""

    exit_status = ExitStatus.DATA_ERROR

    def __init__(self, file: str, where: str, what: str):
        self.file, self.where, self.what = file, where, what
        super().__init__(f"{file}: {where}: {what}" if where else f"{file}: {what}")


class NotFoundError(ElyguideError, LookupError):
    """Nothing matched (used where there is no result object to carry a status, e.g. centres)."""

    exit_status = ExitStatus.NOT_FOUND

    def __init__(self, message: str, suggestions: tuple = ()):
        super().__init__(message)
        self.suggestions = suggestions


class AmbiguousError(ElyguideError, LookupError):
    """Several things matched equally well; `candidates` lists them, best first."""

    exit_status = ExitStatus.AMBIGUOUS

    def __init__(self, message: str, candidates: tuple = ()):
        super().__init__(message)
        self.candidates = candidates
