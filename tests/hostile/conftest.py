"""The hostile suite: every case of the hostile-input corpus, classified the way the corpus report counts them.

Each test calls the ``hostile`` fixture with its case and the class it must reach (``refused`` or
``neutralised``). When the environment variable ``ECOMPERF_HOSTILE_TALLY`` names a file, the session
writes one entry per test to it: the case, the class it reached, and the class it was meant to reach. A
case that returns but fails its assertions counts as ``silently wrong``; one that escapes with a
non-ecomperf exception counts as ``traceback``; ``hang`` and ``blowup`` come from the bounded child (a
``MemoryError`` turned into an ecomperf error still counts as a blow-up: it allocated up to the cap).
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import Any, Literal

import pytest

from tests.hostile.bounded import TIMEOUT, Case, Outcome, run_bounded

Expect = Literal["refused", "neutralised"]
_TALLY: list[dict[str, str]] = []
_BATCHES: dict[tuple[str, ...], dict[str, Outcome]] = {}


@pytest.fixture
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Outcome]:
    """``hostile(case, expect=..., together=(...), timeout=...)`` runs a case and returns its :class:`Outcome`.

    The case runs in a bounded child (:mod:`tests.hostile.bounded`) together with the other cases of
    ``together`` (one child for all of them, started by the first test that needs one); with
    ``isolate=False`` it runs in this process instead, for cheap parsing cases, classified the same way.
    """

    def run(
        case: Case, *, expect: Expect, isolate: bool = True, together: Iterable[Case] = (), timeout: float = TIMEOUT
    ) -> Outcome:
        if isolate:
            batch = tuple(dict.fromkeys([*together, case]))
            key = tuple(f"{c.__module__}:{c.__qualname__}" for c in batch)
            if key not in _BATCHES:
                outcomes = run_bounded(batch, tmp_path_factory.mktemp("bounded"), timeout=timeout)
                _BATCHES[key] = dict(zip(key, outcomes, strict=True))
            outcome = _BATCHES[key][f"{case.__module__}:{case.__qualname__}"]
        else:
            workdir = tmp_path_factory.mktemp("case")
            outcome = _run_here(case, workdir)
        request.node.hostile_case = (case.__name__, expect, outcome)
        return outcome

    return run


def _run_here(case: Case, workdir: Path) -> Outcome:
    from ecomperf.errors import EcomperfError

    try:
        value = case(str(workdir))
    except EcomperfError as exc:
        return Outcome("error", type=type(exc).__name__, message=str(exc))
    except MemoryError:
        return Outcome("blowup", type="MemoryError")
    except Exception as exc:
        return Outcome("traceback", type=type(exc).__name__, message=traceback.format_exc()[-4000:])
    return Outcome("ok", json.loads(json.dumps(value)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Record the class each hostile case reached (only when a tally file is asked for)."""
    report = (yield).get_result()
    recorded = getattr(item, "hostile_case", None)
    if report.when != "call" or recorded is None or not os.environ.get("ECOMPERF_HOSTILE_TALLY"):
        return
    name, expect, outcome = recorded
    if outcome.status in {"traceback", "hang", "blowup"}:
        reached = outcome.status
    elif outcome.status == "error" and "MemoryError" in outcome.message:
        reached = "blowup"
    else:
        reached = expect if report.passed else "silently wrong"
    _TALLY.append({"test": item.nodeid, "case": name, "expect": expect, "reached": reached})


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the tally file named by ``ECOMPERF_HOSTILE_TALLY``."""
    target = os.environ.get("ECOMPERF_HOSTILE_TALLY")
    if target and _TALLY:
        Path(target).write_text(json.dumps(_TALLY, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
