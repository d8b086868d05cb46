"""The data of one job description (岗位说明书), localised and formatted, ready for any template.

Every value is plain text already in the chosen locale, so templates only lay it out. Text from YAML is
passed as data and never compiled as a template: ``{{ 7*7 }}`` in a duty prints as written.

Templates receive ``jd`` (a :class:`JobDescription`) and ``labels`` (the locale's label catalogue).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ecomperf.model import Competencies, Event, KpiEntry, Metric, Position, Section, VetoScoring, localize
from ecomperf.model.weights import stage_points
from ecomperf.render.formatting import cycle_text, kpi_scoring_text, kpi_target_clauses, target_text, weight_text
from ecomperf.render.l10n import period_pattern_text
from ecomperf.render.labels import labels_for, section_number
from ecomperf.render.messages import translate, translate_plural
from ecomperf.scoring.methods import default_method
from ecomperf.scoring.resolve import ResolvedCard, ResolvedKpi, resolve_card
from ecomperf.targets import Target, format_quantity

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = [
    "BasicField",
    "CompetencyGroup",
    "DutyGroup",
    "EventAdjustment",
    "EventChange",
    "ForbiddenItem",
    "GradeRow",
    "JobDescription",
    "KpiGroup",
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
    """A forbidden duty (禁止事项) by its text, with the reason and the name of whoever holds that duty.

    ``prohibition`` phrases it as one: ``Must not: Channel expansion`` / ``不得：渠道拓展``.
    """

    ref: str
    duty: str
    reason: str
    belongs_to: str
    prohibition: str


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
class KpiGroup:
    """The KPIs of one scorecard section in a stage's table, under the section's name and weight.

    ``weight`` is the points of 100 the section's KPIs carry on the card in this stage (``60%``), and
    ``heading`` both together (``目标（60%）`` / ``Goals (60%)``). On a card without sections the stage has
    one group with ``section``, ``heading`` and ``weight`` empty, holding every row.
    """

    section: str
    name: str
    weight: str
    heading: str
    rows: tuple[KpiRow, ...]


@dataclass(frozen=True)
class StageKpis:
    """The KPI table of one company stage: every row in card order, and the same rows by section (``groups``)."""

    id: str
    name: str
    heading: str
    rows: tuple[KpiRow, ...]
    groups: tuple[KpiGroup, ...] = ()


@dataclass(frozen=True)
class EventChange:
    """One KPI an event changes on one stage's card: its weight (``30% → 20%``, ``added: 50%``) and target."""

    stage: str
    kpi: str
    name: str
    weight: str
    target: str


@dataclass(frozen=True)
class EventAdjustment:
    """How one event (Double 11, 618 …) changes the position's KPIs while it is on.

    ``heading`` reads ``Double 11 (November, every year)``; ``changes`` lists only what differs from the
    usual card, stage by stage.
    """

    id: str
    name: str
    periods: str
    heading: str
    changes: tuple[EventChange, ...]


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
        events: the events that change this position's KPIs in the stages shown, with ``events_heading``
            and ``events_note`` (KPIs not listed keep their weight and target).
        stage: the chosen stage's name (``""`` for all stages).
        veto_rule: what a breach of the veto KPIs shown does, as the scorecard rules it (capped grade
            or a total of 0), naming those KPIs; ``""`` when none is shown.
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
    events: tuple[EventAdjustment, ...]
    events_heading: str
    events_note: str
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
    events = _event_adjustments(framework, position, stage_id, texts)
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
        events=events,
        events_heading=translate(locale, "Weights during events") if events else "",
        events_note=translate(locale, "KPIs not listed keep their usual weight and target.") if events else "",
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
        veto_rule=_veto_rule(framework, position, stage_id, texts),
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
        prohibition = translate(texts.locale, "Must not: {duty}", duty=duty)
        items.append(ForbiddenItem(forbidden.duty, duty, texts(forbidden.reason), owner, prohibition))
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
        groups = _kpi_groups(card.sections if card is not None else [], entries or [], rows, points, texts)
        tables.append(StageKpis(stage.id, name, texts.labels["stage_kpis"].format(stage=name), rows, groups))
    return tuple(tables)


