"""Start-up stays light: the package, ``--help`` and ``validate`` never import numpy, pyarrow, Jinja or openpyxl.

Each check runs in a fresh interpreter (a subprocess), because this test process has long imported them all.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "pyarrow", "jinja2", "openpyxl", "docx", "docxtpl", "xlsxwriter", "pandas")


def _loaded_after(code: str) -> list[str]:
    """The heavy modules in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_import_ecomperf_loads_none_of_the_heavy_libraries() -> None:
    assert _loaded_after("import ecomperf") == []


def test_loading_a_framework_loads_none_of_them() -> None:
    assert _loaded_after("import ecomperf\necomperf.load('examples/mini-framework')") == []


@pytest.mark.parametrize("arguments", [["--help"], ["validate", "examples/mini-framework"], ["score", "--help"]])
def test_the_light_commands_load_none_of_them(arguments: list[str]) -> None:
    # The command runs as `ecomperf ...` would; SystemExit(0) is how Typer ends a command.
    code = (
        "import sys\nfrom ecomperf.cli import app\n"
        f"try:\n    app({arguments!r}, standalone_mode=False)\nexcept SystemExit as exc:\n    assert not exc.code\n"
    )
    assert _loaded_after(code) == []


def test_a_public_name_still_resolves_to_its_home() -> None:
    import ecomperf
    from ecomperf.batch.results import BatchResult
    from ecomperf.framework import load

    assert ecomperf.BatchResult is BatchResult
    assert ecomperf.load is load


def test_an_unknown_name_is_an_attribute_error() -> None:
    import ecomperf

    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = ecomperf.nonsense  # type: ignore[attr-defined]


