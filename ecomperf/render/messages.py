"""Sentences ecomperf writes into documents, from gettext catalogues (zh and en) read with Babel.

The catalogues are the ``.po`` files in ``ecomperf/render/locale/<locale>/LC_MESSAGES/ecomperf.po``. The
message id is the English sentence with ``{name}`` fields; each catalogue gives the sentence in its
language, with plural forms where the language has them (English does, Chinese does not).

The ``.po`` files are read at run time with :func:`babel.messages.pofile.read_po` and turned into
:class:`babel.support.Translations` in memory (once per locale, cached), so there is no compile step: a
wheel, an editable install and a checkout behave the same, no generated ``.mo`` file is committed, and an
edited catalogue takes effect at once. Reading and compiling both catalogues takes about 2 ms, once per
process, on the first document rendered.

Adding a message: call :func:`translate` (or :func:`translate_plural`) with the English sentence as a
literal, then add the entry to both catalogues; ``tests/render/test_messages.py`` extracts every call with
Babel's extractor and fails until both catalogues carry it, translated and with the same ``{fields}``::

    pybabel extract -k translate:2 -k translate_plural:2,3 -k Sentence:1 -o /tmp/ecomperf.pot ecomperf

The engine's own sentences (notes, warnings, reasons on a card) are :class:`ecomperf.sentences.Sentence`
objects recorded by scoring with their message id; :mod:`ecomperf.render.sentences` writes them per locale
from the same catalogues.

>>> translate("zh", "Must not: {duty}", duty="渠道拓展")
'不得：渠道拓展'
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["CATALOGUE_DIR", "CATALOGUE_LOCALES", "DOMAIN", "catalogue_path", "translate", "translate_plural"]

CATALOGUE_DIR: Final = Path(__file__).parent / "locale"
"""Where the ``.po`` catalogues live."""

DOMAIN: Final = "ecomperf"
"""The gettext domain (the catalogues' file name)."""

CATALOGUE_LOCALES: Final = ("zh", "en")
"""The locales with a catalogue; any other locale is written in English."""

_FALLBACK: Final = "en"


def catalogue_path(locale: str) -> Path:
    """The ``.po`` file of ``locale``."""
    return CATALOGUE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=8)
def _translations(locale: str) -> NullTranslations:
    chosen = locale if locale in CATALOGUE_LOCALES else _FALLBACK
    with catalogue_path(chosen).open("rb") as handle:
        catalog = read_po(handle, locale=chosen, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translate(locale: str, message: str, **fields: object) -> str:
    """``message`` (the English sentence) in ``locale``, with its ``{fields}`` filled in.

    >>> translate("en", "Must not: {duty}", duty="Channel expansion")
    'Must not: Channel expansion'
    """
    text: str = _translations(locale).gettext(message)
    return text.format(**fields) if fields else text


def translate_plural(locale: str, singular: str, plural: str, count: int, **fields: object) -> str:
    """The singular or plural form of a message for ``count`` in ``locale``, with ``{fields}`` filled in.

    ``count`` is also available to the sentence as ``{count}``.
    """
    text: str = _translations(locale).ngettext(singular, plural, count)
    return text.format(count=count, **fields)