def _kpi_groups(
    sections: Sequence[Section], entries: Sequence[KpiEntry], rows: Sequence[KpiRow], points: Mapping[str, float],
    texts: _Texts,
) -> tuple[KpiGroup, ...]:
    """The rows of one stage by section, in declared order, then the rows outside every section.

    A section without a KPI in this stage is left out; a section's weight is the sum of its KPIs' points. The
    group of KPIs outside every section is headed by its name alone.
    """
    if not rows:
        return ()
    if not sections:
        return (KpiGroup("", "", "", "", tuple(rows)),)
    labels = texts.labels
    groups: list[KpiGroup] = []
    for section in [*sections, None]:
        owner = None if section is None else section.id
        members = [(entry, row) for entry, row in zip(entries, rows, strict=True) if entry.section == owner]
        if not members:
            continue
        weight = weight_text(sum(points[entry.kpi] for entry, _ in members))
        if section is None:  # only KPIs of weight 0 (a veto) may stay outside the sections (EP311)
            name = heading = labels["no_section"]
        else:
            name = texts(section.name) or section.id
            heading = labels["section_kpis"].format(section=name, weight=weight)
        groups.append(KpiGroup(owner or "", name, weight, heading, tuple(row for _, row in members)))
    return tuple(groups)


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
        scoring=kpi_scoring_text(entry, metric, labels, framework.rules.veto_caps_grade_at, texts.locale),
        cycle=cycle_text(cycle, labels),
        source=texts(metric.source) if metric is not None else "",
    )


def _definition(metric: Metric | None, texts: _Texts) -> str:
    if metric is None:
        return ""
    if metric.definition is not None:
        return texts(metric.definition)
    return metric.formula or ""


def _shown_stages(framework: FrameworkIndex, position: Position, stage_id: str | None) -> list[str]:
    """The stages whose KPI tables the document shows and that the scorecard carries."""
    if position.scorecard is None:
        return []
    carried = position.scorecard.stages
    return [s.id for s in framework.stages if (stage_id is None or s.id == stage_id) and s.id in carried]


def _overrides_position(event: Event, position_id: str, stage: str) -> bool:
    return any(o.position == position_id and (o.stages is None or stage in o.stages) for o in event.overrides)


# resolve_card needs a period, but with the events named explicitly the period picks nothing: any id will do.
_ANY_PERIOD = "2000-01"


def _resolved(framework: FrameworkIndex, position_id: str, stage: str, event: Event | None) -> ResolvedCard:
    """The card as the engine scores it, usually (``event=None``) or while ``event`` is on."""
    return resolve_card(framework, position_id, stage=stage, period=_ANY_PERIOD, event=event)


def _event_adjustments(
    framework: FrameworkIndex, position: Position, stage_id: str | None, texts: _Texts
) -> tuple[EventAdjustment, ...]:
    stages = _shown_stages(framework, position, stage_id)
    names = {s.id: texts(s.name) for s in framework.stages}
    adjustments: list[EventAdjustment] = []
    for event in framework.events:
        changes = [
            change
            for stage in stages
            if _overrides_position(event, position.id, stage)
            for change in _changes(
                _resolved(framework, position.id, stage, None),
                _resolved(framework, position.id, stage, event),
                names[stage],
                texts.locale,
            )
        ]
        if not changes:
            continue
        name = texts(event.name)
        periods = texts.labels["list_sep"].join(period_pattern_text(p, texts.locale) for p in event.periods)
        heading = translate(texts.locale, "{event} ({periods})", event=name, periods=periods)
        adjustments.append(EventAdjustment(event.id, name, periods, heading, tuple(changes)))
    return tuple(adjustments)


def _same_target(first: Target | None, second: Target | None) -> bool:
    def key(target: Target | None) -> tuple[object, ...] | None:
        return None if target is None else (target.op, target.value, target.low, target.high)

    return key(first) == key(second)


