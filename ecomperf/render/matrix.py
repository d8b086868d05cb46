"""The ownership matrix: KPIs × positions and duties × positions, with the gaps and overlaps flagged.

* KPIs × positions: each cell shows the KPI's weight per stage on that position's scorecard
  (``初创期 40 / 成熟期 20``); a KPI that no position carries is flagged.
* Duties × positions: each cell says where the duty comes from (the module's name, or "own"); a duty
  held by several positions is flagged (softly when the framework declares it ``shared``), and so is a
  duty nobody holds.

>>> print(render_matrix(fw, format="md", locale="en"))  # doctest: +SKIP
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, overload

from ecomperf.errors import RenderError
from ecomperf.model import localize
from ecomperf.model.weights import stage_points
from ecomperf.render._choices import check_choice, resolve_locale
from ecomperf.render.environment import builtin_environment, render_template
from ecomperf.render.labels import labels_for
from ecomperf.spreadsheet_layout import (
    LINE_HEIGHT,
    MARGINS,
    PAPER_A4,
    column_width,
    display_width,
    wrapped_lines,
)
from ecomperf.spreadsheet_text import keep_as_text, looks_like_formula
from ecomperf.targets import format_quantity

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = [
    "MATRIX_FORMATS",
    "DutyOwnership",
    "KpiOwnership",
    "MatrixFormat",
    "OwnershipMatrix",
    "ownership_matrix",
    "render_matrix",
]

MatrixFormat = Literal["md", "html", "xlsx"]
"""The formats the ownership matrix renders to."""

MATRIX_FORMATS: tuple[MatrixFormat, ...] = ("md", "html", "xlsx")
"""Every ownership-matrix format."""

Status = Literal["", "unowned", "multiple", "shared", "unheld"]
_Text = Callable[[str | dict[str, str] | None], str]


@dataclass(frozen=True)
class PositionColumn:
    """One position column of the matrix."""

    id: str
    name: str


@dataclass(frozen=True)
class KpiOwnership:
    """One KPI row: its weight per stage for each position (``""`` where the position does not carry it).

    ``cells`` reads ``初创期 40 / 成熟期 20``; ``stage_weights`` holds the same parts unjoined.
    """

    kpi: str
    name: str
    cells: tuple[str, ...]
    stage_weights: tuple[tuple[str, ...], ...]
    owners: int
    status: Status
    note: str


@dataclass(frozen=True)
class DutyOwnership:
    """One duty row: for each position how it holds the duty (``● 模块``/``● module`` or ``● 本岗``/``● own``).

    A cell is ``""`` where the position does not hold the duty.
    """

    ref: str
    text: str
    belongs_to: str
    cells: tuple[str, ...]
    holders: int
    status: Status
    note: str


@dataclass(frozen=True)
class OwnershipMatrix:
    """Both halves of the matrix in one locale, ready for a template."""

    locale: str
    labels: Mapping[str, str]
    title: str
    framework_id: str
    positions: tuple[PositionColumn, ...]
    kpis: tuple[KpiOwnership, ...]
    duties: tuple[DutyOwnership, ...]


def ownership_matrix(framework: FrameworkIndex, locale: str | None = None) -> OwnershipMatrix:
    """Collect the ownership matrix of ``framework`` in ``locale`` (default: the framework's default locale).

    Raises:
        RenderError: the framework does not declare ``locale``.
    """
    locale = resolve_locale(framework, locale)
    labels = labels_for(locale)
    fallback = framework.default_locale

    def text(value: str | dict[str, str] | None) -> str:
        return localize(value, locale, fallback)

    positions = tuple(PositionColumn(p.id, text(p.name)) for p in framework.positions.values())
    return OwnershipMatrix(
        locale=locale,
        labels=labels,
        title=labels["matrix_title"].format(framework=text(framework.spec.name)),
        framework_id=framework.id,
        positions=positions,
        kpis=_kpi_rows(framework, text, labels),
        duties=_duty_rows(framework, text, labels),
    )


def _kpi_ids(framework: FrameworkIndex) -> list[str]:
    named: set[str] = set()
    for module in framework.modules.values():
        named.update(module.kpis)
        for duty in module.responsibilities:
            named.update(duty.kpis)
    for position in framework.positions.values():
        for duty in position.responsibilities:
            named.update(duty.kpis)
        if position.scorecard is not None:
            named.update(entry.kpi for entries in position.scorecard.stages.values() for entry in entries)
    ordered = [metric_id for metric_id in framework.metrics if metric_id in named]
    return ordered + sorted(named.difference(ordered))


def _kpi_rows(framework: FrameworkIndex, text: _Text, labels: Mapping[str, str]) -> tuple[KpiOwnership, ...]:
    rows: list[KpiOwnership] = []
    for kpi in _kpi_ids(framework):
        parts = tuple(_kpi_cell(framework, position_id, kpi, text, labels) for position_id in framework.positions)
        cells = tuple(" / ".join(cell) for cell in parts)
        owners = sum(1 for cell in cells if cell)
        metric = framework.metrics.get(kpi)
        status: Status = "unowned" if owners == 0 else ""
        rows.append(
            KpiOwnership(
                kpi=kpi,
                name=text(metric.name) if metric is not None else kpi,
                cells=cells,
                stage_weights=parts,
                owners=owners,
                status=status,
                note=labels["matrix_unowned"] if status else "",
            )
        )
    return tuple(rows)


def _kpi_cell(
    framework: FrameworkIndex, position_id: str, kpi: str, text: _Text, labels: Mapping[str, str]
) -> tuple[str, ...]:
    card = framework.positions[position_id].scorecard
    if card is None:
        return ()
    parts: list[str] = []
    for stage in framework.stages:
        entry = next((e for e in card.stages.get(stage.id, ()) if e.kpi == kpi), None)
        if entry is None:
            continue
        is_veto = entry.weight == 0 and entry.scoring is not None and entry.scoring.method == "veto"
        points = stage_points(framework.rules.weights, card, stage.id)[kpi]
        weight = labels["matrix_veto"] if is_veto else format_quantity(points)
        parts.append(f"{text(stage.name)} {weight}")
    return tuple(parts)


def _duty_rows(framework: FrameworkIndex, text: _Text, labels: Mapping[str, str]) -> tuple[DutyOwnership, ...]:
    held: dict[str, dict[str, str]] = {ref: {} for ref in framework.duty_index}
    for position in framework.positions.values():
        for info in framework.duties_of(position.id):
            held[info.ref][position.id] = labels["matrix_own" if info.owner_kind == "Position" else "matrix_via_module"]
    rows: list[DutyOwnership] = []
    for ref, info in framework.duty_index.items():
        holders = held[ref]
        module = framework.modules.get(info.owner_id) if info.owner_kind == "Module" else None
        declared_shared = info.duty.shared or (module is not None and module.shared)
        status: Status = ""
        if not holders:
            status = "unheld"
        elif len(holders) > 1:
            status = "shared" if declared_shared else "multiple"
        rows.append(
            DutyOwnership(
                ref=ref,
                text=text(info.duty.text),
                belongs_to=_owner_name(framework, info.owner_id, text),
                cells=tuple(holders.get(position_id, "") for position_id in framework.positions),
                holders=len(holders),
                status=status,
                note=labels[f"matrix_{status}"] if status else "",
            )
        )
    return tuple(rows)


def _owner_name(framework: FrameworkIndex, owner_id: str, text: _Text) -> str:
    owner = framework.modules.get(owner_id) or framework.positions.get(owner_id)
    return text(owner.name) if owner is not None else owner_id


@overload
def render_matrix(
    framework: FrameworkIndex, *, format: Literal["md", "html"] = ..., locale: str | None = ...
) -> str: ...
@overload
def render_matrix(framework: FrameworkIndex, *, format: Literal["xlsx"], locale: str | None = ...) -> bytes: ...
@overload
def render_matrix(framework: FrameworkIndex, *, format: str, locale: str | None = ...) -> str | bytes: ...
def render_matrix(framework: FrameworkIndex, *, format: str = "md", locale: str | None = None) -> str | bytes:
    """Render the ownership matrix as Markdown or HTML (``str``) or an Excel workbook (``bytes``).

    Raises:
        RenderError: unknown format or locale (with a "did you mean").
    """
    check_choice("format", format, MATRIX_FORMATS)
    matrix = ownership_matrix(framework, locale)
    if format == "xlsx":
        return matrix_xlsx(matrix)
    return render_template(builtin_environment(), f"matrix.{format}.j2", matrix=matrix, labels=matrix.labels)


_FLAG_FILL = "FDE2E2"
_SOFT_FILL = "FFF4D6"
_HEAD_FILL = "DCE6F2"
_MATRIX_WIDTH = 48
_CJK_HEADING = 8


def matrix_xlsx(matrix: OwnershipMatrix) -> bytes:
    """The matrix as an ``.xlsx`` workbook: one sheet per half, flagged rows filled, header frozen.

    Raises:
        RenderError: openpyxl is not installed.
    """
    try:
        from openpyxl import Workbook  # optional extra [xlsx]
        from openpyxl.styles import Alignment, Font, PatternFill  # optional extra [xlsx]
    except ImportError as exc:

        raise RenderError("Excel output needs openpyxl: pip install 'ecomperf[xlsx]'") from exc
    labels = matrix.labels
    names = [column.name for column in matrix.positions]
    workbook = Workbook()
    kpi_sheet = workbook.active
    kpi_sheet.title = _sheet_title(labels["matrix_kpis"])
    kpi_sheet.append([labels["kpi"], *names, labels["matrix_status"]])
    for kpi_row in matrix.kpis:
        kpi_sheet.append([kpi_row.name, *kpi_row.cells, kpi_row.note])
    duty_sheet = workbook.create_sheet(_sheet_title(labels["matrix_duties"]))
    duty_sheet.append([labels["matrix_duty"], labels["matrix_module"], *names, labels["matrix_status"]])
    for duty_row in matrix.duties:
        duty_sheet.append([duty_row.text, duty_row.belongs_to, *duty_row.cells, duty_row.note])
    fills = {
        "unowned": PatternFill("solid", fgColor=_FLAG_FILL),
        "multiple": PatternFill("solid", fgColor=_FLAG_FILL),
        "unheld": PatternFill("solid", fgColor=_FLAG_FILL),
        "shared": PatternFill("solid", fgColor=_SOFT_FILL),
    }
    statuses = [[row.status for row in matrix.kpis], [row.status for row in matrix.duties]]
    for sheet, row_statuses, label_columns in ((kpi_sheet, statuses[0], 1), (duty_sheet, statuses[1], 2)):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=_HEAD_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, status in enumerate(row_statuses, start=2):
            for cell in sheet[index]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if status:
                    cell.fill = fills[status]
        for row in sheet.iter_rows():
            for cell in row:
                if looks_like_formula(cell.value):
                    keep_as_text(cell)  # a position named "=1+2" shows as written, never as 3
        sheet.freeze_panes = sheet.cell(row=2, column=label_columns + 1)
        sheet.auto_filter.ref = sheet.dimensions
        for column_cells in sheet.columns:
            header, *body = column_cells
            widest = max([_heading_width(str(header.value or "")),
                          *(display_width(part) for cell in body for part in _parts(cell.value))])
            sheet.column_dimensions[header.column_letter].width = column_width(widest, _MATRIX_WIDTH)
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        for row in sheet.iter_rows():
            lines = max(wrapped_lines(str(cell.value or ""), width) for cell, width in zip(row, widths, strict=True))
            if lines > 1:  # a spreadsheet shows one line of a row whose height nobody set
                sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT
        _print_setup(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(text: str) -> str:
    cleaned = "".join("-" if ch in '\\/?*[]:' else ch for ch in text)
    return cleaned[:31]


def _parts(value: object) -> list[str]:
    """The pieces a wrapped cell breaks into: one stage's weight each (``初创期 25 / 成长期 25``), or lines."""
    return str(value or "").replace(" / ", " /\n").splitlines()


def _heading_width(text: str) -> int:
    """A heading wraps: its longest word sets its width, and a CJK name (no spaces) wraps after 4 characters."""
    return max((min(display_width(word), _CJK_HEADING) if not word.isascii() else display_width(word)
                for word in text.split()), default=0)


def _print_setup(sheet: Any) -> None:
    """A4 landscape, one page wide, the header row on every page (:mod:`ecomperf.spreadsheet_layout`)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left, sheet.page_margins.right, sheet.page_margins.top, sheet.page_margins.bottom = MARGINS
    sheet.oddFooter.left.text = "&A"
    sheet.oddFooter.right.text = "&P / &N"
