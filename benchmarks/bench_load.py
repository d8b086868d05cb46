"""Benchmark ``ecomperf.load`` against a bare ``yaml.CSafeLoader`` parse of the same files, at 1× and 10×.

Run it (``make bench`` runs every benchmark)::

    .venv/bin/python benchmarks/bench_load.py [--scales 1,10] [--rounds 5] [--repeat 3]

It generates a framework of 1000 metrics (a quarter of them formulas), 50 modules and 200 positions with
3 stages of 5 KPIs each, and the same times 10 in as many files (``_data.generate_framework``). Each
command runs as its own process, alternating, ``--rounds`` times; inside it, after loading
``examples/mini-framework`` once (so that lazy imports are not timed), it times ``--repeat`` loads and
reports their median:

* **ecomperf.load**: ``ecomperf.load(folder)``, which checks the whole framework;
* **bare parse**: ``yaml.load_all(text, Loader=yaml.CSafeLoader)`` over every file: the parse alone.

The goals: ``ecomperf.load`` within 1.6× the bare parse, and that ratio not growing from 1× to 10× (within
10%, the noise of a shared machine).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import _harness as h
from _data import FORMULAS, KPIS, METRICS, MINI_FRAMEWORK, MODULES, POSITIONS, STAGES, generate_framework

SCRIPT = Path(__file__).resolve()


def _timed(action: Callable[[Path], object], folder: Path, repeat: int) -> float:
    action(MINI_FRAMEWORK)  # lazy imports and first-call caches, outside the timer
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action(folder)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ecomperf_load(folder: Path, repeat: int) -> float:
    """Median time of ``ecomperf.load(folder)``; checks that the whole framework loaded."""
    import ecomperf

    scale = int(folder.name.removeprefix("bench-framework-").removesuffix("x"))
    fw = ecomperf.load(folder)
    if len(fw.metrics) != METRICS * scale or len(fw.positions) != POSITIONS * scale:
        raise h.BenchmarkError(f"{folder.name}: {len(fw.metrics)} metrics, {len(fw.positions)} positions loaded")
    return _timed(ecomperf.load, folder, repeat)


def bare_parse(folder: Path, repeat: int) -> float:
    """Median time of parsing every YAML file under ``folder`` with libyaml's safe loader."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        raise h.BenchmarkError("PyYAML was built without libyaml: the bare parse would not be the C loader")

    def parse(root: Path) -> None:
        for file in sorted(root.rglob("*.yaml")):
            list(yaml.load_all(file.read_text(encoding="utf-8"), Loader=loader))

    return _timed(parse, folder, repeat)


WORK = {"ecomperf": ecomperf_load, "bare": bare_parse}


def main() -> None:
    options = h.parser(__doc__.splitlines()[0], rounds=5)
    options.add_argument("--scales", default="1,10", help="framework sizes, in multiples of the base (default 1,10)")
    options.add_argument("--repeat", type=int, default=3, help="timed loads inside each process (default 3)")
    options.add_argument("--work", nargs=2, metavar=("NAME", "FOLDER"), help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.work:
        h.report_seconds(WORK[args.work[0]](Path(args.work[1]), args.repeat))
        return
    scales = [int(text) for text in args.scales.split(",")]
    h.print_environment(["pydantic", "PyYAML"])
    print(f"framework at 1×: {METRICS} metrics ({FORMULAS} formulas), {MODULES} modules, {POSITIONS} positions "
          f"× {len(STAGES)} stages × {KPIS} KPIs, in 32 files; at N× N times as many documents in the same files")
    with h.workspace() as tmp:
        commands = []
        for scale in scales:
            folder = generate_framework(Path(tmp), scale)
            for name, label in (("ecomperf", "ecomperf.load"), ("bare", "bare CSafeLoader parse")):
                argv = h.python_command(SCRIPT, "--repeat", str(args.repeat), "--work", name, str(folder))
                commands.append(h.Command(f"{label} {scale}×", argv, times_itself=True))
        for command in commands:
            h.run_once(command)  # checks every load and warms the file cache
        results = h.measure(commands, args.rounds)
    ratios = {}
    for scale in scales:
        load, bare = f"ecomperf.load {scale}×", f"bare CSafeLoader parse {scale}×"
        h.print_table(f"Load at {scale}×", results, bare, names=[load, bare])
        ratios[scale] = results.ratio(load, bare, h.work)
        h.goal(f"ecomperf.load {scale}× / bare parse (work time)", ratios[scale], 1.6)
    first, last = scales[0], scales[-1]
    if last != first:
        for label in ("ecomperf.load", "bare CSafeLoader parse"):
            growth = results.ratio(f"{label} {last}×", f"{label} {first}×", h.work)
            shown = "n/a" if growth is None else f"{growth:.2f}×"
            print(f"growth of {label} from {first}× to {last}×: {shown} the time for {last // first}× the size")
        a, b = ratios[first], ratios[last]
        h.goal(f"ratio at {last}× / ratio at {first}×", None if a is None or b is None else b / a, 1.1)
    h.print_load()


if __name__ == "__main__":
    main()
