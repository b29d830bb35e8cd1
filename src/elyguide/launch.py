"""The `elyguide` entry point: parse the command line, run the command, and turn every error
into one line and an exit status.

Command lines are parsed here, from the table in options.py, without importing Typer (which
takes as long to import as a whole lookup may take). Typer serves shell completion, built from
the same table (cli.py). `main(argv, env)` is what tests drive, with an injected Environment.
"""

# No `from __future__ import annotations` here: it imports the __future__ module, and a Ctrl-C
# landing in that import would come before the handler below. The annotations need no help.
import _signal  # the C module: `signal` would import enum first, and Ctrl-C could land in that
import os
import sys


def _interrupted_while_starting(signum, frame) -> None:  # pragma: no cover - timing dependent
    os._exit(130)  # Ctrl-C before main() is ready: leave quietly, as main() would


_signal.signal(_signal.SIGINT, _interrupted_while_starting)

from .errors import ElyguideError, ExitStatus, StreamError, UsageError  # noqa: E402
from .options import GLOBAL_OPTIONS, HELP_NAMES, command, command_names, shown  # noqa: E402


# ------------------------------------------------------------------------------ parsing
class Parsed:
    """What a command line asks for: a command with its values, help, or the version."""

    def __init__(self, action: str, command=None, values: dict | None = None):
        self.action, self.command, self.values = action, command, values or {}


def parse(argv: list[str]) -> Parsed:
    """Parse a command line by the table in options.py; UsageError for anything it does not
    declare. Help is asked with -h/--help anywhere before `--`."""
    if not argv or argv[0] in HELP_NAMES:
        return Parsed("help")
    if argv[0] == "--version":
        return Parsed("version")
    if argv[0].startswith("-"):
        raise UsageError("unknown_option", option=argv[0], command="elyguide", suggestion=_suggest(argv[0], _global_names()))
    path = tuple(argv[:2]) if argv[0] == "data" else (argv[0],)
    found = command(path)
    if found is None:
        if argv[0] == "data":
            if len(argv) == 1 or argv[1] in HELP_NAMES:
                return Parsed("help", ("data",))
            raise UsageError("unknown_command", word=" ".join(argv[:2]), suggestion="elyguide data compile")
        from .normalize import shell_words

        known = command_names()
        raise UsageError("unknown_command_find" if not argv[0].startswith("-") and _looks_like_a_place(argv[0], known)
                         else "unknown_command", word=argv[0], suggestion=_suggest(argv[0], known) or "",
                         query=shell_words(argv))
    return _parse_command(found, argv[len(path):])


def _parse_command(cmd, args: list[str]) -> Parsed:
    by_name = {option.name: option for option in cmd.options}
    values: dict = {}
    words: list[str] = []
    only_words = False
    rest = iter(args)
    for arg in rest:
        if only_words or arg == "-" or not arg.startswith("-"):
            words.append(arg)
        elif arg == "--":
            only_words = True
        elif arg in HELP_NAMES:
            return Parsed("help", cmd.path)
        else:
            name, equals, value = arg.partition("=")
            option = by_name.get(name)
            if option is None:
                raise UsageError("unknown_option", option=name, command=" ".join(("elyguide", *cmd.path)),
                                 suggestion=_suggest(name, list(by_name)))
            if not option.value:
                if equals:
                    raise UsageError("flag_takes_no_value", option=name)
                values[option.dest] = True
                continue
            if not equals:
                value = next(rest, None)
                if value is None:
                    raise UsageError("missing_value", option=name)
            values[option.dest] = value
    if cmd.arguments:
        argument = cmd.arguments[0]
        if not words:
            from functools import partial

            # named as that language's help names it ("NIMI...")
            raise UsageError("missing_argument", argument=partial(shown, argument.name), command=" ".join(("elyguide", *cmd.path)))
        if not argument.many and len(words) > 1:
            raise UsageError("unexpected_argument", word=words[1], command=" ".join(("elyguide", *cmd.path)))
        values[argument.dest] = words if argument.many else words[0]
    elif words:
        raise UsageError("unexpected_argument", word=words[0], command=" ".join(("elyguide", *cmd.path)))
    return Parsed("run", cmd, values)