def _modules_after(code: str, prefix: str) -> list[str]:
    """The modules starting with ``prefix`` in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith({prefix!r}))))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(("arguments", "commands"), [
    (["--help"], []),
    (["validate", "examples/mini-framework"], ["ecomperf.cli.validate"]),
    (["score", "--help"], ["ecomperf.cli.history", "ecomperf.cli.score"]),  # score records into the history
])
def test_a_command_loads_its_own_module_only(arguments: list[str], commands: list[str]) -> None:
    code = (
        "from ecomperf.cli import app\n"
        f"try:\n    app({arguments!r}, standalone_mode=False)\nexcept SystemExit as exc:\n    assert not exc.code\n"
    )
    loaded = [name for name in _modules_after(code, "ecomperf.cli.") if name not in
              ("ecomperf.cli._app", "ecomperf.cli._commands", "ecomperf.cli.common")]
    assert loaded == commands
    assert _modules_after(code, "sqlalchemy") == [] or "ecomperf.cli.history" in commands


def test_validate_into_a_pipe_loads_no_rich() -> None:
    # stdout of the subprocess is a pipe, no terminal: the problems are plain lines, and rich stays unloaded
    code = (
        "from ecomperf.cli import app\n"
        "try:\n    app(['validate', 'examples/mini-framework'], standalone_mode=False)\n"
        "except SystemExit as exc:\n    assert not exc.code\n"
    )
    assert _modules_after(code, "rich") == []


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_streaming_a_csv_to_csv_never_imports_pandas(tmp_path: Path) -> None:
    # pyarrow imports pandas (about half a second) the first time pa.array, pa.scalar or to_numpy runs when
    # pandas is installed; the columnar path builds and reads its arrays through their buffers instead.
    # The rows: one scored, one with a blank metric, one "35%" cell (the row-by-row path), a repeated
    # employee and period (two error rows), a veto breach (violations 3) and a short row (Arrow's extra rows).
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(
        "employee,position,stage,period,category,gmv,sales_revenue,cost,inventory_turnover,violations,"
        "inquiry_response_hours\n"
        "e1,store_manager,mature,2026-02,apparel,7188838.57,2023645.43,1453872.15,5.73,0,\n"
        "e2,service_agent,mature,2026-10,,,,,,,25.1\n"
        "e3,service_agent,mature,2026-10,,,,,,,35%\n"
        "e4,store_manager,startup,2026-04,apparel,4147583.83,1221473.09,848226.10,6.11,3,\n"
        "e5,service_agent,mature,2026-10,,,,,,,12\n"
        "e5,service_agent,mature,2026-10,,,,,,,13\n"
        "e6,service_agent,mature\n",
        encoding="utf-8",
    )
    output = tmp_path / "scores.csv"
    code = (
        "from ecomperf.cli import app\n"
        f"try:\n    app(['score', 'examples/mini-framework', '--actuals', {str(actuals)!r}, '-o', {str(output)!r}],"
        " standalone_mode=False)\nexcept SystemExit:\n    pass\n"
    )
    loaded = _loaded_after(code)
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    # every row came out: four scored (e4 with its veto), the repeated pair and the short row with a reason
    assert [line.split(",")[1] for line in lines[1:]] == ["e1", "e2", "e3", "e4", "e5", "e5", "e6"]
    assert lines[4].split(",")[8] == "violations"
    assert "pandas" not in loaded
    assert "jinja2" not in loaded  # the report locale is checked without loading the HTML renderer


def test_the_models_are_built_from_evaluated_annotations() -> None:
    # Without `from __future__ import annotations` in the model modules, Python evaluates each field's
    # annotation once, as it defines the class; Pydantic then compiles and evaluates no annotation string.
    code = (
        "import inspect, ecomperf.model as m\n"
        "from pydantic import BaseModel\n"
        "models = {c for c in vars(m).values() if inspect.isclass(c) and issubclass(c, BaseModel)}\n"
        "strings = sorted(f'{c.__module__}.{c.__name__}.{k}' for c in models\n"
        "                 for k, a in vars(c).get('__annotations__', {}).items() if isinstance(a, str))\n"
        "print(len(models), strings)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    count, strings = done.stdout.split(maxsplit=1)
    assert int(count) >= 40  # every document kind and its parts: FrameworkSpec, Position, KpiEntry, ...
    assert strings.strip() == "[]"


@pytest.mark.parametrize(("entry", "frozen"), [("main", True), ("app", False)])
def test_only_the_console_script_freezes_what_a_command_loaded(entry: str, frozen: bool) -> None:
    # `ecomperf validate` (main) ends with its command, so the modules and models it loaded are frozen out
    # of later collections; `app(...)` run in-process, as tests and embedding programs do, freezes nothing.
    call = "main()" if entry == "main" else "app(sys.argv[1:])"
    code = (
        "import gc, sys\nfrom ecomperf.cli import app, main\n"
        "sys.argv = ['ecomperf', 'validate', 'examples/mini-framework']\n"
        f"try:\n    {call}\nexcept SystemExit as exc:\n    assert not exc.code\n"
        "print(gc.get_freeze_count())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("OK: 1 framework(s), 7 file(s), no problems.")
    count = int(done.stdout.splitlines()[-1])
    # the Pydantic models, typer and the standard library alone are tens of thousands of objects
    assert count > 10_000 if frozen else count == 0


PROBE_PLUGIN = ROOT / "tests" / "fixtures" / "pydantic-plugin"  # an installed Pydantic plugin, as a folder on the path


@pytest.mark.parametrize(
    ("code", "setting", "watched"),
    [
        ("from ecomperf.cli import main\nmain()", None, False),  # the console script: no plugin
        ("from ecomperf.cli import main\nmain()", "", True),  # ...unless the environment asks for them
        ("import ecomperf\necomperf.load('examples/mini-framework')", None, True),  # a program's own choice
    ],
)
def test_the_console_script_runs_without_pydantic_plugins_unless_asked(
    code: str, setting: str | None, watched: bool
) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROBE_PLUGIN), env.get("PYTHONPATH")]))
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    script = f"import sys\nsys.argv = ['ecomperf', 'validate', 'examples/mini-framework']\n{code}\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    seen = {line.removeprefix("probe saw ") for line in done.stderr.splitlines() if line.startswith("probe saw ")}
    assert ("ecomperf.model.position" in seen) is watched, done.stderr
