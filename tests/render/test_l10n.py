"""Quantities and event periods in the reader's locale (Babel, CLDR)."""

from __future__ import annotations

import pytest

from ecomperf.render.l10n import babel_locale, period_pattern_text, quantity_text


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        # 50万 = 500,000: thousands in English, 万 in Chinese
        (500_000, "currency", "500K", "50万"),
        # 2000万 = 20,000,000 = 20 million
        (20_000_000, "currency", "20M", "2000万"),
        # 1.2亿 = 120,000,000 = 120 million
        (120_000_000, "currency", "120M", "1.2亿"),
        # 2000万 / 3 = 6,666,666.67: two decimals at most
        (20_000_000 / 3, "currency", "6.67M", "666.67万"),
        (15_000, "count", "15K", "1.5万"),
        # below 10,000 Chinese has no compact unit, and both locales keep the plain number
        (5_000, "currency", "5000", "5000"),
        (0.35, "percent", "35%", "35%"),
        (24, "hours", "24h", "24h"),
        (4, "times", "4", "4"),
        # a large value in a unit that is not an amount stays a plain number
        (120_000, "score", "120000", "120000"),
    ],
)
def test_quantities_in_english_and_chinese(value: float, unit: str, en: str, zh: str) -> None:
    assert (quantity_text(value, unit, "en"), quantity_text(value, unit, "zh")) == (en, zh)


def test_negative_amounts_keep_their_sign() -> None:
    assert quantity_text(-500_000, "currency", "en") == "-500K"


def test_an_unknown_locale_is_formatted_in_english() -> None:
    assert str(babel_locale("xx")) == "en"
    assert quantity_text(500_000, "currency", "xx") == "500K"
    assert str(babel_locale("zh-TW")) == "zh_Hant_TW"


@pytest.mark.parametrize(
    ("pattern", "en", "zh"),
    [
        ("*-11", "November, every year", "每年十一月"),
        ("*-06", "June, every year", "每年六月"),
        ("2026-06", "June 2026", "2026年6月"),
        ("*-Q4", "Q4, every year", "每年第4季度"),
        ("2026-q2", "Q2 2026", "2026年第2季度"),
        ("2026-*", "2026-*", "2026-*"),  # no words for it: the pattern as written
    ],
)
def test_event_periods_in_words(pattern: str, en: str, zh: str) -> None:
    assert (period_pattern_text(pattern, "en"), period_pattern_text(pattern, "zh")) == (en, zh)
