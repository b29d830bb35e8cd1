"""What each command does, whatever parsed its command line.

launch.py (and, for completion and the parity tests, the Typer app in cli.py) call `run` with
the values the table in options.py declares. Each command checks its values, asks the
library, renders, writes to the Environment and returns an exit status; usage and data
problems are raised as ElyguideError and reported by the caller.
"""

from __future__ import annotations

from .errors import ExitStatus, UsageError
from .resolve import AMBIGUOUS, FOUND, NO_CURRENT_MUNICIPALITY, NOT_FOUND, OUTSIDE_SERVICE_AREA

STATUS_EXIT = {
    FOUND: ExitStatus.FOUND,
    NOT_FOUND: ExitStatus.NOT_FOUND,
    AMBIGUOUS: ExitStatus.AMBIGUOUS,
    OUTSIDE_SERVICE_AREA: ExitStatus.OUTSIDE_SERVICE,
    NO_CURRENT_MUNICIPALITY: ExitStatus.OUTSIDE_SERVICE,
}
MAX_LINE = 1 << 16  # no query is longer; a longer batch line is answered "too long" unread
TRUE_WORDS = ("1", "true", "yes", "on")


def run(command, values: dict, env) -> int:
    handler = _HANDLERS[command.path]
    return handler(env, **values)


# ------------------------------------------------------------------------------ shared checks
def choose_format(env, fmt: str | None, json_flag: bool, excel_flag: bool, allowed: tuple[str, ...]) -> str:
    chosen = fmt.strip().lower() if fmt is not None else None
    if chosen is not None and chosen not in allowed:
        raise UsageError("unknown_format", value=fmt, allowed=", ".join(allowed))
    for flag, implied in ((json_flag, "json"), (excel_flag, "excel")):
        if flag:
            if chosen not in (None, implied):
                raise UsageError("formats_disagree", first=f"--{implied}", second=f"--format {chosen}")
            chosen = implied
    return chosen or "text"


def _dataset(env, data_dir):
    from .index import load_dataset

    dataset = load_dataset(data_dir, variables=env.variables)
    for message_id, values in dataset.notes:
        env.note(message_id, **values)
    return dataset


def _date(dataset, on) -> str:
    from .resolve import parse_date

    return parse_date(on, dataset.covers_from)


def _today() -> str:
    from .resolve import today

    return today()


def _doc_text(doc, env) -> str:
    return doc.coloured() if env.color else doc.plain()


def _write_doc(doc, env) -> None:
    env.write(_doc_text(doc, env))


def _write_table(env, fmt: str, columns, rows, items) -> None:
    from .records import BOM, LINE_END, dumps, table_line

    if fmt == "json":
        env.write(dumps(list(items)) + "\n", machine=True)
    elif fmt == "jsonl":
        env.write("".join(dumps(item) + "\n" for item in items), machine=True)
    else:
        end = LINE_END[fmt]
        lines = [table_line(columns, fmt)] + [table_line(row, fmt) for row in rows]
        env.write((BOM if fmt == "excel" else "") + "".join(line + end for line in lines), machine=True)


# ------------------------------------------------------------------------------ find
def run_find(env, *, words: list[str], on=None, lang=None, fmt=None, json_flag=False, excel_flag=False, strict=False,
             data_dir=None) -> int:
    """`elyguide find`: one query (its words joined), or one per stdin line with "-"."""
    from .normalize import is_blank
    from .options import FIND_FORMATS

    lang = env.answer_lang(lang)
    fmt = choose_format(env, fmt, json_flag, excel_flag, FIND_FORMATS)
    strict = bool(strict) or env.variables.get("ELYGUIDE_STRICT", "").strip().lower() in TRUE_WORDS
    batch = words == ["-"]
    if "-" in words and not batch:
        raise UsageError("dash_alone")
    if batch and fmt == "vcard":
        raise UsageError("vcard_not_batch")
    query = " ".join(words)
    if not batch and is_blank(query):
        raise UsageError("empty_query")
    dataset = _dataset(env, data_dir)
    date = _date(dataset, on)
    header, render = _renderer(dataset, env, lang, fmt, batch=batch)
    env.write_bytes(header)
    if batch:
        return _batch(dataset, date, env, render, strict)
    from .resolve import find_in

    result = find_in(dataset, query, date, strict=strict)
    env.write_bytes(b"".join(render(result)))
    return STATUS_EXIT[result.status]


