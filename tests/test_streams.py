"""Streams as a user's shell sets them up, in real processes without this sandbox's
PYTHONUNBUFFERED: full disks, readers that go away, closed streams, odd encodings, huge lines,
terminals and Ctrl-C."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import time

import pytest
from conftest import elyguide_command, run, user_environment

ALL_COMMANDS = (["find", "Kuopio"], ["find", "Kuopio", "--json"], ["find", "Kuopio", "--format", "csv"],
                ["find", "Kuopio", "--format", "vcard"], ["list"], ["list", "--json"], ["centres"], ["centres", "--long"],
                ["centre", "itä-suomi"], ["about"], ["about", "--json"], ["--help"], ["find", "--help"])
NAMES = ["Kuopio", "Vaasa", "Jyväskyä", "Kouvolassa", "Pyhä", "Helsingfors", "00100", "xyzzy", "Maarianhamina", "Viipuri"]


def shell(command: str, *, input: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    program = " ".join(elyguide_command())
    return subprocess.run(["bash", "-c", command.replace("elyguide", program)], input=input, capture_output=True,
                          env=user_environment(), timeout=timeout, stdin=None if input is not None else subprocess.DEVNULL)


@pytest.mark.parametrize("args", ALL_COMMANDS + (["find", "-"],), ids=" ".join)
def test_a_full_disk_is_an_error(args):
    line = " ".join(f"'{a}'" for a in args)
    result = shell(f"elyguide {line} > /dev/full", input="\n".join(NAMES).encode())
    assert result.returncode == 74, (args, result)
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0] and "Traceback" not in lines[0]


def test_a_full_disk_is_said_in_the_readers_language():
    for lang, words in (("fi", "levyllä ei ole tilaa"), ("sv", "inget utrymme kvar")):
        result = shell(f"elyguide find Kuopio --lang {lang} > /dev/full")
        assert result.returncode == 74 and words in result.stderr.decode() and "No space" not in result.stderr.decode()


@pytest.mark.parametrize("args", ALL_COMMANDS, ids=" ".join)
def test_a_reader_that_closes_early_gives_141_and_silence(args):
    line = " ".join(f"'{a}'" for a in args)
    result = shell(f"elyguide {line} | head -c 1 > /dev/null; exit ${{PIPESTATUS[0]}}")
    assert result.returncode in (0, 141), (args, result)  # a short answer may fit the pipe before it closes
    assert result.stderr == b"", (args, result.stderr)


def test_a_long_batch_into_head_gives_141_and_silence():
    names = "\n".join(NAMES * 5000).encode()
    result = shell("elyguide find - | head -1 > /dev/null; exit ${PIPESTATUS[0]}", input=names)
    assert result.returncode == 141 and result.stderr == b""
    for args in (["list"], ["centres", "--long"], ["about"], ["--help"]):
        result = shell(f"elyguide {' '.join(args)} --on 2026-01-01 2>&1 | head -1 > /dev/null; exit ${{PIPESTATUS[0]}}"
                       if args[0] != "--help" else "elyguide --help | head -1 >/dev/null; exit ${PIPESTATUS[0]}")
        assert result.returncode in (0, 141) and result.stderr == b"", args


def test_broken_pipe_exit_status():
    proc = subprocess.Popen([*elyguide_command(), "find", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=user_environment())
    proc.stdout.close()  # the reader is gone before the answers come
    _, err = proc.communicate(("\n".join(NAMES * 3000)).encode(), timeout=60)
    assert proc.returncode == 141 and err == b""


def test_closed_stdout_is_an_error():
    result = shell("elyguide find Kuopio >&-")
    assert result.returncode == 74 and b"standard output is closed" in result.stderr


def test_completion_keeps_the_stream_rules():
    """Shell completion runs through Typer, whose own handling would exit 0 or 1 here."""
    complete = "_ELYGUIDE_COMPLETE=complete_bash COMP_WORDS='elyguide find ham' COMP_CWORD=2 SHELL=/bin/bash"
    for command in (f"{complete} elyguide", "SHELL=/bin/bash elyguide --show-completion"):
        assert shell(f"{command} >&-").returncode == 74, command
        result = shell(f"{command} > /dev/full")
        assert result.returncode == 74 and b"No space left on device" in result.stderr, command
    assert b"Hamina" in shell(f"{complete} elyguide").stdout


def test_closed_stdin_in_batch_mode_is_an_error():
    result = shell("elyguide find - <&-")
    assert result.returncode == 74 and b"standard input is closed" in result.stderr and b"Traceback" not in result.stderr


def test_closed_stderr_changes_nothing():
    result = shell("elyguide find - --json 2>&-", input=b"Kuopio\nxyzzyq\nVaasa\n")
    assert result.returncode == 1 and len(result.stdout.splitlines()) == 3
    result = shell("elyguide find Kuopio --on 1999-01-01 2>&-")
    assert result.returncode == 2 and result.stdout == b""


def test_a_stderr_that_cannot_be_written_changes_nothing():
    """stderr on a full disk: the message is lost, never the status (Python itself would exit
    120 when its last flush of stderr fails)."""
    for command, status in (("elyguide find --on bad Kuopio", 2), ("elyguide find Kuopio --data-dir /nonexistent", 5),
                            ("elyguide find Kuopio > /dev/full", 74), ("elyguide list --region Kainuu --on 2028-01-01", 0)):
        result = shell(f"{command} 2>/dev/full")
        assert result.returncode == status, (command, result)
    result = shell("elyguide find - --on 2028-01-01 2>/dev/full", input=b"Kuopio\nxyzzyq\n")
    assert result.returncode == 1 and len(result.stdout.splitlines()) == 2


def test_utf16_batch_input_with_a_bom():
    for encoding in ("utf-16-le", "utf-16-be"):
        text = "\ufeffKuopio\r\nVaasa\r\nJyväskylä\r\n".encode(encoding)
        result = run("find", "-", "--json", input=text)
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert [r["municipality"]["code"] for r in records] == ["297", "905", "179"], encoding


def _batch_with_peak_memory(data: bytes) -> tuple[list[dict], int, int]:
    """A batch's answers, its peak memory (kB) and its exit status."""
    import sys

    probe = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], stdin=sys.stdin, capture_output=True); "
             "sys.stdout.buffer.write(p.stdout); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)")
    result = subprocess.run([sys.executable, "-c", probe, *elyguide_command(), "find", "-", "--json"], input=data,
                            capture_output=True, env=user_environment(), timeout=120)
    *lines, tail = result.stdout.decode().splitlines()
    peak_kb, status = map(int, tail.split())
    return [json.loads(line) for line in lines], peak_kb, status


