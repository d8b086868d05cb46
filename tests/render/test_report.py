"""Scorecard and team reports: self-contained HTML with inline SVG charts, read back with html.parser."""

from __future__ import annotations

import pickle
import random
import re
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import pytest

from ecomperf.errors import RenderError
from ecomperf.framework import Framework
from ecomperf.render.report import per_employee_pages, scorecard_html, team_report_html, team_report_pages
from ecomperf.scoring.results import DroppedKpi, KpiScore, ScoreCard
from ecomperf.targets import parse_target
from tests.render.html_outline import Outline, outline

SCALE = ["A", "B", "C", "D"]


def _kpi(
    kpi: str, names: tuple[str, str], unit: str, actual: float, target: str, score: float, weight: float,
    **extra: object,
) -> KpiScore:
    fields: dict[str, object] = {
        "kpi": kpi,
        "name": {"zh": names[0], "en": names[1]},
        "unit": unit,
        "actual": actual,
        "target": parse_target(target),
        "achievement": score / 100,
        "score": score,
        "weight": weight,
        "weighted_score": weight * score / 100,
        "method": "linear",
        "cycle": "monthly",
        "period": "2026-10",
    }
    fields.update(extra)
    return KpiScore.model_validate(fields)


def _card(employee: str | None = "张三", **changes: object) -> ScoreCard:
    # 40·112 + 40·87.5 + 20·(5/6·100) = 4480 + 3500 + 1666.7 = 9646.7 → total 96.47, grade B, capped to C by the veto.
    fields: dict[str, object] = {
        "framework": "mini-shop",
        "employee": employee,
        "position": "store_manager",
        "position_name": {"zh": "店长", "en": "Store manager"},
        "stage": "mature",
        "period": "2026-10",
        "context": {"category": "electronics_3c"},
        "kpis": [
            _kpi("gmv", ("商品交易总额", "GMV"), "currency", 5_600_000, ">= 500万", 112.0, 40),
            _kpi("gross_margin", ("毛利率", "Gross margin"), "percent", 0.35, ">= 40%", 87.5, 40, computed=True),
            _kpi("inventory_turnover", ("库存周转率", "Inventory turnover"), "times", 5, ">= 6", 83.333333333, 20),
            _kpi(
                "violations", ("违规处罚次数", "Platform penalties"), "count", 1, "== 0", 0.0, 0,
                method="veto", veto_breached=True, achievement=None, notes=["veto breached: 1 against target == 0"],
            ),
        ],
        "total": 96.466666667,
        "uncapped_total": 96.466666667,
        "uncapped_grade": "B",
        "grade": "C",
        "bonus": 0.6,
        "veto_breaches": ["violations"],
        "warnings": ["veto breached (violations): grade capped at C"],
        "grade_scale": SCALE,
    }
    fields.update(changes)
    return ScoreCard.model_validate(fields)


def _bars(page: Outline) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in page.tags if tag == "rect"]


def test_scorecard_shows_grade_total_and_bonus() -> None:
    page = outline(scorecard_html(_card(), locale="en"))
    assert page.headings[0] == ("h1", "Performance scorecard · 张三")
    assert "96.5" in page.text and "Total" in page.text
    assert "0.6" in page.text and "Bonus coefficient" in page.text
    badge = next(attrs for tag, attrs in page.tags if tag == "span" and "badge" in (attrs.get("class") or ""))
    assert badge["class"] == "badge poor"  # capped by a veto
    assert "capped from B to C by a veto" in page.text


def test_kpi_table_formats_units() -> None:
    kpis = outline(scorecard_html(_card(), locale="zh")).tables[0]
    assert kpis[0][:5] == ["考核指标", "实际值", "目标值", "达成率", "得分"]
    assert kpis[1][:5] == ["商品交易总额", "560万", "≥ 500万", "112%", "112.0"]
    assert kpis[2][1:3] == ["35%", "≥ 40%"]
    assert kpis[3][3:5] == ["83.3%", "83.3"]
    assert kpis[-1][0] == "总分" and "96.5" in kpis[-1]


def test_veto_breach_is_highlighted() -> None:
    html = scorecard_html(_card(), locale="en")
    page = outline(html)
    assert ("div", {"class": "alert veto-breaches"}) in page.tags
    assert "Veto breaches: Platform penalties" in " ".join(page.text.split())
    vetoed = [attrs for tag, attrs in page.tags if tag == "tr" and attrs.get("class") == "veto"]
    assert [attrs["data-kpi"] for attrs in vetoed] == ["violations"]


