"""`--help` in Finnish, Swedish or English, generated from the table in options.py."""

from __future__ import annotations

from .errors import ExitStatus
from .messages import message
from .options import COMMANDS, GLOBAL_OPTIONS, command, shown

EXIT_STATUS_IDS = {status: f"exit_{status.name.lower()}" for status in ExitStatus}


def _wrap(text: str, width: int, indent: str = "  ", first: str | None = None) -> list[str]:
    from .render import _wrap as wrap

    return wrap(text, width, first if first is not None else indent, indent)


def _option_lines(options, lang: str, width: int) -> list[str]:
    rows = []
    for option in options:
        name = f"{option.name} {shown(option.metavar, lang)}" if option.value else option.name
        text = message(option.help, lang)
        if option.env:
            text += " " + message("help_env", lang, variable=option.env)
        rows.append((name, text))
    column = min(max(len(name) for name, _ in rows) + 4, 30)
    out = []
    for name, text in rows:
        if len(name) + 4 > column:
            out.append(f"  {name}")
            out.extend(_wrap(text, width, " " * column))
        else:
            out.extend(_wrap(text, width, " " * column, f"  {name:<{column - 2}}"))
    return out


def render_help(path: tuple[str, ...] | None, lang: str, width: int = 80) -> str:
    width = max(40, min(width, 100))
    if path is None:
        return top_help(lang, width)
    if path == ("data",):
        return group_help(lang, width)
    cmd = command(path)
    usage = " ".join(("elyguide", *cmd.path, message("help_options_word", lang), *(shown(a.name, lang) for a in cmd.arguments)))
    lines = [f"{message('help_usage', lang)}: {usage}", ""]
    lines += _wrap(message(cmd.help, lang), width, "")
    if cmd.arguments:
        lines += ["", message("help_arguments", lang) + ":"]
        for argument in cmd.arguments:
            lines += _wrap(message(argument.help, lang), width, " " * 14, f"  {shown(argument.name, lang):<12}")
    lines += ["", message("help_options", lang) + ":"]
    lines += _option_lines((*cmd.options, GLOBAL_OPTIONS[1]), lang, width)
    lines += ["", message("help_examples", lang) + ":"]
    lines += [f"  {example}" for example in cmd.examples]
    return "\n".join(lines) + "\n"


def top_help(lang: str, width: int) -> str:
    lines = [f"{message('help_usage', lang)}: elyguide {message('help_command_word', lang)} "
             f"[{message('help_options_word', lang).strip('[]')}]", ""]
    lines += _wrap(message("help_about", lang), width, "")
    lines += ["", message("help_commands", lang) + ":"]
    names = [" ".join(c.path) for c in COMMANDS]
    column = max(map(len, names)) + 4
    for name, cmd in zip(names, COMMANDS):
        lines += _wrap(message(cmd.summary, lang), width, " " * column, f"  {name:<{column - 2}}")
    lines += ["", message("help_options", lang) + ":"]
    lines += _option_lines(GLOBAL_OPTIONS, lang, width)
    lines += ["", message("help_exit_statuses", lang) + ":"]
    for status in ExitStatus:
        lines += _wrap(message(EXIT_STATUS_IDS[status], lang), width, " " * 7, f"  {int(status):>3}  ")
    lines += ["", message("help_examples", lang) + ":"]
    lines += ["  elyguide find Kuopio", "  elyguide find Kuopiossa --lang sv --json", "  elyguide centres",
              "  elyguide find --help"]
    lines += ["", *_wrap(message("help_more", lang), width, "")]
    return "\n".join(lines) + "\n"


def group_help(lang: str, width: int) -> str:
    commands = [c for c in COMMANDS if c.path[0] == "data"]
    lines = [f"{message('help_usage', lang)}: elyguide data {message('help_command_word', lang)}", "", message("help_commands", lang) + ":"]
    for cmd in commands:
        lines += _wrap(message(cmd.summary, lang), width, " " * 14, f"  {cmd.path[1]:<12}")
    lines += ["", message("help_examples", lang) + ":"]
    lines += [f"  {example}" for cmd in commands for example in cmd.examples]
    return "\n".join(lines) + "\n"
