"""The engine's sentences written per locale: translated by id, names for ids, lists joined per locale."""

from __future__ import annotations

import ecomperf
from ecomperf.render.sentences import card_in_locale, dropped_reason, sentence_text
from ecomperf.scoring.results import DroppedKpi
from ecomperf.sentences import Formula, Name, Sentence
from tests.conftest import REPO

OVERSELL = Name.of("oversell_orders", {"zh": "超卖订单数", "en": "Oversold orders"})


def test_a_sentence_reads_in_each_locale_with_names_for_ids() -> None:
    note = Sentence("veto breached ({kpis}): grade capped at {grade}", kpis=(OVERSELL, Name("violations")),
                    grade="C")
    assert sentence_text(note, "zh") == "触发否决项（超卖订单数、violations）：等级封顶为 C"  # no name: the id
    assert sentence_text(note, "en") == "veto breached (Oversold orders, violations): grade capped at C"
    assert sentence_text(note, "fr") == sentence_text(note, "en")  # no catalogue: English


def test_nested_sentences_formulas_and_plain_text() -> None:
    sales = Name.of("sales", {"zh": "销售额", "en": "Sales"})
    formula = Sentence("computed from its formula {formula}", formula=Formula("(sales - cost) / sales",
                                                                             (sales, Name("cost"))))
    status = Sentence("{status} ({detail}): scored 0 under {option}", status=Sentence("missing"),
                      detail=Sentence("no actual for {period}", period="2026-10"), option="missing='zero'")
    assert sentence_text(formula, "zh") == "由公式 (销售额 - cost) / 销售额 计算得出"
    assert sentence_text(status, "zh") == "缺失（2026-10 没有实际值）：按 missing='zero' 记 0 分"
    assert sentence_text("marked n/a", "zh") == "已标为不适用"  # a plain string that is a message id
    assert sentence_text("written by hand", "zh") == "written by hand"


def test_a_dropped_kpi_and_a_whole_card_in_chinese() -> None:
    dropped = DroppedKpi(kpi="gmv", weight=30, reason="missing",
                         detail=Sentence("no actual for {period}", period="2026-10"))
    assert dropped_reason(dropped, "zh") == "缺失：2026-10 没有实际值"
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    card = fw.score("customer_service_agent", stage="startup", period="2026-10", missing="renormalize",
                    actuals={"inquiry_response_time": 18})
    chinese = card_in_locale(card, "zh")
    assert [d.detail for d in chinese.dropped] == ["2026-10 没有实际值"]
    assert [d.detail for d in card.dropped] == ["no actual for 2026-10"]  # the card itself is unchanged
