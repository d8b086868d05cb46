"""Terminal screens of the getting-started tutorial, captured from the real CLI at build time.

The tutorial is one session, replayed in a scratch folder on every build:

1. ``make demo``: the ``ecomperf`` commands of the Makefile's ``demo`` recipe, run on copies of
   ``examples/`` and ``frameworks/``;
2. copy ``frameworks/ecommerce-ops`` to ``my-company`` and validate it;
3. raise one weight of the store manager's startup scorecard, validate (EP301), lower another, validate;
4. write a month of actuals to ``october.xlsx`` and score it, in the terminal and into ``results.xlsx``;
5. write the job descriptions of every position;
6. the monthly cycle: record October, November and December into a history database, correct a card,
   read the history, flag improvement plans, score the quarter from it and backtest the prepared 2027
   proposal (``examples/change``) on its recorded cards;
7. lay that proposal over a copy of the framework, show its semantic diff and backtest it on the example
   actuals.

Each step's screen is a ``console`` block: the command as typed after ``$``, then what ecomperf printed
(``typer.testing.CliRunner``, in-process, no colours). Page markdown asks for a screen by name with
``<!-- ecomperf:screen NAME -->``.
"""

from __future__ import annotations

import contextlib
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.docs._common import EXAMPLES, FRAMEWORKS, REPO, console, copy_tree, fence, run_cli, scratch, screen

COMPANY = "my-company"
"""The folder the tutorial copies the bundled framework to."""

SOURCE = "ecommerce-ops"
"""The bundled framework the tutorial starts from."""

POSITION_FILE = "positions/store_manager.yaml"
"""The file whose weights the tutorial edits."""

RAISE = ("new_user_growth_rate", 40, 45)
"""The weight the tutorial raises: KPI, from, to."""

LOWER = ("gross_margin", 10, 5)
"""The weight that then makes room for it: KPI, from, to."""

ACTUALS_SHEET = "october.xlsx"
"""The spreadsheet of actuals the tutorial scores."""

ACTUALS: tuple[dict[str, Any], ...] = (
    {
        "employee": "zhang_wei",
        "position": "store_manager",
        "stage": "startup",
        "period": "2026-10",
        "category": "apparel",
        "new_user_growth_rate": 0.22,
        "gmv": 21_500_000,
        "repurchase_rate": 0.33,
        "gross_margin": 0.41,
        "oversell_orders": 0,
    },
    {
        "employee": "chen_jing",
        "position": "customer_service_agent",
        "stage": "startup",
        "period": "2026-10",
        "category": "apparel",
        "inquiry_response_time": 18,
        "customer_satisfaction": 0.92,
    },
    {
        "employee": "liu_yang",
        "position": "customer_service_agent",
        "stage": "startup",
        "period": "2026-10",
        "category": "apparel",
        "inquiry_response_time": 30,
    },
)
"""One month of actuals: a store manager, two customer-service agents (one forgot a number)."""

_PERCENT_COLUMNS = {"new_user_growth_rate", "repurchase_rate", "gross_margin", "customer_satisfaction"}


@dataclass
class Session:
    """Every screen of the tutorial, by name."""

    screens: dict[str, str] = field(default_factory=dict)


_SESSION: Session | None = None


def reset() -> None:
    """Forget the captured session (each build replays it once)."""
    global _SESSION
    _SESSION = None


def render(name: str) -> str:
    """The markdown of screen ``name``."""
    global _SESSION
    if _SESSION is None:
        _SESSION = replay()
    try:
        return _SESSION.screens[name]
    except KeyError:
        raise KeyError(f"no tutorial screen {name!r}; screens: {', '.join(_SESSION.screens)}") from None


def replay() -> Session:
    """Run the whole tutorial in a scratch folder and capture every screen."""
    session = Session()
    _json_problems(session)
    with scratch() as root:
        _demo(session, root)
        _adapt(session, root)
        _score(session, root)
        _job_descriptions(session, root)
        _cycle(session, root)
        _change(session, root)
    return session


def _run(session: Session, name: str, command: str) -> tuple[int, str]:
    """Run ``ecomperf ...`` (as typed) and keep the screen under ``name``."""
    words = shlex.split(command)
    assert words[0] == "ecomperf", command
    code, output = run_cli(words[1:])
    session.screens[name] = console(command, output)
    return code, output


