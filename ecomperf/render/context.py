"""The data of one job description (岗位说明书), localised and formatted, ready for any template.

Every value is plain text already in the chosen locale, so templates only lay it out. Text from YAML is
passed as data and never compiled as a template: ``{{ 7*7 }}`` in a duty prints as written.

Templates receive ``jd`` (a :class:`JobDescription`) and ``labels`` (the locale's label catalogue).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ecomperf.model import Competencies, KpiEntry, Metric, Position, localize
from ecomperf.model.weights import stage_points
from ecomperf.render.formatting import cycle_text, kpi_scoring_text, kpi_target_clauses, weight_text
from ecomperf.render.labels import labels_for, section_number
from ecomperf.targets import format_quantity

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = [
    "BasicField",
    "CompetencyGroup",
    "DutyGroup",
    "ForbiddenItem",
    "GradeRow",
    "JobDescription",
    "KpiRow",
    "StageKpis",
    "WorkflowGroup",
    "WorkflowRow",
    "build_job_description",
]

_COMPETENCY_PARTS = ("professional_knowledge", "core_skills", "general_abilities", "professional_qualities")


@dataclass(frozen=True)
class BasicField:
    """One row of the basic-information table: a label and its value."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class DutyGroup:
    """Responsibilities under one heading: a module's name, or the position's own duties."""

    heading: str
    module_id: str | None
    duties: tuple[str, ...]


@dataclass(frozen=True)
class ForbiddenItem:
    """A forbidden duty (禁止事项) by its text, with the reason and the name of whoever holds that duty."""

    ref: str
    duty: str
    reason: str
    belongs_to: str


@dataclass(frozen=True)
class CompetencyGroup:
    """One of the four parts of the competency model with its entries."""

    key: str
    label: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class WorkflowRow:
    """A workflow step the position owns or takes part in."""

    workflow: str
    step: str
    role: str
    when: str


@dataclass(frozen=True)
class WorkflowGroup:
    """The steps of one workflow that the position owns or joins, with the workflow's cadence."""

    workflow: str
    cadence: str
    steps: tuple[WorkflowRow, ...]


@dataclass(frozen=True)
class KpiRow:
    """One KPI of a stage, every cell formatted (``40%``, ``≥ 4；3C数码：≥ 6``, ``月度``).

    ``target`` is the whole target text; ``target_clauses`` the default and each variant separately.
    """

    kpi: str
    name: str
    definition: str
    weight: str
    target: str
    target_clauses: tuple[str, ...]
    scoring: str
    cycle: str
    source: str


@dataclass(frozen=True)
class StageKpis:
    """The KPI table of one company stage."""

    id: str
    name: str
    heading: str
    rows: tuple[KpiRow, ...]


@dataclass(frozen=True)
class GradeRow:
    """One grade of the grade scale."""

    grade: str
    name: str
    label: str
    min: str
    bonus: str


@dataclass(frozen=True)
class JobDescription:
    """Everything a job-description template shows, in one locale.

    Attributes:
        headings: numbered section headings of the sections present (``basic_info``, ``purpose``,
            ``responsibilities``, ``forbidden``, ``qualifications``, ``competencies``, ``workflows``,
            ``performance``); a section without content has no heading and is left out.
        workflows: every workflow step the position owns or joins; ``workflow_groups`` the same steps
            grouped by workflow (with its cadence).
        performance: one table for the chosen stage, or one per stage on the scorecard without a stage.
        stage: the chosen stage's name (``""`` for all stages).
    """

    locale: str
    labels: Mapping[str, str]
    headings: Mapping[str, str]
    framework_id: str
    framework_name: str
    framework_version: str
    position_id: str
    title: str
    document_title: str
    department: str
    level: str
    reports_to: str
    direct_reports: tuple[str, ...]
    stage_id: str | None
    stage: str
    basic_info: tuple[BasicField, ...]
    purpose: str
    occupational_category: str
    responsibilities: tuple[DutyGroup, ...]
    forbidden: tuple[ForbiddenItem, ...]
    qualifications: tuple[str, ...]
    competencies: tuple[CompetencyGroup, ...]
    workflows: tuple[WorkflowRow, ...]
    workflow_groups: tuple[WorkflowGroup, ...]
    performance: tuple[StageKpis, ...]
    grades: tuple[GradeRow, ...]
    veto_rule: str


