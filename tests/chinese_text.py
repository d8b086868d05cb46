"""Whether report texts are Chinese through and through: no two English words in a row, and no fixed
words of any English catalogue entry (the engine's sentences left untranslated)."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from ecomperf.render.messages import catalogue_path

_ASCII_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,})+")  # two English words in a row


def english_fragments() -> set[str]:
    """The fixed words of every English catalogue entry with two words or more ("grade capped at")."""
    with catalogue_path("en").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    fragments: set[str] = set()
    for message in catalog:
        for text in [message.id] if isinstance(message.id, str) else list(message.id):
            for piece in re.split(r"{[^}]*}", text):
                if _ASCII_SENTENCE.search(piece):
                    fragments.add(piece.strip(" ;:,()'\"").strip())
    return {fragment for fragment in fragments if _ASCII_SENTENCE.search(fragment)}


def assert_chinese(texts: list[str]) -> None:
    """Fail on the first of ``texts`` that holds two English words in a row or an English catalogue phrase."""
    fragments = english_fragments()
    assert "grade capped at" in fragments and "computed from its formula" in fragments  # the check is real
    for text in texts:
        assert not _ASCII_SENTENCE.search(text), text
        assert not [fragment for fragment in fragments if fragment in text], text
