"""Where ``ecomperf score FRAMEWORK --actuals 1M.csv -o out.csv`` spends its time, by phase.

Run it by hand (not part of ``make bench``; it needs py-spy from the ``bench`` extra)::

    .venv/bin/python benchmarks/profile_score.py [--rows 1000000] [--rate 100]

Two runs of the command on the actuals of ``bench_score.py``:

1. under ``py-spy record --format raw`` (a sampling profiler in its own process, so the command runs at full
   speed): each sample is put in the phase of the innermost frame whose function is a phase marker below,
   or in *imports* when the sample is inside an import, or in *other*;
2. in-process with a ``gc.callbacks`` timer: the time Python's garbage collector takes, per generation.
   (py-spy cannot see the collector: its time falls in whatever phase allocated the object that triggered it.)

The markers are (qualified) function names, not modules, so that the breakdown survives moving code between modules;
a function renamed or added needs its name here.
"""

from __future__ import annotations

import argparse
import gc
import runpy
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import _harness as h
from _data import MINI_FRAMEWORK, write_actuals

SCRIPT = Path(__file__).resolve()
PHASES: dict[str, tuple[str, ...]] = {
    "load the framework": ("load_framework", "load"),
    "read the file (read_actuals, csv)": ("read_actuals", "read_csv", "decode_text", "_read_bytes", "_fit_rows"),
    "parse cells (keys, periods, numbers)": ("read_layout", "read_fields", "_periods", "_texts", "_text",
                                             "_period_text", "column_of", "padded", "metric_columns",
                                             "metric_values", "_plain_column", "_cell_number", "parse_actual",
                                             "Table.records"),
    "resolve cards": ("_Engine.resolve", "resolve_card", "_signature", "_needed_metrics"),
    "score (score_block and the vectorised engine)": ("score_block", "_Engine.vectorised", "Formula.evaluate_array"),
    "per-row engine (scalar)": ("_Engine.scalar", "score_card"),
    "build results (summaries)": ("_Engine.summaries", "_Engine._record"),
    "write the file (write_results)": ("write_results", "write_csv", "atomic_write"),
}
MARKERS = {name: phase for phase, names in PHASES.items() for name in names}


def phase_of(frames: list[str]) -> str:
    """The phase of one sampled stack (root first; each frame ``function (file:line)``)."""
    names = [frame.split(" (", 1)[0] for frame in frames]  # qualified: "_Engine.vectorised"
    if "_find_and_load" in names:
        return "imports"
    for name in reversed(names):
        if name in MARKERS:
            return MARKERS[name]
    return "other (start-up, CLI, exit)"


def profile(argv: list[str], rate: int, folder: Path) -> tuple[Counter[str], float]:
    """Sample ``argv`` with py-spy; returns the samples per phase and the wall time of the profiled run."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    raw = folder / "stacks.txt"
    start = time.perf_counter()
    subprocess.run([spy, "record", "--rate", str(rate), "--format", "raw", "-o", str(raw), "--", *argv],
                   check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    counts: Counter[str] = Counter()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, samples = line.rpartition(" ")
        frames = stack.split(";")
        phase = phase_of(frames)
        counts[phase] += int(samples)
        if phase.startswith("other"):
            OTHER[frames[-1]] += int(samples)
    return counts, elapsed


OTHER: Counter[str] = Counter()
"""Innermost frames of the samples in no phase, to show what *other* holds."""


def gc_child(arguments: list[str]) -> None:
    """Run ``ecomperf ARGUMENTS`` in this process and print the collector's time per generation."""
    spent = [0.0, 0.0, 0.0]
    runs = [0, 0, 0]
    started: list[float] = []

    def timer(stage: str, info: dict[str, int]) -> None:
        if stage == "start":
            started.append(time.perf_counter())
        else:
            spent[info["generation"]] += time.perf_counter() - started.pop()
            runs[info["generation"]] += 1

    gc.callbacks.append(timer)
    sys.argv = ["ecomperf", *arguments]
    start = time.perf_counter()
    try:
        runpy.run_module("ecomperf", run_name="__main__")
    except SystemExit as exc:
        if exc.code:
            raise
    elapsed = time.perf_counter() - start
    gc.callbacks.remove(timer)
    print(f"in-process run: {elapsed:.2f} s wall, of which garbage collection {sum(spent):.2f} s "
          f"({sum(spent) / elapsed:.0%}): " + ", ".join(
              f"generation {g}: {runs[g]} collections, {spent[g]:.2f} s" for g in range(3)))


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", type=int, default=1_000_000, help="rows of actuals (default 1000000)")
    options.add_argument("--rate", type=int, default=100, help="py-spy samples per second (default 100)")
    options.add_argument("--gc-child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.gc_child is not None:
        gc_child(args.gc_child)
        return
    h.print_environment()
    with h.workspace() as tmp:
        folder = Path(tmp)
        source = folder / "actuals.csv"
        write_actuals(source, args.rows)
        arguments = ["score", str(MINI_FRAMEWORK.relative_to(h.ROOT)), "--actuals", str(source),
                     "-o", str(folder / "out.csv")]
        argv = h.ecomperf_command(*arguments)
        h.run_once(h.Command("warm-up", argv))
        counts, elapsed = profile(argv, args.rate, folder)
        total = sum(counts.values())
        print(f"\n### Where `{h.shown(argv)}` spends its time ({args.rows:,} rows)\n")
        print(f"py-spy, {args.rate} samples/s, {total} samples, {elapsed:.2f} s wall under the profiler\n")
        print("| phase | samples | share | ≈ s |\n|---|---:|---:|---:|")
        for phase, samples in counts.most_common():
            print(f"| {phase} | {samples} | {samples / total:.1%} | {samples / args.rate:.2f} |")
        print("\nmost sampled frames in other: " + "; ".join(f"{frame} {n}" for frame, n in OTHER.most_common(5)))
        print()
        run = subprocess.run([sys.executable, str(SCRIPT), "--gc-child", *arguments], check=True,
                             capture_output=True, text=True, cwd=h.ROOT)
        print(run.stdout.strip())
    h.print_load()


if __name__ == "__main__":
    main()
