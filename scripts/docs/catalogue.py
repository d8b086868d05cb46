"""The framework catalogue: every bundled framework in ``frameworks/``, in English and Chinese.

Per framework and locale there is one overview page (stages, levels, grades, rules, positions with an
organisation chart, a weights-per-stage table for every position, events, modules, metrics with their
formulas, workflows and the ownership matrix) and one page per position holding its job description,
rendered by ecomperf's own Markdown template, with the printable HTML version next to it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from scripts.docs._common import FRAMEWORKS, relative

log = logging.getLogger("mkdocs.hooks.ecomperf")

LOCALES = ("en", "zh")
"""The locales of the catalogue, English first."""

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "overview": "Overview",
        "jds": "Job descriptions",
        "other_language": "中文版",
        "folder": "Folder",
        "counts": "{positions} positions · {modules} modules · {kpis} KPIs and {base} base measures · "
        "{events} events · {workflows} workflows",
        "stages": "Company stages",
        "levels": "Levels",
        "contexts": "Contexts",
        "grades": "Grades",
        "rules": "Rules",
        "veto_cap": "A breached veto KPI caps the grade at **{grade}**.",
        "pip": "**Improvement plan**: {consecutive} {cycle} periods in a row at or below {grade} raise a flag.",
        "distribution": "**Forced distribution** (advisory, groups of {min_group} or more): {shares}.",
        "positions": "Positions",
        "org_chart": "Reporting lines",
        "weights": "Weights per stage",
        "weights_intro": "Each column is one company stage; a cell shows the KPI's weight and target. "
        "Veto KPIs carry weight 0 and cap the grade when breached.",
        "sum": "Total",
        "events": "Events",
        "event_periods": "Periods: {periods}.",
        "override": "{position}, stages {stages}",
        "all": "all",
        "modules": "Modules",
        "module_stages": "Exists in: {stages}.",
        "module_kpis": "KPIs: {kpis}.",
        "shared": "Shared by design.",
        "metrics": "Metrics",
        "kpis": "KPIs (formula metrics)",
        "base": "Base measures (measured inputs)",
        "metric": "Metric",
        "unit": "Unit",
        "direction": "Better",
        "formula": "Formula",
        "aggregate": "Roll-up",
        "workflows": "Workflows",
        "matrix": "Ownership matrix",
        "id": "Id",
        "name": "Name",
        "description": "Description",
        "values": "Values",
        "printable": "Printable HTML version",
        "jd_of": "Job description",
        "none": "–",
        "cadence": "Cadence: {cadence}.",
        "participants": "Participants",
    },
    "zh": {
        "overview": "概览（中文）",
        "jds": "岗位说明书",
        "other_language": "English version",
        "folder": "目录",
        "counts": "{positions} 个岗位 · {modules} 个模块 · {kpis} 个考核指标与 {base} 个基础数据 · "
        "{events} 个事件 · {workflows} 个流程",
        "stages": "企业阶段",
        "levels": "岗位层级",
        "contexts": "情境维度",
        "grades": "考核等级",
        "rules": "规则",
        "veto_cap": "否决指标未达成时，等级最高为 **{grade}**。",
        "pip": "**绩效改进计划**：连续 {consecutive} 个{cycle}周期等级在 {grade} 及以下时提示。",
        "distribution": "**强制分布**（建议性，{min_group} 人及以上的组）：{shares}。",
        "positions": "岗位",
        "org_chart": "汇报关系",
        "weights": "各阶段考核权重",
        "weights_intro": "每列为一个企业阶段，单元格为该指标的权重与目标。否决指标权重为0，未达成时限制等级。",
        "sum": "合计",
        "events": "事件",
        "event_periods": "适用期间：{periods}。",
        "override": "{position}，阶段：{stages}",
        "all": "全部",
        "modules": "运营模块",
        "module_stages": "适用阶段：{stages}。",
        "module_kpis": "模块指标：{kpis}。",
        "shared": "允许多个岗位共同承担。",
        "metrics": "指标",
        "kpis": "考核指标（含公式）",
        "base": "基础数据（直接采集）",
        "metric": "指标",
        "unit": "单位",
        "direction": "方向",
        "formula": "公式",
        "aggregate": "汇总方式",
        "workflows": "工作流程",
        "matrix": "职责与指标归属矩阵",
        "id": "编号",
        "name": "名称",
        "description": "说明",
        "values": "取值",
        "printable": "可打印的 HTML 版本",
        "jd_of": "岗位说明书",
        "none": "–",
        "cadence": "频率：{cadence}。",
        "participants": "参与岗位",
    },
}

_CYCLE_WORDS = {"zh": {"monthly": "月度", "quarterly": "季度", "annual": "年度"}, "en": {}}
_DIRECTION = {
    "en": {"higher": "higher", "lower": "lower", "range": "in range", "zero": "zero tolerance"},
    "zh": {"higher": "越高越好", "lower": "越低越好", "range": "区间内", "zero": "零容忍"},
}


@dataclass(frozen=True)
class Bundled:
    """A bundled framework: its folder name and the loaded framework."""

    folder: str
    framework: Any


@cache
def bundled() -> tuple[Bundled, ...]:
    """Every folder of ``frameworks/`` that holds a framework, loaded (a broken one fails the build)."""
    import ecomperf

    found = []
    for folder in sorted(p for p in FRAMEWORKS.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not any(folder.rglob("*.yaml")):
            continue
        result = ecomperf.load_documents(folder)
        if result.framework is None:
            problems = "\n".join(p.format() for p in result.errors)
            log.warning("bundled framework %s does not load:\n%s", relative(folder), problems)
            continue
        found.append(Bundled(folder.name, result.framework))
    return tuple(found)


def base_uri(item: Bundled) -> str:
    """The catalogue folder of a framework in the site."""
    return f"catalogue/{item.folder}"


def overview_uri(item: Bundled, locale: str) -> str:
    """The overview page of a framework in ``locale``."""
    return f"{base_uri(item)}/{'index' if locale == 'en' else locale}.md"


def jd_uri(item: Bundled, locale: str, position: str, extension: str = "md") -> str:
    """The job description page (``md``) or its printable version (``html``, named ``*.print.html`` so
    that it does not collide with the page, which the site also writes as ``<position>.html``)."""
    suffix = "print.html" if extension == "html" else extension
    return f"{base_uri(item)}/jd/{locale}/{position}.{suffix}"


def text(fw: Any, value: Any, locale: str) -> str:
    """Localised text in ``locale``."""
    from ecomperf.model import localize

    return localize(value, locale, fw.default_locale)


def nav() -> list[dict[str, Any]]:
    """The nav entries of the catalogue: per framework, both overviews and the job descriptions."""
    entries: list[dict[str, Any]] = []
    for item in bundled():
        fw = item.framework
        section: list[Any] = []
        for locale in LOCALES:
            words = _WORDS[locale]
            section.append({words["overview"]: overview_uri(item, locale)})
        for locale in LOCALES:
            words = _WORDS[locale]
            jds = [{text(fw, p.name, locale): jd_uri(item, locale, p.id)} for p in fw.positions.values()]
            section.append({f"{words['jds']} ({locale})": jds})
        entries.append({text(fw, fw.spec.name, "en"): section})
    return entries


def files() -> dict[str, str]:
    """Every generated catalogue file, by its path in the site."""
    generated: dict[str, str] = {}
    for item in bundled():
        for locale in LOCALES:
            generated[overview_uri(item, locale)] = render_overview(item, locale)
            for position in item.framework.positions:
                generated[jd_uri(item, locale, position)] = render_jd_page(item, locale, position)
                generated[jd_uri(item, locale, position, "html")] = render_jd(item, locale, position, "html")
    return generated


def render_jd(item: Bundled, locale: str, position: str, format: str) -> str:
    """A job description rendered by :meth:`ecomperf.Framework.render_jd` (``md`` or ``html``)."""
    return str(item.framework.render_jd(position, locale=locale, format=format))


def render_jd_page(item: Bundled, locale: str, position: str) -> str:
    """The job description page: links to the other language and the printable version, then the JD."""
    words = _WORDS[locale]
    other = "zh" if locale == "en" else "en"
    overview = overview_uri(item, locale).rsplit("/", 1)[1]
    links = (
        f"[{words['printable']}]({position}.print.html) · [{words['other_language']}](../{other}/{position}.md) · "
        f"[{text(item.framework, item.framework.spec.name, locale)}](../../{overview})"
    )
    body = render_jd(item, locale, position, "md")
    title, _, rest = body.partition("\n")
    return f"{title}\n\n{links}\n{rest}"


# --- the overview page -----------------------------------------------------------------------------------


def render_overview(item: Bundled, locale: str) -> str:
    """The overview of one framework in one locale."""
    fw = item.framework
    words = _WORDS[locale]
    other = "zh" if locale == "en" else "en"
    other_page = overview_uri(item, other).rsplit("/", 1)[1]
    kpis = [m for m in fw.metrics.values() if m.formula is not None]
    base = [m for m in fw.metrics.values() if m.formula is None]
    head = [
        f"# {text(fw, fw.spec.name, locale)}\n",
        f"[{words['other_language']}]({other_page}) · {words['folder']}: `frameworks/{item.folder}` · "
        f"`id: {fw.id}` · `version: {fw.spec.version}`\n",
    ]
    if fw.spec.description:
        head.append(text(fw, fw.spec.description, locale) + "\n")
    head.append(
        words["counts"].format(
            positions=len(fw.positions),
            modules=len(fw.modules),
            kpis=len(kpis),
            base=len(base),
            events=len(fw.events),
            workflows=len(fw.workflows),
        )
        + "\n"
    )
    sections = [
        "\n".join(head),
        _positions(item, locale),
        _weights(item, locale),
        _events(item, locale),
        _setup(item, locale),
        _modules(item, locale),
        _metrics(item, locale),
        _workflows(item, locale),
        _matrix(item, locale),
    ]
    return "\n".join(section for section in sections if section)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ").strip()


def _table(header: list[str], rows: list[list[str]], align: str = "") -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align or "---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _setup(item: Bundled, locale: str) -> str:
    fw, words = item.framework, _WORDS[locale]
    spec = fw.spec
    parts = [f"## {words['stages']}\n"]
    parts.append(
        _table(
            [words["id"], words["name"], words["description"]],
            [[f"`{s.id}`", text(fw, s.name, locale), text(fw, s.description, locale)] for s in spec.stages],
        )
    )
    if spec.levels:
        parts.append(f"## {words['levels']}\n")
        parts.append(
            _table(
                [words["id"], words["name"], words["description"]],
                [[f"`{lv.id}`", text(fw, lv.name, locale), text(fw, lv.description, locale)] for lv in spec.levels],
            )
        )
    if spec.contexts:
        parts.append(f"## {words['contexts']}\n")
        rows = []
        for key, dimension in spec.contexts.items():
            values = ", ".join(
                f"`{v.id}`" + (f" {text(fw, v.name, locale)}" if v.name else "") for v in dimension.values
            )
            rows.append([f"`{key}`", text(fw, dimension.name, locale), values])
        parts.append(_table([words["id"], words["name"], words["values"]], rows))
    labels = _labels(locale)
    parts.append(f"## {words['grades']}\n")
    parts.append(
        _table(
            [labels["grade"], words["name"], labels["grade_min"], labels["bonus"]],
            [[g.id, text(fw, g.name, locale), f"{g.min:g}", f"{g.bonus:g}"] for g in spec.grades],
        )
    )
    rules = spec.rules
    lines = []
    if rules.veto_caps_grade_at:
        lines.append(words["veto_cap"].format(grade=rules.veto_caps_grade_at))
    if rules.pip:
        cycle = _CYCLE_WORDS[locale].get(rules.pip.cycle, rules.pip.cycle)
        lines.append(words["pip"].format(consecutive=rules.pip.consecutive, cycle=cycle, grade=rules.pip.below_grade))
    if rules.distribution:
        shares = ", ".join(f"{g} {v * 100:g}%" for g, v in rules.distribution.shares.items())
        lines.append(words["distribution"].format(min_group=rules.distribution.min_group, shares=shares))
    if lines:
        parts.append(f"## {words['rules']}\n")
        parts.append("\n".join(f"- {line}" for line in lines) + "\n")
    return "\n".join(parts)


def _labels(locale: str) -> Any:
    from ecomperf.render.labels import labels_for

    return labels_for(locale)


def _positions(item: Bundled, locale: str) -> str:
    fw, words = item.framework, _WORDS[locale]
    labels = _labels(locale)
    levels = {level.id: text(fw, level.name, locale) for level in fw.spec.levels}
    rows = []
    for position in fw.positions.values():
        link = f"[{text(fw, position.name, locale)}](jd/{locale}/{position.id}.md)"
        boss = fw.positions.get(position.reports_to) if position.reports_to else None
        modules = ", ".join(text(fw, fw.modules[m].name, locale) for m in position.modules if m in fw.modules)
        rows.append(
            [
                f"{link}<br>`{position.id}`",
                text(fw, position.department, locale),
                levels.get(position.level or "", words["none"]),
                text(fw, boss.name, locale) if boss else words["none"],
                modules or words["none"],
            ]
        )
    header = [
        labels["position_title"],
        labels["department"],
        labels["level"],
        labels["reports_to"],
        words["modules"],
    ]
    chart = "\n".join(_org_lines(fw, locale))
    return (
        f"## {words['positions']}\n\n" + _table(header, rows) + f"\n### {words['org_chart']}\n\n```text\n{chart}\n```\n"
    )


def _org_lines(fw: Any, locale: str) -> Iterator[str]:
    children: dict[str | None, list[Any]] = {}
    for position in fw.positions.values():
        parent = position.reports_to if position.reports_to in fw.positions else None
        children.setdefault(parent, []).append(position)

    def walk(position: Any, prefix: str, last: bool, root: bool) -> Iterator[str]:
        label = f"{text(fw, position.name, locale)} ({position.id})"
        yield label if root else f"{prefix}{'└── ' if last else '├── '}{label}"
        below = children.get(position.id, [])
        inner = "" if root else prefix + ("    " if last else "│   ")
        for index, child in enumerate(below):
            yield from walk(child, inner, index == len(below) - 1, False)

    for top in children.get(None, []):
        yield from walk(top, "", True, True)


def _weights(item: Bundled, locale: str) -> str:
    fw, words = item.framework, _WORDS[locale]
    stages = fw.spec.stages
    parts = [f"## {words['weights']}\n", words["weights_intro"] + "\n"]
    for position in fw.positions.values():
        if position.scorecard is None:
            continue
        card = position.scorecard.stages
        present = [s for s in stages if s.id in card]
        kpis = list(dict.fromkeys(entry.kpi for s in present for entry in card[s.id]))
        rows = []
        for kpi in kpis:
            metric = fw.metrics[kpi]
            cells = [text(fw, metric.name, locale) + f" `{kpi}`"]
            for stage in present:
                entry = next((e for e in card[stage.id] if e.kpi == kpi), None)
                cells.append(_weight_cell(entry, metric, fw, locale))
            rows.append(cells)
        totals = [f"**{words['sum']}**"] + [f"**{sum(e.weight for e in card[s.id]):g}**" for s in present]
        rows.append(totals)
        header = [_labels(locale)["kpi"]] + [text(fw, s.name, locale) for s in present]
        parts.append(f"### {text(fw, position.name, locale)} {{ #weights-{position.id} }}\n")
        parts.append(f"`{position.id}` · [{words['jd_of']}](jd/{locale}/{position.id}.md)\n")
        parts.append(_table(header, rows))
    return "\n".join(parts)


def _weight_cell(entry: Any, metric: Any, fw: Any, locale: str) -> str:
    if entry is None:
        return ""
    target = entry.target.display(metric.unit) if entry.target is not None else ""
    veto = entry.scoring is not None and entry.scoring.method == "veto"
    weight = "veto" if veto and entry.weight == 0 else f"{entry.weight:g}"
    variants = "; ".join(f"{_when(v.when)}: {v.target.display(metric.unit)}" for v in entry.variants)
    cell = f"**{weight}** · {target}" if target else f"**{weight}**"
    return cell + (f" ({variants})" if variants else "")


def _when(when: dict[str, Any]) -> str:
    return ", ".join(f"{k}={'/'.join(v) if isinstance(v, list) else v}" for k, v in when.items())


def _events(item: Bundled, locale: str) -> str:
    fw, words = item.framework, _WORDS[locale]
    if not fw.events:
        return ""
    parts = [f"## {words['events']}\n"]
    for event in fw.events:
        parts.append(f"### {text(fw, event.name, locale)} (`{event.id}`)\n")
        if event.description:
            parts.append(text(fw, event.description, locale) + "\n")
        parts.append(words["event_periods"].format(periods=", ".join(f"`{p}`" for p in event.periods)) + "\n")
        for override in event.overrides:
            position = fw.positions.get(override.position)
            name = text(fw, position.name, locale) if position else override.position
            stages = ", ".join(override.stages) if override.stages else words["all"]
            changes = [f"`{k}` → {v:g}" for k, v in override.weights.items()]
            changes += [f"+ `{e.kpi}` {e.weight:g}" + (f" ({e.target})" if e.target else "") for e in override.add]
            changes += [f"`{k}` {t}" for k, t in override.targets.items()]
            parts.append(f"- {words['override'].format(position=name, stages=stages)}: {', '.join(changes)}")
        parts.append("")
    return "\n".join(parts)


def _modules(item: Bundled, locale: str) -> str:
    fw, words = item.framework, _WORDS[locale]
    labels = _labels(locale)
    parts = [f"## {words['modules']}\n"]
    for module in fw.modules.values():
        parts.append(f"### {text(fw, module.name, locale)} (`{module.id}`)\n")
        if module.description:
            parts.append(text(fw, module.description, locale) + "\n")
        facts = []
        if module.stages:
            facts.append(words["module_stages"].format(stages=", ".join(module.stages)))
        if module.kpis:
            facts.append(words["module_kpis"].format(kpis=", ".join(f"`{k}`" for k in module.kpis)))
        if module.shared:
            facts.append(words["shared"])
        if facts:
            parts.append(" ".join(facts) + "\n")
        if module.responsibilities:
            parts.append(f"**{labels['responsibilities']}**\n")
            for duty in module.responsibilities:
                kpis = f" ({', '.join(f'`{k}`' for k in duty.kpis)})" if duty.kpis else ""
                parts.append(f"- `{duty.id}` {text(fw, duty.text, locale)}{kpis}")
            parts.append("")
        if module.forbidden:
            parts.append(f"**{labels['forbidden']}**\n")
            for forbidden in module.forbidden:
                reason = f": {text(fw, forbidden.reason, locale)}" if forbidden.reason else ""
                parts.append(f"- `{forbidden.duty}`{reason}")
            parts.append("")
    return "\n".join(parts)


def _metrics(item: Bundled, locale: str) -> str:
    fw, words = item.framework, _WORDS[locale]
    labels = _labels(locale)
    kpis = [m for m in fw.metrics.values() if m.formula is not None]
    base = [m for m in fw.metrics.values() if m.formula is None]
    parts = [f"## {words['metrics']}\n"]

    def rows(metrics: list[Any], with_formula: bool) -> str:
        header = [words["metric"], words["id"], words["unit"], words["direction"]]
        header += [words["formula"]] if with_formula else []
        header += [words["aggregate"], labels["cycle"], labels["source"]]
        body = []
        for metric in metrics:
            row = [
                text(fw, metric.name, locale),
                f"`{metric.id}`",
                metric.unit,
                _DIRECTION[locale][metric.direction],
            ]
            if with_formula:
                row.append(f"`{metric.formula}`")
            row += [metric.aggregation, metric.cycle or "", text(fw, metric.source, locale)]
            body.append(row)
        return _table(header, body)

    if kpis:
        parts.append(f"### {words['kpis']}\n")
        parts.append(rows(kpis, True))
    if base:
        parts.append(f"### {words['base']}\n")
        parts.append(rows(base, False))
    return "\n".join(parts)


def _workflows(item: Bundled, locale: str) -> str:
    fw, words = item.framework, _WORDS[locale]
    if not fw.workflows:
        return ""
    labels = _labels(locale)
    parts = [f"## {words['workflows']}\n"]
    for workflow in fw.workflows.values():
        parts.append(f"### {text(fw, workflow.name, locale)} (`{workflow.id}`)\n")
        if workflow.cadence:
            parts.append(words["cadence"].format(cadence=text(fw, workflow.cadence, locale)) + "\n")
        rows = []
        for step in workflow.steps:
            owner = fw.positions[step.owner]
            others = ", ".join(text(fw, fw.positions[p].name, locale) for p in step.participants)
            rows.append(
                [text(fw, step.name, locale), text(fw, owner.name, locale), others, text(fw, step.when, locale)]
            )
        parts.append(_table([labels["step"], labels["role_owner"], words["participants"], labels["when"]], rows))
    return "\n".join(parts)


def _matrix(item: Bundled, locale: str) -> str:
    from ecomperf.render.matrix import render_matrix

    words = _WORDS[locale]
    body = str(render_matrix(item.framework, format="md", locale=locale))
    lines = body.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    demoted = ["#" + line if line.startswith("#") else line for line in lines]
    return f"## {words['matrix']}\n" + "\n".join(demoted) + "\n"


def render_index() -> str:
    """The table of bundled frameworks on the catalogue's front page."""
    rows = []
    for item in bundled():
        fw = item.framework
        rows.append(
            [
                f"[{text(fw, fw.spec.name, 'en')}]({item.folder}/index.md)",
                f"[{text(fw, fw.spec.name, 'zh')}]({item.folder}/zh.md)",
                f"`frameworks/{item.folder}`",
                str(len(fw.positions)),
                str(len(fw.metrics)),
                ", ".join(s.id for s in fw.stages),
            ]
        )
    return _table(["English", "中文", "Folder", "Positions", "Metrics", "Stages"], rows)
