"""Shared rules of every benchmark: run each command as its own process, alternate, take medians, print.

* :func:`run_once` starts one command under GNU ``/usr/bin/time -f %M`` (``apt-get install time``), which
  reports the peak resident set of that command alone. The child of a large process cannot measure itself:
  Linux keeps the RSS a process had before ``exec`` in its ``ru_maxrss``, so a child forked from this
  harness (which holds a million rows while it checks outputs) would report the harness's size. Without
  ``/usr/bin/time`` the harness falls back to ``os.wait4`` and says that its peaks include its own size.
  Wall time is ``perf_counter`` around start and wait (``time`` adds about a millisecond to every command).
* :func:`measure` runs every command once per round, in alternating order (forwards, then backwards), so
  that drift on a shared machine falls on all of them alike. A ratio is taken between two commands of the
  same round, and the table shows the median over rounds of the times, peaks and ratios.
* A command may time its own work and print ``seconds=<float>`` as its last line of output; the table then
  shows that time (the work without interpreter start-up and imports) next to the process wall time.

Nothing here imports more than the standard library, so the peers started as child processes pay only
for what they use.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
SECONDS_PREFIX = "seconds="


@dataclass(frozen=True)
class Command:
    """One command of a benchmark: a name for the table and the argv of its process."""

    name: str
    argv: Sequence[str]
    times_itself: bool = False
    """The process prints ``seconds=<float>`` last: the time of its work, measured inside it."""


@dataclass(frozen=True)
class Run:
    """What one process took: wall time, peak resident set, and its own time of the work if it reports one."""

    wall: float
    peak_kib: int
    work: float | None


@dataclass
class Results:
    """Every run of every command, round by round (``runs[name][round]``)."""

    commands: list[Command]
    runs: dict[str, list[Run]] = field(default_factory=dict)

    def median(self, name: str, value: Callable[[Run], float | None]) -> float | None:
        """Median of one value over the rounds of one command (``None`` if the command does not report it)."""
        values = [value(run) for run in self.runs[name]]
        return None if any(v is None for v in values) else statistics.median(v for v in values if v is not None)

    def ratio(self, name: str, baseline: str, value: Callable[[Run], float | None]) -> float | None:
        """Median over rounds of ``value(name) / value(baseline)``, both taken in the same round."""
        pairs = [(value(a), value(b)) for a, b in zip(self.runs[name], self.runs[baseline], strict=True)]
        if any(a is None or b is None or b == 0 for a, b in pairs):
            return None
        return statistics.median(a / b for a, b in pairs if a is not None and b is not None)


def wall(run: Run) -> float:
    """The process's wall time in seconds."""
    return run.wall


def peak(run: Run) -> float:
    """The process's peak resident set in MiB."""
    return run.peak_kib / 1024


def work(run: Run) -> float | None:
    """The time the process reported for its work, in seconds, if it reports one."""
    return run.work


class BenchmarkError(SystemExit):
    """A command failed or two outputs disagree: the benchmark stops and says which."""


TIME = Path("/usr/bin/time")


def run_once(command: Command, *, cwd: Path = ROOT) -> Run:
    """Run ``command`` as its own process; its output goes to temporary files, read only on failure or for
    its reported time."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as rss:
        timed = [str(TIME), "-f", "%M", "-o", rss.name, *command.argv] if TIME.exists() else list(command.argv)
        start = time.perf_counter()
        process = subprocess.Popen(timed, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # so that Popen does not wait again
        if process.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise BenchmarkError(f"{command.name} exited {process.returncode}: {shlex.join(command.argv)}\n{tail}")
        peak_kib = int(Path(rss.name).read_text().split()[-1]) if TIME.exists() else usage.ru_maxrss
        reported = None
        if command.times_itself:
            out.seek(0)
            lines = out.read().decode().strip().splitlines()
            if not lines or not lines[-1].startswith(SECONDS_PREFIX):
                raise BenchmarkError(f"{command.name} did not print {SECONDS_PREFIX}<float> last")
            reported = float(lines[-1].removeprefix(SECONDS_PREFIX))
    return Run(elapsed, peak_kib, reported)


def measure(commands: Sequence[Command], rounds: int) -> Results:
    """Run every command once per round, alternating the order between rounds."""
    results = Results(list(commands), {command.name: [] for command in commands})
    sys.stdout.flush()  # what was printed so far comes before the progress lines on stderr
    for number in range(rounds):
        order = commands if number % 2 == 0 else list(reversed(commands))
        for command in order:
            results.runs[command.name].append(run_once(command))
        print(f"  round {number + 1}/{rounds} done", file=sys.stderr, flush=True)
    return results


def report_seconds(seconds: float) -> None:
    """Print a command's own time of its work, for :func:`run_once` (call it last)."""
    print(f"{SECONDS_PREFIX}{seconds!r}")


# --- printing -------------------------------------------------------------------------------------------