def test_chart_has_a_bar_per_kpi_and_reference_lines_at_100_and_the_cap() -> None:
    page = outline(scorecard_html(_card(), locale="en"))
    svg = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svg) == 1
    bars = _bars(page)
    assert len(bars) == 4
    widths = [float(bar["width"] or 0) for bar in bars]
    assert widths[0] > widths[1] > widths[2] > widths[3] == 0.0
    lines = {
        attrs.get("class"): attrs
        for tag, attrs in page.tags
        if tag == "line" and "reference" in (attrs.get("class") or "")
    }
    assert set(lines) == {"reference target", "reference cap"}
    # The axis runs 0..120: the target line sits at 100/120 of the plot, the cap line at its end.
    x0 = float(next(attrs for tag, attrs in page.tags if tag == "rect")["x"] or 0)
    target_x, cap_x = float(lines["reference target"]["x1"] or 0), float(lines["reference cap"]["x1"] or 0)
    assert (target_x - x0) / (cap_x - x0) == pytest.approx(100 / 120, abs=1e-3)
    # GMV scored 112: its bar ends between the two lines.
    assert target_x < x0 + widths[0] < cap_x
    assert "target 100" in page.text and "cap 120" in page.text


def test_a_custom_cap_moves_the_cap_line() -> None:
    page = outline(scorecard_html(_card(), locale="en", cap=150))
    assert "cap 150" in page.text


def test_warnings_and_dropped_kpis_are_listed() -> None:
    card = _card(
        dropped=[DroppedKpi(kpi="repurchase_rate", weight=10, reason="missing")],
        missing_policy="renormalize",
    )
    page = outline(scorecard_html(card, locale="en"))
    headings = [text for _, text in page.headings]
    assert "KPIs left off the total" in headings and "Warnings" in headings
    assert ["repurchase_rate", "10", "missing"] in page.tables[1]
    assert "renormalised" in page.text
    assert "veto breached (violations): grade capped at C" in page.text


def test_a_zero_total_veto_shows_the_total_before_it() -> None:
    card = _card(total=0.0, uncapped_total=96.466666667, grade="D", bonus=0.0)
    assert "a veto set the total to 0 (was 96.5)" in outline(scorecard_html(card, locale="en")).text


def test_text_from_cards_is_escaped() -> None:
    html = scorecard_html(_card(employee="<script>alert(1)</script>"), locale="en")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_default_locale_is_the_first_locale_of_the_names() -> None:
    assert outline(scorecard_html(_card())).headings[0] == ("h1", "绩效考核报告 · 张三")


def test_unknown_locale_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="unknown locale 'eng'; did you mean 'en'"):
        scorecard_html(_card(), locale="eng")


def test_to_html_renders_the_report() -> None:
    assert _card().to_html(locale="en") == scorecard_html(_card(), locale="en")


def test_report_is_self_contained() -> None:
    page = outline(scorecard_html(_card()))
    assert not [tag for tag, _ in page.tags if tag in {"script", "link", "img"}]
    assert not [attrs for _, attrs in page.tags if "src" in attrs or "href" in attrs]
    assert "@page { size: A4" in page.style


@dataclass(frozen=True)
class RowProblem:
    row: int
    employee: str | None
    reason: str


def _clean(employee: str, total: float, grade: str, bonus: float) -> ScoreCard:
    return _card(
        employee, total=total, uncapped_total=total, grade=grade, uncapped_grade=grade, bonus=bonus,
        veto_breaches=[], warnings=[],
    )


def _team() -> list[ScoreCard]:
    return [
        _card("张三"),
        _clean("李四", 117.0, "A", 1.2),
        _clean("王五", 88.0, "B", 1.0),
        _clean("赵六", 101.0, "A", 1.2),
    ]


def test_team_report_lists_every_employee_in_order() -> None:
    page = outline(team_report_html(_team(), locale="en"))
    table = next(t for t in page.tables if t[0][0] == "Employee")
    assert [row[0] for row in table[1:]] == ["张三", "李四", "王五", "赵六"]
    assert table[1][4:7] == ["96.5", "C capped from B to C by a veto", "0.6"]
    assert table[1][7] == "Platform penalties"
    assert "100.6" in page.text  # average of 96.47, 117, 88 and 101 = 402.47 / 4


