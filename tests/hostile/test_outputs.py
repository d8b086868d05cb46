"""Hostile outputs: ``-o`` paths that cannot be written, two runs writing one file, runs killed mid-write.

Every ``-o`` of ``jd``, ``matrix``, ``schema`` and ``score`` that cannot be written (under a regular file, in a
folder without write permission, a folder given as a file, a file given as the documents folder) ends with
one ``error: …`` line naming the path and the fix, and exit status 2, before any work: checked both with
Typer's ``CliRunner`` and as a real ``python -m ecomperf`` process. A missing folder is created, as ``mkdir -p``
would. A second run writing a file that a first is writing is refused; a file changed by another program
during a run is not overwritten; temporaries of a killed run are recognisable and removed by the next one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.bounded import REPO, Outcome

Hostile = Callable[..., Outcome]
NOBODY = 65534
ACTUALS = ("employee,position,stage,period,gmv,sales_revenue,cost,violations\n"
           "li,store_manager,startup,2026-10,200万,100,62,0\n")


MINI = REPO / "examples" / "mini-framework"


def _commands(output: str, mini: str = str(MINI)) -> dict[str, list[str]]:
    """Each command with ``output`` as its ``-o`` (a file name for all but ``jd``, whose ``-o`` is a folder)."""
    return {
        "jd": ["jd", mini, "--all", "-o", output],
        "matrix": ["matrix", mini, "-o", f"{output}.md"],
        "schema": ["schema", "-o", f"{output}.json"],
        "score": ["score", mini, "--actuals", "{actuals}", "-o", f"{output}.csv"],
    }


def _run_both(workdir: Path, command: list[str], *, process: bool = True) -> list[list[Any]]:
    """``[exit, output]`` from CliRunner and from a real process, the work folder written as ``DIR``."""
    from typer.testing import CliRunner

    from ecomperf.cli import app

    actuals = workdir / "a.csv"
    if not actuals.exists():
        actuals.write_text(ACTUALS, encoding="utf-8")
    command = [part.replace("{actuals}", str(actuals)) for part in command]
    result = CliRunner().invoke(app, command)
    runs = [[result.exit_code, result.output.replace(str(workdir), "DIR")]]
    if not process:
        return runs
    done = subprocess.run([sys.executable, "-m", "ecomperf", *command], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60, check=False)
    return [*runs, [done.returncode, (done.stdout + done.stderr).replace(str(workdir), "DIR")]]


def _each(workdir: str, make: Callable[[Path, str], str]) -> dict[str, Any]:
    """Run every command with the output ``make(folder, command)`` returns, each in a folder of its own."""
    observed = {}
    for name in ("jd", "matrix", "schema", "score"):
        folder = Path(workdir) / name
        folder.mkdir()
        observed[name] = _run_both(folder, _commands(make(folder, name))[name])
    return observed


def case_output_under_a_regular_file(workdir: str) -> Any:
    def make(folder: Path, name: str) -> str:
        (folder / "plain").write_text("a file\n", encoding="utf-8")
        return str(folder / "plain" / "out")

    return _each(workdir, make)


def case_output_is_a_folder(workdir: str) -> Any:
    def make(folder: Path, name: str) -> str:
        if name == "jd":  # jd writes into a folder: a file given as that folder is the mistake
            (folder / "out").write_text("a file\n", encoding="utf-8")
            return str(folder / "out")
        suffix = {"matrix": ".md", "schema": ".json", "score": ".csv"}[name]
        (folder / f"out{suffix}").mkdir()
        return str(folder / "out")

    return _each(workdir, make)


def case_output_in_a_missing_folder(workdir: str) -> Any:
    observed = _each(workdir, lambda folder, name: str(folder / "new" / "deeper" / "out"))
    made = {name: sorted(p.name for p in (Path(workdir) / name / "new" / "deeper").iterdir()) for name in observed}
    made["jd"] = sorted(p.name for p in (Path(workdir) / "jd" / "new" / "deeper" / "out").iterdir())
    return {"runs": observed, "made": made}


def case_output_in_a_read_only_folder(workdir: str) -> Any:
    root = Path(workdir)
    # The unprivileged user may not read the clone (`mktemp -d` makes a folder of mode 700): it gets a copy
    # of the framework, and each command is refused once before the user changes (its output under a regular
    # file), so that what the command and its error path load lazily is imported while the venv is readable.
    mini = str(shutil.copytree(MINI, root / "mini-framework"))
    for name in ("jd", "matrix", "schema", "score"):
        (root / name / "locked").mkdir(parents=True)
        (root / name / "a.csv").write_text(ACTUALS, encoding="utf-8")
        (root / name / "locked").chmod(0o555)
        (root / name / "warm-up").mkdir()
        (root / name / "warm-up" / "plain").write_text("a file\n", encoding="utf-8")
        _run_both(root / name / "warm-up", _commands(str(root / name / "warm-up" / "plain" / "out"), mini)[name],
                  process=False)
    _as_nobody(root)
    observed = {}
    for name in ("jd", "matrix", "schema", "score"):
        folder = root / name
        # the interpreter lives under /root here, which the unprivileged user cannot run: CliRunner only
        observed[name] = _run_both(folder, _commands(str(folder / "locked" / "out"), mini)[name], process=False)
    return observed


def case_output_in_a_folder_nobody_may_write(workdir: str) -> Any:
    # /proc takes no new files, not even from root: the real-process twin of the read-only folder
    observed = {}
    for name in ("jd", "matrix", "schema", "score"):
        folder = Path(workdir) / name
        folder.mkdir()
        observed[name] = _run_both(folder, _commands("/proc/ecomperf-out")[name])
    return observed


def _as_nobody(root: Path) -> None:
    """Give ``root`` to the unprivileged user and continue as that user (root writes in any folder)."""
    if os.geteuid() != 0:
        return
    for folder in root.parents:
        if folder != Path(folder.anchor):
            folder.chmod(folder.stat().st_mode | 0o001)
    for path in [root, *root.rglob("*")]:
        os.chown(path, NOBODY, NOBODY)
    os.setgid(NOBODY)
    os.setuid(NOBODY)


_PATHS = (case_output_under_a_regular_file, case_output_is_a_folder, case_output_in_a_missing_folder,
          case_output_in_a_folder_nobody_may_write, case_output_in_a_read_only_folder)


def _one_error_line(runs: list[list[Any]]) -> list[str]:
    """The single line of each run (CliRunner, process), checking exit 2, one line and no traceback."""
    lines = []
    for exit_code, output in runs:
        assert exit_code == 2, output
        assert "Traceback" not in output
        assert len(output.splitlines()) == 1, output
        lines.append(output.rstrip("\n"))
    assert len(set(lines)) == 1, lines
    return lines


def test_an_output_under_a_regular_file_is_one_error_line(hostile: Hostile) -> None:
    outcome = hostile(case_output_under_a_regular_file, expect="refused", together=_PATHS)
    assert outcome.status == "ok", outcome
    suffixes = {"jd": "", "matrix": ".md", "schema": ".json", "score": ".csv"}
    for name, runs in outcome.value.items():
        target = f"DIR/plain/out{suffixes[name]}"
        assert _one_error_line(runs)[0] == (
            f"error: {target}: DIR/plain is a file, not a folder; choose another folder for the output"
        ), name


def test_an_output_that_is_a_folder_or_a_documents_folder_that_is_a_file_is_one_error_line(hostile: Hostile) -> None:
    outcome = hostile(case_output_is_a_folder, expect="refused", together=_PATHS)
    assert outcome.status == "ok", outcome
    assert _one_error_line(outcome.value["jd"])[0] == (
        "error: DIR/out: is a file; give a folder to write the documents into"
    )
    for name, suffix in (("matrix", ".md"), ("schema", ".json"), ("score", ".csv")):
        assert _one_error_line(outcome.value[name])[0] == (
            f"error: DIR/out{suffix}: is a folder; give the name of a file to write in it"
        ), name


def test_an_output_in_a_folder_without_write_permission_is_one_error_line(hostile: Hostile) -> None:
    outcome = hostile(case_output_in_a_read_only_folder, expect="refused", together=_PATHS)
    assert outcome.status == "ok", outcome
    assert _one_error_line(outcome.value["jd"])[0] == (
        "error: DIR/locked/out: cannot create DIR/locked/out in DIR/locked: permission denied; choose a folder you "
        "can write to"
    )
    for name, suffix in (("matrix", ".md"), ("schema", ".json"), ("score", ".csv")):
        assert _one_error_line(outcome.value[name])[0] == (
            f"error: DIR/locked/out{suffix}: cannot write in DIR/locked: permission denied; choose a folder you can "
            "write to"
        ), name


def test_an_output_in_a_folder_that_takes_no_files_is_one_error_line(hostile: Hostile) -> None:
    outcome = hostile(case_output_in_a_folder_nobody_may_write, expect="refused", together=_PATHS)
    assert outcome.status == "ok", outcome
    for name, runs in outcome.value.items():
        line = _one_error_line(runs)[0]
        assert line.startswith("error: /proc/ecomperf-out"), name
        assert line.endswith("; choose a folder you can write to"), name


def test_an_output_in_a_missing_folder_creates_it_as_mkdir_p_would(hostile: Hostile) -> None:
    outcome = hostile(case_output_in_a_missing_folder, expect="neutralised", together=_PATHS)
    assert outcome.status == "ok", outcome
    for name, runs in outcome.value["runs"].items():
        assert [code for code, _ in runs] == [0, 0], (name, runs)
    # the mini framework has two positions and one locale: two job descriptions; no lock or temporary is left
    assert outcome.value["made"] == {
        "jd": ["service_agent.zh.md", "store_manager.zh.md"], "matrix": ["out.md"], "schema": ["out.json"],
        "score": ["out.csv"],
    }


# --- two runs, one output ------------------------------------------------------------------------------------

_HOLDER = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from ecomperf.io.atomic import atomic_write

target, ready = Path(sys.argv[1]), Path(sys.argv[2])

def write(temporary):
    temporary.write_text("first run\n", encoding="utf-8")
    ready.touch()
    while not (ready.parent / "go").exists():
        time.sleep(0.02)

atomic_write(target, write)
"""


