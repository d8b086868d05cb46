"""The engine's sentences (:class:`ecomperf.sentences.Sentence`) written in the reader's language.

A sentence is translated by its message id through the gettext catalogues of
:mod:`ecomperf.render.messages`; its parameters are written for the locale first: a
:class:`~ecomperf.sentences.Name` by its localised name (``gmv`` → ``成交额``), a nested sentence in turn, a
list joined the locale's way (``、`` in Chinese). Text that is not a :class:`Sentence` (a note recorded
before sentences existed, a card read back from JSON) is translated when the catalogue has it as a
message, and kept as written otherwise.

>>> from ecomperf.sentences import Name, Sentence
>>> note = Sentence("veto breached ({kpis}): grade capped at {grade}",
...                 kpis=(Name.of("oversell_orders", {"zh": "超卖订单数", "en": "Oversold orders"}),), grade="C")
>>> sentence_text(note, "zh")
'触发否决项（超卖订单数）：等级封顶为 C'
>>> sentence_text(note, "en")
'veto breached (Oversold orders): grade capped at C'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ecomperf.model import localize
from ecomperf.model.index import FrameworkIndex
from ecomperf.render.labels import labels_for
from ecomperf.render.messages import translate
from ecomperf.scoring.results import DroppedKpi, ScoreCard
from ecomperf.sentences import Formula, Name, Sentence

__all__ = [
    "card_in_locale", "context_text", "dropped_reason", "formula_text", "name_text", "sentence_text", "sentences_text",
]


def name_text(name: Name, locale: str) -> str:
    """``name`` in ``locale``: its localised name, else its id."""
    if not name.names:
        return name.id
    pairs = dict(name.names)
    if "" in pairs:  # a plain-string name: the framework's one language
        return pairs[""]
    return localize(pairs, locale, "en") or name.id


_METRIC_ID = re.compile(r"[a-z][a-z0-9_]*")


def formula_text(formula: Formula, locale: str) -> str:
    """``formula`` with each metric it reads written by its name (functions such as ``min`` stay as written).

    >>> formula_text(Formula("(sales - cost) / sales", (Name.of("sales", {"zh": "销售额"}), Name("cost"))), "zh")
    '(销售额 - cost) / 销售额'
    """
    names = {name.id: name_text(name, locale) for name in formula.names}
    return _METRIC_ID.sub(lambda found: names.get(found[0], found[0]), formula.text)


def _param(value: object, locale: str) -> object:
    if isinstance(value, Sentence):
        return sentence_text(value, locale)
    if isinstance(value, Name):
        return name_text(value, locale)
    if isinstance(value, Formula):
        return formula_text(value, locale)
    if isinstance(value, tuple):
        return labels_for(locale)["list_sep"].join(str(_param(item, locale)) for item in value)
    return value


def sentence_text(text: str, locale: str) -> str:
    """``text`` in ``locale``: a :class:`Sentence` through the catalogue, with its parameters localised."""
    if not isinstance(text, Sentence):
        return translate(locale, text) if text else text
    key = (locale, _identity(text))
    try:
        found = _WRITTEN.get(key)
    except TypeError:  # a parameter that cannot be hashed: written every time
        return _written(text, locale)
    if found is None:
        found = _written(text, locale)
        if len(_WRITTEN) >= _WRITTEN_SIZE:
            _WRITTEN.clear()
        _WRITTEN[key] = found
    return found


def _written(sentence: Sentence, locale: str) -> str:
    return translate(locale, sentence.msgid, **{name: _param(value, locale) for name, value in sentence.params.items()})


_WRITTEN: dict[tuple[str, object], str] = {}
"""Sentences already written, by locale and :func:`_identity`: the cards of a batch repeat the same notes
(a formula's, a pro-rating's) row after row, and writing one costs a catalogue look-up per parameter."""
_WRITTEN_SIZE = 4096


def _identity(value: object) -> object:
    """What decides a sentence's text in every locale: its message id and its parameters, nested sentences
    by their own identity (a ``str`` compares by its English text only)."""
    if isinstance(value, Sentence):
        return (Sentence, value.msgid, tuple((name, _identity(param)) for name, param in value.params.items()))
    if isinstance(value, tuple):
        return tuple(_identity(item) for item in value)
    return value


def sentences_text(texts: Iterable[str], locale: str) -> list[str]:
    """Each of ``texts`` in ``locale`` (see :func:`sentence_text`)."""
    return [sentence_text(text, locale) for text in texts]


_REASONS = {
    "not applicable": Sentence("not applicable"),
    "missing": Sentence("missing"),
    "undefined": Sentence("undefined"),
    "removed by event": Sentence("removed by event"),
}


def dropped_reason(dropped: DroppedKpi, locale: str) -> str:
    """Why a KPI is off the total, in ``locale``: its reason, then the detail (``missing: no actual for 2026-10``)."""
    reason = sentence_text(_REASONS.get(dropped.reason, dropped.reason), locale)
    if not dropped.detail:
        return reason
    return translate(locale, "{reason}: {detail}", reason=reason, detail=sentence_text(dropped.detail, locale))


def context_text(card: ScoreCard, locale: str, index: FrameworkIndex | None = None) -> str:
    """The card's context as ``dimension=value`` pairs, by their declared names when ``index`` is given."""
    pairs = []
    for dimension, value in card.context.items():
        declared = index.spec.contexts.get(dimension) if index is not None else None
        if declared is None:
            pairs.append(f"{dimension}={value}")
            continue
        names = {item.id: item.name for item in declared.values}
        shown = localize(names.get(value), locale, locale) or value
        label = localize(declared.name, locale, locale) or dimension
        pairs.append(translate(locale, "{dimension}={value}", dimension=label, value=shown))
    return labels_for(locale)["list_sep"].join(pairs)


def card_in_locale(card: ScoreCard, locale: str) -> ScoreCard:
    """A copy of ``card`` whose notes, warnings and dropped-KPI details are written in ``locale`` (plain text).

    This is what a writer of a language-neutral format (CSV, JSON, a workbook) shows; the card itself
    keeps its sentences.
    """
    kpis = [kpi.model_copy(update={"notes": sentences_text(kpi.notes, locale)}) if kpi.notes else kpi
            for kpi in card.kpis]
    dropped = [d.model_copy(update={"detail": sentence_text(d.detail, locale)}) if d.detail else d
               for d in card.dropped]
    return card.model_copy(update={"kpis": kpis, "warnings": sentences_text(card.warnings, locale),
                                   "dropped": dropped})