class _Texts:
    """Localises text of one framework into one locale."""

    def __init__(self, framework: FrameworkIndex, locale: str) -> None:
        self.framework = framework
        self.locale = locale
        self.fallback = framework.default_locale
        self.labels = labels_for(locale)

    def __call__(self, text: str | dict[str, str] | None) -> str:
        # YAML block scalars end in a newline that would show as an empty line in a document.
        return localize(text, self.locale, self.fallback).strip()

    def position_name(self, position_id: str) -> str:
        position = self.framework.positions.get(position_id)
        return self(position.name) if position is not None else position_id

    def owner_name(self, owner_id: str) -> str:
        module = self.framework.modules.get(owner_id)
        return self(module.name) if module is not None else self.position_name(owner_id)


def build_job_description(
    framework: FrameworkIndex, position_id: str, stage_id: str | None, locale: str
) -> JobDescription:
    """Collect the job description of ``position_id`` in ``locale``, for one stage or for all.

    The arguments must already be valid (see :func:`ecomperf.render.jd.render_jd`, which checks them).
    """
    texts = _Texts(framework, locale)
    labels = texts.labels
    position = framework.positions[position_id]
    stage = next((s for s in framework.stages if s.id == stage_id), None)
    title = texts(position.name)
    reports_to = texts.position_name(position.reports_to) if position.reports_to else ""
    direct_reports = tuple(texts(p.name) for p in framework.direct_reports(position_id))
    level = _level_name(framework, position, texts)
    stage_name = texts(stage.name) if stage is not None else ""
    none = labels["none"]
    basic_info = (
        BasicField("position_title", labels["position_title"], title),
        BasicField("department", labels["department"], texts(position.department) or none),
        BasicField("level", labels["level"], level or none),
        BasicField("reports_to", labels["reports_to"], reports_to or none),
        BasicField("direct_reports", labels["direct_reports"], labels["list_sep"].join(direct_reports) or none),
        BasicField("stage", labels["stage"], stage_name or labels["all_stages"]),
    )
    responsibilities = _responsibilities(framework, position, stage_id, texts)
    forbidden = _forbidden(framework, position, stage_id, texts)
    qualifications = tuple(texts(q) for q in position.qualifications)
    competencies = _competencies(position.competencies, texts)
    workflow_groups = _workflow_groups(framework, position_id, texts)
    workflows = tuple(row for group in workflow_groups for row in group.steps)
    purpose = texts(position.purpose)
    present = {
        "basic_info": True,
        "purpose": bool(purpose),
        "responsibilities": bool(responsibilities),
        "forbidden": bool(forbidden),
        "qualifications": bool(qualifications),
        "competencies": bool(competencies),
        "workflows": bool(workflows),
        "performance": True,
    }
    shown = [key for key, is_present in present.items() if is_present]
    headings = {key: f"{section_number(i, locale)}{labels[key]}" for i, key in enumerate(shown, start=1)}
    cap = framework.rules.veto_caps_grade_at
    return JobDescription(
        locale=locale,
        labels=labels,
        headings=headings,
        framework_id=framework.id,
        framework_name=texts(framework.spec.name),
        framework_version=framework.spec.version,
        position_id=position.id,
        title=title,
        document_title=labels["jd_title"].format(title=title),
        department=texts(position.department),
        level=level,
        reports_to=reports_to,
        direct_reports=direct_reports,
        stage_id=stage_id,
        stage=stage_name,
        basic_info=basic_info,
        purpose=purpose,
        occupational_category=position.occupational_category or "",
        responsibilities=responsibilities,
        forbidden=forbidden,
        qualifications=qualifications,
        competencies=competencies,
        workflows=workflows,
        workflow_groups=workflow_groups,
        performance=_performance(framework, position, stage_id, texts),
        grades=tuple(
            GradeRow(
                g.id,
                texts(g.name),
                f"{g.id} {texts(g.name)}" if g.name else g.id,
                format_quantity(g.min),
                format_quantity(g.bonus),
            )
            for g in framework.grades
        ),
        veto_rule=labels["veto_rule"].format(grade=cap) if cap else "",
    )


def _level_name(framework: FrameworkIndex, position: Position, texts: _Texts) -> str:
    if position.level is None:
        return ""
    level = next((lv for lv in framework.spec.levels if lv.id == position.level), None)
    return texts(level.name) if level is not None else position.level


def _module_applies(framework: FrameworkIndex, module_id: str, stage_id: str | None) -> bool:
    module = framework.modules.get(module_id)
    if module is None:
        return False
    return stage_id is None or module.stages is None or stage_id in module.stages