def test_team_chart_counts_people_per_grade_in_scale_order() -> None:
    page = outline(team_report_html(_team(), locale="en"))
    assert len([tag for tag, _ in page.tags if tag == "svg"]) == 1
    columns = [attrs for tag, attrs in page.tags if tag == "g" and (attrs.get("class") or "").startswith("column")]
    assert len(columns) == 4  # A, B, C, D — D is drawn although nobody earned it
    labels = re.findall(r"<title>([A-D]): (\d) · (\d+)%</title>", team_report_html(_team(), locale="en"))
    assert labels == [("A", "2", "50"), ("B", "1", "25"), ("C", "1", "25"), ("D", "0", "0")]
    heights = [float(attrs["height"] or 0) for attrs in _bars(page)]
    assert heights[0] == pytest.approx(2 * heights[1]) and heights[3] == 0.0


def test_team_report_lists_rows_that_could_not_be_scored() -> None:
    errors = [RowProblem(7, "钱七", "missing actual: gmv"), RowProblem(9, None, "unknown position 'store_manger'")]
    page = outline(team_report_html(_team(), errors, locale="en"))
    table = next(t for t in page.tables if t[0][0] == "Row")
    assert table[1:] == [["7", "钱七", "missing actual: gmv"], ["9", "", "unknown position 'store_manger'"]]
    assert ("h2", "Rows that could not be scored") in page.headings


def test_team_report_without_cards_still_renders() -> None:
    page = outline(team_report_html([], [RowProblem(2, "x", "bad row")], locale="zh"))
    assert "没有可展示的考核结果。" in page.text
    assert not [tag for tag, _ in page.tags if tag == "svg"]


def test_reports_name_the_stage_in_the_reader_s_language() -> None:
    import ecomperf
    from tests.conftest import REPO

    fw = ecomperf.load(REPO / "examples" / "mini-framework")
    card = fw.score("service_agent", stage="mature", period="2026-10", actuals={"inquiry_response_hours": 12})
    assert card.stage_name == {"zh": "成熟期", "en": "Mature"}
    assert "成熟期" in team_report_html([card], locale="zh")
    assert "Mature" in scorecard_html(card, locale="en")


def test_team_report_drills_down_to_each_kpi_of_each_employee() -> None:
    page = outline(team_report_html(_team(), locale="en"))
    details = [t for t in page.tables if t[0][:6] == ["KPI", "Actual", "Target", "Score", "Weight", "Weighted"]]
    assert len(details) == 4  # one per employee, in the order of the summary table
    first = details[0]
    # GMV: 5,600,000 against >= 500万 (5M) scores 112 at weight 40: 40 · 112 / 100 = 44.8
    assert first[1][:6] == ["GMV", "5.6M", "≥ 5M", "112.0", "40", "44.8"]
    assert first[2][:6] == ["Gross margin", "35%", "≥ 40%", "87.5", "40", "35.0"]
    assert first[4][0] == "Platform penalties" and first[4][6].startswith("veto breached")
    # the summary table links each name to its drill-down
    anchors = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("class") == "person"]
    sections = [attrs["id"] for tag, attrs in page.tags if tag == "section" and attrs.get("class") == "card"]
    assert anchors == [f"#{anchor}" for anchor in sections] == ["#card-1", "#card-2", "#card-3", "#card-4"]


def test_a_renormalised_card_is_marked_and_its_dropped_kpis_are_listed() -> None:
    renormalised = _clean("孙八", 95.0, "B", 1.0).model_copy(update={
        "missing_policy": "renormalize",
        "dropped": [DroppedKpi(kpi="repurchase_rate", weight=10, reason="missing", detail="no actual")],
    })
    html = team_report_html([_clean("李四", 117.0, "A", 1.2), renormalised], locale="en")
    page = outline(html)
    summary = next(t for t in page.tables if t[0][0] == "Employee")
    assert summary[1][0] == "李四" and summary[2][0] == "孙八 renormalised"
    detail = [t for t in page.tables if t[0][:2] == ["KPI", "Actual"]][1]
    assert detail[-1] == ["repurchase_rate", "—", "—", "—", "10", "—", "left off missing: no actual"]
    assert ("tr", {"class": "dropped", "data-kpi": "repurchase_rate"}) in page.tags
    assert "Missing KPIs were dropped and the remaining weights renormalised." in page.text


def test_an_event_removal_alone_does_not_mark_a_card_renormalised() -> None:
    removed = _clean("李四", 117.0, "A", 1.2).model_copy(update={
        "missing_policy": "renormalize",
        "dropped": [DroppedKpi(kpi="gmv", weight=0, reason="removed by event", detail="event double_11")],
    })
    summary = next(t for t in outline(team_report_html([removed], locale="en")).tables if t[0][0] == "Employee")
    assert summary[1][0] == "李四"


