"""The streams and settings a command runs in; tests build their own (as httpie does).

Output is collected as bytes and written in large pieces: a batch's answers are several kB
each, and one write per line would cost more than the lookups. It goes out at once when
someone is watching (a terminal at either end), and always before main() returns, where a
failed write (a full disk, a closed stream) is still an error with its own status. Machine
formats are always UTF-8; human text uses the terminal's encoding.
"""

from __future__ import annotations

import os
import sys

from .errors import ExitStatus, StreamError, UsageError
from .model import LANGUAGES

LANG_ENV = "ELYGUIDE_LANG"


class Environment:
    """stdin, stdout and stderr are binary streams (None when closed); variables is the
    environment; width the terminal's columns."""

    LIMIT = 1 << 20
    BLOCK = 4 << 20  # a batch hands over its answers in blocks of about this size (see write_block)

    def __init__(self, stdin=None, stdout=None, stderr=None, *, stdin_isatty: bool = False, stdout_isatty: bool = False,
                 variables: dict | None = None, width: int = 80, encoding: str = "utf-8"):
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.stdin_isatty, self.stdout_isatty = stdin_isatty, stdout_isatty
        self.variables = dict(variables) if variables is not None else {}
        self.width = width
        self.encoding = encoding
        self._pending: list[bytes] = []
        self._size = 0
        self._writer: _BackgroundWriter | None = None
        self.immediate = stdin_isatty or stdout_isatty
        self.help_lang = self._locale_lang() or "en"
        self.message_lang = self.help_lang

    @classmethod
    def from_process(cls) -> Environment:
        stdout = getattr(sys.stdout, "buffer", None)
        stdout_isatty = _isatty(sys.stdout)
        width = 80
        if stdout_isatty:
            try:
                width = os.get_terminal_size(sys.stdout.fileno()).columns
            except (OSError, ValueError):
                pass
        else:
            columns = os.environ.get("COLUMNS", "").strip()
            if columns.isascii() and columns.isdigit() and 0 < int(columns) < 10_000:
                width = int(columns)
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        return cls(getattr(sys.stdin, "buffer", None), stdout, getattr(sys.stderr, "buffer", None),
                   stdin_isatty=_isatty(sys.stdin), stdout_isatty=stdout_isatty, variables=dict(os.environ),
                   width=width, encoding=encoding)

    # ---------------------------------------------------------------------- languages
    def _locale_lang(self) -> str | None:
        """fi or sv from LC_ALL, else LANG; None for any other locale."""
        for name in ("LC_ALL", "LANG"):
            value = self.variables.get(name, "")
            if value:
                lang = value[:2].lower()
                return lang if lang in ("fi", "sv") else None
        return None

    def help_language_from(self, argv: list[str]) -> None:
        """The language of help and errors: --lang on the command line, ELYGUIDE_LANG, the
        locale (fi or sv), else English."""
        chosen = None
        for i, arg in enumerate(argv):
            if arg == "--":
                break
            if arg == "--lang" and i + 1 < len(argv):
                chosen = argv[i + 1]
            elif arg.startswith("--lang="):
                chosen = arg[7:]
        for value in (chosen, self.variables.get(LANG_ENV)):
            if value and value.strip().lower() in LANGUAGES:
                self.help_lang = self.message_lang = value.strip().lower()
                return

    def answer_lang(self, lang: str | None) -> str:
        """The language of answers: --lang, ELYGUIDE_LANG, the locale (fi or sv), else Finnish."""
        if lang is not None:
            return check_lang(lang, "--lang")
        chosen = self.variables.get(LANG_ENV)
        if chosen:
            return check_lang(chosen, LANG_ENV)
        return self._locale_lang() or "fi"

    @property
    def color(self) -> bool:
        """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
        return self.stdout_isatty and not self.variables.get("NO_COLOR") and self.variables.get("TERM") != "dumb"

    # ---------------------------------------------------------------------- output
    def write(self, text: str, *, machine: bool = False) -> None:
        """Queue text for stdout: UTF-8 for machine formats, else the terminal's encoding."""
        self.write_bytes(text.encode("utf-8" if machine else self.encoding, "replace"))

    def write_bytes(self, data: bytes) -> None:
        if self.stdout is None:
            raise StreamError("stdout_closed")
        if self._writer is not None:
            self._finish_writer()
        if not self._pending and (self.immediate or len(data) > self.LIMIT):
            self.stdout.write(data)  # a batch's block: no second copy
            if self.immediate:
                self.stdout.flush()
            return
        self._pending.append(data)
        self._size += len(data)
        if self.immediate or self._size > self.LIMIT:
            self.flush()

    def write_block(self, parts: list[bytes]) -> None:
        """A batch's block of answers, handed over whole (the caller starts a new list).

        Where stdout is a file descriptor and nobody is watching, a second thread writes the
        blocks: the kernel's copy of a JSON batch (135 MB for 20,000 lines) then runs beside
        the next block's lookups instead of after them. Its error is raised by the next call
        here, or by flush()."""
        if self.stdout is None:
            raise StreamError("stdout_closed")
        if self.immediate:
            self.write_bytes(b"".join(parts))
            return
        if self._writer is None:
            try:
                fd = self.stdout.fileno()
            except (OSError, ValueError, AttributeError):  # a test's BytesIO: write in this thread
                self.write_bytes(b"".join(parts))
                return
            self.flush()  # what is already buffered goes first
            self._writer = _BackgroundWriter(fd)
        self._writer.put(parts)

    def flush(self) -> None:
        if self._writer is not None:
            self._finish_writer()
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._size = 0
            self.stdout.write(data)
        if self.stdout is not None:
            self.stdout.flush()

    def _finish_writer(self) -> None:
        writer, self._writer = self._writer, None
        writer.close()

    def discard(self) -> None:
        """Forget output not yet written (an error follows instead)."""
        self._pending.clear()
        self._size = 0
        if self._writer is not None:
            self._writer.abandon()
            self._writer = None

    def note(self, message_id: str, **values) -> None:
        """A note on stderr in the user's language ("elyguide: huom.: ...")."""
        from .messages import message

        lang = self.message_lang
        self.error(f"elyguide: {message('note_prefix', lang)}: {message(message_id, lang, **values)}")

    def report(self, error) -> int:
        """An ElyguideError as one line on stderr, in the reader's language, instead of any
        output not yet written; its exit status."""
        from .messages import message
        from .normalize import printable

        kind = message("data_error_prefix" if error.exit_status == ExitStatus.DATA_ERROR else "error_prefix", self.message_lang)
        self.discard()
        self.error(f"elyguide: {kind}: {printable(error.text(self.message_lang))}")
        return error.exit_status

    def error(self, line: str) -> None:
        """One line on stderr. A closed or broken stderr loses the line, never the status."""
        if self.stderr is None:
            return
        try:
            self.stderr.write((line + "\n").encode(self.encoding, "replace"))
            self.stderr.flush()
        except (OSError, ValueError):
            point_at_devnull(self.stderr)  # or the interpreter's last flush fails again, and exits 120

    def read_stdin(self):
        if self.stdin is None:
            raise StreamError("stdin_closed")
        return self.stdin