def test_a_huge_line_is_answered_too_long_in_bounded_memory():
    records, peak_kb, status = _batch_with_peak_memory(b"Kuopio\n" + b"x" * (100 << 20) + b"\nVaasa\n")
    assert [r["status"] for r in records] == ["found", "not_found", "found"] and records[1]["reason"] == "the query is too long to be a name"
    _, usual_kb, _ = _batch_with_peak_memory(b"Kuopio\nxxxx\nVaasa\n")
    assert status == 1 and peak_kb < usual_kb + 20_000  # the 100 MB line was never held in memory


@pytest.mark.parametrize("variables", [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C"}, {"PYTHONIOENCODING": "latin-1"}])
def test_machine_formats_are_always_utf8(variables):
    for args in (["find", "Jämsä", "--json"], ["find", "Jämsä", "--format", "csv"], ["list", "--json", "--region", "09"]):
        result = run(*args, env=variables)
        text = result.stdout.decode("utf-8")
        assert "?" not in text.replace("?", "") and ("ä" in text or "Ä" in text), (variables, args)


@pytest.mark.parametrize("columns", ["abc", "-5", "99999999999999999999", "", "0"])
def test_a_bad_columns_is_harmless(columns):
    result = run("find", "Kuopio", env={"COLUMNS": columns})
    assert result.returncode == 0 and b"Traceback" not in result.stderr


def test_control_characters_never_reach_the_terminal():
    query = "\x1b]0;pwned\x07Kuo\u202epio\u2066\x9b"
    for args in (["find", query], ["find", query, "--format", "tsv"], ["find", query, "--format", "csv"], ["find", query, "--bogus"],
                 ["centre", query], ["list", "--region", query]):
        result = run(*args)
        for stream in (result.stdout, result.stderr):
            text = stream.decode("utf-8", "replace")
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\u2066" not in text and "\x9b" not in text, args


def _on_terminal(*args: str, env: dict | None = None, columns: int = 80) -> str:
    main, secondary = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    base = user_environment(TERM="xterm-256color", **(env or {}))
    base.pop("NO_COLOR", None)
    base.update(env or {})
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
    assert "Sisä-Suomen elinvoimakeskus" in plain and "\x1b[" not in plain


def test_batch_answers_line_by_line_on_a_terminal():
    main, secondary = pty.openpty()
    proc = subprocess.Popen([*elyguide_command(), "find", "-", "--json"], stdin=secondary, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=user_environment())
    os.close(secondary)
    os.write(main, b"Kuopio\n")
    assert json.loads(proc.stdout.readline())["municipality"]["code"] == "297"
    os.write(main, b"Vaasa\n\x04")
    assert json.loads(proc.stdout.readline())["municipality"]["code"] == "905"
    proc.wait(timeout=30)
    os.close(main)


def _interrupted_batch(tmp_path, lines: list[str], stdout) -> tuple[int, bytes]:
    """A long batch, Ctrl-C after 1.5 s: (exit status, stderr)."""
    names = tmp_path / "names.txt"
    names.write_text("\n".join(lines), encoding="utf-8")
    with names.open("rb") as stdin:
        proc = subprocess.Popen([*elyguide_command(), "find", "-", "--json"], stdin=stdin, stdout=stdout,
                                stderr=subprocess.PIPE, env=user_environment())
        time.sleep(1.5)
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    return proc.returncode, proc.stderr.read()


def test_ctrl_c_during_a_long_batch(tmp_path):
    status, err = _interrupted_batch(tmp_path, [f"Kuopio{i}" for i in range(300_000)], subprocess.DEVNULL)  # typos: slow
    assert status == 130 and b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_ctrl_c_while_the_reader_has_stopped_reading(tmp_path):
    """Answers wait for a reader that reads nothing (a paused pager): Ctrl-C still ends elyguide."""
    status, err = _interrupted_batch(tmp_path, NAMES * 2000, subprocess.PIPE)  # 130 MB of JSON: more than a pipe holds
    assert status == 130 and err == b""


def test_a_long_batch_to_a_file_is_whole_and_in_order(tmp_path, cli):
    """Blocks of answers are written by a second thread; what reaches the file is every answer,
    in the order of the questions, as the same batch gives in one thread."""
    names = [f"{name}{'x' * (i % 3)}" for i, name in enumerate(NAMES * 400)]  # several MB: many blocks
    data = ("\n".join(names) + "\n").encode()
    (tmp_path / "names").write_bytes(data)
    result = shell(f"elyguide find - --json < {tmp_path / 'names'} > {tmp_path / 'out'}")
    written = (tmp_path / "out").read_bytes()
    one_thread = cli("find", "-", "--json", input=data)
    assert result.returncode == one_thread.exit_code and written == one_thread.stdout_bytes and len(written) > 4 << 20
    assert [json.loads(line)["query"] for line in written.splitlines()] == names


def test_a_long_batch_to_a_full_disk_is_an_error():
    result = shell("elyguide find - --json > /dev/full", input="\n".join(NAMES * 500).encode())
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 74 and len(lines) == 1 and "No space left on device" in lines[0]


def test_write_all_finishes_what_a_short_write_leaves(tmp_path, monkeypatch):
    """A write may take fewer bytes than offered (a signal, a pipe); write_all goes on from
    there. The kernel gives short writes only now and then, so here they are made to happen."""
    from elyguide import environment

    real_writev = os.writev
    monkeypatch.setattr(environment.os, "writev", lambda fd, parts: real_writev(fd, [b"".join(parts)[:7]]))
    parts = [b"Kuopio ", b"", b"Vaasa\n" * 5, bytes(range(256)) * 3]
    with open(tmp_path / "out", "wb") as out:
        environment.write_all(out.fileno(), list(parts))
    assert (tmp_path / "out").read_bytes() == b"".join(parts)


def test_ctrl_c_during_start_up_never_gives_a_traceback():
    for delay in (0.03, 0.05, 0.08, 0.12, 0.2):
        proc = subprocess.Popen([*elyguide_command(), "find", "Kuopio"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=user_environment(), stdin=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        # Python's own start-up and the console script pip writes (`import re`) come before any of
        # elyguide's code and are out of its reach; from elyguide's first line on, Ctrl-C is quiet.
        assert b"/elyguide/" not in err, err
        if not err:
            assert proc.returncode in (0, 130, -signal.SIGINT), (delay, proc.returncode)


def test_nothing_is_imported_before_the_start_up_handler():
    """The deterministic half of the test above: before launch.py installs its SIGINT handler,
    the package runs no import and launch.py imports only modules the interpreter has loaded
    already (a Ctrl-C inside an import that reads files would be a traceback)."""
    import ast
    import sys

    import elyguide
    import elyguide.launch

    package = ast.parse(open(elyguide.__file__, encoding="utf-8").read())
    assert not [node for node in package.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    body = ast.parse(open(elyguide.launch.__file__, encoding="utf-8").read()).body
    handler = next(i for i, node in enumerate(body) if "_signal.signal" in ast.unparse(node))
    before = [alias.name for node in body[:handler] if isinstance(node, (ast.Import, ast.ImportFrom))
              for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module)])]
    assert before and all(name in sys.builtin_module_names or name in ("os", "sys") for name in before), before


def test_exit_codes_and_no_stdin_read_unless_asked():
    assert run("find", "Kuopio").returncode == 0
    assert run("find", "xyzzyq").returncode == 1
    assert run("find").returncode == 2
    assert run("find", "Pyhä").returncode == 3
    assert run("find", "Jomala").returncode == 4
    proc = subprocess.Popen([*elyguide_command(), "find", "Kuopio", "--json"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env=user_environment())
    out, _ = proc.communicate(timeout=30)  # stdin stays open and empty: a plain query must not wait for it
    assert proc.returncode == 0 and json.loads(out)["status"] == "found"