def _global_names() -> list[str]:
    return [o.name for o in GLOBAL_OPTIONS]


def _suggest(word: str, choices: list[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else ""


def _looks_like_a_place(word: str, commands: list[str]) -> bool:
    """`elyguide Kuopio`: a forgotten `find`, unless the word is a near-miss of a command."""
    return not _suggest(word.lower(), commands)


# ------------------------------------------------------------------------------ running
def main(argv: list[str] | None = None, env=None) -> int:
    """Run elyguide; return the exit status. Never lets a traceback reach the user."""
    from .environment import Environment

    _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    argv = sys.argv[1:] if argv is None else argv
    if env is None:
        env = Environment.from_process()
    try:
        status = _dispatch(argv, env)
        env.flush()
        return status
    except ElyguideError as error:
        return env.report(error)
    except KeyboardInterrupt:
        env.discard()
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        return _broken_pipe(env)
    except OSError as error:  # writing the answer failed: a full disk, a closed stream
        env.discard()
        _silence_stdout()
        return env.report(StreamError("cannot_write", reason=_os_reason(error)))
    except Exception as error:  # noqa: BLE001 - the last line of defence
        if env.variables.get("ELYGUIDE_DEBUG"):
            raise
        env.discard()
        env.error(f"elyguide: internal error: {type(error).__name__}: {error} "
                  "(please report it; set ELYGUIDE_DEBUG=1 for details)")
        return ExitStatus.INTERNAL_ERROR


def _dispatch(argv: list[str], env) -> int:
    if "_ELYGUIDE_COMPLETE" in env.variables or (argv and argv[0] in ("--install-completion", "--show-completion")):
        from .cli import run_app  # shell completion is Typer's

        env.flush()
        return run_app(argv, env)
    try:
        parsed = parse(argv)
    except UsageError as error:
        env.help_language_from(argv)
        if error.message_id == "missing_argument" and argv[:1] == ["find"] and not env.stdin_isatty and env.stdin is not None:
            raise UsageError("missing_query_piped") from None  # `names | elyguide find`: they meant `find -`
        raise
    if parsed.action == "version":
        from . import __version__

        env.write(f"elyguide {__version__}\n")
        return ExitStatus.FOUND
    if parsed.action == "help":
        from .helptext import render_help

        env.help_language_from(argv)
        env.write(render_help(parsed.command, env.help_lang, env.width))
        return ExitStatus.FOUND
    from . import commands

    env.help_language_from(argv)
    return commands.run(parsed.command, parsed.values, env)


_ERRNO_MESSAGES = {"ENOSPC": "os_no_space", "EDQUOT": "os_no_space", "EIO": "os_io", "EACCES": "os_denied", "EPERM": "os_denied",
                   "EBADF": "os_closed", "EROFS": "os_read_only"}


def _os_reason(error: OSError):
    """Why a write failed, in the reader's language where the cause is a common one; else the
    system's own words."""
    import errno

    message_id = _ERRNO_MESSAGES.get(errno.errorcode.get(error.errno or 0, ""))
    if message_id is None:
        return error.strerror or str(error)
    from .messages import message

    return lambda lang: message(message_id, lang)


def _broken_pipe(env) -> int:
    """The reader went away (`elyguide find - < names | head -1`): stop quietly."""
    env.discard()
    _silence_stdout()
    return ExitStatus.BROKEN_PIPE


def _silence_stdout() -> None:
    """The answer could not be written: what the failed write left buffered goes nowhere."""
    from .environment import point_at_devnull

    point_at_devnull(getattr(sys.stdout, "buffer", sys.stdout))


def run() -> None:
    """Console-script entry point."""
    try:
        status = main()
    except KeyboardInterrupt:
        status = ExitStatus.INTERRUPTED
    sys.exit(status)
