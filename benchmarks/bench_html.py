"""Benchmark the HTML team report of 100k rows against the CSV and JSON writers of the same result.

Run it (``make bench`` runs every benchmark)::

    .venv/bin/python benchmarks/bench_html.py [--rows 100000] [--rounds 3]

The actuals are those of ``bench_score.py`` (``_data.write_actuals``). Each command runs as its own
process, alternating, ``--rounds`` times:

* **ecomperf score -o .csv / .json / .html**: the whole command (the HTML and JSON outputs score with the
  explained columns and build each card from them as it is written, ``ecomperf.batch.cards``; the CSV one
  scores without);
* **write csv / json / html**: one process scores the actuals with detail (``score_many(detail=True)``),
  then times one writer alone on that result and prints ``seconds=``; so the work times compare the
  writers on the same cards, and the HTML one against the CSV one is the figure of issue #13;
* **write json / html from columns**: the same, from ``score_many(explain=True)``: the writer's time
  includes building every card from the columns.

Above :data:`ecomperf.render.report.PAGE_ROWS` (2,000) cards the HTML report is an index and pages of 2,000
cards (``report-01.html`` …), each rendered and written before the next, so its memory does not grow with
the team. After the timed rounds, one more process per writer measures with ``tracemalloc`` the peak
memory the write itself allocates (the cards already built are not counted), and once the HTML report as
one page (pagination off) to show what pagination saves. Before timing, the HTML pages are checked: one
drill-down per scored card, every card on exactly one page.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import time
import tracemalloc
from pathlib import Path

import _harness as h
from _data import MINI_FRAMEWORK, write_actuals

SCRIPT = Path(__file__).resolve()
WRITERS = ("csv", "json", "html")


def write_one(source: Path, target: Path, writer: str, *, memory: bool) -> None:
    """Score ``source`` with detail, then time (or trace the memory of) one writer; print what it took."""
    import ecomperf
    from ecomperf.io.read import read_actuals
    from ecomperf.io.write import write_csv, write_html, write_json

    columns = writer.endswith("-columns")
    result = ecomperf.load(MINI_FRAMEWORK).score_many(read_actuals(source), detail=not columns, explain=columns)
    writer = writer.removesuffix("-columns")
    writers = {
        "csv": lambda: write_csv(target, result),
        "json": lambda: write_json(target, result),
        "html": lambda: write_html(target, result),
        "html-one-page": lambda: write_html(target, result, page_rows=len(result.cards) + 1),
    }
    if memory:
        tracemalloc.start()
        writers[writer]()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak_mib={peak / 2**20:.1f}")
        return
    start = time.perf_counter()
    writers[writer]()
    h.report_seconds(time.perf_counter() - start)


def check(folder: Path, rows: int) -> None:
    """The index links every page; the pages hold one drill-down per card, each card once, in order."""
    index = (folder / "report.html").read_text(encoding="utf-8")
    pages = re.findall(r'<a href="(report-\d+\.html)">', index)
    anchors: list[int] = []
    for page in pages:
        text = (folder / page).read_text(encoding="utf-8")
        anchors += [int(number) for number in re.findall(r'<section class="card" id="card-(\d+)">', text)]
    if anchors != list(range(1, len(anchors) + 1)) or not anchors:
        raise h.BenchmarkError(f"the pages hold cards {anchors[:3]} … {anchors[-3:]}, not 1 … n in order")
    print(f"check: {len(pages)} pages linked from the index hold {len(anchors):,} drill-downs of {rows:,} rows,"
          " each once, in order", flush=True)
    written = sorted(path.name for path in (folder / "columns").iterdir())
    for name in written:
        if (folder / "columns" / name).read_bytes() != (folder / name).read_bytes():
            raise h.BenchmarkError(f"{name} written from the columns differs from the one written from cards")
    print(f"check: the {len(written)} files written from the columns are those written from cards, byte for byte")


def main() -> None:
    options = h.parser(__doc__.splitlines()[0], rounds=3)
    options.add_argument("--rows", type=int, default=100_000, help="rows of actuals (default 100000)")
    options.add_argument("--write", nargs=3, metavar=("WRITER", "IN", "OUT"), help=argparse.SUPPRESS)
    options.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.write:
        write_one(Path(args.write[1]), Path(args.write[2]), args.write[0], memory=args.memory)
        return
    h.print_environment(["jinja2"])
    with h.workspace() as tmp:
        folder = Path(tmp)
        source = folder / "actuals.csv"
        (folder / "columns").mkdir()
        write_actuals(source, args.rows)
        framework = str(MINI_FRAMEWORK.relative_to(h.ROOT))
        commands = [
            *(h.Command(f"ecomperf score -o .{suffix}", h.ecomperf_command(
                "score", framework, "--actuals", str(source), "-o", str(folder / f"cli.{suffix}")))
              for suffix in WRITERS),
            *(h.Command(f"write {writer}", h.python_command(
                SCRIPT, "--write", writer, str(source), str(folder / f"report.{writer}")), times_itself=True)
              for writer in WRITERS),
            *(h.Command(f"write {writer} from columns", h.python_command(
                SCRIPT, "--write", f"{writer}-columns", str(source), str(folder / "columns" / f"report.{writer}")),
                times_itself=True) for writer in ("json", "html")),
        ]
        for command in commands:
            h.run_once(command)
        check(folder, args.rows)
        results = h.measure(commands, args.rounds)
        h.print_table(f"{args.rows:,} rows → html, next to csv and json", results, "write csv")
        print("\nmemory the write itself allocates (tracemalloc, one run each):\n")
        for writer in (*WRITERS, "html-one-page"):
            out = folder / f"memory.{writer.split('-')[0]}"
            argv = h.python_command(SCRIPT, "--write", writer, str(source), str(out), "--memory")
            line = subprocess.run(argv, check=True, capture_output=True, text=True, cwd=h.ROOT).stdout.split()[-1]
            print(f"- write {writer}: {line.removeprefix('peak_mib=')} MiB")
    ratio = results.ratio("write html", "write csv", h.work)
    print(f"\nwrite html / write csv, work time within a round: {'n/a' if ratio is None else f'{ratio:.2f}×'}"
          " (issue #13 sets no goal for HTML: the figure for its closing note)")
    h.print_load()


if __name__ == "__main__":
    main()