# --- 1. make demo -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipeLine:
    """One line of the ``demo`` recipe: what make prints, and how to replay it.

    ``kind`` is ``echo`` (make prints the text), ``ecomperf`` (run in-process), ``python`` (a script,
    run in-process) or ``shell`` (anything else: shown, not replayed).
    """

    kind: str
    text: str


def demo_recipe(makefile: Path = REPO / "Makefile") -> list[RecipeLine]:
    """The ``demo`` recipe of the Makefile, variables expanded, continuation lines joined."""
    source = makefile.read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*\n((?:\t.*\n?)*)", source, re.MULTILINE)
    if recipe is None:
        return []
    variables = dict(re.findall(r"^(\w+)\s*[?:]?=\s*(.*?)\s*$", source, re.MULTILINE))

    def expand(text: str) -> str:
        for _ in range(5):  # variables may refer to variables
            text = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), text)
        return text

    logical = re.sub(r"\\\n\t?", " ", recipe.group(1))
    lines = []
    for raw in logical.splitlines():
        command = expand(raw.strip().lstrip("@-").strip())
        if not command:
            continue
        echo = re.fullmatch(r"echo\s+([\"'])(.*)\1", command)
        if echo:
            lines.append(RecipeLine("echo", echo.group(2)))
        elif command.startswith(f"{variables.get('VENV', '.venv')}/bin/ecomperf "):
            lines.append(RecipeLine("ecomperf", "ecomperf " + command.split(" ", 1)[1]))
        elif re.fullmatch(rf"{re.escape(variables.get('VENV', '.venv'))}/bin/python [\w/.-]+\.py( [\w/.-]+)*", command):
            lines.append(RecipeLine("python", "python " + command.split(" ", 1)[1]))
        else:
            shown = " ".join(command.replace("$$", "$").split())
            lines.append(RecipeLine("shell", shown.replace(f"{variables.get('VENV', '.venv')}/bin/", "")))
    return lines


def demo_commands(makefile: Path = REPO / "Makefile") -> list[str]:
    """The ``ecomperf`` commands of the ``demo`` recipe, as a user would type them."""
    return [line.text for line in demo_recipe(makefile) if line.kind == "ecomperf"]


def _demo(session: Session, root: Path) -> None:
    """Replay the recipe; each ``echo`` starts a new paragraph, the commands under it share one screen."""
    demo = root / "demo"
    copy_tree(EXAMPLES, demo / "examples")
    copy_tree(FRAMEWORKS, demo / "frameworks")
    parts: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            parts.append(screen("\n".join(block)))
            block.clear()

    with contextlib.chdir(demo):
        for line in demo_recipe():
            if line.kind == "echo":
                flush()
                parts.append(f"**{line.text.lstrip('= ').strip()}**\n")
            elif line.kind == "ecomperf":
                words = shlex.split(line.text)
                for word in words:  # make creates no folders; the commands write into out/
                    if "/" in word and Path(word).suffix and not Path(word).exists():
                        Path(word).parent.mkdir(parents=True, exist_ok=True)
                code, output = run_cli(words[1:])
                if code != 0:  # make stops at a failing command, so the page must not show a later one
                    raise RuntimeError(f"`{line.text}` of the demo recipe exited {code}:\n{output}")
                block.append(f"$ {line.text}\n{output.rstrip()}")
            elif line.kind == "python":
                block.append(f"$ {line.text}\n{_run_script(*line.text.split()[1:]).rstrip()}")
            else:
                block.append(f"$ {line.text}\n(output not shown here)")
    flush()
    session.screens["demo"] = "\n".join(parts)


def _run_script(path: str, *args: str) -> str:
    """Run a Python script in-process as ``__main__`` with ``args`` and return what it printed."""
    import io
    import runpy
    import sys

    out = io.StringIO()
    argv = sys.argv
    sys.argv = [path, *args]
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv = argv
    return out.getvalue()


# --- 2. and 3. copy, validate, change a weight ---------------------------------------------------------


