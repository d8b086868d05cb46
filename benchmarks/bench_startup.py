"""Benchmark start-up: ``ecomperf validate`` and ``ecomperf --help`` against importing pydantic and yaml.

Run it (``make bench`` runs every benchmark)::

    .venv/bin/python benchmarks/bench_startup.py [--rounds 11]

Each command runs as its own process, alternating, ``--rounds`` times:

* ``ecomperf validate examples/mini-framework``;
* ``ecomperf --help``;
* ``python -c "import pydantic, yaml"``: the least any command must import.

Before timing, the package's bytecode is compiled (``python -m compileall``), as an installed package has
it: with ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes and containers) an editable install would
otherwise compile every ecomperf module from source on each run, some 60 ms, while site-packages keep theirs.

Then ``python -X importtime -c "import ecomperf"`` and ``python -X importtime -m ecomperf validate ...`` run
``--rounds`` times each and the modules with the largest cumulative import time (median over the runs) are
listed. The goal: each ecomperf command within 3× the bare import.

On a shared machine wall times swing with the load (the ratios are taken within a round, but a busy
neighbour still moves them by ±0.5×). ``--instructions`` also runs each command once under valgrind
(``apt-get install valgrind``; ``cachegrind --cache-sim=no``, about 30 s) and reports the instructions it
executed, which do not depend on the load: the ratio of instructions compares two versions of the code
exactly, though it runs below the wall ratio (file reads and page faults are not instructions).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence

import _harness as h
from _data import MINI_FRAMEWORK

BASELINE = 'python -c "import pydantic, yaml"'
IMPORT_TIME = [sys.executable, "-X", "importtime", "-c", "import ecomperf"]
VALIDATE_IMPORT_TIME = [sys.executable, "-X", "importtime", "-m", "ecomperf", "validate",
                        str(MINI_FRAMEWORK.relative_to(h.ROOT))]
VALGRIND = shutil.which("valgrind")


def import_times(argv: Sequence[str], rounds: int) -> dict[str, float]:
    """Module → median cumulative import time in seconds over ``rounds`` runs of ``argv``."""
    runs: dict[str, list[float]] = {}
    for _ in range(rounds):
        lines = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=h.ROOT).stderr
        for line in lines.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            _, cumulative, name = line.removeprefix("import time:").split("|")
            runs.setdefault(name.strip(), []).append(int(cumulative) / 1e6)
    return {name: statistics.median(times) for name, times in runs.items()}


def print_import_times(argv: Sequence[str], rounds: int, top: int) -> None:
    """The ``top`` modules by median cumulative import time over ``rounds`` runs of ``argv``, as a table."""
    times = import_times(argv, rounds)
    print(f"\n`{h.shown(argv)}`: top {top} modules by cumulative import time (median of {rounds} runs)\n")
    print("| module | cumulative ms |\n|---|---:|")
    for name, seconds in sorted(times.items(), key=lambda item: -item[1])[:top]:
        print(f"| {name} | {seconds * 1000:.1f} |")


def instructions(argv: Sequence[str]) -> int:
    """The instructions ``argv`` executes, counted by valgrind (the same on a busy machine as on an idle one)."""
    assert VALGRIND is not None
    counted = [VALGRIND, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *argv]
    environment = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dictionaries, so the same count every run
    done = subprocess.run(counted, capture_output=True, text=True, check=True, cwd=h.ROOT, env=environment)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise h.BenchmarkError(f"valgrind printed no instruction count for {h.shown(argv)}:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def print_instructions(commands: Sequence[h.Command], baseline: str) -> None:
    """Instructions of each command (millions) and their ratio to the baseline's."""
    counts = {command.name: instructions(command.argv) for command in commands}
    print("\n### Instructions executed (valgrind; independent of the load)\n")
    print(f"| command | million instructions | × {baseline} |\n|---|---:|---:|")
    for name, count in counts.items():
        print(f"| {name} | {count / 1e6:.1f} | {count / counts[baseline]:.2f} |")


def main() -> None:
    options = h.parser(__doc__.splitlines()[0], rounds=11)
    options.add_argument("--instructions", action="store_true",
                         help="also count each command's instructions under valgrind (about 30 s)")
    args = options.parse_args()
    if args.instructions and VALGRIND is None:
        options.error("--instructions needs valgrind (apt-get install valgrind)")
    h.print_environment(["pydantic", "PyYAML", "typer", "rich", "numpy"])
    framework = str(MINI_FRAMEWORK.relative_to(h.ROOT))
    commands = [
        h.Command("ecomperf validate", h.ecomperf_command("validate", framework)),
        h.Command("ecomperf --help", h.ecomperf_command("--help")),
        h.Command(BASELINE, [sys.executable, "-c", "import pydantic, yaml"]),
    ]
    subprocess.run([sys.executable, "-m", "compileall", "-q", "ecomperf"], check=True, cwd=h.ROOT)
    for command in commands:
        h.run_once(command)  # warm the file cache and the bytecode caches
    results = h.measure(commands, args.rounds)
    h.print_table("Start-up", results, BASELINE)
    for name in ("ecomperf validate", "ecomperf --help"):
        h.goal(f"{name} wall / import pydantic, yaml", results.ratio(name, BASELINE, h.wall), 3.0)
    print_import_times(IMPORT_TIME, args.rounds, 10)
    print_import_times(VALIDATE_IMPORT_TIME, args.rounds, 15)
    if args.instructions:
        print_instructions(commands, BASELINE)
    print()
    h.print_load()


if __name__ == "__main__":
    main()