def _changes(usual: ResolvedCard, during: ResolvedCard, stage: str, locale: str) -> list[EventChange]:
    """What differs between the usual card and the card during an event: reweighted, removed, added KPIs."""
    before = {entry.kpi: entry for entry in usual.entries}
    after = {entry.kpi: entry for entry in during.entries}
    removed = {kpi for kpi, _ in during.removed}

    def target(entry: ResolvedKpi) -> str:
        return target_text(entry.target, entry.metric.unit, locale) if entry.target is not None else "—"

    def name(entry: ResolvedKpi) -> str:
        return localize(entry.metric.name, locale, locale).strip()

    changes: list[EventChange] = []
    for kpi, old in before.items():
        old_weight = weight_text(old.weight)
        if kpi in removed:
            weight = translate(locale, "{old} → 0 (not assessed)", old=old_weight)
            changes.append(EventChange(stage, kpi, name(old), weight, "—"))
            continue
        new = after[kpi]
        target_changed = not _same_target(old.target, new.target)
        if new.weight == old.weight and not target_changed:
            continue
        weight = (
            translate(locale, "{old} → {new}", old=old_weight, new=weight_text(new.weight))
            if new.weight != old.weight
            else old_weight
        )
        shown = target(new) if target_changed else translate(locale, "unchanged")
        changes.append(EventChange(stage, kpi, name(new), weight, shown))
    for kpi, new in after.items():
        if kpi not in before:
            weight = translate(locale, "added: {weight}", weight=weight_text(new.weight))
            changes.append(EventChange(stage, kpi, name(new), weight, target(new)))
    return changes


def _shown_entries(framework: FrameworkIndex, position: Position, stage_id: str | None) -> list[KpiEntry]:
    """The KPI entries of the stages shown, with those that events add to them."""
    card = position.scorecard
    entries: list[KpiEntry] = []
    for stage in _shown_stages(framework, position, stage_id):
        entries.extend(card.stages[stage] if card is not None else ())
        for event in framework.events:
            entries.extend(
                entry
                for override in event.overrides
                if override.position == position.id and (override.stages is None or stage in override.stages)
                for entry in override.add
            )
    return entries


def _veto_sentence(effect: str, names: list[str], grade: str | None, texts: _Texts) -> str:
    """What a breach of the veto KPIs ``names`` does under ``effect`` (literal messages, for the extractor)."""
    locale, count, kpis = texts.locale, len(names), texts.labels["list_sep"].join(names)
    if effect == "zero_total":
        return translate_plural(
            locale, "A breach of the veto KPI {kpis} sets the total to 0.",
            "A breach of any of the veto KPIs {kpis} sets the total to 0.", count, kpis=kpis,
        )
    if effect == "cap_grade":
        return translate_plural(
            locale, "A breach of the veto KPI {kpis} caps the grade at {grade}.",
            "A breach of any of the veto KPIs {kpis} caps the grade at {grade}.", count, kpis=kpis, grade=grade,
        )
    return translate_plural(
        locale, "A breach of the veto KPI {kpis} scores that KPI 0; the grade is not capped.",
        "A breach of any of the veto KPIs {kpis} scores that KPI 0; the grade is not capped.", count, kpis=kpis,
    )


def _veto_rule(framework: FrameworkIndex, position: Position, stage_id: str | None, texts: _Texts) -> str:
    """What breaching the veto KPIs shown does, by each KPI's own effect, as the engine applies it.

    A KPI whose effect differs between stages is named under each effect it has.
    """
    cap = framework.rules.veto_caps_grade_at
    by_effect: dict[str, dict[str, str]] = {"zero_total": {}, "cap_grade": {}, "no_cap": {}}
    for entry in _shown_entries(framework, position, stage_id):
        metric = framework.metrics.get(entry.kpi)
        method = entry.scoring or (default_method(metric.direction) if metric is not None else None)
        if isinstance(method, VetoScoring):
            effect = method.effect if method.effect == "zero_total" or cap else "no_cap"
            by_effect[effect][entry.kpi] = texts(metric.name) if metric is not None else entry.kpi
    sentences = [
        _veto_sentence(effect, list(names.values()), cap, texts) for effect, names in by_effect.items() if names
    ]
    # Chinese sentences end in a full-width stop and follow each other without a space.
    return ("" if texts.locale == "zh" else " ").join(sentences)
