"""Run the hostile corpus and print its tally in the classes of issue 11.

    .venv/bin/python -m tests.hostile.tally            # the whole of tests/hostile (about a minute)
    .venv/bin/python -m tests.hostile.tally -k xlsx    # extra arguments go to pytest

Every test that runs a case through the ``hostile`` fixture (:mod:`tests.hostile.conftest`) is counted in the
class it reached: refused cleanly, neutralised, traceback, hang, blow-up or silently wrong (a case that
returned but failed its assertions). The other tests of the folder (the fuzzers, the command-line cases of
issue 10 in ``test_trusted_numbers.py``, unit checks) are counted as passed or failed beside the tally.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

CLASSES = {
    "refused": "refused cleanly",
    "neutralised": "neutralised",
    "traceback": "traceback",
    "hang": "hang",
    "blowup": "blow-up",
    "silently wrong": "silently wrong",
}
HERE = Path(__file__).resolve().parent


def main(arguments: list[str]) -> int:
    """Run pytest on ``tests/hostile`` with the tally file asked for, then print the counts."""
    with tempfile.TemporaryDirectory() as folder:
        tally, report = Path(folder) / "tally.json", Path(folder) / "report.xml"
        command = [sys.executable, "-m", "pytest", str(HERE), "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
                   *arguments]
        completed = subprocess.run(command, env={**os.environ, "ECOMPERF_HOSTILE_TALLY": str(tally)},
                                   cwd=HERE.parents[1], capture_output=True, text=True, check=False)
        entries = json.loads(tally.read_text(encoding="utf-8")) if tally.exists() else []
        others = _others(report, {entry["test"] for entry in entries})
    counts = Counter(entry["reached"] for entry in entries)
    print(f"hostile cases: {len(entries)}")
    for key, label in CLASSES.items():
        print(f"  {label:<16} {counts.get(key, 0)}")
    for entry in entries:
        if entry["reached"] != entry["expect"]:
            print(f"    {CLASSES[entry['reached']]}: {entry['test']} (meant to be {CLASSES[entry['expect']]})")
    print(f"other tests of tests/hostile: {others['passed']} passed, {others['failed']} failed")
    print(completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else completed.stderr[-2000:])
    return completed.returncode


def _others(report: Path, counted: set[str]) -> Counter[str]:
    """Passed and failed tests of the run that are not hostile cases (read from pytest's JUnit report)."""
    import xml.etree.ElementTree as ET

    result: Counter[str] = Counter(passed=0, failed=0)
    if not report.exists():
        return result
    for case in ET.parse(report).iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        nodeid = f"{module}.py::{case.get('name')}"
        if nodeid in counted:
            continue
        failed = case.find("failure") is not None or case.find("error") is not None
        if case.find("skipped") is None:
            result["failed" if failed else "passed"] += 1
    return result


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
