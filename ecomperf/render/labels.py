"""Section labels and fixed words of every rendered document, one catalogue per locale.

Text from YAML is already localised; this catalogue holds the words ecomperf itself prints (section
headings, column names, cycle and scoring names). Every locale has exactly the same keys, which a test
checks. A framework locale without a catalogue of its own is rendered with the English labels.

>>> labels_for("zh")["purpose"]
'岗位目的'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["FALLBACK_LOCALE", "LABELS", "labels_for", "section_number"]

FALLBACK_LOCALE = "en"
"""The catalogue used for a framework locale that has none of its own."""

_ZH: dict[str, str] = {
    # document frame
    "html_lang": "zh-CN",
    "jd_title": "{title}岗位说明书",
    "framework": "绩效框架",
    "version": "版本",
    "generated_by": "由 ecomperf 生成",
    "none": "无",
    "list_sep": "、",
    "clause_sep": "；",
    "colon": "：",
    # sections
    "basic_info": "基本信息",
    "purpose": "岗位目的",
    "responsibilities": "岗位职责",
    "own_duties": "本岗位专属职责",
    "forbidden": "禁止事项",
    "qualifications": "任职资格",
    "competencies": "胜任力模型",
    "workflows": "参与流程",
    "performance": "绩效考核",
    "grade_scale": "考核等级",
    # basic information
    "position_title": "岗位名称",
    "position_id": "岗位编号",
    "department": "所属部门",
    "level": "岗位层级",
    "reports_to": "直接上级",
    "direct_reports": "直接下属",
    "stage": "适用阶段",
    "all_stages": "全部阶段",
    # forbidden duties
    "forbidden_duty": "禁止事项",
    "reason": "原因",
    "belongs_to": "职责归属",
    # competencies
    "professional_knowledge": "专业知识",
    "core_skills": "核心技能",
    "general_abilities": "通用能力",
    "professional_qualities": "职业素养",
    # workflows
    "workflow": "流程",
    "step": "步骤",
    "role": "角色",
    "when": "时间节点",
    "role_owner": "负责",
    "role_participant": "参与",
    # KPI table
    "kpi": "考核指标",
    "definition": "指标定义",
    "weight": "权重",
    "target": "目标值",
    "scoring": "计分方式",
    "cycle": "考核周期",
    "source": "数据来源",
    "no_kpis": "该阶段未设置考核指标。",
    "stage_kpis": "{stage}考核指标",
    # grade scale
    "grade": "等级",
    "grade_min": "最低得分",
    "bonus": "绩效系数",
    "veto_rule": "任一否决项被触发时，等级最高为 {grade}。",
    # cycles
    "cycle_daily": "每日",
    "cycle_weekly": "每周",
    "cycle_monthly": "月度",
    "cycle_quarterly": "季度",
    "cycle_annual": "年度",
    # scoring methods
    "scoring_linear": "线性计分",
    "scoring_linear_bounds": "线性计分（{floor}–{cap} 分）",
    "scoring_threshold": "达标计分（达标 100 分，否则 0 分）",
    "scoring_bands": "分段计分：{bands}",
    "scoring_band": "达成率 ≥ {achievement} 得 {score} 分",
    "scoring_interpolate": "插值计分（门槛 {threshold}，挑战 {stretch}，封顶 {cap} 分）",
    "scoring_interpolate_no_stretch": "插值计分（门槛 {threshold}，封顶 {cap} 分）",
    "scoring_range": "区间计分（区间外容差 {tolerance}）",
    "scoring_range_plain": "区间计分",
    "scoring_veto": "否决项",
    "scoring_veto_cap": "否决项（触发则等级最高为 {grade}）",
    "scoring_veto_zero": "否决项（触发则总分为 0）",
    # ownership matrix
    "matrix_title": "{framework} 职责与指标归属矩阵",
    "matrix_kpis": "指标 × 岗位",
    "matrix_duties": "职责 × 岗位",
    "matrix_kpi_legend": "单元格为各阶段权重；“否决”为否决项。",
    "matrix_duty_legend": "“● 模块”为经由所属模块承担，“● 本岗”为岗位自有职责。",
    "matrix_unowned": "无岗位承担",
    "matrix_multiple": "多个岗位承担",
    "matrix_shared": "多岗共担（已声明）",
    "matrix_unheld": "无岗位承担",
    "matrix_status": "提示",
    "matrix_duty": "职责",
    "matrix_module": "所属",
    "matrix_own": "● 本岗",
    "matrix_via_module": "● 模块",
    "matrix_veto": "否决",
    # scorecard report
    "report_title": "绩效考核报告",
    "team_report_title": "团队绩效报告",
    "employee": "员工",
    "position": "岗位",
    "period": "考核期",
    "events": "活动",
    "context": "业务情境",
    "total": "总分",
    "score": "得分",
    "actual": "实际值",
    "achievement": "达成率",
    "weighted_score": "加权得分",
    "method": "计分方式",
    "notes": "说明",
    "method_linear": "线性",
    "method_threshold": "达标",
    "method_bands": "分段",
    "method_interpolate": "插值",
    "method_range": "区间",
    "method_veto": "否决",
    "veto_breaches": "否决项触发",
    "veto_breached": "已触发否决",
    "grade_capped": "因否决项由 {uncapped} 降至 {grade}",
    "total_zeroed": "否决项触发，总分由 {uncapped} 记为 0",
    "warnings": "提示",
    "dropped": "未计入总分的指标",
    "dropped_reason": "原因",
    "renormalized": "缺失指标已剔除，其余权重按比例重新分配。",
    "chart_scores": "各指标得分",
    "chart_reference_target": "达标线 100",
    "chart_reference_cap": "封顶 {cap}",
    "grade_distribution": "等级分布",
    "people": "人数",
    "errors": "未能评分的记录",
    "row": "行号",
    "employees": "员工数",
    "employee_list": "员工明细",
    "average_total": "平均总分",
    "no_cards": "没有可展示的考核结果。",
    # history and trends
    "history_title": "绩效趋势报告",
    "trend": "总分趋势",
    "change": "较上期",
    "grade_change": "等级变化",
    "previous_missing": "无 {period} 记录",
    "grade_up": "升 {steps} 级",
    "grade_down": "降 {steps} 级",
    "grade_same": "持平",
    "grade_mix_over_time": "各期等级分布",
    "bands_unknown": "历史库中没有该框架的等级表，图中未画等级区间。",
    "periods_span": "{first} 至 {last}",
    "latest": "最近一期",
    "card_id": "记录编号",
    "recorded_at": "记录时间",
    "recorded_by_command": "记录命令",
    "fingerprint": "框架指纹",
    "trend_legend": "阴影为各等级的分数区间；折线中断表示该期没有记录。",
    "mix_legend": "每列为当期全部人员（100%），按等级分段，括号内为人数。",
    "history_cards": "各期记录",
}

_EN: dict[str, str] = {
    # document frame
    "html_lang": "en",
    "jd_title": "Job description: {title}",
    "framework": "Framework",
    "version": "Version",
    "generated_by": "Generated by ecomperf",
    "none": "None",
    "list_sep": ", ",
    "clause_sep": "; ",
    "colon": ": ",
    # sections
    "basic_info": "Basic information",
    "purpose": "Purpose",
    "responsibilities": "Responsibilities",
    "own_duties": "Position-specific duties",
    "forbidden": "Forbidden duties",
    "qualifications": "Qualifications",
    "competencies": "Competency model",
    "workflows": "Workflows",
    "performance": "Performance assessment",
    "grade_scale": "Grade scale",
    # basic information
    "position_title": "Title",
    "position_id": "Position id",
    "department": "Department",
    "level": "Level",
    "reports_to": "Reports to",
    "direct_reports": "Direct reports",
    "stage": "Company stage",
    "all_stages": "All stages",
    # forbidden duties
    "forbidden_duty": "Must not",
    "reason": "Reason",
    "belongs_to": "Duty belongs to",
    # competencies
    "professional_knowledge": "Professional knowledge",
    "core_skills": "Core skills",
    "general_abilities": "General abilities",
    "professional_qualities": "Professional qualities",
    # workflows
    "workflow": "Workflow",
    "step": "Step",
    "role": "Role",
    "when": "When",
    "role_owner": "Owner",
    "role_participant": "Participant",
    # KPI table
    "kpi": "KPI",
    "definition": "Definition",
    "weight": "Weight",
    "target": "Target",
    "scoring": "Scoring",
    "cycle": "Cycle",
    "source": "Data source",
    "no_kpis": "No KPIs are set for this stage.",
    "stage_kpis": "KPIs: {stage}",
    # grade scale
    "grade": "Grade",
    "grade_min": "Minimum score",
    "bonus": "Bonus coefficient",
    "veto_rule": "A breached veto KPI caps the grade at {grade}.",
    # cycles
    "cycle_daily": "Daily",
    "cycle_weekly": "Weekly",
    "cycle_monthly": "Monthly",
    "cycle_quarterly": "Quarterly",
    "cycle_annual": "Annual",
    # scoring methods
    "scoring_linear": "Linear",
    "scoring_linear_bounds": "Linear ({floor}–{cap} points)",
    "scoring_threshold": "Threshold (met = 100, else 0)",
    "scoring_bands": "Bands: {bands}",
    "scoring_band": "achievement ≥ {achievement} scores {score}",
    "scoring_interpolate": "Interpolated (threshold {threshold}, stretch {stretch}, cap {cap})",
    "scoring_interpolate_no_stretch": "Interpolated (threshold {threshold}, cap {cap})",
    "scoring_range": "Range (tolerance {tolerance} outside)",
    "scoring_range_plain": "Range",
    "scoring_veto": "Veto",
    "scoring_veto_cap": "Veto (a breach caps the grade at {grade})",
    "scoring_veto_zero": "Veto (a breach scores the total 0)",
    # ownership matrix
    "matrix_title": "{framework}: ownership matrix",
    "matrix_kpis": "KPIs × positions",
    "matrix_duties": "Duties × positions",
    "matrix_kpi_legend": "Cells show the weight per stage; “veto” marks a veto KPI.",
    "matrix_duty_legend": "“● module”: held through the module; “● own”: the position's own duty.",
    "matrix_unowned": "no position owns it",
    "matrix_multiple": "held by several positions",
    "matrix_shared": "shared (declared)",
    "matrix_unheld": "no position holds it",
    "matrix_status": "Note",
    "matrix_duty": "Duty",
    "matrix_module": "Belongs to",
    "matrix_own": "● own",
    "matrix_via_module": "● module",
    "matrix_veto": "veto",
    # scorecard report
    "report_title": "Performance scorecard",
    "team_report_title": "Team performance report",
    "employee": "Employee",
    "position": "Position",
    "period": "Period",
    "events": "Events",
    "context": "Context",
    "total": "Total",
    "score": "Score",
    "actual": "Actual",
    "achievement": "Achievement",
    "weighted_score": "Weighted",
    "method": "Method",
    "notes": "Notes",
    "method_linear": "linear",
    "method_threshold": "threshold",
    "method_bands": "bands",
    "method_interpolate": "interpolated",
    "method_range": "range",
    "method_veto": "veto",
    "veto_breaches": "Veto breaches",
    "veto_breached": "veto breached",
    "grade_capped": "capped from {uncapped} to {grade} by a veto",
    "total_zeroed": "a veto set the total to 0 (was {uncapped})",
    "warnings": "Warnings",
    "dropped": "KPIs left off the total",
    "dropped_reason": "Reason",
    "renormalized": "Missing KPIs were dropped and the remaining weights renormalised.",
    "chart_scores": "KPI scores",
    "chart_reference_target": "target 100",
    "chart_reference_cap": "cap {cap}",
    "grade_distribution": "Grade distribution",
    "people": "People",
    "errors": "Rows that could not be scored",
    "row": "Row",
    "employees": "Employees",
    "employee_list": "Scorecards",
    "average_total": "Average total",
    "no_cards": "No scorecards to show.",
    # history and trends
    "history_title": "Performance trends",
    "trend": "Total over time",
    "change": "vs previous",
    "grade_change": "Grade change",
    "previous_missing": "no card for {period}",
    "grade_up": "up {steps}",
    "grade_down": "down {steps}",
    "grade_same": "same",
    "grade_mix_over_time": "Grade mix over time",
    "bands_unknown": "The history holds no grade table for this framework, so no grade bands are drawn.",
    "periods_span": "{first} to {last}",
    "latest": "Latest",
    "card_id": "Card",
    "recorded_at": "Recorded",
    "recorded_by_command": "Recorded by",
    "fingerprint": "Framework fingerprint",
    "trend_legend": "Shaded bands are the grades' score ranges; a break in the line is a period without a card.",
    "mix_legend": "Each column is the period's people (100%), split by grade; counts in brackets.",
    "history_cards": "Cards by period",
}

LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"zh": MappingProxyType(_ZH), "en": MappingProxyType(_EN)}
)
"""The catalogue: locale -> label key -> text. Values may hold ``{name}`` fields filled in by the renderer."""

_ZH_NUMERALS = "一二三四五六七八九十"


def labels_for(locale: str) -> Mapping[str, str]:
    """The labels of ``locale``, or the English ones when the catalogue has no such locale.

    >>> labels_for("en")["forbidden"]
    'Forbidden duties'
    """
    return LABELS.get(locale, LABELS[FALLBACK_LOCALE])


def section_number(index: int, locale: str) -> str:
    """The numbering prefix of the ``index``-th section (1-based): ``一、`` in Chinese, ``1.`` otherwise.

    >>> section_number(3, "zh"), section_number(3, "en")
    ('三、', '3. ')
    """
    if locale == "zh" and 1 <= index <= len(_ZH_NUMERALS):
        return f"{_ZH_NUMERALS[index - 1]}、"
    return f"{index}. "