def _renderer(dataset, env, lang: str, fmt: str, *, batch: bool):
    """(what goes before the answers, a function from an answer to its bytes in parts) for a
    format. The parts are written one after the other; a JSON answer's second part is shared
    by every answer for the same municipality, so a batch holds it once."""
    from . import records

    if fmt in ("json", "jsonl"):
        return b"", records.JsonRenderer(dataset).line_parts
    if fmt in records.TABLE_FORMATS:
        end = records.LINE_END[fmt]
        header = (records.BOM if fmt == "excel" else "") + records.table_line(records.FIND_COLUMNS, fmt) + end
        tails: dict = {}  # answers repeat in a batch, and so do their rows but for the first columns
        separator = {"tsv": "\t", "excel": ";"}.get(fmt, ",")

        def row(result) -> bytes:
            key = records.tail_key(result)
            tail = tails.get(key)
            if tail is None:
                if len(tails) > 100_000:
                    tails.clear()
                tail = tails[key] = records.table_line(records.find_row_tail(result, dataset), fmt)
            return ((records.table_line(records.find_row_head(result, fmt), fmt) + separator + tail + end).encode("utf-8"),)

        return header.encode("utf-8"), row
    if fmt == "vcard":
        from .vcard import vcard_of

        def card(result) -> tuple:
            note_if_guessed(env, result)
            return (vcard_of(result, dataset, env, lang).encode("utf-8"),)

        return b"", card
    from . import render

    if batch:
        from .messages import warning_line

        warned: set = set()

        def line(result) -> bytes:
            for w in result.warnings:  # a line per answer has no room for them: each once, on stderr
                if w not in warned:
                    warned.add(w)
                    env.error(f"elyguide: {warning_line(w, lang)}")
            text = "" if result.reason is not None and result.reason.id == "reason_empty_line" else render.batch_line(result, lang)
            return ((text + "\n").encode(env.encoding, "replace"),)

        return b"", line
    return b"", lambda result: (_doc_text(render.render_find(result, dataset, lang, env.width, _today()), env).encode(env.encoding, "replace"),)


def note_if_guessed(env, result) -> None:
    """A format with no room to mark a guess (a vCard, a list, a centre's card in JSON or a
    table) says on stderr that the place was guessed."""
    from .model import GUESS_KINDS

    m = result.match if result is not None else None
    if m is not None and m.kind in GUESS_KINDS:
        from .messages import format_score

        # {query!r} escapes control characters itself
        env.note("note_guess", query=result.query, name=m.text, score=format_score(m.score, env.message_lang))


def read_blocks(env):
    """Lines of standard input as text, in lists of whatever has arrived, however a
    spreadsheet or an editor saved them: UTF-8 (with or without BOM), UTF-16 with a BOM
    (Notepad, PowerShell 5.1), or - line by line - Windows-1252 when a line is not UTF-8 (a
    note says so). A line longer than MAX_LINE is not kept in memory: it comes out as None.

    Input is read in blocks of whatever has arrived (read1), decoded and split a block at a
    time: line by line reading would cost a batch a third of its time, and waiting for full
    blocks would keep a slow writer's answers back."""
    stream = env.read_stdin()
    read = getattr(stream, "read1", stream.read)
    pending = read(2) if not env.stdin_isatty else b""
    if pending in (b"\xff\xfe", b"\xfe\xff"):
        yield from _utf16_blocks(stream, pending)
        return
    number, skipping, first = 0, False, True
    while True:
        block = read(1 << 16) if not env.stdin_isatty else stream.readline(MAX_LINE + 2)
        data = pending + block
        if block:
            cut = data.rfind(b"\n")
            if cut < 0:  # no whole line yet
                if len(data) > MAX_LINE:
                    skipping, pending = True, b""  # an endless line: forget it, answer "too long"
                else:
                    pending = data
                continue
            complete, pending = data[:cut], data[cut + 1:]
        elif data or skipping:
            complete, pending = data, b""
        else:
            return
        if first and complete.startswith(b"\xef\xbb\xbf"):
            complete = complete[3:]
        first = False
        try:
            lines = complete.decode("utf-8").split("\n")
        except UnicodeDecodeError:
            lines = _decode_each(env, complete.split(b"\n"), number)
        if b"\r" in complete:
            lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        if max(map(len, lines)) > MAX_LINE:
            lines = [line if len(line) <= MAX_LINE else None for line in lines]
        if skipping:  # the end of the endless line
            skipping = False
            lines[0] = None
        number += len(lines)
        yield lines
        if not block:
            return


def _decode_each(env, lines: list[bytes], before: int) -> list[str]:
    """A block that is not all UTF-8: each line as UTF-8 where it is, else as Windows-1252."""
    out = []
    for number, line in enumerate(lines, before + 1):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            env.note("note_not_utf8", line=number)
            out.append(line.decode("cp1252", errors="replace"))
    return out