def _number(value: float | None, digits: int) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def print_table(title: str, results: Results, baseline: str, *, names: Sequence[str] | None = None) -> None:
    """A Markdown table of medians and same-round ratios to ``baseline``, then the command of each row.

    ``names`` picks some of the commands (all by default).
    """
    rounds = len(results.runs[baseline])
    commands = [c for c in results.commands if names is None or c.name in names]
    reports = any(command.times_itself for command in commands)
    print(f"\n### {title}  (median of {rounds} rounds; ratios to {baseline!r} within a round)\n")
    head = ["command", "wall s", "peak RSS MiB", "× wall", "× RSS"]
    if reports:
        head[1:1] = ["work s", "× work"]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 1))
    for command in commands:
        name = command.name
        cells = [
            name,
            _number(results.median(name, wall), 3),
            _number(results.median(name, peak), 0),
            _number(results.ratio(name, baseline, wall), 2),
            _number(results.ratio(name, baseline, peak), 2),
        ]
        if reports:
            cells[1:1] = [_number(results.median(name, work), 4), _number(results.ratio(name, baseline, work), 2)]
        print("| " + " | ".join(cells) + " |")
    print()
    for command in commands:
        print(f"- {command.name}: `{shown(command.argv)}`")


def goal(label: str, measured: float | None, limit: float) -> bool:
    """Print one goal line (``label: measured <= limit: met / NOT MET``) and return whether it is met."""
    met = measured is not None and measured <= limit
    value = "n/a" if measured is None else f"{measured:.2f}×"
    print(f"goal: {label} ≤ {limit}×: {value}  {'met' if met else 'NOT MET'}")
    return met


_TEMP_ROOTS: list[Path] = []


def shown(argv: Sequence[str]) -> str:
    """The command line as it could be typed from the repository root: temporary folders as ``$TMP``."""
    text = shlex.join(argv).replace(str(ROOT) + "/", "")
    for folder in _TEMP_ROOTS:
        text = text.replace(str(folder), "$TMP")
    return text.replace(sys.executable, "python")


def workspace() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for generated data and outputs, shown as ``$TMP`` in the printed commands."""
    folder = tempfile.TemporaryDirectory(prefix="ecomperf-bench-")
    _TEMP_ROOTS.append(Path(folder.name))
    return folder


def print_environment(peers: Sequence[str] = ()) -> None:
    """The machine, its load and the versions measured, so that a table can be read later."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = [f"python {platform.python_version()}"]
    for name in ("ecomperf", *peers):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"machine: {cores} cores, load average {load} (1, 5, 15 min); {', '.join(versions)}")
    if not TIME.exists():
        print(f"{TIME} is missing (apt-get install time): peak RSS includes this harness's own at fork")


def print_load() -> None:
    """The load average now (printed after the timed rounds)."""
    print(f"load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


def python_command(script: Path, *args: str) -> list[str]:
    """Run a benchmark script's peer with this interpreter."""
    return [sys.executable, str(script), *args]


def ecomperf_command(*args: str) -> list[str]:
    """The ``ecomperf`` console script next to this interpreter (the one ``make bench`` installs)."""
    script = Path(sys.executable).parent / "ecomperf"
    return [str(script) if script.exists() else "ecomperf", *args]


def parser(description: str, *, rounds: int) -> argparse.ArgumentParser:
    """The options every benchmark takes; a benchmark adds its own size options."""
    options = argparse.ArgumentParser(description=description)
    options.add_argument("--rounds", type=int, default=rounds, help=f"timed rounds (default {rounds})")
    return options


# --- checking outputs -----------------------------------------------------------------------------------


def read_rows(path: Path, key: str) -> dict[str, dict[str, str]]:
    """A CSV output keyed by ``key`` (a BOM is ignored); a duplicate key is a benchmark error."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows: dict[str, dict[str, str]] = {}
        for row in csv.DictReader(handle):
            if row[key] in rows:
                raise BenchmarkError(f"{path.name}: {key} {row[key]!r} appears twice")
            rows[row[key]] = row
    return rows


def compare_outputs(
    reference: Path,
    other: Path,
    *,
    key: str,
    numbers: Sequence[str],
    texts: Sequence[str],
    absolute: float = 0.0,
    relative: float = 0.0,
) -> tuple[int, int]:
    """Check that ``other`` has the same rows as ``reference``: texts equal, numbers within
    ``absolute + relative * max(|x|, |y|)``, empty where the reference is empty.

    Returns:
        (rows compared, rows whose numbers are all bit-identical).

    Raises:
        BenchmarkError: naming the first row and column that differ.
    """
    ours, theirs = read_rows(reference, key), read_rows(other, key)
    if ours.keys() != theirs.keys():
        missing, extra = sorted(ours.keys() - theirs.keys())[:3], sorted(theirs.keys() - ours.keys())[:3]
        raise BenchmarkError(f"{other.name}: rows differ from {reference.name}: missing {missing}, extra {extra}")
    identical = 0
    for name, row in ours.items():
        same = True
        for column in texts:
            if row[column] != theirs[name][column]:
                raise BenchmarkError(f"{other.name}: {name} {column}: {theirs[name][column]!r} != {row[column]!r}")
        for column in numbers:
            a, b = row[column], theirs[name][column]
            if (a == "") != (b == ""):
                raise BenchmarkError(f"{other.name}: {name} {column}: {b!r} where {reference.name} has {a!r}")
            if a == "":
                continue
            x, y = float(a), float(b)
            if abs(x - y) > absolute + relative * max(abs(x), abs(y)):
                raise BenchmarkError(f"{other.name}: {name} {column}: {y!r} != {x!r}")
            same = same and x == y
        identical += same
    return len(ours), identical