def test_names_are_kept_whole() -> None:
    html = team_report_html(_team(), locale="zh")
    # an employee's name never wraps; a position's wraps only between words, never inside a Chinese name
    assert ".person { white-space: nowrap; }" in html
    assert ".position-name { word-break: keep-all; overflow-wrap: normal; }" in html
    page = outline(html)
    cells = [attrs for tag, attrs in page.tags if tag == "td" and attrs.get("class") == "position-name"]
    assert len(cells) == 2 * 4  # position and stage of every employee


def test_in_chromium_no_name_wraps_at_a_narrow_window(tmp_path: Path) -> None:
    from tests.browser import BINARY, SKIP_REASON, Chromium

    if BINARY is None:
        pytest.skip(SKIP_REASON)
    long = _clean("欧阳娜娜 Anna-Maria Konstantinopoulou", 101.0, "A", 1.2).model_copy(
        update={"position_name": {"zh": "跨境运营经理（策略层）", "en": "Cross-border operations manager"}}
    )
    page = tmp_path / "team.html"
    page.write_text(team_report_html([*_team(), long], locale="zh"), encoding="utf-8")
    with Chromium() as browser:
        session = browser.open(page.as_uri(), width=900, offline=True)
        lines = browser.evaluate(
            session, "[...document.querySelectorAll('a.person')].map(e => e.getClientRects().length)"
        )
        # a position name may break at its bracket (between words), never between two characters of a word
        breaks = browser.evaluate(session, """[...document.querySelectorAll('td.position-name')].map(td => {
            const range = document.createRange(); const text = td.firstChild; const tops = [];
            for (let i = 0; i < text.length; i++) { range.setStart(text, i); range.setEnd(text, i + 1);
              tops.push(Math.round(range.getBoundingClientRect().top)); }
            return [text.data, tops]; })""")
    assert lines == [1] * 5
    for text, tops in breaks:
        for i in range(1, len(text)):
            if tops[i] != tops[i - 1]:  # a line break before character i
                assert text[i] == "（" or text[i - 1] in " （", (text, i)


def test_per_employee_pages_are_named_safely_and_never_overwrite_each_other() -> None:
    cards = [_clean("李四", 117.0, "A", 1.2), _clean("a/b:c", 88.0, "B", 1.0), _clean("李四", 90.0, "B", 1.0),
             _card(None)]
    pages = per_employee_pages(cards, locale="en")
    # the same person twice in one period gets "-2"; a card without an employee is named by its position
    assert list(pages) == [
        "李四.2026-10.html", "a_b_c.2026-10.html", "李四.2026-10-2.html", "store_manager.2026-10.html"
    ]
    assert pages["李四.2026-10.html"] == cards[0].to_html(locale="en")


def test_scorecard_shows_sections_the_display_scale_and_each_rating() -> None:
    from ecomperf.scoring.results import Rating, SectionScore

    rated = _kpi("teamwork", ("团队协作", "Teamwork"), "score", 4.0, ">= 4", 100.0, 20, section="behaviour",
                 ratings=[Rating(role="self", rater="self", value=5.0), Rating(role="peer", rater="peer 1", value=4.0),
                          Rating(role="peer", rater="peer 2", value=3.0)])
    card = _card(
        kpis=[_kpi("gmv", ("商品交易总额", "GMV"), "currency", 5_600_000, ">= 500万", 112.0, 80, section="results"),
              rated],
        # results 112, behaviour 100; total 0.8*112 + 0.2*100 = 109.6 = 5.48 of 5
        sections=[SectionScore(section="results", name={"zh": "业绩", "en": "Results"}, weight=80, subtotal=112.0,
                               shown=5.6, kpis=["gmv"]),
                  SectionScore(section="behaviour", weight=20, subtotal=100.0, shown=5.0, kpis=["teamwork"])],
        total=109.6, uncapped_total=109.6, grade="A", uncapped_grade="A", veto_breaches=[], warnings=[],
        shown_total=5.48, display_scale=5.0,
    )
    html = scorecard_html(card, locale="en")
    page = outline(html)
    assert "out of 5" in page.text and "5.48" in page.text
    assert ("h2", "Sections") in page.headings
    assert '<tr data-section="results"><td>Results</td><td class="num">80</td><td class="num"><strong>112.0</strong>' \
           '</td><td class="num">5.6</td></tr>' in html
    assert "behaviour" in html  # a section without a name shows its id
    assert "Ratings: self 5, peer 1 4, peer 2 3" in page.text


def test_scorecard_without_sections_has_no_section_table() -> None:
    page = outline(scorecard_html(_card(), locale="en"))
    assert ("h2", "Sections") not in page.headings
    assert "out of" not in page.text