def _utf16_blocks(stream, bom: bytes):
    import codecs

    decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
    text = decoder.decode(bom)
    while True:
        chunk = stream.read(1 << 16)
        text += decoder.decode(chunk, final=not chunk)
        *lines, text = text.split("\n")
        if not chunk and text:
            lines.append(text)
        if lines:
            yield [line.rstrip("\r") if len(line) <= MAX_LINE else None for line in lines]
        if not chunk:
            return


BATCH_SLICE = 1024  # lines answered between two looks at how much output is waiting
BATCH_MEMORY = 100_000  # distinct answers kept; endless distinct input starts afresh past this


def _batch(dataset, date: str, env, render, strict: bool) -> int:
    """One answer per line of standard input, in order. The same query always gets the same
    answer, so each distinct line is looked up and rendered once; the lines of a slice are
    then answered together by lookups in C, not a step of Python per line."""
    from itertools import chain

    from .match import match
    from .model import FindResult, Reason
    from .normalize import is_blank
    from .resolve import answer, warnings_for

    def answer_line(query: str | None):
        if query is None or is_blank(query):
            reason = Reason("reason_too_long" if query is None else "reason_empty_line")
            return FindResult(query=query or "", status=NOT_FOUND, date=date, match=None, municipality=None, former=None,
                              centre=None, ely_centre=None, successor_centre=None, candidates=(), reason=reason,
                              region=None, province=None, warnings=warnings_for(dataset, date, None))
        return answer(query, match(query, dataset, strict=strict), date, dataset)

    status = ExitStatus.FOUND
    answers: dict = {}  # query -> its answer's parts, the same for every line that asks it
    sizes: dict = {}  # query -> the size of those parts
    not_found: dict = {}  # query -> its status, for the queries whose status is not FOUND
    pending: list[bytes] = []
    size = 0
    step = 1 if env.immediate else BATCH_SLICE
    for block in read_blocks(env):
        for start in range(0, len(block), step):
            lines = block[start:start + step]
            new = [query for query in dict.fromkeys(lines) if query not in answers]
            if len(answers) + len(new) > BATCH_MEMORY:
                for remembered in (answers, sizes, not_found):
                    remembered.clear()
                new = list(dict.fromkeys(lines))
            for query in new:
                result = answer_line(query)
                parts = answers[query] = render(result)
                sizes[query] = sum(map(len, parts))
                if result.status != FOUND:
                    not_found[query] = result.status
            pending += chain.from_iterable(map(answers.__getitem__, lines))
            size += sum(map(sizes.__getitem__, lines))
            if status == ExitStatus.FOUND and not not_found.keys().isdisjoint(lines):
                first = next(query for query in lines if query in not_found)
                status = STATUS_EXIT[not_found[first]]  # the first query that was not found decides
            if env.immediate or size > env.BLOCK:
                env.write_block(pending)
                pending = []
                size = 0
    env.write_block(pending)
    return status


# ------------------------------------------------------------------------------ the others
def run_list(env, *, centre=None, region=None, on=None, lang=None, fmt=None, json_flag=False, excel_flag=False,
             data_dir=None) -> int:
    """`elyguide list`: every municipality with its region and centre, sorted by name."""
    from . import records, render
    from .api import municipalities
    from .messages import warning_line
    from .options import TABLE_FORMATS
    from .resolve import warnings_for

    lang = env.answer_lang(lang)
    fmt = choose_format(env, fmt, json_flag, excel_flag, TABLE_FORMATS)
    dataset = _dataset(env, data_dir)
    date = _date(dataset, on)
    rows = municipalities(date, centre=centre, region=region, lang=lang, dataset=dataset)
    if centre is not None:
        from .api import centre_for

        note_if_guessed(env, centre_for(centre, date, dataset=dataset)[1])
    warnings = warnings_for(dataset, date, None)  # a list shows no contacts: only the division's age
    if fmt == "text":
        env.write("".join(render.list_line(row, lang) + "\n" for row in rows))
        for w in warnings:  # on stderr: a line of stdout is a municipality
            env.error(f"elyguide: {warning_line(w, lang)}")
    else:
        _write_table(env, fmt, records.LIST_COLUMNS, (records.list_row(r, warnings) for r in rows),
                     (records.list_record(r, warnings) for r in rows))
    return ExitStatus.FOUND