def _adapt(session: Session, root: Path) -> None:
    copy_tree(FRAMEWORKS / SOURCE, root / COMPANY)
    _run(session, "validate-ok", f"ecomperf validate {COMPANY}")
    path = root / COMPANY / POSITION_FILE
    original = path.read_text(encoding="utf-8")
    raised = _set_weight(original, *RAISE)
    path.write_text(raised, encoding="utf-8")
    session.screens["edit-raise"] = _snippet(raised, RAISE[0])
    _, output = _run(session, "validate-error", f"ecomperf validate {COMPANY}")
    session.screens["anatomy"] = anatomy(output.splitlines()[0], raised)
    fixed = _set_weight(raised, *LOWER)
    path.write_text(fixed, encoding="utf-8")
    session.screens["edit-lower"] = _snippet(fixed, LOWER[0])
    _run(session, "validate-fixed", f"ecomperf validate {COMPANY}")


def _startup_block(text: str) -> tuple[int, int]:
    """Line numbers (0-based, end exclusive) of the store manager's startup scorecard list."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "startup:")
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"^    \w+:", lines[i]))
    return start, end


def _set_weight(text: str, kpi: str, before: int, after: int) -> str:
    """``text`` with ``kpi``'s weight in the startup stage changed from ``before`` to ``after``."""
    lines = text.splitlines(keepends=True)
    start, end = _startup_block(text)
    for number in range(start, end):
        if re.search(rf"\bkpi: {kpi}\b", lines[number]):
            for candidate in range(number, end):
                if f"weight: {before}" in lines[candidate]:
                    lines[candidate] = lines[candidate].replace(f"weight: {before}", f"weight: {after}", 1)
                    return "".join(lines)
    raise LookupError(f"{POSITION_FILE}: no startup entry of {kpi} with weight {before}; update screens.py")


def _snippet(text: str, kpi: str) -> str:
    """The startup list of the edited file, with its line numbers and the changed line highlighted."""
    lines = text.splitlines()
    start, end = _startup_block(text)
    entry = next(i for i in range(start, end) if re.search(rf"\bkpi: {kpi}\b", lines[i]))
    changed = next(i for i in range(entry, end) if "weight:" in lines[i])
    body = "\n".join(lines[start:end])
    return fence(
        body,
        "yaml",
        title=f"{COMPANY}/{POSITION_FILE}",
        linenums=str(start + 1),
        hl_lines=str(changed - start + 1),
    )


def anatomy(line: str, text: str) -> str:
    """Take a problem line apart: the line itself, then what each part is."""
    match = re.match(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<code>EP\d{3}) (?P<message>.*)$", line)
    if match is None:
        raise ValueError(f"not a problem line: {line!r}")
    number, column = int(match["line"]), int(match["column"])
    pointed = text.splitlines()[number - 1]
    token = pointed[column - 1 :].split()[0] if pointed[column - 1 :].strip() else ""
    parts = [
        fence(line, "text"),
        f"- **Where.** `{match['file']}`, line {number}, column {column}: it points at `{token}` on that "
        "line, where what is wrong starts. Many editors jump there when you click the location; otherwise "
        "use *Go to line* (<kbd>Ctrl</kbd> + <kbd>G</kbd>).",
    ]
    return "\n".join(parts) + "\n"


# --- 4. score a month from a spreadsheet --------------------------------------------------------------


def columns() -> list[str]:
    """The columns of the actuals sheet, in the order of first appearance."""
    return list(dict.fromkeys(key for row in ACTUALS for key in row))


