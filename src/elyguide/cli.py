"""The Typer app, generated from the table in options.py: it gives elyguide its shell completion
(bash, zsh, fish, PowerShell), and runs the same commands as launch.py's parser, which tests
check option by option. This is the only module that imports Typer.
"""

from __future__ import annotations

import inspect
import sys
from typing import List, Optional

import typer
from typer._click import exceptions as click_exceptions  # Typer 0.26-0.28 vendor Click
from typer.core import TyperGroup

from . import __version__, commands
from .errors import ElyguideError, ExitStatus, StreamError
from .messages import message
from .options import COMMANDS, shown

HELP_LANG = "en"  # Typer's own help is a fallback; `elyguide --help` is helptext.py's


def _complete_municipality(incomplete: str) -> list[str]:
    from .completion import municipality_names

    return municipality_names(incomplete)


def _complete_centre(incomplete: str) -> list[str]:
    from .completion import centre_names

    return centre_names(incomplete)


def _complete_region(incomplete: str) -> list[str]:
    from .completion import region_names

    return region_names(incomplete)


def _choices(values):
    return lambda incomplete: [v for v in values if v.startswith(incomplete.lower())]


# Names are offered as really spelled ("ham" offers Hämeenlinna), which Typer's own
# `autocompletion` would filter away (it keeps only values that start with what was typed), so
# these are attached to the Click parameters directly (see click_group).
_NAME_COMPLETIONS = {("find", "words"): _complete_municipality, ("centre", "words"): _complete_centre,
                     ("list", "centre"): _complete_centre, ("list", "region"): _complete_region}


class _OneLineErrors(TyperGroup):
    """Report a usage error in one line with exit status 2, like launch.py."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            status = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_exceptions.NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help())
            status = ExitStatus.FOUND
        except click_exceptions.UsageError as error:
            command = error.ctx.command_path if error.ctx is not None else "elyguide"
            typer.echo(f"elyguide: {message('error_prefix', HELP_LANG)}: {error.format_message()} (see '{command} --help')", err=True)
            status = ExitStatus.USAGE
        except click_exceptions.ClickException as error:
            typer.echo(f"elyguide: {message('error_prefix', HELP_LANG)}: {error.format_message()}", err=True)
            status = error.exit_code
        except typer.Abort:
            status = ExitStatus.INTERRUPTED
        status = status if isinstance(status, int) else ExitStatus.FOUND
        if standalone_mode:
            sys.exit(status)
        return status


def _version(value: bool) -> None:
    if value:
        typer.echo(f"elyguide {__version__}")
        raise typer.Exit()


def _parameter(option) -> inspect.Parameter:
    help_text = message(option.help, HELP_LANG)
    if not option.value:
        default = typer.Option(False, option.name, help=help_text)
        annotation = bool
    else:
        complete = _choices(option.choices) if option.choices else None
        default = typer.Option(None, option.name, help=help_text, metavar=shown(option.metavar, HELP_LANG), autocompletion=complete)
        annotation = Optional[str]
    return inspect.Parameter(option.dest, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _argument(argument, path) -> inspect.Parameter:
    default = typer.Argument(..., metavar=shown(argument.name, HELP_LANG), help=message(argument.help, HELP_LANG))
    return inspect.Parameter(argument.dest, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=List[str] if argument.many else str)


def _make_command(cmd):
    """A Typer command function whose signature is the table's declaration of `cmd`."""

    def command(ctx: typer.Context, **values) -> None:
        env = ctx.obj
        try:
            env.help_language_from(["--lang", values["lang"]] if values.get("lang") else [])
            status = commands.run(cmd, {k: v for k, v in values.items() if v not in (None, False)}, env)
        except ElyguideError as error:
            status = env.report(error)
        raise typer.Exit(status)

    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    parameters = [context, *(_argument(a, cmd.path) for a in cmd.arguments), *(_parameter(o) for o in cmd.options)]
    command.__signature__ = inspect.Signature(parameters)
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__name__ = "_".join(cmd.path)
    return command


def build_app() -> typer.Typer:
    app = typer.Typer(name="elyguide", cls=_OneLineErrors, help=message("help_about", HELP_LANG), no_args_is_help=True,
                      rich_markup_mode=None, pretty_exceptions_enable=False,
                      context_settings={"help_option_names": ["-h", "--help"]})

    @app.callback()
    def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                          help=message("opt_version", HELP_LANG))) -> None:
        """Which regional state centre guides a Finnish municipality."""

    groups: dict[str, typer.Typer] = {}
    for cmd in COMMANDS:
        target = app
        if len(cmd.path) > 1:
            if cmd.path[0] not in groups:
                groups[cmd.path[0]] = typer.Typer(cls=_OneLineErrors, no_args_is_help=True, rich_markup_mode=None)
                app.add_typer(groups[cmd.path[0]], name=cmd.path[0])
            target = groups[cmd.path[0]]
        epilog = message("help_examples", HELP_LANG) + ":\n\n" + "\n\n".join(f"  {e}" for e in cmd.examples)
        target.command(cmd.path[-1], short_help=message(cmd.summary, HELP_LANG), help=message(cmd.help, HELP_LANG),
                       epilog=epilog)(_make_command(cmd))
    return app


app = build_app()


def click_group():
    """The app as Click runs it, with the name completions attached."""
    from typer._click.shell_completion import CompletionItem

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        for param in command.params:
            complete = _NAME_COMPLETIONS.get((name, param.name))
            if complete is not None:
                param._custom_shell_complete = lambda ctx, param, incomplete, complete=complete: [
                    CompletionItem(value) for value in complete(incomplete)]
    return group


def run_app(argv: list[str], env) -> int:
    """Run the Typer app with `env` as the commands' environment; return the exit status.
    What Click prints is collected and written through `env`, so that a closed stdout, a
    full disk or a reader that went away get elyguide's statuses (74, 141), not Click's."""
    import contextlib
    import io

    if env.stdout is None:
        raise StreamError("stdout_closed")
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            status = click_group().main(args=argv, prog_name="elyguide", standalone_mode=False, obj=env)
    except SystemExit as done:  # completion ends with sys.exit()
        status = done.code
    env.write(printed.getvalue())
    return status if isinstance(status, int) else ExitStatus.FOUND