def run_centres(env, *, on=None, lang=None, fmt=None, json_flag=False, excel_flag=False, long=False, data_dir=None) -> int:
    """`elyguide centres`: the centres responsible on a date, compactly or as full cards."""
    from . import records, render
    from .api import centres, served_municipalities
    from .options import TABLE_FORMATS
    from .resolve import warnings_for

    lang = env.answer_lang(lang)
    fmt = choose_format(env, fmt, json_flag, excel_flag, TABLE_FORMATS)
    dataset = _dataset(env, data_dir)
    date = _date(dataset, on)
    active = centres(date, dataset=dataset)
    served = {c.id: served_municipalities(c, on=date, lang=lang, dataset=dataset) for c in active}
    warnings = {c.id: warnings_for(dataset, date, c) for c in active}
    if fmt == "text" and not long:
        _write_doc(render.render_centres_table(active, dataset, lang, env.width, served, warnings), env)
    elif fmt == "text":
        every = tuple(dict.fromkeys(w for c in active for w in warnings[c.id]))  # each once, under the last card
        for i, centre in enumerate(active):
            if i:
                env.write("\n")
            _write_doc(render.render_centre(centre, dataset, lang, env.width, served[centre.id], _today(), with_municipalities=False,
                                            warnings=every if i == len(active) - 1 else ()), env)
    else:
        _write_table(env, fmt, records.CENTRE_COLUMNS,
                     (records.centre_row(c, dataset, served[c.id], date, warnings[c.id]) for c in active),
                     (records.centre_full_record(c, dataset, served[c.id], warnings[c.id]) for c in active))
    return ExitStatus.FOUND


def run_centre(env, *, words: list[str], on=None, lang=None, fmt=None, json_flag=False, excel_flag=False, sources=False,
               data_dir=None) -> int:
    """`elyguide centre NAME`: one centre's contact card and the municipalities it serves; a
    municipality's name gives the centre serving it."""
    from . import records, render
    from .api import centre_for, served_municipalities
    from .options import CENTRE_FORMATS
    from .resolve import warnings_for

    lang = env.answer_lang(lang)
    fmt = choose_format(env, fmt, json_flag, excel_flag, CENTRE_FORMATS)
    name = " ".join(words)
    dataset = _dataset(env, data_dir)
    date = _date(dataset, on)
    centre, via = centre_for(name, date, dataset=dataset)
    warnings = warnings_for(dataset, date, centre)
    served_on = date if centre.active_on(date) else None  # a ceased centre: list what it served
    served = served_municipalities(centre, on=served_on, lang=lang, dataset=dataset)
    if fmt != "text":
        note_if_guessed(env, via)  # the text says it itself
    if fmt == "text":
        if via is not None:
            _write_doc(render.render_centre_via(via, centre, lang, env.width), env)
        _write_doc(render.render_centre(centre, dataset, lang, env.width, served, _today(), sources=sources, warnings=warnings), env)
    elif fmt == "vcard":
        from .vcard import centre_vcard

        env.write(centre_vcard(centre, dataset, lang, warnings), machine=True)
    else:
        record = records.centre_full_record(centre, dataset, served, warnings)
        if via is not None:
            record["for_query"] = {"query": via.query, "municipality": via.municipality.code if via.municipality else None,
                                   "region": via.region.region.code if via.region else None,
                                   "match_kind": via.match.kind if via.match else None,
                                   "match_score": via.match.score if via.match else None}
        _write_table(env, fmt, records.CENTRE_COLUMNS, [records.centre_row(centre, dataset, served, date, warnings)], [record])
    return ExitStatus.FOUND


def run_about(env, *, on=None, lang=None, fmt=None, json_flag=False, data_dir=None) -> int:
    """`elyguide about`: data vintage, sources, licences and how fresh the contacts are."""
    from . import records, render
    from .api import about
    from .options import ABOUT_FORMATS

    lang = env.answer_lang(lang)
    fmt = choose_format(env, fmt, json_flag, False, ABOUT_FORMATS)
    dataset = _dataset(env, data_dir)
    report = about(_date(dataset, on), dataset=dataset)
    if fmt == "text":
        _write_doc(render.render_about(report, lang, env.width), env)
    else:
        env.write(records.dumps(report) + "\n", machine=True)
    return ExitStatus.FOUND


def run_refresh(env, *, api_url=None, service=None, dry_run=False, json_flag=False, forget=False, lang=None) -> int:
    from .refresh import run_refresh as refresh

    return refresh(env, api_url=api_url, service=service, dry_run=dry_run, json_flag=json_flag, forget=forget,
                   lang=env.answer_lang(lang))


def run_compile(env, *, directory: str, lang=None) -> int:
    """`elyguide data compile DIR`: validate a data folder and write its compiled cache."""
    from .data import resolve_data_dir
    from .index import compile_data
    from .messages import message

    lang = env.answer_lang(lang)
    folder, _ = resolve_data_dir(directory, {})
    path = compile_data(folder)
    env.write(message("compiled", lang, path=path) + "\n")
    return ExitStatus.FOUND


_HANDLERS = {("find",): run_find, ("list",): run_list, ("centres",): run_centres, ("centre",): run_centre,
             ("about",): run_about, ("refresh",): run_refresh, ("data", "compile"): run_compile}
