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

Then ``python -X importtime -c "import ecomperf"`` runs ``--rounds`` times and the ten modules with the
largest cumulative import time (median over the runs) are listed. The goal: each ecomperf command within
3× the bare import.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

import _harness as h
from _data import MINI_FRAMEWORK

BASELINE = 'python -c "import pydantic, yaml"'
IMPORT_TIME = [sys.executable, "-X", "importtime", "-c", "import ecomperf"]


def import_times(rounds: int) -> dict[str, float]:
    """Module → median cumulative import time in seconds over ``rounds`` runs of ``import ecomperf``."""
    runs: dict[str, list[float]] = {}
    for _ in range(rounds):
        lines = subprocess.run(IMPORT_TIME, capture_output=True, text=True, check=True, cwd=h.ROOT).stderr
        for line in lines.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            _, cumulative, name = line.removeprefix("import time:").split("|")
            runs.setdefault(name.strip(), []).append(int(cumulative) / 1e6)
    return {name: statistics.median(times) for name, times in runs.items()}


def main() -> None:
    options = h.parser(__doc__.splitlines()[0], rounds=11)
    args = options.parse_args()
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
    times = import_times(args.rounds)
    print(f"\n`{h.shown(IMPORT_TIME)}`: top 10 modules by cumulative import time (median of {args.rounds} runs)\n")
    print("| module | cumulative ms |\n|---|---:|")
    for name, seconds in sorted(times.items(), key=lambda item: -item[1])[:10]:
        print(f"| {name} | {seconds * 1000:.1f} |")
    print()
    h.print_load()


if __name__ == "__main__":
    main()
