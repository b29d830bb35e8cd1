"""The real command in real processes: packaging, pipes, signals, terminals, hostile environments."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import stat
import subprocess
import sys
import time

import pytest
from conftest import elyguide_command, install_wheel, run

NAMES = ["Kuopio", "Vaasa", "Jyväskyä", "Kouvolassa", "Pyhä", "Helsingfors", "00100", "xyzzy", "Maarianhamina", "Viipuri"]


def test_console_script_runs_from_another_folder(tmp_path):
    result = run("find", "Kuopio", "--json", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout)["municipality"]["code"] == "297"
    assert list(tmp_path.iterdir()) == []  # nothing written to the current folder


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "elyguide", "find", "Vaasa", "--json"], capture_output=True, cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["centre"]["id"] == "evk-pohjanmaa"


def test_wheel_carries_the_data_and_its_compiled_cache(wheel):
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("elyguide/data/municipalities.yaml", "elyguide/data/centres.yaml", "elyguide/data/compiled-index.json",
                 "elyguide/data/compiled-data.json"):
        assert name in names
    assert not any(n.startswith(("tests/", "scripts/", "data/")) for n in names)


def test_read_only_installation_works_and_writes_nothing(wheel, tmp_path):
    """Install the wheel into a folder, make it read-only, and run it from an empty folder
    with no HOME: it answers, uses the compiled cache, and writes nothing anywhere."""
    site = install_wheel(wheel, tmp_path / "site")
    for path in [site, *site.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = sorted(str(p) for p in site.rglob("*"))
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "ELYGUIDE_DATA_DIR")}
    env.update({"PYTHONPATH": str(site), "LANG": "C", "LC_ALL": "C", "PYTHONDONTWRITEBYTECODE": "1"})
    try:
        result = subprocess.run([sys.executable, "-m", "elyguide", "find", "Kuopiossa", "--json"], capture_output=True, cwd=work, env=env)
        about = subprocess.run([sys.executable, "-m", "elyguide", "about", "--json"], capture_output=True, cwd=work, env=env)
        text = subprocess.run([sys.executable, "-m", "elyguide", "find", "Jämsä"], capture_output=True, cwd=work, env=env)
    finally:
        for path in [site, *site.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["municipality"]["code"] == "297"
    report = json.loads(about.stdout)
    assert report["compiled_cache"] is True and report["data_dir"].startswith(str(site))
    assert text.returncode == 0 and "Jämsä" in text.stdout.decode("utf-8")
    assert sorted(str(p) for p in site.rglob("*")) == before
    assert list(work.iterdir()) == []


def test_exact_lookup_imports_nothing_heavy(wheel, tmp_path):
    """An exact lookup with piped output from the installed wheel loads none of the heavy
    modules (the start-up target depends on it)."""
    site = install_wheel(wheel, tmp_path / "site")
    code = ("import sys, io; sys.argv = ['elyguide', 'find', 'Kuopio', '--json']; sys.stdout = io.StringIO()\n"
            "from elyguide.launch import main; status = main(); out = sys.stdout.getvalue(); sys.stdout = sys.__stdout__\n"
            "print(int(status), [m for m in ('yaml', 'rapidfuzz', 'rich', 'pydantic', 'numpy', 'typer', 'dataclasses') if m in sys.modules])")
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("ELYGUIDE_DATA_DIR", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.stdout.strip() == "0 []", result.stdout + result.stderr
    typo = code.replace("'Kuopio'", "'Jyväskyä'")
    result = subprocess.run([sys.executable, "-c", typo], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.stdout.strip() == "0 ['rapidfuzz']", result.stdout + result.stderr


def test_exit_codes_through_a_real_process():
    assert run("find", "Kuopio").returncode == 0
    assert run("find", "xyzzyq").returncode == 1
    assert run("find").returncode == 2
    assert run("find", "Kuopio", "--on", "1999-01-01").returncode == 2
    assert run("find", "Pyhä").returncode == 3
    assert run("find", "Jomala").returncode == 4
    assert run("find", "Viipuri").returncode == 4
    assert run("nonsense").returncode == 2


def test_no_stdin_is_read_unless_asked():
    # Under cron there is no stdin to read: a plain query must not wait for one.
    proc = subprocess.Popen([*elyguide_command(), "find", "Kuopio", "--json"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out, _ = proc.communicate(timeout=30)  # stdin stays open and empty until the end
    assert proc.returncode == 0 and json.loads(out)["status"] == "found"


def test_batch_pipe_one_line_per_line():
    lines = NAMES * 50
    result = run("find", "-", "--json", input="\n".join(lines) + "\n")
    out = result.stdout.decode("utf-8").splitlines()
    assert len(out) == len(lines)
    assert [json.loads(line)["query"] for line in out] == lines
    assert result.returncode == 3  # Pyhä (ambiguous) is the first line not found: it decides
    assert json.loads(out[2])["match"]["kind"] == "fuzzy"


def test_batch_invalid_utf8_and_crlf():
    data = "Kuopio\r\n".encode() + b"J\xe4ms\xe4\r\n" + b"\xff\xfe\r\n" + "Vaasa".encode()
    result = run("find", "-", "--json", input=data)
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(records) == 4
    assert records[0]["municipality"]["code"] == "297"
    assert records[1]["municipality"]["code"] == "182"  # Latin-1/Windows-1252 Jämsä, read as such
    assert records[3]["municipality"]["code"] == "905"  # the last line needs no newline
    assert b"not UTF-8" in result.stderr and b"Traceback" not in result.stderr


def test_output_closed_early_is_quiet():
    names = "\n".join(NAMES * 5000).encode()
    proc = subprocess.run(f"{' '.join(elyguide_command())} find - < /dev/stdin | head -1", shell=True, input=names,
                          capture_output=True, timeout=120, executable="/bin/bash")
    assert proc.stdout.count(b"\n") == 1
    assert proc.stderr == b""


def test_broken_pipe_exit_status():
    proc = subprocess.Popen([*elyguide_command(), "find", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the answers come
    _, err = proc.communicate(("\n".join(NAMES * 3000)).encode(), timeout=120)
    assert proc.returncode == 141 and err == b""


def test_ctrl_c_during_a_long_batch(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("\n".join(f"Kuopio{i}" for i in range(300_000)), encoding="utf-8")  # typos: slow to answer
    with names.open("rb") as stdin:
        proc = subprocess.Popen([*elyguide_command(), "find", "-", "--json"], stdin=stdin, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        time.sleep(1.5)  # started, and busy with the batch
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_batch_answers_line_by_line_on_a_terminal():
    """With a person at the keyboard (stdin a terminal), each answer comes before the next line."""
    main, secondary = pty.openpty()
    proc = subprocess.Popen([*elyguide_command(), "find", "-", "--json"], stdin=secondary, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    os.close(secondary)
    os.write(main, b"Kuopio\n")
    first = proc.stdout.readline()
    assert json.loads(first)["municipality"]["code"] == "297"
    os.write(main, b"Vaasa\n\x04")
    second = proc.stdout.readline()
    assert json.loads(second)["municipality"]["code"] == "905"
    proc.wait(timeout=30)
    os.close(main)


def test_lang_c_and_no_home():
    env = {"LANG": "C", "LC_ALL": "C", "HOME": ""}
    result = run("find", "Jyväskylä", "--lang", "sv", env=env)
    assert result.returncode == 0 and "Jyväskylä" in result.stdout.decode("utf-8")
    argv = run("find", "J\udce4ms\udce4", "--json", env=env)  # undecodable argv bytes
    assert argv.returncode in (0, 1) and b"Traceback" not in argv.stderr
    json.loads(argv.stdout)


def _on_terminal(*args: str, env: dict | None = None, columns: int = 80) -> str:
    """Run elyguide with a pseudo-terminal as stdout (so Rich is used) and return what it wrote."""
    main, secondary = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    base = {k: v for k, v in os.environ.items() if not k.startswith("ELYGUIDE_") and k not in ("NO_COLOR", "COLUMNS")}
    base.update({"LANG": "C.UTF-8", "TERM": "xterm-256color", **(env or {})})
    proc = subprocess.Popen([*elyguide_command(), *args], stdout=secondary, stderr=secondary, stdin=subprocess.DEVNULL, env=base)
    os.close(secondary)
    chunks = []
    deadline = time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_output_uses_colour_unless_no_color():
    coloured = _on_terminal("find", "Tampere")
    assert "\x1b[" in coloured and "Sisä-Suomen elinvoimakeskus" in coloured
    plain = _on_terminal("find", "Tampere", env={"NO_COLOR": "1"})
    assert "Sisä-Suomen elinvoimakeskus" in plain
    assert not any(code in plain for code in ("\x1b[3", "\x1b[9"))  # no colours


@pytest.mark.parametrize("columns", [20, 500])
def test_terminal_width_extremes_stay_readable(columns):
    out = _on_terminal("find", "Tampere", env={"NO_COLOR": "1"}, columns=columns)
    lines = [line for line in out.replace("\r", "").split("\n") if line.strip()]
    assert any("0295 036 100" in line for line in lines)
    assert max(len(line) for line in lines) <= max(columns, 100) + 20


def test_hostile_query_on_a_terminal_is_not_echoed_raw():
    query = "\x1b]0;pwned\x07[bold red]Kuopio[/]\x1b[2J\u202e"
    out = _on_terminal("find", query, env={"NO_COLOR": "1"})
    assert "\x1b]0;" not in out and "\x1b[2J" not in out and "\u202e" not in out and "\x07" not in out
    assert "[bold red]" in out  # printed literally, not taken as markup


@pytest.mark.parametrize(
    "args",
    [
        ["find", "Kuopio", "--json", "--on", "2026-01-01"],
        ["find", "--on=2025-06-01", "Hollola", "--format", "csv"],
        ["find", "Kuopiossa", "--lang", "SV", "--on", "2026-02-02"],
        ["find", "Pyhä", "--format=tsv", "--on", "2026-02-02"],
        ["find", "xyzzyq", "--json", "--on", "2026-02-02"],
        ["find", "Porin", "kaupunki", "--json", "--on", "2026-02-02"],
        ["find", "--json", "--", "-5"],
        ["find", "Kuopio", "--json", "--format", "csv"],
        ["find", "Kuopio", "--on", "2019-01-01"],
    ],
)
def test_fast_path_and_typer_agree(cli, args):
    """launch.py parses plain find lines without Typer; the answer must be Typer's, byte for byte."""
    fast = run(*args, env={"LANG": "C.UTF-8"})
    typer_result = cli(*args)
    assert fast.returncode == typer_result.exit_code
    assert fast.stdout.decode("utf-8") == typer_result.stdout
    assert fast.stderr.decode("utf-8") == typer_result.stderr