class _BackgroundWriter:
    """Blocks of output written in order by one thread (os.writev lets go of the GIL while
    the kernel copies). Its first error stops the writing and is raised in the caller's
    thread, where main() maps it to an exit status like any other write error."""

    def __init__(self, fd: int):
        import queue
        import threading

        self.fd = fd
        self.error: OSError | None = None
        self.blocks: queue.Queue = queue.Queue(maxsize=4)  # bounds the memory held for a slow reader
        self.thread = threading.Thread(target=self._run, name="elyguide-writer", daemon=True)
        self.thread.start()

    def put(self, parts: list[bytes]) -> None:
        self._raise()
        self.blocks.put(parts)

    def close(self) -> None:
        self.blocks.put(None)
        self.thread.join()
        self._raise()

    def abandon(self) -> None:
        """An error or Ctrl-C is being reported: write no further block, and wait for none (a
        reader that stopped reading would keep us waiting)."""
        self.error = self.error or OSError("abandoned")

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while True:
            parts = self.blocks.get()
            if parts is None:
                return
            if self.error is None:  # after an error, keep taking blocks so that put() never waits forever
                try:
                    write_all(self.fd, parts)
                except OSError as error:
                    self.error = error


_IOV_MAX = 1024  # the most buffers one writev takes on Linux and the BSDs


def write_all(fd: int, parts: list) -> None:
    """Write every part, in order, however many bytes each writev call takes."""
    while parts:
        chunk = parts[:_IOV_MAX]
        written = os.writev(fd, chunk)
        done = 0
        for part in chunk:
            if written < len(part):
                break
            written -= len(part)
            done += 1
        parts = parts[done:]
        if written:
            parts[0] = memoryview(parts[0])[written:]


def point_at_devnull(stream) -> None:
    """Send a stream that cannot be written to /dev/null, with what it still holds: the
    interpreter flushes the standard streams at exit, and a failure there would print a
    traceback and change the exit status."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
        stream.flush()
    except (OSError, ValueError, AttributeError):  # not a file descriptor (a test's BytesIO), or gone
        pass


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def check_lang(value: str, source: str = "--lang") -> str:
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise UsageError("unknown_lang", value=value, source=source)
    return lang
