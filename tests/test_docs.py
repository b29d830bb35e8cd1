"""The README and help texts cannot drift from the app, and the README's commands work."""

from __future__ import annotations

import doctest
import importlib
import re
import shlex
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, elyguide_command

from elyguide.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_reference_is_generated_from_the_app():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_reference.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_command_and_option_has_help():
    import typer.main

    group = typer.main.get_command(app)
    assert group.help
    for name, command in group.commands.items():
        assert command.help and command.short_help, name
        for param in command.params:
            if param.name != "help":
                assert getattr(param, "help", None), f"{name}: {param.name} has no help text"


def test_readme_shows_every_command_and_format():
    for command in ("find", "list", "centres", "centre", "about"):
        assert f"elyguide {command}" in README
    for fmt in ("--json", "jsonl", "tsv", "csv", "--lang sv", "--on", "--data-dir", "--install-completion"):
        assert fmt in README
    for status in range(6):
        assert re.search(rf"^\| {status} \|", README, re.M)


def test_readme_setup_commands_and_ci_agree():
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    install, tests = blocks[0].strip(), blocks[1].strip()
    assert "pip install ." in install and "elyguide find Kuopio" in install
    assert "pip install '.[test]'" in tests and "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _readme_elyguide_commands() -> list[str]:
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("elyguide ") and "--install-completion" not in line:
                commands.append(line)
    return commands


@pytest.mark.parametrize("line", _readme_elyguide_commands())
def test_readme_commands_run(line, tmp_path):
    """Each `elyguide …` line of the README runs as shown (in a folder with the file it reads)."""
    if "jq" in line and not shutil.which("jq"):
        pytest.skip("jq is not installed")
    (tmp_path / "municipalities.txt").write_text("Kuopio\nVaasa\nPyhä\n", encoding="utf-8")
    (tmp_path / "mydata").mkdir()
    data = importlib.import_module("elyguide.data").packaged_data_dir()
    for name in ("municipalities.yaml", "centres.yaml"):
        shutil.copy(f"{data}/{name}", tmp_path / "mydata" / name)
    program = shlex.join(elyguide_command())
    shell_line = re.sub(r"(^|\| )elyguide ", lambda m: m.group(1) + program + " ", line)
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell_line], cwd=tmp_path, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode in (0, 1, 3, 4), (line, result.stderr)
    assert "Traceback" not in result.stderr and "elyguide: error" not in result.stderr, (line, result.stderr)
    assert result.stdout.strip(), line


@pytest.mark.parametrize("module", ["normalize", "finnish", "match", "api", "data", "__init__"])
def test_docstring_examples_run(module):
    name = "elyguide" if module == "__init__" else f"elyguide.{module}"
    failures, tried = doctest.testmod(importlib.import_module(name))
    assert tried > 0 and failures == 0
