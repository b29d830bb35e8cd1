"""The one table of options (options.py) feeds launch.py's parser, the Typer app and the help.
Generated from that table: every option of every command, with good and bad values, gives the
same output and exit status through both parsers, and every option is in the help."""

from __future__ import annotations

import io

import pytest

from elyguide.options import COMMANDS, GLOBAL_OPTIONS

GOOD = {"--on": ["2026-01-01", "1.1.2026"], "--lang": ["sv", "EN"], "--format": None, "--data-dir": ["@data"],
        "--centre": ["itä-suomi"], "--region": ["Kainuu", "18"], "--api-url": ["http://127.0.0.1:9/api"],
        "--service": ["06e48156-19a1-4124-8e88-816fda5f94a6"]}
BAD = {"--on": ["bogus", "2020-01-01", ""], "--lang": ["de", ""], "--format": ["xml"], "--data-dir": ["", "@nowhere", "/etc/passwd"],
       "--centre": ["", "Atlantis"], "--region": ["Atlantis", " "], "--api-url": ["ftp://x"], "--service": ["not-a-guid"]}
ARGUMENTS = {("find",): ["Kuopio"], ("centre",): ["itä-suomi"], ("data", "compile"): ["@nowhere"]}  # compiling is tested elsewhere


def _environment(tmp_path):
    from elyguide.environment import Environment

    stdout, stderr = io.BytesIO(), io.BytesIO()
    variables = {"LANG": "C.UTF-8", "XDG_DATA_HOME": str(tmp_path / "xdg"), "ELYGUIDE_PTV_TIMEOUT": "2"}
    return Environment(io.BytesIO(b"Kuopio\n"), stdout, stderr, variables=variables), stdout, stderr


def _lines():
    for cmd in COMMANDS:
        base = [*cmd.path, *ARGUMENTS.get(cmd.path, [])]
        for option in cmd.options:
            if not option.value:
                if option.dest == "forget" or cmd.path == ("refresh",):
                    continue  # refresh without --dry-run would write; its flags are tested with a server
                yield pytest.param([*base, option.name], id=f"{' '.join(cmd.path)} {option.name}")
                continue
            good = GOOD[option.name] if option.name != "--format" else list(option.choices)
            for value in good + BAD[option.name]:
                # refresh never reaches the internet here: a closed port on loopback answers
                extra = ["--dry-run"] + (["--api-url", "http://127.0.0.1:9/api"] if option.name != "--api-url" else []) \
                    if cmd.path == ("refresh",) else []
                yield pytest.param([*base, option.name, value, *extra], id=f"{' '.join(cmd.path)} {option.name}={value!r}")


@pytest.mark.parametrize("argv", list(_lines()))
def test_both_parsers_agree(argv, tmp_path):
    from elyguide.cli import run_app
    from elyguide.data import packaged_data_dir
    from elyguide.launch import main

    argv = [{"@data": packaged_data_dir(), "@nowhere": str(tmp_path / "nowhere")}.get(a, a) for a in argv]
    env, stdout, stderr = _environment(tmp_path)
    status = main(list(argv), env)
    typer_env, typer_stdout, typer_stderr = _environment(tmp_path)
    typer_status = run_app(list(argv), typer_env)
    typer_env.flush()
    assert int(status) == int(typer_status), (argv, stderr.getvalue(), typer_stderr.getvalue())
    assert stdout.getvalue() == typer_stdout.getvalue(), argv
    assert stderr.getvalue() == typer_stderr.getvalue(), argv
    assert int(status) != 70, stderr.getvalue()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_option_is_in_the_help(cli, lang):
    from elyguide.messages import message

    top = cli("--help", "--lang", lang).stdout
    for option in GLOBAL_OPTIONS:
        assert option.name in top
    for cmd in COMMANDS:
        assert " ".join(cmd.path) in top and message(cmd.summary, lang) in " ".join(top.split())
        text = cli(*cmd.path, "--help", "--lang", lang).stdout
        flat = " ".join(text.split())
        for option in cmd.options:
            assert option.name in text and " ".join(message(option.help, lang).split()) in flat, (cmd.path, option.name)
        examples = [line for line in text.splitlines() if line.startswith("  elyguide ")]
        assert 2 <= len(examples) <= 4, cmd.path


def test_top_level_help_lists_every_exit_status(cli):
    from elyguide.errors import ExitStatus

    text = cli("--help", "--lang", "en").stdout
    for status in ExitStatus:
        assert f"  {int(status):>3}  " in text, status


def test_forgetting_find_suggests_it(cli):
    result = cli("Kuopio", "--lang", "en")
    assert result.exit_code == 2 and "elyguide find Kuopio" in result.stderr
    near = cli("fnd", "Kuopio", "--lang", "en")
    assert near.exit_code == 2 and "unknown command 'fnd'" in near.stderr


def test_find_without_a_query_and_piped_input_suggests_find_dash(cli):
    result = cli("find", "--lang", "en", input="Kuopio\n")
    assert result.exit_code == 2 and "elyguide find -" in result.stderr


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_missing_argument_is_named_as_the_help_names_it(cli, lang):
    from elyguide.options import shown

    for spec in COMMANDS:
        required = list(spec.arguments)  # every positional argument is required
        if required and spec.path != ("find",):  # find with piped input suggests `find -` instead (below)
            result = cli(*spec.path, "--lang", lang)
            assert result.exit_code == 2 and "metavar_" not in result.stderr, (spec.path, result)
            assert shown(required[0].name, lang) in result.stderr, (spec.path, result)


def test_a_suggested_command_works_as_shown(cli):
    """The hint quotes what the shell would split: copied as shown, it answers."""
    import shlex

    for words in (["Kuopio"], ["Maarianhamina - Mariehamn"], ["Koski Tl"]):
        hint = cli(*words, "--lang", "en").stderr.split("To look up a municipality: ")[1].strip()
        argv = shlex.split(hint)
        assert argv[:2] == ["elyguide", "find"] and cli(*argv[1:]).exit_code in (0, 4), hint


def test_the_data_group_help_ends_with_examples(cli):
    text = cli("data", "--help", "--lang", "en").stdout
    examples = text.split("Examples:\n")[1].splitlines()
    assert 2 <= len(examples) <= 4 and all(line.startswith("  elyguide ") for line in examples)


def test_a_bad_value_is_escaped_once(cli):
    result = cli("find", "Kuopio", "--on", "\x1b[2J2026", "--lang", "en")
    assert result.exit_code == 2 and "'\\x1b[2J2026'" in result.stderr and "\\\\x1b" not in result.stderr
