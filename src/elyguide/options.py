"""The one declaration of every command and option. The start-up parser (launch.py), the
help text (helptext.py) and the Typer app (cli.py) are all generated from this table, so they
cannot disagree; tests/test_options.py runs every option, good values and bad, through the
parser and through Typer and compares what comes out.

Values are checked by the commands, not by a parser, so both parsers reject a bad value with
the same message and status.
"""

from __future__ import annotations

from .model import LANGUAGES, Record, record


@record
class Option(Record):
    """name: as typed; dest: the keyword the command receives; value: takes a value (else a
    flag); help: message id; metavar: what help shows for the value (a message id, or the
    choices as typed); choices: for help and completion (checked by the command); env: the
    environment variable that also sets it (read by the command)."""

    __slots__ = ()

    def __new__(cls, name, dest, value, help, metavar=None, choices=None, env=None):  # noqa: A002
        return tuple.__new__(cls, (name, dest, value, help, metavar, choices, env))


@record
class Argument(Record):
    """A positional argument: name (a message id, for help), dest, help id; many: several words."""

    __slots__ = ()

    def __new__(cls, name, dest, help, many):  # noqa: A002
        return tuple.__new__(cls, (name, dest, help, many))


@record
class Command(Record):
    """path: the words that name the command ("find", or ("data", "compile"))."""

    __slots__ = ()

    def __new__(cls, path, summary, help, arguments, options, examples):  # noqa: A002
        return tuple.__new__(cls, (path, summary, help, arguments, options, examples))

FIND_FORMATS = ("text", "json", "jsonl", "tsv", "csv", "excel", "vcard")
TABLE_FORMATS = ("text", "json", "jsonl", "tsv", "csv", "excel")
CENTRE_FORMATS = FIND_FORMATS
ABOUT_FORMATS = ("text", "json")

ON = Option("--on", "on", True, "opt_on", "metavar_date")
LANG = Option("--lang", "lang", True, "opt_lang", "fi|sv|en", LANGUAGES, "ELYGUIDE_LANG")
JSON = Option("--json", "json_flag", False, "opt_json")
EXCEL = Option("--excel", "excel_flag", False, "opt_excel")
DATA_DIR = Option("--data-dir", "data_dir", True, "opt_data_dir", "metavar_dir", None, "ELYGUIDE_DATA_DIR")


def _format(choices) -> Option:
    return Option("--format", "fmt", True, "opt_format", "|".join(choices), choices)


COMMANDS = (
    Command(("find",), "cmd_find_summary", "cmd_find_help",
            (Argument("metavar_query", "words", "arg_query", True),),
            (ON, LANG, _format(FIND_FORMATS), JSON, EXCEL,
             Option("--strict", "strict", False, "opt_strict", None, None, "ELYGUIDE_STRICT"), DATA_DIR),
            ("elyguide find Kuopio", "elyguide find Kuopiossa --lang sv --json",
             "elyguide find Hollola --on 31.12.2025", "elyguide find - --strict --format csv < municipalities.txt")),
    Command(("list",), "cmd_list_summary", "cmd_list_help", (),
            (Option("--centre", "centre", True, "opt_centre", "metavar_name"), Option("--region", "region", True, "opt_region", "metavar_name"),
             ON, LANG, _format(TABLE_FORMATS), JSON, EXCEL, DATA_DIR),
            ("elyguide list --centre itä-suomi", "elyguide list --region Kainuu --on 2025-06-01",
             "elyguide list --format tsv | cut -f1,2,7")),
    Command(("centres",), "cmd_centres_summary", "cmd_centres_help", (),
            (ON, LANG, _format(TABLE_FORMATS), JSON, EXCEL, Option("--long", "long", False, "opt_long"), DATA_DIR),
            ("elyguide centres", "elyguide centres --long", "elyguide centres --on 2025-12-31 --excel > centres.csv")),
    Command(("centre",), "cmd_centre_summary", "cmd_centre_help",
            (Argument("metavar_names", "words", "arg_centre", True),),
            (ON, LANG, _format(CENTRE_FORMATS), JSON, EXCEL, Option("--sources", "sources", False, "opt_sources"), DATA_DIR),
            ("elyguide centre itä-suomi", "elyguide centre Kuopio", "elyguide centre \"Östra Finland\" --lang sv",
             "elyguide centre itä-suomi --format vcard > ita-suomi.vcf")),
    Command(("about",), "cmd_about_summary", "cmd_about_help", (),
            (ON, LANG, _format(ABOUT_FORMATS), JSON, DATA_DIR),
            ("elyguide about", "elyguide about --json")),
    Command(("refresh",), "cmd_refresh_summary", "cmd_refresh_help", (),
            (Option("--api-url", "api_url", True, "opt_api_url", "metavar_url", None, "ELYGUIDE_PTV_URL"),
             Option("--service", "service", True, "opt_service", "metavar_id"),
             Option("--dry-run", "dry_run", False, "opt_dry_run"), JSON,
             Option("--forget", "forget", False, "opt_forget"), LANG),
            ("elyguide refresh", "elyguide refresh --dry-run", "elyguide refresh --forget")),
    Command(("data", "compile"), "cmd_compile_summary", "cmd_compile_help",
            (Argument("metavar_dir", "directory", "arg_directory", False),),
            (LANG,),
            ("elyguide data compile mydata", "elyguide find Kuopio --data-dir mydata")),
)

GLOBAL_OPTIONS = (Option("--version", "version", False, "opt_version"), Option("--help", "help", False, "opt_help"),
                  Option("--install-completion", "install_completion", False, "opt_install_completion"),
                  Option("--show-completion", "show_completion", False, "opt_show_completion"))
HELP_NAMES = ("-h", "--help")


def shown(metavar: str | None, lang: str) -> str:
    """A metavar as help shows it in `lang` ("VVVV-KK-PP" in Finnish)."""
    if not metavar or not metavar.startswith("metavar_"):
        return metavar or ""
    from .messages import message

    return message(metavar, lang)


def command(path: tuple[str, ...]) -> Command | None:
    return next((c for c in COMMANDS if c.path == path), None)


def command_names() -> list[str]:
    """The first word of every command ("data" for "data compile")."""
    return list(dict.fromkeys(c.path[0] for c in COMMANDS))
