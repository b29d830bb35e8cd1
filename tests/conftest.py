"""Shared fixtures: the real data, the CLI as a user drives it, and the installed command."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from elyguide.cli import app
from elyguide.data import load_dataset, packaged_data_dir

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources" / "municipalities"


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


@pytest.fixture(scope="session")
def key2026() -> list[dict]:
    with (SOURCES / "geofi_municipality_key_2026.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def key2025() -> list[dict]:
    with (SOURCES / "geofi_municipality_key_2025.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class Cli:
    """Typer's CliRunner around the real app, with a clean language environment."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None):
        base = {"LANG": "C.UTF-8", "ELYGUIDE_LANG": "", "NO_COLOR": "", "ELYGUIDE_DATA_DIR": ""}
        return self.runner.invoke(app, list(args), input=input, env={**base, **(env or {})}, catch_exceptions=False)

    def json(self, *args: str, **kwargs) -> dict:
        result = self(*args, "--json", **kwargs)
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()


def elyguide_command() -> list[str]:
    """The installed console script if it is on PATH, else the module of this interpreter."""
    script = shutil.which("elyguide", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "elyguide"]


def run(*args: str, input: bytes | str | None = None, env: dict | None = None, timeout: float = 120, **kwargs):
    """Run the real command in a subprocess, as a script would."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ELYGUIDE_")}
    base.update({"LANG": "C.UTF-8", "NO_COLOR": "1"})
    base.update(env or {})
    if isinstance(input, str):
        input = input.encode("utf-8")
    return subprocess.run([*elyguide_command(), *args], input=input, capture_output=True, env=base, timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL, **kwargs)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data (with its compiled cache, if it has one)."""
    target = tmp_path / "data"
    target.mkdir()
    source = Path(packaged_data_dir())
    for name in ("municipalities.yaml", "centres.yaml", "compiled-index.json", "compiled-data.json"):
        if (source / name).exists():
            shutil.copy(source / name, target / name)
    return target


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from this checkout, the way `pip install .` builds it."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr[-2000:]}")
    return next(out.glob("elyguide-*.whl"))


def install_wheel(wheel: Path, target: Path) -> Path:
    """Install the wheel (without its dependencies, which this environment has) into a folder."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return target
