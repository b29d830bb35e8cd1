"""What each command does, independent of how its arguments were parsed.

The Typer shell (cli.py) and the start-up fast path (launch.py) both call these functions, so
a command behaves the same whichever parsed it. They write to an injectable Environment and
return an exit status; usage and data problems are raised as ElyguideError.
"""

from __future__ import annotations

import os
import sys

from .errors import ExitStatus, UsageError
from .resolve import (
    AMBIGUOUS,
    FOUND,
    NO_CURRENT_MUNICIPALITY,
    NOT_FOUND,
    OUTSIDE_SERVICE_AREA,
)

LANGS = ("fi", "sv", "en")
FORMATS = ("text", "json", "jsonl", "tsv", "csv")
LANG_ENV = "ELYGUIDE_LANG"

STATUS_EXIT = {
    FOUND: ExitStatus.FOUND,
    NOT_FOUND: ExitStatus.NOT_FOUND,
    AMBIGUOUS: ExitStatus.AMBIGUOUS,
    OUTSIDE_SERVICE_AREA: ExitStatus.OUTSIDE_SERVICE,
    NO_CURRENT_MUNICIPALITY: ExitStatus.OUTSIDE_SERVICE,
}


class Environment:
    """The streams and settings a command runs in; tests build their own (see httpie).

    A plain class, not a dataclass: importing dataclasses costs more start-up time than a
    whole JSON lookup.
    """

    def __init__(self, stdin, stdout, stderr, stdin_isatty: bool = False, stdout_isatty: bool = False,
                 variables: dict | None = None, width: int = 80):
        self.stdin = stdin  # a binary stream
        self.stdout = stdout  # a text stream
        self.stderr = stderr
        self.stdin_isatty = stdin_isatty
        self.stdout_isatty = stdout_isatty
        self.variables = variables if variables is not None else {}
        self.width = width

    @classmethod
    def from_process(cls) -> Environment:
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="replace")  # never die on an unencodable character
        stdout_isatty = _isatty(sys.stdout)
        width = 80
        if stdout_isatty:
            try:
                width = os.get_terminal_size(sys.stdout.fileno()).columns
            except (OSError, ValueError):
                pass
        elif os.environ.get("COLUMNS", "").isdigit():
            width = int(os.environ["COLUMNS"])
        return cls(getattr(sys.stdin, "buffer", sys.stdin), sys.stdout, sys.stderr,
                   _isatty(sys.stdin), stdout_isatty, dict(os.environ), width)

    @property
    def color(self) -> bool:
        """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
        return self.stdout_isatty and not self.variables.get("NO_COLOR") and self.variables.get("TERM") != "dumb"

    def default_lang(self) -> str:
        """ELYGUIDE_LANG, else Swedish when LANG starts with "sv", else Finnish."""
        chosen = self.variables.get(LANG_ENV)
        if chosen:
            return check_lang(chosen, source=LANG_ENV)
        return "sv" if self.variables.get("LANG", "").lower().startswith("sv") else "fi"


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def check_lang(value: str, source: str = "--lang") -> str:
    lang = value.strip().lower()
    if lang not in LANGS:
        raise UsageError(f"unknown language {value!r} in {source}: use fi, sv or en")
    return lang


def choose_format(fmt: str | None, json_flag: bool) -> str:
    if json_flag and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} disagree: give one of them")
    return "json" if json_flag else (fmt or "text")


def report(error, env: Environment) -> int:
    """One line on stderr naming what went wrong; the error's exit status."""
    from .render import printable

    kind = "data error" if error.exit_status == ExitStatus.DATA_ERROR else "error"
    env.stderr.write(f"elyguide: {kind}: {printable(str(error))}\n")
    return error.exit_status


