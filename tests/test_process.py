"""The package as pip installs it: the wheel, a read-only installation, and what a lookup imports."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import zipfile

from conftest import install_wheel, run, user_environment

HEAVY = ("yaml", "rapidfuzz", "rich.console", "typer", "pydantic", "numpy", "dataclasses", "urllib.request", "elyguide.ptv")


def test_console_script_runs_from_another_folder(tmp_path):
    result = run("find", "Kuopio", "--json", cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["municipality"]["code"] == "297"
    assert list(tmp_path.iterdir()) == []


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "elyguide", "find", "Vaasa", "--json"], capture_output=True, cwd=tmp_path,
                            env=user_environment())
    assert result.returncode == 0 and json.loads(result.stdout)["centre"]["id"] == "evk-pohjanmaa"


def test_wheel_carries_the_data_and_its_compiled_cache(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("elyguide/data/municipalities.yaml", "elyguide/data/centres.yaml", "elyguide/data/compiled.json"):
        assert name in names
    assert not any(n.startswith(("tests/", "scripts/", "data/")) for n in names)


def test_read_only_installation_works_and_writes_nothing(wheel, tmp_path):
    """Install the wheel into a folder, make it read-only, and run it from an empty folder with
    no HOME: it answers from the compiled cache and writes nothing anywhere."""
    site = install_wheel(wheel, tmp_path / "site")
    for path in [site, *site.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = sorted(str(p) for p in site.rglob("*"))
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in user_environment().items() if k not in ("HOME", "XDG_DATA_HOME")}
    env.update({"PYTHONPATH": str(site), "LANG": "C", "LC_ALL": "C"})
    try:
        results = [subprocess.run([sys.executable, "-m", "elyguide", *args], capture_output=True, cwd=work, env=env)
                   for args in (["find", "Kuopiossa", "--json"], ["about", "--json"], ["find", "Jämsä"], ["centres"])]
    finally:
        for path in [site, *site.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert json.loads(results[0].stdout)["municipality"]["code"] == "297"
    report = json.loads(results[1].stdout)
    assert report["compiled_cache"] is True and report["data_dir"].startswith(str(site))
    assert sorted(str(p) for p in site.rglob("*")) == before and list(work.iterdir()) == []


def _imports(site, args: list[str], *, tty: bool = False) -> tuple[int, list[str]]:
    code = ("import io, sys; from elyguide.environment import Environment; from elyguide.launch import main\n"
            f"env = Environment(io.BytesIO(), io.BytesIO(), io.BytesIO(), stdout_isatty={tty}, variables={{'LANG': 'C.UTF-8', 'TERM': 'xterm'}})\n"
            f"status = main({args!r}, env)\n"
            f"print(int(status), [m for m in {HEAVY!r} if m in sys.modules])")
    env = {**user_environment(), "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    status, modules = result.stdout.strip().split(" ", 1)
    return int(status), eval(modules)  # noqa: S307 - our own print of a list of names


def test_an_exact_lookup_parses_only_the_tables_it_reads(wheel, tmp_path):
    """Start-up rests on it too: "Kuopio" is found in the name table, so the tables only other
    readings and guesses use (postal localities, former municipalities, stems, typo tables)
    stay unparsed in the compiled cache."""
    site = install_wheel(wheel, tmp_path / "site")
    code = ("import io; from elyguide.environment import Environment; from elyguide.launch import main\n"
            "from elyguide.index import load_dataset\n"
            "main(['find', 'Kuopio', '--json'], Environment(io.BytesIO(), io.BytesIO(), io.BytesIO(), variables={}))\n"
            "print(' '.join(dict.keys(load_dataset().sections)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**user_environment(), "PYTHONPATH": str(site)})
    parsed = set(result.stdout.split())
    assert "names" in parsed, result
    assert not parsed & {"places", "former", "stems", "former_stems", "region_stems", "province_stems", "sami", "aliases",
                         "words", "fuzzy_current", "fuzzy_other", "postal_codes"}, parsed


def test_an_exact_lookup_imports_nothing_heavy(wheel, tmp_path):
    """The start-up targets depend on it: an exact lookup, as text (piped or on a terminal) or
    JSON, loads none of the heavy modules; nor does a typo."""
    site = install_wheel(wheel, tmp_path / "site")
    for args, tty in ((["find", "Kuopio", "--json"], False), (["find", "Kuopio"], False), (["find", "Kuopio"], True),
                      (["find", "Kuopiossa", "--format", "csv"], False), (["find", "-"], False)):
        assert _imports(site, args, tty=tty) == (0, []), (args, tty)
    assert _imports(site, ["find", "Jyväskyä", "--json"]) == (0, [])