def _cell_text(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in _PERCENT_COLUMNS:
        return f"{value * 100:g}%"
    if isinstance(value, int) and value >= 10_000:
        return f"{value:,}"
    return str(value)


def _write_sheet(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "2026-10"
    header = columns()
    sheet.append(header)
    for row in ACTUALS:
        sheet.append([row.get(column) for column in header])
    for column_cells in sheet.iter_cols(min_row=2):
        name = header[column_cells[0].column - 1]
        for cell in column_cells:
            if name in _PERCENT_COLUMNS:
                cell.number_format = "0%"
            elif name == "gmv":
                cell.number_format = "#,##0"
    book.save(path)


def _sheet_table() -> str:
    header = columns()
    letters = [chr(ord("A") + i) for i in range(len(header))]
    lines = ["| | " + " | ".join(letters) + " |", "|--:|" + "---|" * len(header)]
    lines.append("| 1 | " + " | ".join(f"**{c}**" for c in header) + " |")
    for number, row in enumerate(ACTUALS, start=2):
        lines.append(f"| {number} | " + " | ".join(_cell_text(c, row.get(c)) for c in header) + " |")
    return "\n".join(lines) + "\n"


def _xlsx_table(path: Path, sheet_name: str | None = None) -> str:
    """A worksheet of a workbook ecomperf wrote, as a markdown table (numbers rounded for reading)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book[sheet_name] if sheet_name else book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        return ""

    def show(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:.2f}".rstrip("0").rstrip(".")
        return str(value).replace("|", "\\|")

    header, body = rows[0], rows[1:]
    lines = ["| " + " | ".join(show(c) for c in header) + " |", "|" + "---|" * len(header)]
    for row in body:
        cells = [*row, *[None] * (len(header) - len(row))]
        lines.append("| " + " | ".join(show(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    names = list(book.sheetnames)
    book.close()
    return names


def _score(session: Session, root: Path) -> None:
    sheet = root / ACTUALS_SHEET
    _write_sheet(sheet)
    session.screens["actuals-sheet"] = _sheet_table()
    _run(session, "score-terminal", f"ecomperf score {COMPANY} --actuals {ACTUALS_SHEET}")
    _run(session, "score-file", f"ecomperf score {COMPANY} --actuals {ACTUALS_SHEET} -o results.xlsx")
    results = root / "results.xlsx"
    names = _sheet_names(results)
    listed = ", ".join(f"*{name}*" for name in names)
    session.screens["results-sheets"] = f"`results.xlsx` has {len(names)} sheets: {listed}."
    session.screens["results-summary"] = _xlsx_table(results, names[0])
    _run(session, "score-renormalize", f"ecomperf score {COMPANY} --actuals {ACTUALS_SHEET} --missing renormalize")


# --- 6. the monthly cycle -----------------------------------------------------------------------------

CORRECTION = "corrections-2026-10.csv"
"""A file with one corrected October row: E008's error audit, delivered late."""


def _correction(source: Path, target: Path) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = next(line for line in lines if line.startswith("E008")).split(",")
    row[header.index("data_points_checked")] = "4000"
    row[header.index("data_errors_found")] = "8"
    target.write_text("\n".join([lines[0], ",".join(row)]) + "\n", encoding="utf-8")


def _cycle(session: Session, root: Path) -> None:
    folder = root / "cycle"
    copy_tree(FRAMEWORKS / SOURCE, folder / SOURCE)
    for month in ("10", "11", "12"):
        copy_tree(EXAMPLES / f"actuals-2026-{month}.csv", folder / f"actuals-2026-{month}.csv")
    with contextlib.chdir(folder):
        _correction(folder / "actuals-2026-10.csv", folder / CORRECTION)
        record = f"ecomperf score {SOURCE} --actuals actuals-2026-10.csv --missing renormalize --record perf.db"
        _run(session, "cycle-record", record)
        _run(session, "cycle-refused", record)
        _run(session, "cycle-replace", f"ecomperf score {SOURCE} --actuals {CORRECTION} --record perf.db --replace")
        for month in ("11", "12"):
            _run(session, f"cycle-record-{month}",
                 f"ecomperf score {SOURCE} --actuals actuals-2026-{month}.csv --record perf.db")
        _run(session, "cycle-versions", "ecomperf history perf.db --employee 'E008 周敏' --all-versions")
        _run(session, "cycle-history", "ecomperf history perf.db --employee 'E004 刘洋' --employee 'E002 李强'")
        _run(session, "cycle-json", "ecomperf history perf.db --period 2026-12 --employee 'E004 刘洋' --format json")
        _run(session, "cycle-trends", "ecomperf history perf.db --format html -o trends.html")
        _run(session, "cycle-team", "ecomperf history perf.db --period 2026-12 --format html -o team-2026-12.html")
        _run(session, "cycle-pip", f"ecomperf pip {SOURCE} --db perf.db")
        _run(session, "cycle-distribution", f"ecomperf distribution {SOURCE} --db perf.db --period 2026-12 "
                                            "--by department")
        _run(session, "cycle-quarter-strict", f"ecomperf score {SOURCE} --from-db perf.db --period 2026-Q4")
        _run(session, "cycle-quarter", f"ecomperf score {SOURCE} --from-db perf.db --period 2026-Q4 "
                                       "--missing renormalize -o q4.xlsx")
        _run_script(str(EXAMPLES / "change" / "lay_over.py"), CHANGE)
        _run(session, "cycle-backtest", f"ecomperf backtest {SOURCE} {CHANGE} --db perf.db --from 2026-10 --to 2026-12 "
                                        "--bonus-base 10000 --locale en")


# --- 5. job descriptions -------------------------------------------------------------------------------


def _job_descriptions(session: Session, root: Path) -> None:
    _run(session, "jd-docx", f"ecomperf jd {COMPANY} --all --locale zh --format docx -o job-descriptions")
    _run(
        session,
        "jd-html",
        f"ecomperf jd {COMPANY} --position store_manager --locale en --format html -o job-descriptions",
    )
    written = sorted(p.name for p in (root / "job-descriptions").iterdir())
    session.screens["jd-files"] = fence("\n".join(written), "text", title="job-descriptions/")


# --- 6. a framework change ----------------------------------------------------------------------------

CHANGE = "ecommerce-ops-2027"
"""The folder the change tutorial lays the prepared proposal of ``examples/change`` into."""


def _change(session: Session, root: Path) -> None:
    copy_tree(EXAMPLES, root / "examples")
    copy_tree(FRAMEWORKS / SOURCE, root / "frameworks" / SOURCE)
    session.screens["change-lay-over"] = console(
        f"python examples/change/lay_over.py {CHANGE}", _run_script("examples/change/lay_over.py", CHANGE))
    base = f"frameworks/{SOURCE}"
    _run(session, "change-diff", f"ecomperf diff {base} {CHANGE} --locale en")
    _run(session, "change-diff-md", f"ecomperf diff {base} {CHANGE} --format md --locale en")
    actuals = "--actuals examples/actuals-2026-10.csv --actuals examples/actuals-2026-Q3.csv"
    _run(session, "change-backtest", f"ecomperf backtest {base} {CHANGE} {actuals} --bonus-base 10000 --locale en")
    _run(session, "change-gate", f"ecomperf backtest {base} {CHANGE} {actuals} --fail-on-grade-change --format md "
                                 f"-o backtest.md")


# --- CI -------------------------------------------------------------------------------------------------

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
"""The pre-commit hooks this repository provides."""


def _json_problems(session: Session) -> None:
    """``validate --format json`` on the EP301 example of the problem-code page."""
    from scripts.docs import problems

    code = next(c for c in problems.load_codes() if c.code == "EP301")
    with problems.laid_out(code.examples[0].files):
        _run(session, "validate-json", f"ecomperf validate --format json {problems.FOLDER}")


def repository_file(name: str) -> str:
    """A file of the repository, shown whole in a code block titled with its path."""
    path = REPO / name
    language = {".yaml": "yaml", ".yml": "yaml", ".py": "python", ".toml": "toml"}.get(path.suffix, "text")
    return fence(path.read_text(encoding="utf-8"), language, title=name)


def hook_ids() -> list[str]:
    """The ids of the hooks in ``.pre-commit-hooks.yaml``."""
    import yaml

    return [hook["id"] for hook in yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))]


def pre_commit_config(folder: str = f"frameworks/{COMPANY}") -> str:
    """A ``.pre-commit-config.yaml`` for an HR repository, using this repository's hook and version."""
    import ecomperf

    hooks = "\n".join(f"      - id: {hook}\n        args: [{folder}]" for hook in hook_ids())
    text = (
        "repos:\n"
        "  - repo: https://github.com/ORG/ecomperf   # where your team keeps ecomperf\n"
        f"    rev: v{ecomperf.__version__}\n"
        f"    hooks:\n{hooks}\n"
    )
    return fence(text, "yaml", title=".pre-commit-config.yaml (in the HR repository)")