def _sectioned(employee: str, gmv_score: float, teamwork_score: float) -> ScoreCard:
    from ecomperf.scoring.results import SectionScore

    # results 80 points (GMV), behaviour 20 points (teamwork); each section's subtotal is its one KPI's score
    total = (80 * gmv_score + 20 * teamwork_score) / 100
    return _card(
        employee,
        kpis=[_kpi("gmv", ("商品交易总额", "GMV"), "currency", 5_600_000, ">= 500万", gmv_score, 80, section="results"),
              _kpi("teamwork", ("团队协作", "Teamwork"), "score", 4.0, ">= 4", teamwork_score, 20, section="behaviour"),
              _kpi("violations", ("违规处罚次数", "Platform penalties"), "count", 0, "== 0", 100.0, 0, method="veto")],
        sections=[SectionScore(section="results", name={"zh": "业绩", "en": "Results"}, weight=80,
                               subtotal=gmv_score, shown=gmv_score / 20, kpis=["gmv"]),
                  SectionScore(section="behaviour", name={"zh": "行为", "en": "Behaviour"}, weight=20,
                               subtotal=teamwork_score, shown=teamwork_score / 20, kpis=["teamwork"])],
        total=total, uncapped_total=total, grade="A", uncapped_grade="A", veto_breaches=[], warnings=[],
        shown_total=total / 20, display_scale=5.0,
    )


def test_team_report_shows_each_section_subtotal_and_the_display_scale() -> None:
    # 李四: 0.8·112 + 0.2·100 = 109.6 = 5.48 of 5; 王五: 0.8·90 + 0.2·50 = 82 = 4.1 of 5
    html = team_report_html([_sectioned("李四", 112.0, 100.0), _sectioned("王五", 90.0, 50.0)], locale="en")
    page = outline(html)
    summary = next(t for t in page.tables if t[0][0] == "Employee")
    assert summary[0][4:8] == ["Total", "out of 5", "Results", "Behaviour"]
    assert summary[1][4:8] == ["109.6", "5.48", "112.0", "100.0"]
    assert summary[2][4:8] == ["82.0", "4.1", "90.0", "50.0"]


def test_team_drill_down_groups_kpis_under_their_section_subtotal() -> None:
    html = team_report_html([_sectioned("王五", 90.0, 50.0)], locale="en")
    detail = next(t for t in outline(html).tables if t[0][:2] == ["KPI", "Actual"])
    # section row: name, subtotal, weight, contribution (80 · 90 / 100 = 72.0), subtotal on the scale (90 / 20)
    assert detail[1] == ["Results", "90.0", "80", "72.0", "Subtotal; 4.5 out of 5"]
    assert detail[2][:6] == ["GMV", "5.6M", "≥ 5M", "90.0", "80", "72.0"]
    assert detail[3] == ["Behaviour", "50.0", "20", "10.0", "Subtotal; 2.5 out of 5"]
    assert detail[4][0] == "Teamwork"
    # the veto KPI belongs to no section: it follows under its own heading
    assert detail[5] == ["Not in a section"] and detail[6][0] == "Platform penalties"
    assert '<tr class="section-head" data-section="results">' in html


def test_team_report_without_sections_has_no_subtotal_columns_or_rows() -> None:
    page = outline(team_report_html(_team(), locale="en"))
    summary = next(t for t in page.tables if t[0][0] == "Employee")
    assert summary[0][4:6] == ["Total", "Grade"]
    assert ("tr", {"class": "section-head"}) not in page.tags


def _numbered(count: int) -> list[ScoreCard]:
    return [_clean(f"E{number:03d}", 100.0 + number % 3, "A", 1.2) for number in range(1, count + 1)]


def test_a_team_within_one_page_is_the_single_report() -> None:
    cards = _numbered(3)
    assert list(team_report_pages(cards, locale="en", stem="oct", page_rows=3)) == [
        ("oct.html", team_report_html(cards, locale="en"))
    ]


