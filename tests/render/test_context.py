"""What a job description says: it agrees with the scorecard, shows events, and carries no authoring notes."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

import ecomperf
from ecomperf.framework import Framework
from ecomperf.render.context import build_job_description
from ecomperf.scoring.resolve import resolve_card
from tests.conftest import BASE_FILES

# channel_lead's startup card in the shared test framework: cac 100 and a veto on violations
_VETO_ENTRY = '- {kpi: violations, weight: 0, target: "== 0", scoring: veto}'


def _with_veto(framework_dir: Callable[..., Path], veto: str, extra: str = "") -> Framework:
    positions = BASE_FILES["positions.yaml"].replace(_VETO_ENTRY, veto + extra)
    return ecomperf.load(framework_dir({"positions.yaml": positions}))


def test_a_zero_total_veto_reads_the_same_in_the_row_the_footer_and_the_engine(
    framework_dir: Callable[..., Path],
) -> None:
    zeroing = '- {kpi: violations, weight: 0, target: "== 0", scoring: {method: veto, effect: zero_total}}'
    fw = _with_veto(framework_dir, zeroing)
    jd = build_job_description(fw, "channel_lead", "startup", "en")
    [row] = [r for r in jd.performance[0].rows if r.kpi == "violations"]
    assert row.scoring == "Veto (a breach scores the total 0)"
    assert jd.veto_rule == "A breach of the veto KPI Violations sets the total to 0."
    # the engine: cac 40 meets "<= 40" (100 points), one violation zeroes the total
    card = fw.score("channel_lead", stage="startup", period="2026-10", actuals={"cac": 40, "violations": 1})
    assert (card.uncapped_total, card.total, card.grade) == (100, 0, "D")


def test_a_capping_veto_names_the_grade_it_caps_at(framework_dir: Callable[..., Path]) -> None:
    fw = _with_veto(framework_dir, _VETO_ENTRY)
    jd = build_job_description(fw, "channel_lead", "startup", "zh")
    assert jd.performance[0].rows[-1].scoring == "否决项（触发则等级最高为 C）"
    assert jd.veto_rule == "否决项（违规次数）一旦触发，等级最高为 C。"
    card = fw.score("channel_lead", stage="startup", period="2026-10", actuals={"cac": 40, "violations": 1})
    assert (card.total, card.grade) == (100, "C")  # 100 earns A; the veto caps it at C


def test_both_effects_on_one_card_give_both_sentences(framework_dir: Callable[..., Path]) -> None:
    fraud = """\
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: fake_orders
        name: {zh: 刷单次数, en: Fake orders}
        unit: count
        direction: zero
        """
    zeroing = "{kpi: fake_orders, weight: 0, target: '== 0', scoring: {method: veto, effect: zero_total}}"
    positions = BASE_FILES["positions.yaml"].replace(_VETO_ENTRY, f"{_VETO_ENTRY}\n              - {zeroing}")
    metrics = BASE_FILES["metrics.yaml"].rstrip(" ") + fraud  # the base text ends in the indentation of its last line
    fw = ecomperf.load(framework_dir({"positions.yaml": positions, "metrics.yaml": metrics}))
    jd = build_job_description(fw, "channel_lead", "startup", "en")
    assert jd.veto_rule == (
        "A breach of the veto KPI Fake orders sets the total to 0. "
        "A breach of the veto KPI Violations caps the grade at C."
    )


def test_without_a_veto_kpi_on_the_card_there_is_no_veto_sentence(framework_dir: Callable[..., Path]) -> None:
    fw = _with_veto(framework_dir, _VETO_ENTRY)
    assert build_job_description(fw, "manager", "startup", "en").veto_rule == ""


def test_without_a_grade_cap_the_sentence_says_the_grade_is_not_capped(framework_dir: Callable[..., Path]) -> None:
    framework = BASE_FILES["framework.yaml"].replace("rules:\n          veto_caps_grade_at: C\n", "")
    fw = ecomperf.load(framework_dir({"framework.yaml": framework}))
    jd = build_job_description(fw, "channel_lead", "startup", "en")
    assert jd.veto_rule == "A breach of the veto KPI Violations scores that KPI 0; the grade is not capped."


def test_events_that_change_the_card_are_shown_as_the_engine_scores_them(ecommerce_ops: Framework) -> None:
    jd = build_job_description(ecommerce_ops, "store_manager", "startup", "en")
    assert [(event.id, event.heading) for event in jd.events] == [
        ("double_11", "Double 11 (November, every year)"),
        ("mid_year_618", "618 mid-year sale (June, every year)"),
    ]
    double_11 = {change.kpi: (change.weight, change.target) for change in jd.events[0].changes}
    # events.yaml, store_manager startup: GMV off the card, campaign GMV 50 (>= 2000万 = 20M), routine GMV 20
    assert double_11["gmv"] == ("30% → 0 (not assessed)", "—")
    assert double_11["campaign_gmv"] == ("added: 50%", "≥ 20M")
    assert double_11["daily_gmv"] == ("added: 20%", "≥ 6.5M")
    assert double_11["new_user_growth_rate"] == ("40% → 17%", "unchanged")
    card = resolve_card(ecommerce_ops, "store_manager", stage="startup", period="2026-11")
    weights = {entry.kpi: entry.weight for entry in card.entries}
    assert (weights["campaign_gmv"], weights["daily_gmv"], weights["new_user_growth_rate"]) == (50, 20, 17)
    assert "gmv" not in weights


def test_a_position_no_event_touches_has_no_event_section(mini: Framework) -> None:
    jd = build_job_description(mini, "service_agent", None, "en")
    assert (jd.events, jd.events_heading, jd.events_note) == ((), "", "")


def test_events_follow_the_stage_shown(mini: Framework) -> None:
    # mini's Double 11 overrides store_manager in the mature stage only
    assert build_job_description(mini, "store_manager", "startup", "en").events == ()
    [event] = build_job_description(mini, "store_manager", "mature", "en").events
    assert {change.stage for change in event.changes} == {"Mature"}


def test_forbidden_duties_read_as_prohibitions(mini: Framework) -> None:
    [en] = build_job_description(mini, "store_manager", None, "en").forbidden
    [zh] = build_job_description(mini, "store_manager", None, "zh").forbidden
    assert en.prohibition == "Must not: Handle after-sales issues and disputes"
    assert zh.prohibition == "不得：处理售后与纠纷"


# Authoring provenance: where a sentence came from is for the YAML's comments, not for candidates.
PROVENANCE = re.compile(
    r"\bseeds?\b|种子|推导|决定项|\bderived\b|原文|\binvented\b|\bplaceholder\b|\bDecision - |not in the seed", re.I
)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


@pytest.mark.parametrize("fixture", ["ecommerce_ops", "cross_border"])
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_no_job_description_carries_authoring_provenance(
    request: pytest.FixtureRequest, fixture: str, locale: str
) -> None:
    fw: Framework = request.getfixturevalue(fixture)
    # JSON-LD carries the same texts; the bundled frameworks declare no organisation, so they post none
    for position in fw.positions:
        texts = {
            "md": fw.render_jd(position, locale=locale, format="md"),
            "html": fw.render_jd(position, locale=locale, format="html"),
            "docx": _docx_text(fw.render_jd(position, locale=locale, format="docx")),
        }
        for name, text in texts.items():
            found = [text[max(0, m.start() - 30) : m.end() + 30] for m in PROVENANCE.finditer(text)]
            assert not found, f"{position}.{locale}.{name}: {found}"


def _groups(fw: Framework, position: str, locale: str) -> list[tuple[str, str, list[str]]]:
    (table,) = build_job_description(fw, position, "startup", locale).performance
    return [(group.section, group.heading, [row.name for row in group.rows]) for group in table.groups]


def test_kpis_are_grouped_by_section_with_the_section_weight(sectioned: Framework) -> None:
    assert [p.format() for p in ecomperf.load_documents(Path(sectioned.root)).problems] == []
    # results 70 holds gmv 60 and margin 40 of it: 42 and 28 points; behaviour 30 holds cac alone
    assert _groups(sectioned, "manager", "en") == [
        ("results", "Results (70%)", ["GMV", "Margin"]),  # declared order, whatever the entries' order
        ("behaviour", "Behaviour (30%)", ["CAC"]),
        ("", "Not in a section", ["Violations"]),  # a veto of weight 0 may stay outside (EP311)
    ]
    assert _groups(sectioned, "manager", "zh")[0][1] == "业绩（70%）"
    (table,) = build_job_description(sectioned, "manager", "startup", "en").performance
    assert [row.weight for row in table.groups[0].rows] == ["42%", "28%"]
    assert [row.name for row in table.rows] == ["GMV", "CAC", "Margin", "Violations"]  # card order stays


def test_sections_without_weights_show_the_sum_of_their_kpi_weights(sectioned: Framework) -> None:
    # growth holds gmv 30; cost holds cac 70 and the veto (0): 70; a section without a name shows its id
    assert _groups(sectioned, "channel_lead", "zh") == [
        ("growth", "增长（30%）", ["GMV"]), ("cost", "cost（70%）", ["获客成本", "违规次数"]),
    ]


def test_a_card_without_sections_has_one_unnamed_group(mini: Framework) -> None:
    (table,) = build_job_description(mini, "store_manager", "mature", "en").performance
    assert [(group.heading, group.rows) for group in table.groups] == [("", table.rows)]
