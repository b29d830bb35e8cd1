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
from conftest import ROOT, elyguide_command, user_environment

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_reference_is_generated_from_the_app():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_reference.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_readme_shows_every_command_format_and_exit_status():
    from elyguide.errors import ExitStatus
    from elyguide.options import COMMANDS

    for cmd in COMMANDS:
        assert f"elyguide {' '.join(cmd.path)}" in README
    for text in ("--json", "jsonl", "tsv", "csv", "--excel", "vcard", "--lang sv", "--on", "--data-dir", "--strict",
                 "--install-completion", "elyguide refresh --forget"):
        assert text in README, text
    for status in ExitStatus:
        assert re.search(rf"^\| {int(status)} \|", README, re.M), status


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
            if line.startswith("elyguide ") and "--install-completion" not in line and "refresh" not in line:
                commands.append(line)
    return commands


@pytest.mark.parametrize("line", _readme_elyguide_commands())
def test_readme_commands_run(line, tmp_path):
    """Each `elyguide …` line of the README runs as shown (in a folder with the files it reads)."""
    if "jq" in line and not shutil.which("jq"):
        pytest.skip("jq is not installed")
    (tmp_path / "municipalities.txt").write_text("Kuopio\nVaasa\nPyhä\n", encoding="utf-8")
    from elyguide.data import packaged_data_dir

    (tmp_path / "mydata").mkdir()
    for name in ("municipalities.yaml", "centres.yaml"):
        shutil.copy(f"{packaged_data_dir()}/{name}", tmp_path / "mydata" / name)
    program = shlex.join(elyguide_command())
    shell_line = re.sub(r"(^|\| |; )elyguide ", lambda m: m.group(1) + program + " ", line)
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell_line], cwd=tmp_path, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60, env=user_environment())
    assert result.returncode in (0, 1, 3, 4), (line, result.stderr)
    assert "Traceback" not in result.stderr and "elyguide: error" not in result.stderr, (line, result.stderr)
    assert result.stdout.strip() or ">" in line, line


@pytest.mark.parametrize("module", ["normalize", "finnish", "match", "similarity", "api", "index", "data", "model", "phone", "__init__"])
def test_docstring_examples_run(module):
    name = "elyguide" if module == "__init__" else f"elyguide.{module}"
    failures, tried = doctest.testmod(importlib.import_module(name))
    assert tried > 0 and failures == 0