def test_a_larger_team_gets_pages_of_at_most_page_rows_then_an_index() -> None:
    errors = [RowProblem(row, f"X{row}", "bad row") for row in range(2, 9)]  # 7 rows not scored
    pages = dict(team_report_pages(_numbered(5), errors, locale="en", stem="oct", page_rows=2))
    # 5 cards at 2 a page need 3 pages, 7 errors need 4: the errors decide; the index comes last
    assert list(pages) == ["oct-1.html", "oct-2.html", "oct-3.html", "oct-4.html", "oct.html"]
    second = outline(pages["oct-2.html"])
    summary = next(t for t in second.tables if t[0][0] == "Employee")
    assert [row[0] for row in summary[1:]] == ["E003", "E004"]
    assert next(t for t in second.tables if t[0][0] == "Row")[1:] == [["4", "X4", "bad row"], ["5", "X5", "bad row"]]
    # anchors count over the whole report, so the drill-down of E003 is card-3 on page 2
    assert [a["id"] for tag, a in second.tags if tag == "section" and a.get("class") == "card"] == ["card-3", "card-4"]
    links = [(a.get("rel"), a["href"]) for tag, a in second.tags if tag == "a" and a.get("class") != "person"]
    assert links[:3] == [(None, "oct.html"), ("prev", "oct-1.html"), ("next", "oct-3.html")]
    assert "Page 2 of 4 · scorecards 3–4 of 5" in second.text
    index = outline(pages["oct.html"])
    listed = next(t for t in index.tables if t[0][0] == "Pages")
    # E001..E005 total 100 + n % 3: 101, 102, 100, 101, 102; page 1 averages 101.5, page 2 100.5, page 3 102
    assert listed[1:] == [
        ["Page 1", "1–2", "E001 – E002", "101.5", "0", "2"],
        ["Page 2", "3–4", "E003 – E004", "100.5", "0", "2"],
        ["Page 3", "5–5", "E005 – E005", "102.0", "0", "2"],
        ["Page 4", "—", "", "—", "0", "1"],
    ]
    assert "5 scorecards are more than the 2 one page holds: they are split into 4 pages" in index.text
    assert "101.2" in index.text  # average total of all five: 506 / 5


def test_the_index_averages_each_section_subtotal_over_the_cards() -> None:
    cards = [_sectioned("李四", 112.0, 100.0), _sectioned("王五", 90.0, 50.0), _sectioned("赵六", 100.0, 60.0)]
    index = outline(dict(team_report_pages(cards, locale="en", page_rows=2))["report.html"])
    # results (112 + 90 + 100) / 3 = 100.7; behaviour (100 + 50 + 60) / 3 = 70.0
    table = next(t for t in index.tables if t[0][0] == "Section")
    assert table[1:] == [["Results", "3", "100.7"], ["Behaviour", "3", "70.0"]]


def test_page_rows_below_one_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="page_rows must be at least 1"):
        list(team_report_pages(_numbered(1), page_rows=0))