def _responsibilities(
    framework: FrameworkIndex, position: Position, stage_id: str | None, texts: _Texts
) -> tuple[DutyGroup, ...]:
    groups = [
        DutyGroup(
            texts(framework.modules[module_id].name),
            module_id,
            tuple(texts(duty.text) for duty in framework.modules[module_id].responsibilities),
        )
        for module_id in position.modules
        if _module_applies(framework, module_id, stage_id)
    ]
    if position.responsibilities:
        own = tuple(texts(duty.text) for duty in position.responsibilities)
        groups.append(DutyGroup(texts.labels["own_duties"], None, own))
    return tuple(group for group in groups if group.duties)


def _forbidden(
    framework: FrameworkIndex, position: Position, stage_id: str | None, texts: _Texts
) -> tuple[ForbiddenItem, ...]:
    items: list[ForbiddenItem] = []
    seen: set[str] = set()
    for forbidden, source in framework.forbidden_for(position.id):
        if source != position.id and not _module_applies(framework, source, stage_id):
            continue
        if forbidden.duty in seen:
            continue
        seen.add(forbidden.duty)
        info = framework.duty_index.get(forbidden.duty)
        duty = texts(info.duty.text) if info is not None else forbidden.duty
        owner = texts.owner_name(info.owner_id) if info is not None else ""
        items.append(ForbiddenItem(forbidden.duty, duty, texts(forbidden.reason), owner))
    return tuple(items)


def _competencies(competencies: Competencies | None, texts: _Texts) -> tuple[CompetencyGroup, ...]:
    if competencies is None:
        return ()
    groups = (
        CompetencyGroup(part, texts.labels[part], tuple(texts(entry) for entry in getattr(competencies, part)))
        for part in _COMPETENCY_PARTS
    )
    return tuple(group for group in groups if group.entries)


def _workflow_groups(framework: FrameworkIndex, position_id: str, texts: _Texts) -> tuple[WorkflowGroup, ...]:
    groups: dict[str, tuple[str, str, list[WorkflowRow]]] = {}
    for workflow, step_id, role in framework.workflows_of(position_id):
        step = next(s for s in workflow.steps if s.id == step_id)
        name = texts(workflow.name)
        _, _, steps = groups.setdefault(workflow.id, (name, texts(workflow.cadence), []))
        steps.append(WorkflowRow(name, texts(step.name), texts.labels[f"role_{role}"], texts(step.when)))
    return tuple(WorkflowGroup(name, cadence, tuple(steps)) for name, cadence, steps in groups.values())


def _performance(
    framework: FrameworkIndex, position: Position, stage_id: str | None, texts: _Texts
) -> tuple[StageKpis, ...]:
    card = position.scorecard
    stages = [s for s in framework.stages if s.id == stage_id] if stage_id else list(framework.stages)
    tables: list[StageKpis] = []
    for stage in stages:
        entries = card.stages.get(stage.id) if card is not None else None
        if entries is None and stage_id is None:
            continue
        default_cycle = card.cycle if card is not None else "monthly"
        points = stage_points(framework.rules.weights, card, stage.id) if card is not None and entries else {}
        rows = tuple(_kpi_row(framework, entry, points[entry.kpi], default_cycle, texts) for entry in entries or ())
        name = texts(stage.name)
        tables.append(StageKpis(stage.id, name, texts.labels["stage_kpis"].format(stage=name), rows))
    return tuple(tables)


def _kpi_row(
    framework: FrameworkIndex, entry: KpiEntry, weight: float, default_cycle: str, texts: _Texts
) -> KpiRow:
    metric = framework.metrics.get(entry.kpi)
    labels = texts.labels
    cycle = entry.cycle or (metric.cycle if metric is not None else None) or default_cycle
    clauses = kpi_target_clauses(entry, metric, framework.spec, texts.locale, labels)
    return KpiRow(
        kpi=entry.kpi,
        name=texts(metric.name) if metric is not None else entry.kpi,
        definition=_definition(metric, texts),
        weight=weight_text(weight),
        target=labels["clause_sep"].join(clauses),
        target_clauses=clauses,
        scoring=kpi_scoring_text(entry, metric, labels, framework.rules.veto_caps_grade_at),
        cycle=cycle_text(cycle, labels),
        source=texts(metric.source) if metric is not None else "",
    )


def _definition(metric: Metric | None, texts: _Texts) -> str:
    if metric is None:
        return ""
    if metric.definition is not None:
        return texts(metric.definition)
    return metric.formula or ""
