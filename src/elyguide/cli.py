"""The Typer command line: arguments, help, completion, and errors mapped to exit statuses.

This is the only module that imports Typer. Each command parses its options and calls the
matching function in commands.py, which does the work.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from typer._click import exceptions as click_exceptions  # Typer 0.28 vendors Click
from typer.core import TyperGroup

from . import __version__, commands
from .errors import ElyguideError, ExitStatus


class Lang(str, Enum):
    fi = "fi"
    sv = "sv"
    en = "en"


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    tsv = "tsv"
    csv = "csv"


HELP = """Which regional state centre guides a Finnish municipality on immigration, integration
and refugee reception, and how to contact it.

Exit status: 0 found, 1 not found, 2 usage error, 3 ambiguous, 4 outside the service area
(Åland) or no current municipality (ceded 1944), 5 unreadable data, 130 interrupted.
"""

class _OneLineErrors(TyperGroup):
    """Report a usage error in one line (not Click's usage block) with exit status 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            status = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_exceptions.NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help())
            status = ExitStatus.FOUND
        except click_exceptions.UsageError as error:
            command = error.ctx.command_path if error.ctx is not None else "elyguide"
            typer.echo(f"elyguide: error: {error.format_message()} (see '{command} --help')", err=True)
            status = ExitStatus.USAGE
        except click_exceptions.ClickException as error:
            typer.echo(f"elyguide: error: {error.format_message()}", err=True)
            status = error.exit_code
        except typer.Abort:
            status = ExitStatus.INTERRUPTED
        status = status if isinstance(status, int) else ExitStatus.FOUND
        if standalone_mode:
            sys.exit(status)
        return status


app = typer.Typer(
    name="elyguide",
    cls=_OneLineErrors,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_municipality(incomplete: str) -> list[str]:
    from .completion import municipality_names

    return municipality_names(incomplete)


def _complete_centre(incomplete: str) -> list[str]:
    from .completion import centre_names

    return centre_names(incomplete)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"elyguide {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Which regional state centre guides a Finnish municipality."""


# Options shared by the commands: defined once so their help text cannot drift apart.
OnOption = typer.Option(None, "--on", metavar="YYYY-MM-DD", help="Answer for this date (default: today; from 2021-01-01).")
LangOption = typer.Option(None, "--lang", case_sensitive=False, help="Language of human output (default: $ELYGUIDE_LANG, else sv if $LANG starts with sv, else fi).")
FormatOption = typer.Option(None, "--format", case_sensitive=False, help="Output format (default: text).")
JsonOption = typer.Option(False, "--json", help="Shorthand for --format json.")
DataDirOption = typer.Option(None, "--data-dir", envvar="ELYGUIDE_DATA_DIR", file_okay=False, help="Read municipalities.yaml and centres.yaml from this folder instead of the shipped data.")


def _run(ctx: typer.Context, command, *args, lang: Optional[Lang], fmt: Optional[Format], json_flag: bool, **kwargs) -> None:
    """Run a command function in the caller's environment; map its errors to exit statuses."""
    env = ctx.obj if isinstance(ctx.obj, commands.Environment) else commands.Environment.from_process()
    try:
        chosen = commands.choose_format(fmt.value if fmt else None, json_flag)
        status = command(*args, env, lang=lang.value if lang else None, fmt=chosen, **kwargs)
    except ElyguideError as error:
        status = commands.report(error, env)
    raise typer.Exit(status)


@app.command(
    "find",
    short_help="Which centre guides a municipality; how to contact it.",
    epilog="""Examples:

  elyguide find Kuopio

  elyguide find Kuopiossa --lang sv

  elyguide find 00100 --json

  elyguide find Hollola --on 2025-12-31

  elyguide find - --json < municipalities.txt
""",
)
def find_command(
    ctx: typer.Context,
    query: List[str] = typer.Argument(..., metavar="QUERY...", help="A municipality's name (any case, with or without ä/ö/å, inflected, Finnish or Swedish, former names too), its code, a postal code or a postal locality. '-' reads one query per line from standard input.", autocompletion=_complete_municipality),
    on: Optional[str] = OnOption,
    lang: Optional[Lang] = LangOption,
    fmt: Optional[Format] = FormatOption,
    json_flag: bool = JsonOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Find the centre that guides a municipality, and how to contact it."""
    _run(ctx, commands.run_find, query, on=on, lang=lang, fmt=fmt, json_flag=json_flag, data_dir=data_dir)


@app.command(
    "list",
    short_help="Every municipality with its region and centre.",
    epilog="""Examples:

  elyguide list --centre itä-suomi

  elyguide list --region Kainuu --on 2025-06-01

  elyguide list --format tsv | cut -f1,2,7
""",
)
def list_command(
    ctx: typer.Context,
    centre: Optional[str] = typer.Option(None, "--centre", help="Only municipalities this centre serves on the date (or served as ELY centre), e.g. itä-suomi or 'Pohjois-Savon ELY'.", autocompletion=_complete_centre),
    region: Optional[str] = typer.Option(None, "--region", help="Only this region (maakunta), by code or name, e.g. 11 or Pohjois-Savo."),
    on: Optional[str] = OnOption,
    lang: Optional[Lang] = LangOption,
    fmt: Optional[Format] = FormatOption,
    json_flag: bool = JsonOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """List every municipality with its region and responsible centre, sorted by name."""
    _run(ctx, commands.run_list, centre=centre, region=region, on=on, lang=lang, fmt=fmt, json_flag=json_flag, data_dir=data_dir)


@app.command("centres", short_help="The centres responsible on a date, with contacts.", epilog="Examples:\n\n  elyguide centres\n\n  elyguide centres --on 2025-12-31 --format csv")
def centres_command(
    ctx: typer.Context,
    on: Optional[str] = OnOption,
    lang: Optional[Lang] = LangOption,
    fmt: Optional[Format] = FormatOption,
    json_flag: bool = JsonOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Show every centre responsible on a date, with its contacts and how many municipalities it serves."""
    _run(ctx, commands.run_centres, on=on, lang=lang, fmt=fmt, json_flag=json_flag, data_dir=data_dir)


@app.command(
    "centre",
    short_help="One centre's contact card and municipalities.",
    epilog="""Examples:

  elyguide centre itä-suomi

  elyguide centre Pohjois-Savon ELY

  elyguide centre "Östra Finland" --lang sv
""",
)
def centre_command(
    ctx: typer.Context,
    name: List[str] = typer.Argument(..., metavar="NAME...", help="The centre's name in Finnish, Swedish or English, or just its area (itä-suomi, Östra Finland), or its id.", autocompletion=_complete_centre),
    on: Optional[str] = OnOption,
    lang: Optional[Lang] = LangOption,
    fmt: Optional[Format] = FormatOption,
    json_flag: bool = JsonOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Show one centre's contact card and the municipalities it serves."""
    _run(ctx, commands.run_centre, name, on=on, lang=lang, fmt=fmt, json_flag=json_flag, data_dir=data_dir)


@app.command("about", short_help="Data vintage, sources, licences, freshness.", epilog="Examples:\n\n  elyguide about\n\n  elyguide about --json")
def about_command(
    ctx: typer.Context,
    on: Optional[str] = OnOption,
    lang: Optional[Lang] = LangOption,
    fmt: Optional[Format] = typer.Option(None, "--format", case_sensitive=False, help="Output format: text or json."),
    json_flag: bool = JsonOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Show the data's vintage, sources and licences, and when each contact was verified (in English)."""
    _run(ctx, commands.run_about, on=on, lang=lang, fmt=fmt, json_flag=json_flag, data_dir=data_dir)


def run_app(argv: list[str], env) -> int:
    """Run the Typer app with `env` as the commands' environment; return the exit status."""
    return app(args=argv, prog_name="elyguide", standalone_mode=False, obj=env)
