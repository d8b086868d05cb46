"""Terminal screens of the getting-started tutorial, captured from the real CLI at build time.

The tutorial is one session, replayed in a scratch folder on every build:

1. ``make demo``: the ``ecomperf`` commands of the Makefile's ``demo`` recipe, run on copies of
   ``examples/`` and ``frameworks/``;
2. copy ``frameworks/ecommerce-ops`` to ``my-company`` and validate it;
3. raise one weight of the store manager's startup scorecard, validate (EP301), lower another, validate;
4. write a month of actuals to ``october.xlsx`` and score it, in the terminal and into ``results.xlsx``;
5. write the job descriptions of every position.

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

from scripts.docs._common import EXAMPLES, FRAMEWORKS, REPO, console, copy_tree, fence, run_cli, scratch

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
        "employee": "zhang_wei", "position": "store_manager", "stage": "startup", "period": "2026-10",
        "category": "apparel", "new_user_growth_rate": 0.22, "gmv": 21_500_000, "repurchase_rate": 0.33,
        "gross_margin": 0.41, "oversell_orders": 0,
    },
    {
        "employee": "chen_jing", "position": "customer_service_agent", "stage": "startup", "period": "2026-10",
        "category": "apparel", "inquiry_response_time": 18, "customer_satisfaction": 0.92,
    },
    {
        "employee": "liu_yang", "position": "customer_service_agent", "stage": "startup", "period": "2026-10",
        "category": "apparel", "inquiry_response_time": 30,
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
    with scratch() as root:
        _demo(session, root)
        _adapt(session, root)
        _score(session, root)
        _job_descriptions(session, root)
    return session


def _run(session: Session, name: str, command: str) -> tuple[int, str]:
    """Run ``ecomperf ...`` (as typed) and keep the screen under ``name``."""
    words = shlex.split(command)
    assert words[0] == "ecomperf", command
    code, output = run_cli(words[1:])
    session.screens[name] = console(command, output)
    return code, output


# --- 1. make demo -------------------------------------------------------------------------------------


def demo_commands(makefile: Path = REPO / "Makefile") -> list[str]:
    """The ``ecomperf`` commands of the Makefile's ``demo`` recipe, as a user would type them."""
    text = makefile.read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*\n((?:\t.*\n?)*)", text, re.MULTILINE)
    if recipe is None:
        return []
    variables = dict(re.findall(r"^(\w+)\s*\?=\s*(.*)$", text, re.MULTILINE))
    commands = []
    for line in recipe.group(1).splitlines():
        command = line.strip().lstrip("@-")
        if not command.startswith("$(BIN)/ecomperf"):
            continue
        command = command.replace("$(BIN)/ecomperf", "ecomperf")
        command = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), command)
        commands.append(command)
    return commands


def _demo(session: Session, root: Path) -> None:
    demo = root / "demo"
    copy_tree(EXAMPLES, demo / "examples")
    copy_tree(FRAMEWORKS, demo / "frameworks")
    screens = []
    with contextlib.chdir(demo):
        for command in demo_commands():
            _, output = run_cli(shlex.split(command)[1:])
            screens.append(f"$ {command}\n{output.rstrip()}")
    session.screens["demo"] = fence("\n".join(screens), "console")


# --- 2. and 3. copy, validate, change a weight ---------------------------------------------------------


def _adapt(session: Session, root: Path) -> None:
    copy_tree(FRAMEWORKS / SOURCE, root / COMPANY)
    _run(session, "validate-ok", f"ecomperf validate {COMPANY}")
    path = root / COMPANY / POSITION_FILE
    original = path.read_text(encoding="utf-8")
    raised = _set_weight(original, *RAISE)
    path.write_text(raised, encoding="utf-8")
    session.screens["edit-raise"] = _snippet(raised, RAISE[0])
    _run(session, "validate-error", f"ecomperf validate {COMPANY}")
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
    session.screens["results-sheets"] = ", ".join(f"**{name}**" for name in names)
    session.screens["results-summary"] = _xlsx_table(results, names[0])
    _run(session, "score-renormalize", f"ecomperf score {COMPANY} --actuals {ACTUALS_SHEET} --missing renormalize")


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
