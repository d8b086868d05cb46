"""The gettext catalogues (zh, en) of the sentences ecomperf writes into documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ecomperf.render.messages import CATALOGUE_LOCALES, catalogue_path, translate, translate_plural
from tests.conftest import REPO

# the keywords of ecomperf.render.messages: translate(locale, message), translate_plural(locale, one, many, n),
# and the engine's sentences (ecomperf.sentences): Sentence(message, **params), anywhere in the package
KEYWORDS = {"translate": (2,), "translate_plural": (2, 3), "Sentence": (1,)}
FIELD = re.compile(r"{(\w*)}")


def _used_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO / "ecomperf"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def _catalogue(locale: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    with Path(catalogue_path(locale)).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {
        (m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): m.string
        for m in catalog
        if m.id
    }


def test_the_code_uses_messages_and_the_extractor_finds_them() -> None:
    used = _used_messages()
    assert "Must not: {duty}" in used
    assert ("A breach of the veto KPI {kpis} caps the grade at {grade}.",
            "A breach of any of the veto KPIs {kpis} caps the grade at {grade}.") in used
    assert "veto breached ({kpis}): grade capped at {grade}" in used  # a Sentence of scoring/card.py


@pytest.mark.parametrize("locale", CATALOGUE_LOCALES)
def test_each_catalogue_holds_exactly_the_messages_the_code_uses(locale: str) -> None:
    assert set(_catalogue(locale)) == _used_messages()


@pytest.mark.parametrize("locale", CATALOGUE_LOCALES)
def test_every_entry_is_translated_with_the_same_fields(locale: str) -> None:
    for message, translation in _catalogue(locale).items():
        source = message if isinstance(message, str) else message[0]
        forms = (translation,) if isinstance(translation, str) else translation
        assert forms and all(forms), f"{locale}: {message!r} is not translated"
        for form in forms:
            assert set(FIELD.findall(form)) == set(FIELD.findall(source)), (locale, message, form)


def test_chinese_has_one_plural_form_and_english_two() -> None:
    one = "A breach of the veto KPI {kpis} sets the total to 0."
    many = "A breach of any of the veto KPIs {kpis} sets the total to 0."
    assert translate_plural("en", one, many, 1, kpis="Violations") == one.format(kpis="Violations")
    assert translate_plural("en", one, many, 2, kpis="A, B") == many.format(kpis="A, B")
    assert translate_plural("zh", one, many, 1, kpis="违规") == translate_plural("zh", one, many, 3, kpis="违规")
    assert translate_plural("zh", one, many, 2, kpis="违规、超卖") == "否决项（违规、超卖）一旦触发，总分记为 0。"


def test_a_locale_without_a_catalogue_reads_english() -> None:
    assert translate("fr", "Must not: {duty}", duty="X") == "Must not: X"
    assert translate("zh", "Must not: {duty}", duty="渠道拓展") == "不得：渠道拓展"
