"""Run hostile cases in a child process whose memory and time are bounded.

A case is a plain function ``case(workdir: str) -> JSON`` defined at module level in the hostile suite. The
child caps its address space with ``resource.setrlimit(RLIMIT_AS)`` (and its CPU time) before importing
anything, runs the cases one after the other, each in a folder of its own, and appends what happened to a
result file after each one. The parent waits with a timeout, so a runaway case becomes a ``hang`` outcome
instead of a stuck test run, and an allocation past the cap becomes ``blowup`` instead of swapping the
machine. Several cases share one child because starting Python with ecomperf, numpy and Jinja costs more
than most cases.

Outcome statuses:
    ``ok``         the case returned (its value is the observation the test asserts on);
    ``error``      an :class:`ecomperf.errors.EcomperfError` escaped (a clean refusal);
    ``traceback``  any other exception escaped;
    ``blowup``     ``MemoryError``, or the child died from a signal (the memory cap was hit);
    ``hang``       the child did not finish before the timeout and was killed (the cases queued behind a
                   hung or dead one then run in a child of their own).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parents[2]

MEMORY_LIMIT = 1024 * 1024 * 1024
"""Address-space cap of a child (1 GiB): ecomperf, numpy and Jinja imported take about 200 MiB of it."""

TIMEOUT = 60.0
"""Seconds a child may run; a case that needs more is a hang (they finish in well under a second)."""

Status = Literal["ok", "error", "traceback", "blowup", "hang"]
Case = Callable[[str], Any]

_CHILD = r"""
import json, os, resource, sys
workdir, results, limit, cpu, repo = sys.argv[1:6]
resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
resource.setrlimit(resource.RLIMIT_CPU, (int(cpu), int(cpu) + 1))
sys.path.insert(0, repo)
import importlib, traceback


# Opened once: a case may give up its privileges (to make mode 000 mean unreadable), and an open file
# stays writable.
out = open(results, "a", encoding="utf-8")


def report(**outcome):
    out.write(json.dumps(outcome) + "\n")
    out.flush()


for index, name in enumerate(sys.argv[6:]):
    folder = os.path.join(workdir, str(index))
    os.mkdir(folder)
    try:
        from ecomperf.errors import EcomperfError

        module, _, function = name.partition(":")
        value = getattr(importlib.import_module(module), function)(folder)
    except MemoryError:
        report(status="blowup", type="MemoryError", message="")
    except BaseException as exc:
        refused = "EcomperfError" in globals() and isinstance(exc, EcomperfError)
        report(
            status="error" if refused else "traceback",
            type=type(exc).__name__,
            message=str(exc)[:4000] if refused else traceback.format_exc()[-4000:],
        )
    else:
        report(status="ok", value=value)
"""


@dataclass(frozen=True)
class Outcome:
    """What a case did: its status, the returned observation, or the exception's type and message."""

    status: Status
    value: Any = None
    type: str = ""
    message: str = ""


def run_bounded(
    cases: Sequence[Case], workdir: Path, *, memory: int = MEMORY_LIMIT, timeout: float = TIMEOUT
) -> list[Outcome]:
    """Run each of ``cases`` in one child limited to ``memory`` bytes and ``timeout`` seconds in all."""
    results = workdir / "outcomes.jsonl"
    names = [f"{case.__module__}:{case.__qualname__}" for case in cases]
    command = [sys.executable, "-c", _CHILD, str(workdir), str(results), str(memory), str(int(timeout)), str(REPO)]
    # One BLAS thread: its per-thread buffers would otherwise eat the address-space cap on big machines.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    stderr, died = "", False
    try:
        completed = subprocess.run(
            [*command, *names], cwd=workdir, env=env, capture_output=True, timeout=timeout, check=False
        )
        stderr, died = completed.stderr.decode("utf-8", "replace")[-2000:], completed.returncode != 0
    except subprocess.TimeoutExpired:
        pass
    lines = results.read_text(encoding="utf-8").splitlines() if results.exists() else []
    outcomes = [Outcome(**json.loads(line)) for line in lines]
    if len(outcomes) < len(cases):  # the child died or hung in the first case without an outcome
        if not died:
            outcomes.append(Outcome("hang", message=f"no outcome within {timeout:.0f} s"))
        else:
            status: Status = "blowup" if "MemoryError" in stderr or completed.returncode < 0 else "traceback"
            outcomes.append(Outcome(status, type=f"exit {completed.returncode}", message=stderr))
        if len(outcomes) < len(cases):  # the ones queued behind it never ran: give them a child of their own
            rest = workdir / f"after-{len(outcomes)}"
            rest.mkdir()
            outcomes += run_bounded(cases[len(outcomes) :], rest, memory=memory, timeout=timeout)
    return outcomes