@pytest.mark.parametrize("page_rows", [2, 10])  # pages and an index, and the single page
def test_each_page_renders_with_the_collector_paused_and_it_is_back_on_between_pages(
    page_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the collector on, the objects a page makes set off full collections that walk every card of
    # the batch: 400 µs a card at 20,000 cards against 320 at 4,000 (220 for both once paused).
    import gc

    import ecomperf.render.report as report

    seen: list[bool] = []

    def render(*args: object, **kwargs: object) -> str:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    original = report.render_template
    monkeypatch.setattr(report, "render_template", render)
    pages = team_report_pages(_numbered(5), locale="en", stem="oct", page_rows=page_rows)
    between = [gc.isenabled() for _ in pages]
    assert seen and not any(seen[:-1] if page_rows == 2 else seen)  # the index (last) reads no card view
    assert all(between)


class LazyCards(Sequence[ScoreCard]):
    """Cards built when they are asked for, as a batch that keeps columns rather than cards gives them: each
    ``cards[i]`` and ``cards[a:b]`` builds fresh cards (unpickled: JSON would lose the notes' sentences, about
    100 µs a card). It counts the builds of each card and the most cards built and still alive at once."""

    def __init__(self, cards: Sequence[ScoreCard]) -> None:
        self._pickled = [pickle.dumps(card) for card in cards]
        self.built: Counter[int] = Counter()
        self.alive = 0
        self.most_alive = 0

    def __len__(self) -> int:
        return len(self._pickled)

    @overload
    def __getitem__(self, where: int) -> ScoreCard: ...

    @overload
    def __getitem__(self, where: slice) -> list[ScoreCard]: ...

    def __getitem__(self, where: int | slice) -> ScoreCard | list[ScoreCard]:
        if isinstance(where, slice):
            return [self._build(place) for place in range(*where.indices(len(self)))]
        return self._build(range(len(self))[where])

    def _build(self, place: int) -> ScoreCard:
        card: ScoreCard = pickle.loads(self._pickled[place])
        self.built[place] += 1
        self.alive += 1
        self.most_alive = max(self.most_alive, self.alive)
        weakref.finalize(card, self._release)
        return card

    def _release(self) -> None:
        self.alive -= 1


def _mini_rows(count: int) -> list[dict[str, object]]:
    """Rows for the mini framework: three periods, both stages, vetoes, KPIs left off, rows not scored."""
    rng = random.Random(7)
    rows: list[dict[str, object]] = []
    for number in range(count):
        period = ["2026-09", "2026-10", "2026-11"][number % 3 if number > 100 else 1]
        if number % 3 == 2:  # some with no value: nothing left to score, a row not scored
            rows.append({"employee": f"E{number:05d}", "position": "service_agent", "stage": "mature",
                         "period": period, "inquiry_response_hours": rng.choice([6, 12, 14, 30, None])})
            continue
        rows.append({
            "employee": f"E{number:05d}" if number % 50 else None,  # no employee: a row not scored
            "position": "store_manager", "stage": ["startup", "mature"][number % 3], "period": period,
            "category": rng.choice(["apparel", "electronics_3c"]), "gmv": rng.uniform(1e6, 7e6),
            "sales_revenue": 1e6, "cost": rng.uniform(5e5, 7e5), "inventory_turnover": rng.choice([3, 5, 7, None]),
            "violations": rng.choice([0, 0, 0, 1]),
        })
    return rows


def _sectioned_rows(count: int) -> list[dict[str, object]]:
    """Rows for the ``sectioned`` framework: managers with weighted sections, channel leads without weights."""
    rng = random.Random(11)
    rows: list[dict[str, object]] = []
    for number in range(count):
        row: dict[str, object] = {"employee": f"S{number:05d}", "period": "2026-10", "cac": rng.uniform(20, 60),
                                  "violations": rng.choice([0, 0, 1])}
        if number % 2:
            row.update(position="manager", stage=rng.choice(["startup", "mature"]), category="apparel",
                       gmv=rng.uniform(3e5, 3e6), revenue=1e6, cost=rng.uniform(4e5, 8e5))
        else:  # without a GMV the growth section has no subtotal
            row.update(position="channel_lead", stage="startup", category="electronics_3c",
                       gmv=rng.choice([1e5, 9e5, None]))
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def batches(mini: Framework, sectioned: Framework) -> dict[str, tuple[list[ScoreCard], list[RowProblem]]]:
    """Cards and rows not scored: a few thousand of the mini framework, and cards with sections."""
    scored = mini.score_many(_mini_rows(3000), detail=True, missing="renormalize")
    cards, errors = list(scored.cards), [RowProblem(e.row, e.employee, e.reason) for e in scored.errors]
    with_sections = list(sectioned.score_many(_sectioned_rows(1500), detail=True, missing="renormalize").cards)
    assert len(cards) > 2000 and errors and all(card.sections for card in with_sections)
    return {
        "mini": (cards, errors),
        "no grade scale": ([card.model_copy(update={"grade_scale": []}) for card in cards], errors),
        "sections": (with_sections, []),
        "more pages of errors than of cards": (cards[:40], errors * 2),
        "one page": (cards[:50], errors[:5]),
    }


def _index_as_before(
    cards: list[ScoreCard], errors: list[RowProblem], locale: str, grades: list[str] | None, names: list[str],
    page_rows: int,
) -> str:
    """The index page as the report made it from every card at once, before it kept figures page by page."""
    from ecomperf.render.charts import column_chart
    from ecomperf.render.environment import builtin_environment, render_template
    from ecomperf.render.labels import labels_for
    from ecomperf.render.report import PageLink, TeamIndex, _number, _place_tone, _team_sections

    labels = labels_for(locale)
    counts = Counter(card.grade for card in cards)
    seen = {card.grade for card in cards}
    scale = grades if grades is not None else next((card.grade_scale for card in cards if card.grade_scale), None)
    if scale is not None:
        order = [*scale, *sorted(seen.difference(scale))]
    else:
        best: dict[str, float] = {}
        for card in cards:
            best[card.uncapped_grade] = max(best.get(card.uncapped_grade, float("-inf")), card.total)
        best.update({grade: float("-inf") for grade in seen.difference(best)})
        order = sorted(best, key=lambda grade: (-best[grade], grade))
    subtotals: dict[str, list[float]] = {}
    for card in cards:
        for section in card.sections:
            subtotals.setdefault(section.section, []).append(section.subtotal)
    section_names = dict(_team_sections(cards, locale))
    pages = []
    for number, href in enumerate(names, start=1):
        start = (number - 1) * page_rows
        shown = cards[start:start + page_rows]
        pages.append(PageLink(
            href=href, label=labels["page"].format(number=number),
            first_row=start + 1 if shown else 0, last_row=start + len(shown) if shown else 0,
            first_employee=(shown[0].employee or "—") if shown else "",
            last_employee=(shown[-1].employee or "—") if shown else "",
            average_total=_number(sum(card.total for card in shown) / len(shown)) if shown else "—",
            veto_count=sum(1 for card in shown if card.veto_breaches),
            error_count=len(errors[start:start + page_rows]),
        ))
    index = TeamIndex(
        locale=locale, labels=labels, title=labels["team_report_title"],
        periods=labels["list_sep"].join(dict.fromkeys(card.period for card in cards)),
        card_count=len(cards), error_count=len(errors),
        average_total=_number(sum(card.total for card in cards) / len(cards)) if cards else "—",
        chart=column_chart([(grade, counts.get(grade, 0), _place_tone(i, len(order))) for i, grade in enumerate(order)],
                           total=len(cards)),
        sections=tuple((section, section_names[section], len(values), _number(sum(values) / len(values)))
                       for section, values in subtotals.items()),
        pages=tuple(pages),
        note=labels["paginated_note"].format(total=len(cards), rows=page_rows, count=len(names)),
    )
    return render_template(builtin_environment(), "team_index.html.j2", team=index, labels=labels)


@pytest.mark.parametrize(("batch", "page_rows", "locale", "grades"), [
    ("mini", 500, None, None),
    ("mini", 7, "en", None),  # hundreds of pages
    ("mini", 300, None, ["D", "C", "B", "A", "Z"]),
    ("no grade scale", 300, "en", None),  # grades ranked by their best uncapped total
    ("sections", 7, "en", None),
    ("sections", 400, None, None),
    ("more pages of errors than of cards", 7, None, None),
    ("one page", 50, "en", None),
])
def test_a_lazy_sequence_of_cards_is_built_once_a_page_at_a_time_into_the_same_report(
    batches: dict[str, tuple[list[ScoreCard], list[RowProblem]]], batch: str, page_rows: int, locale: str | None,
    grades: list[str] | None,
) -> None:
    cards, errors = batches[batch]
    listed = list(team_report_pages(cards, errors, locale, grades=grades, stem="oct", page_rows=page_rows))
    lazy = LazyCards(cards)
    assert list(team_report_pages(lazy, iter(errors), locale, grades=grades, stem="oct", page_rows=page_rows)) == listed
    # every card built once, and never more than a page of them alive: the index reads none of them again
    assert lazy.built == Counter(range(len(cards)))
    assert lazy.most_alive <= page_rows
    if len(listed) == 1:
        assert listed == [("oct.html", team_report_html(cards, errors, locale, grades=grades))]
        return
    from ecomperf.render.report import card_locale

    names = [name for name, _ in listed[:-1]]
    assert listed[-1] == ("oct.html", _index_as_before(cards, errors, card_locale(cards, locale), grades, names,
                                                       page_rows))


@pytest.mark.parametrize(("batch", "page_rows"), [("more pages of errors than of cards", 7), ("one page", 50)])
def test_a_generator_of_cards_is_read_into_a_list_first(
    batches: dict[str, tuple[list[ScoreCard], list[RowProblem]]], batch: str, page_rows: int
) -> None:
    cards, errors = batches[batch]
    assert list(team_report_pages(iter(cards), iter(errors), page_rows=page_rows)) == list(
        team_report_pages(cards, errors, page_rows=page_rows))


def test_the_cards_after_the_first_page_are_read_for_the_locale_only_when_none_of_its_decides(
    batches: dict[str, tuple[list[ScoreCard], list[RowProblem]]],
) -> None:
    cards, _ = batches["mini"]
    # plain-text position names decide no locale; the 31st card's, in English first, decides for every page
    english = {"en": "Store manager", "zh": "店长"}
    cards = [card.model_copy(update={"position_name": english if place == 30 else "店长"})
             for place, card in enumerate(cards[:100])]
    listed = list(team_report_pages(cards, page_rows=7))
    assert '<html lang="en">' in listed[0][1]
    lazy = LazyCards(cards)
    assert list(team_report_pages(lazy, page_rows=7)) == listed
    # cards 8 to 31 are built once to find the locale and once for their page, and the look-ahead keeps none:
    # the first page, the card read and the one before it are all that is alive
    assert lazy.built == Counter({**dict.fromkeys(range(100), 1), **dict.fromkeys(range(7, 31), 2)})
    assert lazy.most_alive <= 7 + 2
    # a locale given reads no card ahead
    lazy = LazyCards(cards)
    assert list(team_report_pages(lazy, locale="en", page_rows=7)) == listed
    assert lazy.built == Counter(range(100))
