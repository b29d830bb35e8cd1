"""Shared fixtures: the real data, the CLI as a user drives it, and the installed command."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources" / "municipalities"
CURATED = ROOT / "data" / "curated"


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory):
    """No test sees the developer's settings or refreshed contacts: a clean language, no
    ELYGUIDE_* variables, and an empty user data folder of its own."""
    saved = dict(os.environ)
    for name in [n for n in os.environ if n.startswith("ELYGUIDE_")]:
        del os.environ[name]
    os.environ.update({"LANG": "C.UTF-8", "XDG_DATA_HOME": str(tmp_path_factory.mktemp("xdg-data"))})
    os.environ.pop("LC_ALL", None)
    _compile_checkout_data()
    yield
    os.environ.clear()
    os.environ.update(saved)


def _compile_checkout_data() -> None:
    """An editable install reads data/ of the checkout, which has no compiled cache (a wheel
    has one): compile it once, as `elyguide data compile data` would, so the many processes
    the tests start answer as fast as an installed elyguide. It is ignored by git, and used
    only while it matches the YAML."""
    from elyguide.data import packaged_data_dir
    from elyguide.index import CACHE_FILE, cache_state, compile_data

    folder = packaged_data_dir()
    if Path(folder) == ROOT / "data" and cache_state(folder)[0] is None:
        compile_data(folder)
    assert (Path(folder) / CACHE_FILE).exists()


@pytest.fixture(scope="session")
def dataset():
    from elyguide.index import load_dataset

    return load_dataset()


class Result:
    def __init__(self, exit_code: int, stdout: bytes, stderr: bytes):
        self.exit_code, self.stdout_bytes, self.stderr_bytes = exit_code, stdout, stderr
        self.stdout, self.stderr = stdout.decode("utf-8"), stderr.decode("utf-8")

    def json(self):
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Result({self.exit_code}, stdout={self.stdout[:300]!r}, stderr={self.stderr[:300]!r})"


class Cli:
    """The real entry point, launch.main, with an injected environment: what a user runs,
    without a process per call."""

    def __call__(self, *args: str, input: str | bytes | None = None, env: dict | None = None, tty: bool = False,
                 width: int = 80) -> Result:
        from elyguide.environment import Environment
        from elyguide.launch import main

        variables = {k: v for k, v in os.environ.items() if not k.startswith("ELYGUIDE_")}
        variables.update(env or {})
        stdin = io.BytesIO(input.encode("utf-8") if isinstance(input, str) else input or b"")
        stdout, stderr = io.BytesIO(), io.BytesIO()
        environment = Environment(stdin, stdout, stderr, stdin_isatty=False, stdout_isatty=tty, variables=variables,
                                  width=width)
        status = main(list(args), environment)
        return Result(int(status), stdout.getvalue(), stderr.getvalue())

    def json(self, *args: str, **kwargs):
        result = self(*args, "--json", **kwargs)
        assert result.exit_code in (0, 1, 3, 4), result
        return result.json()


@pytest.fixture
def cli() -> Cli:
    return Cli()


def elyguide_command() -> list[str]:
    """The installed console script if it is on PATH, else the module of this interpreter."""
    script = shutil.which("elyguide", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "elyguide"]


def user_environment(**extra: str) -> dict:
    """The environment of a user's shell: without this sandbox's PYTHONUNBUFFERED and
    PYTHONDONTWRITEBYTECODE, which hide write errors and change start-up."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ELYGUIDE_") and k not in ("PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE")}
    env.update({"LANG": "C.UTF-8", "NO_COLOR": "1"})
    env.update(extra)
    return env


def run(*args: str, input: bytes | str | None = None, env: dict | None = None, timeout: float = 120, **kwargs):
    """Run the real command in a subprocess, as a script would."""
    if isinstance(input, str):
        input = input.encode("utf-8")
    return subprocess.run([*elyguide_command(), *args], input=input, capture_output=True, env=user_environment(**(env or {})),
                          timeout=timeout, stdin=None if input is not None else subprocess.DEVNULL, **kwargs)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped YAML (no compiled cache)."""
    from elyguide.data import packaged_data_dir

    target = tmp_path / "data"
    target.mkdir()
    for name in ("municipalities.yaml", "centres.yaml"):
        shutil.copy(Path(packaged_data_dir()) / name, target / name)
    return target


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from this checkout, the way `pip install .` builds it."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr[-2000:]}")
    return next(out.glob("elyguide-*.whl"))


def install_wheel(wheel: Path, target: Path) -> Path:
    """Install the wheel (without its dependencies, which this environment has) into a folder."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return target


@pytest.fixture
def unresolvable(monkeypatch):
    """The resolver's answer for names under .invalid (RFC 2606), given here: a DNS failure
    is tested without asking a real resolver, which could send the name off this machine."""
    import socket

    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, (str, bytes)) and (host.decode() if isinstance(host, bytes) else host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
