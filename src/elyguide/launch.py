"""The `elyguide` entry point: error handling for every command, and a start-up fast path.

Typer (with Click) takes about as long to import as a whole lookup may take, so the common
`elyguide find QUERY [--json] [--on D] [--lang L] [--format F] [--data-dir DIR]` is parsed
here without it and handed to the same command function. Anything else - help, completion,
other commands, an unknown option, a value Typer must reject - goes to the Typer app, so
every error message and help text comes from one place.
"""

from __future__ import annotations

import os
import sys

from .errors import ElyguideError, ExitStatus

_VALUE_OPTIONS = {"--on": "on", "--lang": "lang", "--format": "fmt", "--data-dir": "data_dir"}


def fast_find_arguments(argv: list[str]) -> dict | None:
    """The keyword arguments of run_find for a plain `find` command line, else None."""
    if not argv or argv[0] != "find" or "_ELYGUIDE_COMPLETE" in os.environ:
        return None
    from .commands import FORMATS, LANGS

    choices = {"lang": LANGS, "fmt": FORMATS}
    options: dict = {"words": [], "json_flag": False}
    args = iter(argv[1:])
    only_words = False
    for arg in args:
        if only_words or arg == "-" or not arg.startswith("-"):
            options["words"].append(arg)
        elif arg == "--":
            only_words = True
        elif arg == "--json":
            options["json_flag"] = True
        else:
            name, equals, value = arg.partition("=")
            if name not in _VALUE_OPTIONS:
                return None
            if not equals:
                value = next(args, None)
                if value is None:
                    return None
            field = _VALUE_OPTIONS[name]
            if field in choices and value.lower() not in choices[field]:
                return None  # let Typer word the error
            options[field] = value.lower() if field in choices else value
    return options if options["words"] else None


def main(argv: list[str] | None = None) -> int:
    """Run elyguide; return the exit status. Never lets a traceback reach the user."""
    argv = sys.argv[1:] if argv is None else argv
    from .commands import Environment

    env = Environment.from_process()
    try:
        fast = fast_find_arguments(argv)
        if fast is not None:
            from .commands import choose_format, run_find

            fmt = choose_format(fast.pop("fmt", None), fast.pop("json_flag"))
            return run_find(fast.pop("words"), env, fmt=fmt, **fast)
        from .cli import run_app

        return run_app(argv, env)
    except ElyguideError as error:
        from .commands import report

        return report(error, env)
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        return broken_pipe()
    except Exception as error:  # noqa: BLE001 - the last line of defence
        if os.environ.get("ELYGUIDE_DEBUG"):
            raise
        env.stderr.write(f"elyguide: internal error: {type(error).__name__}: {error} "
                         "(please report it; set ELYGUIDE_DEBUG=1 for details)\n")
        return ExitStatus.INTERNAL_ERROR


def broken_pipe() -> int:
    """The reader went away (`elyguide find - < names | head -1`): stop quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush cannot fail
    except (OSError, ValueError):
        pass
    return ExitStatus.BROKEN_PIPE


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