# ------------------------------------------------------------------------------ find
def run_find(words: list[str], env: Environment, *, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide find`: one query (its words joined), or one per stdin line with "-".

    JSON answers are assembled from the compiled index alone; text and tables are written
    from the data model.
    """
    from .data import load_index
    from .match import match
    from .normalize import is_blank
    from .resolve import answer, parse_date

    lang = check_lang(lang) if lang else env.default_lang()
    if "-" in words and words != ["-"]:
        raise UsageError("'-' reads queries from standard input; give it alone")
    query = " ".join(words)
    if words != ["-"] and is_blank(query):
        raise UsageError("empty query: give a municipality name, code or postal code")
    index = load_index(data_dir)
    date = parse_date(on, index["covers_from"])
    if words == ["-"]:
        sink = _Buffered(env)
        status = _batch(index, date, env, _answer_writer(index, env, sink, lang, fmt, data_dir, batch=True))
        sink.flush()
        return status
    found = answer(query, match(query, index), date, index)
    _answer_writer(index, env, None, lang, fmt, data_dir, batch=False)(found)
    return STATUS_EXIT[found.status]


def _answer_writer(index, env: Environment, sink, lang: str, fmt: str, data_dir, *, batch: bool):
    """A function that writes one answer (resolve.Answer) in the chosen format: to the batch's
    buffer `sink`, or straight to stdout for a single query (sink None)."""
    from . import records

    out = sink.write if sink is not None else env.stdout.write
    if fmt in ("json", "jsonl"):
        renderer = records.JsonRenderer(index)
        if sink is not None:
            lines: dict = {}  # answers repeat in a batch; so do their lines

            def write_json(found) -> None:
                parts = lines.get(found)
                if parts is None:
                    if len(lines) > 100_000:
                        lines.clear()
                    parts = lines[found] = renderer.line_parts(found)
                sink.write_bytes(*parts)

            return write_json
        return lambda found: out(renderer.line(found) + "\n")

    from . import render
    from .api import to_result
    from .data import load_dataset
    from .resolve import today

    dataset = load_dataset(data_dir)
    if fmt in ("tsv", "csv"):
        out(records.table_line(records.FIND_COLUMNS, fmt) + "\n")
        return lambda found: out(records.table_line(records.find_row(to_result(found, dataset), dataset), fmt) + "\n")
    if batch:
        return lambda found: out((render.batch_line(to_result(found, dataset), lang) if found.reason != "empty line" else "") + "\n")
    return lambda found: _write_doc(render.render_find(to_result(found, dataset), dataset, lang, env.width, today()), env)


def _write_doc(doc, env: Environment) -> None:
    if env.color:
        from .render import print_rich

        print_rich(doc, env.stdout)
    else:
        env.stdout.write(doc.plain())


def read_lines(stream, env: Environment):
    """Lines of a binary stream as text. A line that is not UTF-8 is read as Windows-1252,
    the encoding of spreadsheets exported on Finnish Windows, and a note says so."""
    for number, raw in enumerate(stream, 1):
        raw = raw.rstrip(b"\r\n")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            env.stderr.write(f"elyguide: note: input line {number} is not UTF-8; read it as Windows-1252\n")
            yield raw.decode("cp1252", errors="replace")


class _Buffered:
    """Collects batch output and writes it in large pieces: JSON answers are several kB each,
    and one write per line would cost more than the lookups. Lines go out at once when
    someone is watching (a terminal at either end), and always before the batch ends.
    JSON arrives as bytes and goes to the binary stream beneath stdout, unencoded."""

    LIMIT = 1 << 20

    def __init__(self, env: Environment):
        self.env = env
        self.text: list[str] = []
        self.binary: list[bytes] = []
        self.size = 0
        self.immediate = env.stdin_isatty or env.stdout_isatty
        self.raw = getattr(env.stdout, "buffer", None)

    def write(self, text: str) -> None:
        self.text.append(text)
        self._added(len(text))

    def write_bytes(self, *parts: bytes) -> None:
        if self.raw is None:
            self.write(b"".join(parts).decode("utf-8"))
            return
        self.binary.extend(parts)
        self._added(sum(map(len, parts)))

    def _added(self, size: int) -> None:
        self.size += size
        if self.immediate or self.size > self.LIMIT:
            self.flush()

    def flush(self) -> None:
        if self.text:
            self.env.stdout.write("".join(self.text))
            self.text.clear()
        self.env.stdout.flush()
        if self.binary:
            self.raw.write(b"".join(self.binary))
            self.binary.clear()
            self.raw.flush()
        self.size = 0


def _batch(index, date: str, env: Environment, write) -> int:
    from .match import match
    from .normalize import is_blank
    from .resolve import Answer, answer

    status = ExitStatus.FOUND
    memo: dict = {}  # the same query always gets the same answer
    for query in read_lines(env.stdin, env):
        found = memo.get(query)
        if found is None:
            if not is_blank(query):
                found = answer(query, match(query, index), date, index)
            else:
                found = Answer(query, NOT_FOUND, date, None, None, None, None, None, None, (), "empty line")
            if len(memo) > 100_000:
                memo.clear()
            memo[query] = found
        write(found)
        if status == ExitStatus.FOUND and found.status != FOUND:
            status = STATUS_EXIT[found.status]  # the first query that was not found decides
    return status


# ------------------------------------------------------------------------------ the others
def _write_table(env: Environment, fmt: str, columns, rows, items) -> None:
    from .records import dumps, table_line

    if fmt == "json":
        env.stdout.write(dumps(list(items)) + "\n")
    elif fmt == "jsonl":
        for item in items:
            env.stdout.write(dumps(item) + "\n")
    else:
        env.stdout.write(table_line(columns, fmt) + "\n")
        for row in rows:
            env.stdout.write(table_line(row, fmt) + "\n")


def run_list(env: Environment, *, centre=None, region=None, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide list`: every municipality with its region and centre, sorted by name."""
    from . import records, render
    from .api import municipalities

    lang = check_lang(lang) if lang else env.default_lang()
    rows = municipalities(on, centre=centre, region=region, data_dir=data_dir)
    if fmt == "text":
        env.stdout.write("".join(render.list_line(row, lang) + "\n" for row in rows))
    else:
        _write_table(env, fmt, records.LIST_COLUMNS, (records.list_row(r) for r in rows), (records.list_record(r) for r in rows))
    return ExitStatus.FOUND if rows else ExitStatus.NOT_FOUND


def run_centres(env: Environment, *, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide centres`: the centres responsible on a date, with contacts and municipality counts."""
    from . import records, render
    from .api import centres
    from .data import load_dataset

    lang = check_lang(lang) if lang else env.default_lang()
    active = centres(on, data_dir=data_dir)
    dataset = load_dataset(data_dir)
    date = _date_of(on, dataset)
    if fmt == "text":
        for i, centre in enumerate(active):
            doc = render.render_centre(centre, dataset, lang, env.width, date, with_municipalities=False)
            doc.add((render.message("serves", lang, count=len(records.served_municipalities(centre, dataset, date))), "dim"))
            if i:
                env.stdout.write("\n")
            _write_doc(doc, env)
    else:
        _write_table(env, fmt, records.CENTRE_COLUMNS, (records.centre_row(c, dataset, date) for c in active),
                     (records.centre_full_record(c, dataset, date) for c in active))
    return ExitStatus.FOUND


def run_centre(words: list[str], env: Environment, *, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide centre NAME`: one centre's contact card and the municipalities it serves."""
    from . import records, render
    from .data import load_dataset
    from .match import match_centre

    lang = check_lang(lang) if lang else env.default_lang()
    name = " ".join(words)
    if not name.strip():
        raise UsageError("empty centre name")
    dataset = load_dataset(data_dir)
    date = _date_of(on, dataset)
    centre = match_centre(name, dataset, date)
    served_on = date if centre.active_on(date) else None  # a ceased centre: list what it served
    if fmt == "text":
        _write_doc(render.render_centre(centre, dataset, lang, env.width, served_on), env)
    else:
        _write_table(env, fmt, records.CENTRE_COLUMNS, [records.centre_row(centre, dataset, served_on)],
                     [records.centre_full_record(centre, dataset, served_on)])
    return ExitStatus.FOUND


def run_about(env: Environment, *, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide about`: data vintage, sources, licences and how fresh the contacts are."""
    from . import records, render
    from .api import about

    lang = check_lang(lang) if lang else env.default_lang()
    report = about(on, data_dir=data_dir)
    if fmt == "text":
        _write_doc(render.render_about(report, lang, env.width), env)
    elif fmt in ("json", "jsonl"):
        env.stdout.write(records.dumps(report) + "\n")
    else:
        raise UsageError(f"about has no {fmt} format: use text or json")
    return ExitStatus.FOUND


def _date_of(on, dataset) -> str:
    from .resolve import parse_date

    return parse_date(on, dataset.centres_meta["covers_from"])
