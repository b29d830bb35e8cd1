"""What each command does, independent of how its arguments were parsed.

The Typer shell (cli.py) and the start-up fast path (launch.py) both call these functions, so
a command behaves the same whichever parsed it. They write to an injectable Environment and
return an exit status; usage and data problems are raised as ElyguideError.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from .errors import ExitStatus, UsageError
from .resolve import AMBIGUOUS, FOUND, NO_CURRENT_MUNICIPALITY, NOT_FOUND, OUTSIDE_SERVICE_AREA, FindResult

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


@dataclass
class Environment:
    """The streams and settings a command runs in; tests build their own (see httpie)."""

    stdin: object  # a binary stream
    stdout: object  # a text stream
    stderr: object
    stdin_isatty: bool = False
    stdout_isatty: bool = False
    variables: dict = field(default_factory=dict)
    width: int = 80

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
    from .errors import ExitStatus as _Status
    from .render import printable

    kind = "data error" if error.exit_status == _Status.DATA_ERROR else "error"
    env.stderr.write(f"elyguide: {kind}: {printable(str(error))}\n")
    return error.exit_status


def today_iso() -> str:
    from datetime import date

    return date.today().isoformat()


# ------------------------------------------------------------------------------ find
def run_find(words: list[str], env: Environment, *, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide find`: one query (its words joined), or one per stdin line with "-"."""
    from .api import find_in
    from .data import load_dataset
    from .resolve import parse_date

    lang = check_lang(lang) if lang else env.default_lang()
    if "-" in words and words != ["-"]:
        raise UsageError("'-' reads queries from standard input; give it alone")
    query = " ".join(words)
    if words != ["-"] and not query.strip():
        raise UsageError("empty query: give a municipality name, code or postal code")
    dataset = load_dataset(data_dir)
    date = parse_date(on, dataset.centres_meta["covers_from"])
    if words == ["-"]:
        return _batch(dataset, date, env, lang, fmt)
    result = find_in(dataset, query, date)
    _write_one(result, dataset, env, lang, fmt)
    return STATUS_EXIT[result.status]


def _write_one(result: FindResult, dataset, env: Environment, lang: str, fmt: str) -> None:
    from . import render

    if fmt in ("json", "jsonl"):
        env.stdout.write(render.JsonRenderer(dataset).line(result) + "\n")
    elif fmt in ("tsv", "csv"):
        env.stdout.write(render.table_line(render.FIND_COLUMNS, fmt) + "\n")
        env.stdout.write(render.table_line(render.find_row(result, dataset), fmt) + "\n")
    else:
        doc = render.render_find(result, dataset, lang, env.width, today_iso())
        _write_doc(doc, env)


def _write_doc(doc, env: Environment) -> None:
    if env.stdout_isatty:
        from .render import print_rich

        print_rich(doc, env.stdout, color=env.color)
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


def _batch(dataset, date: str, env: Environment, lang: str, fmt: str) -> int:
    from . import render
    from .match import match_query
    from .resolve import resolve

    json_renderer = render.JsonRenderer(dataset) if fmt in ("json", "jsonl") else None
    if fmt in ("tsv", "csv"):
        env.stdout.write(render.table_line(render.FIND_COLUMNS, fmt) + "\n")
    flush = env.stdin_isatty or env.stdout_isatty  # someone is watching: answer line by line
    write = env.stdout.write
    status = ExitStatus.FOUND
    memo: dict[str, object] = {}  # the same query always matches the same way
    for query in read_lines(env.stdin, env):
        if query.strip():
            outcome = memo.get(query)
            if outcome is None:
                outcome = memo[query] = match_query(query, dataset)
                if len(memo) > 100_000:
                    memo.clear()
            result = resolve(query, outcome, date, dataset)
        else:
            result = FindResult(query, NOT_FOUND, date, reason="empty line")
        if json_renderer is not None:
            write(json_renderer.line(result) + "\n")
        elif fmt in ("tsv", "csv"):
            write(render.table_line(render.find_row(result, dataset), fmt) + "\n")
        else:
            write((render.batch_line(result, lang) if query.strip() else "") + "\n")
        if flush:
            env.stdout.flush()
        if status == ExitStatus.FOUND and result.status != FOUND:
            status = STATUS_EXIT[result.status]  # the first query that was not found decides
    return status


# ------------------------------------------------------------------------------ the others
def _write_table(env: Environment, fmt: str, columns, rows, records) -> None:
    from . import render

    if fmt == "json":
        env.stdout.write(render.dumps(list(records)) + "\n")
    elif fmt == "jsonl":
        for record in records:
            env.stdout.write(render.dumps(record) + "\n")
    else:
        env.stdout.write(render.table_line(columns, fmt) + "\n")
        for row in rows:
            env.stdout.write(render.table_line(row, fmt) + "\n")


def run_list(env: Environment, *, centre=None, region=None, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide list`: every municipality with its region and centre, sorted by name."""
    from . import render
    from .api import municipalities

    lang = check_lang(lang) if lang else env.default_lang()
    rows = municipalities(on, centre=centre, region=region, data_dir=data_dir)
    if fmt == "text":
        env.stdout.write("".join(render.list_line(row, lang) + "\n" for row in rows))
    else:
        _write_table(env, fmt, render.LIST_COLUMNS, (render.list_row(r) for r in rows), (render.list_record(r) for r in rows))
    return ExitStatus.FOUND if rows else ExitStatus.NOT_FOUND


def run_centres(env: Environment, *, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide centres`: the centres responsible on a date, with contacts and municipality counts."""
    from . import render
    from .api import centres
    from .data import load_dataset

    lang = check_lang(lang) if lang else env.default_lang()
    active = centres(on, data_dir=data_dir)
    dataset = load_dataset(data_dir)
    date = _date_of(on, dataset)
    if fmt == "text":
        for i, centre in enumerate(active):
            doc = render.render_centre(centre, dataset, lang, env.width, date, with_municipalities=False)
            doc.add((render.message("serves", lang, count=len(render.served_municipalities(centre, dataset, date))), "dim"))
            if i:
                env.stdout.write("\n")
            _write_doc(doc, env)
    else:
        _write_table(env, fmt, render.CENTRE_COLUMNS, (render.centre_row(c, dataset, date) for c in active),
                     (render.centre_full_record(c, dataset, date) for c in active))
    return ExitStatus.FOUND


def run_centre(words: list[str], env: Environment, *, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide centre NAME`: one centre's contact card and the municipalities it serves."""
    from . import render
    from .match import match_centre
    from .data import load_dataset

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
        _write_table(env, fmt, render.CENTRE_COLUMNS, [render.centre_row(centre, dataset, served_on)],
                     [render.centre_full_record(centre, dataset, served_on)])
    return ExitStatus.FOUND


def run_about(env: Environment, *, on=None, lang=None, fmt="text", data_dir=None) -> int:
    """`elyguide about`: data vintage, sources, licences and how fresh the contacts are."""
    from . import render
    from .api import about

    lang = check_lang(lang) if lang else env.default_lang()
    report = about(on, data_dir=data_dir)
    if fmt == "text":
        _write_doc(render.render_about(report, lang, env.width), env)
    elif fmt in ("json", "jsonl"):
        env.stdout.write(render.dumps(report) + "\n")
    else:
        raise UsageError(f"about has no {fmt} format: use text or json")
    return ExitStatus.FOUND


def _date_of(on, dataset) -> str:
    from .resolve import parse_date

    return parse_date(on, dataset.centres_meta["covers_from"])