def _start_holder(folder: Path, target: Path) -> subprocess.Popen[bytes]:
    ready = folder / "ready"
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(target), str(ready), str(REPO)])
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert holder.poll() is None and time.monotonic() < deadline, "the first run did not start writing"
        time.sleep(0.02)
    return holder


def case_two_runs_write_one_output(workdir: str) -> Any:
    folder = Path(workdir)
    target = folder / "scores.csv"
    holder = _start_holder(folder, target)
    try:
        second = _run_both(folder, _commands(str(folder / "scores"))["score"])
    finally:
        (folder / "go").touch()
        first = holder.wait(timeout=60)
    return {"second": [[code, text.replace(str(holder.pid), "PID")] for code, text in second], "first": first,
            "result": target.read_text(encoding="utf-8"), "left": sorted(p.name for p in folder.iterdir())}


def test_a_second_run_writing_the_same_output_is_refused_while_the_first_writes(hostile: Hostile) -> None:
    outcome = hostile(case_two_runs_write_one_output, expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    assert _one_error_line(outcome.value["second"])[0] == (
        "error: DIR/scores.csv: another ecomperf run (process PID) is writing this file now; wait until it finishes, "
        "or give another output file"
    )
    assert outcome.value["first"] == 0
    assert outcome.value["result"] == "first run\n"  # the first run's result is what is there, and it knows
    assert outcome.value["left"] == ["a.csv", "go", "ready", "scores.csv"]  # no lock file, no temporary


def case_output_changed_during_the_run(workdir: str) -> Any:
    from ecomperf.errors import OutputError
    from ecomperf.io.atomic import atomic_write_bytes, claim

    target = Path(workdir) / "scores.csv"
    target.write_text("old\n", encoding="utf-8")
    try:
        with claim(target):
            time.sleep(0.01)  # a later mtime, and a different size, for the other program's write
            target.write_text("written by another program\n", encoding="utf-8")
            atomic_write_bytes(target, b"this run\n")
    except OutputError as exc:
        return [str(exc).replace(workdir, "DIR"), target.read_text(encoding="utf-8")]
    return None


def test_an_output_changed_by_another_program_during_the_run_is_not_overwritten(hostile: Hostile) -> None:
    outcome = hostile(case_output_changed_during_the_run, expect="refused", isolate=False)
    assert outcome.value == [
        "DIR/scores.csv: changed since this run started (another program wrote it); it was left as it is and "
        "nothing was written: run again, or give another output file",
        "written by another program\n",
    ]


# --- killed runs ---------------------------------------------------------------------------------------------

_KILLED = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from ecomperf.io.atomic import atomic_write, scratch_folder

target, ready = Path(sys.argv[1]), Path(sys.argv[2])

def write(temporary):
    temporary.write_bytes(b"x" * 100_000)
    (scratch_folder(temporary) / "sheet1.xml").write_bytes(b"<row/>" * 1000)
    ready.touch()
    time.sleep(600)

atomic_write(target, write)
"""


def case_killed_during_a_write(workdir: str) -> Any:
    from ecomperf.io.atomic import atomic_write_bytes

    folder = Path(workdir)
    target, ready = folder / "scores.xlsx", folder / "ready"
    killed = subprocess.Popen([sys.executable, "-c", _KILLED, str(target), str(ready), str(REPO)])
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert killed.poll() is None and time.monotonic() < deadline, "the killed run did not start writing"
        time.sleep(0.02)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=60)
    left = sorted(p.name.replace(str(killed.pid), "PID") for p in folder.iterdir() if p.name != "ready")
    atomic_write_bytes(target, b"the next run\n")
    after = sorted(p.name for p in folder.iterdir() if p.name != "ready")
    return {"left by the kill": [re.sub(r"-PID-[^.]+\.", "-PID-….", name) for name in left],
            "after the next run": after, "target": target.read_text(encoding="utf-8")}


def test_temporaries_of_a_killed_run_sit_beside_the_output_and_the_next_run_removes_them(hostile: Hostile) -> None:
    outcome = hostile(case_killed_during_a_write, expect="neutralised", isolate=False)
    assert outcome.status == "ok", outcome
    assert outcome.value == {
        # the temporary, its scratch folder and the lock file the kill left (the lock itself died with the run)
        "left by the kill": [".scores.xlsx.ecomperf-PID-….tmp", ".scores.xlsx.ecomperf-PID-….tmp.d",
                             ".scores.xlsx.ecomperf-lock"],
        "after the next run": ["scores.xlsx"],
        "target": "the next run\n",
    }


def test_a_folder_of_many_outputs_is_listed_once_and_stale_temporaries_still_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecomperf.io import atomic

    stale = [tmp_path / f".page-{n}.html.ecomperf-999999999-abc.tmp" for n in (3, 41)]  # no such process
    for path in stale:
        path.write_text("x", encoding="utf-8")
    listings: list[object] = []
    scandir = os.scandir

    def counted(path: Any) -> Any:
        listings.append(path)
        return scandir(path)

    monkeypatch.setattr(atomic.os, "scandir", counted)
    for n in range(60):
        atomic.atomic_write_bytes(tmp_path / f"page-{n}.html", b"<p>page</p>")
    assert len(listings) == 1  # not once a file: 10,000 pages read the folder 10,000 times before
    assert not any(path.exists() for path in stale)  # found in that one listing, removed when their page came
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(f"page-{n}.html" for n in range(60))
    # a temporary a killed run leaves after the listing is found once the listing is older than RESCAN_AFTER
    late = tmp_path / ".page-7.html.ecomperf-999999999-def.tmp"
    late.write_text("x", encoding="utf-8")
    monkeypatch.setattr(atomic, "RESCAN_AFTER", 0.0)
    atomic.atomic_write_bytes(tmp_path / "page-7.html", b"<p>again</p>")
    assert len(listings) == 2 and not late.exists()


@pytest.mark.parametrize("age", [0, 2 * 24 * 60 * 60])
def test_only_temporaries_of_dead_or_old_runs_are_stale(tmp_path: Path, age: int) -> None:
    from ecomperf.io.atomic import clean_stale

    alive = tmp_path / f".out.csv.ecomperf-{os.getppid()}-abc.tmp"  # the parent of this test runs
    other = tmp_path / ".other.csv.ecomperf-1-abc.tmp"  # another output's: never touched
    for path in (alive, other):
        path.write_text("x", encoding="utf-8")
        os.utime(path, (time.time() - age, time.time() - age))
    removed = clean_stale(tmp_path / "out.csv")
    assert removed == ([alive] if age else [])  # older than a day: its process number was reused
    assert other.exists()
