"""Sentences the engine writes into a card (notes, warnings, the reasons of KPIs left off a total), kept
as a message id with parameters so that :mod:`ecomperf.render` can write them in the reader's language.

A :class:`Sentence` *is* its English text (a ``str`` subclass): ``str(note)``, ``note == "..."``,
``"capped" in note`` and JSON all read English, so scripts and stored cards keep working. It also
carries :attr:`Sentence.msgid` (the English sentence with ``{fields}``, the key of the gettext
catalogues in ``ecomperf/render/locale``) and :attr:`Sentence.params`. A parameter is a number, a plain
text (a period id, a target as written), a :class:`Name` (an id with its localised name: a metric, an
event, a section, a context value), a :class:`Formula` (its metrics named), a nested
:class:`Sentence`, or a tuple of these (a list, joined per locale). Scoring stays pure: it only records;
:func:`ecomperf.render.sentences.sentence_text` formats.

>>> note = Sentence("veto breached ({kpis}): grade capped at {grade}", kpis=(Name("violations"),), grade="C")
>>> note
'veto breached (violations): grade capped at C'
>>> note.msgid, note.params["grade"]
('veto breached ({kpis}): grade capped at {grade}', 'C')

Adding a sentence: write ``Sentence("the English text with {fields}", field=...)`` with the message id as
a literal (Babel's extractor reads it), then add the entry to both catalogues;
``tests/render/test_messages.py`` fails until both carry it with the same fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, Final

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

__all__ = ["EngineText", "Formula", "Name", "Param", "Sentence", "english", "join_sentences", "sentence_from_json",
           "sentence_to_json"]

LIST_SEPARATOR: Final = ", "
"""How a tuple parameter is joined in English."""


@dataclass(frozen=True, slots=True)
class Name:
    """An id shown by its name in documents: ``str(name)`` is the id (what English notes have always shown).

    Attributes:
        id: the id (``apparel``, ``gmv``).
        names: the localised name as ``(locale, text)`` pairs (empty when the id has no declared name).
    """

    id: str
    names: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, id: str, name: str | Mapping[str, str] | None) -> Name:
        """A name from a model's localised text (a plain string or ``{locale: text}``)."""
        if name is None:
            pairs: tuple[tuple[str, str], ...] = ()
        elif isinstance(name, str):
            pairs = (("", name),)
        else:
            pairs = tuple(name.items())
        return cls(id, pairs)

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class Formula:
    """A metric's formula in a sentence: ``str()`` is the formula as written; documents write each metric
    in it by its name (``(销售收入 - 成本) / 销售收入``).

    Attributes:
        text: the formula as written in the framework.
        names: the metrics it reads, with their names.
    """

    text: str
    names: tuple[Name, ...] = ()

    def __str__(self) -> str:
        return self.text


Param = int | float | str | Name | Formula | tuple[Any, ...]
"""A parameter of a sentence (a tuple holds parameters too; a :class:`Sentence` is a ``str``)."""


def english(value: object) -> object:
    """A parameter as the English text shows it: names as ids, tuples joined, numbers kept for ``{x:g}``."""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(str(english(item)) for item in value)
    if isinstance(value, Name | Formula):
        return str(value)
    return value


class Sentence(str):
    """A sentence the engine wrote: its English text, with the message id and parameters behind it.

    Instances are immutable, compare and hash as their text, pickle with their id and parameters, and
    survive Pydantic validation on fields typed :data:`EngineText`.
    """

    msgid: str
    params: Mapping[str, Param]

    def __new__(cls, msgid: str, /, **params: Param) -> Sentence:
        """The sentence ``msgid`` with ``params`` (the English text is ``msgid.format(**params)``)."""
        text = msgid.format_map({key: english(value) for key, value in params.items()}) if params else msgid
        self = super().__new__(cls, text)
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", MappingProxyType(dict(params)))
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Sentence is immutable; cannot set {name}")

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (self.msgid, dict(self.params))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return _keep_sentences()


def _rebuild(msgid: str, params: dict[str, Param]) -> Sentence:
    return Sentence(msgid, **params)


def _keep_sentences() -> core_schema.CoreSchema:
    """A ``str`` field that keeps a :class:`Sentence` as it is (Pydantic turns ``str`` subclasses into ``str``)."""
    python = core_schema.union_schema([core_schema.is_instance_schema(Sentence), core_schema.str_schema()])
    return core_schema.json_or_python_schema(json_schema=core_schema.str_schema(), python_schema=python,
                                             serialization=core_schema.to_string_ser_schema())


class _KeepSentence:
    """Pydantic metadata for :data:`EngineText`."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return _keep_sentences()


EngineText = Annotated[str, _KeepSentence()]
"""A model field holding engine text: a plain ``str`` or a :class:`Sentence`, kept as given; JSON is the text."""


def join_sentences(first: str | None, second: str) -> str:
    """``first; second`` as one sentence (either may be a :class:`Sentence`), or ``second`` alone.

    >>> join_sentences(Sentence("weight {old:g} → {new:g} by event {event}", old=30, new=20, event="d11"), "x")
    'weight 30 → 20 by event d11; x'
    """
    if not first:
        return second
    return Sentence("{first}; {second}", first=first, second=second)


JsonValue = str | int | float | list[Any] | dict[str, Any]
"""What :func:`sentence_to_json` gives: plain JSON (strings, numbers, lists and objects)."""


def sentence_to_json(text: str) -> JsonValue:
    """``text`` as JSON that keeps a :class:`Sentence`'s message id and parameters (a plain ``str`` stays itself).

    Stored cards keep their sentences this way, so that a card read back is written in the reader's language
    as a freshly scored one is. :func:`sentence_from_json` reverses it.

    >>> sentence_to_json(Sentence("veto breached ({kpis})", kpis=(Name("violations", (("zh", "违规"),)),)))["params"]
    {'kpis': {'items': [{'id': 'violations', 'names': [['zh', '违规']]}]}}
    >>> sentence_to_json("a plain note")
    'a plain note'
    """
    if isinstance(text, Sentence):
        return {"msgid": text.msgid, "params": {key: _param_to_json(value) for key, value in text.params.items()}}
    return str(text)


def sentence_from_json(value: object) -> str:
    """The text :func:`sentence_to_json` wrote: a :class:`Sentence` again, or a plain ``str``.

    Raises:
        ValueError: ``value`` is not what :func:`sentence_to_json` writes.

    >>> note = Sentence("capped at {grade}", grade="C")
    >>> back = sentence_from_json(sentence_to_json(note))
    >>> back == note, back.msgid, dict(back.params)
    (True, 'capped at {grade}', {'grade': 'C'})
    """
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("msgid"), str) and isinstance(value.get("params"), dict):
        return Sentence(value["msgid"], **{str(key): _param_from_json(item) for key, item in value["params"].items()})
    raise ValueError(f"not a stored sentence: {value!r}")


def _param_to_json(value: object) -> JsonValue:
    if isinstance(value, Sentence):
        return {"sentence": sentence_to_json(value)}
    if isinstance(value, bool) or not isinstance(value, str | int | float | Name | Formula | tuple):
        raise TypeError(f"a sentence parameter cannot be {type(value).__name__}: {value!r}")
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, Name):
        return {"id": value.id, "names": [list(pair) for pair in value.names]}
    if isinstance(value, Formula):
        return {"formula": value.text, "names": [_param_to_json(name) for name in value.names]}
    return {"items": [_param_to_json(item) for item in value]}


def _param_from_json(value: object) -> Param:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, dict):
        if "sentence" in value:
            return sentence_from_json(value["sentence"])
        if "id" in value:
            return Name(str(value["id"]), tuple((str(locale), str(text)) for locale, text in value.get("names", [])))
        if "formula" in value:
            names = tuple(_param_from_json(name) for name in value.get("names", []))
            return Formula(str(value["formula"]), tuple(name for name in names if isinstance(name, Name)))
        if "items" in value and isinstance(value["items"], list):
            return tuple(_param_from_json(item) for item in value["items"])
    raise ValueError(f"not a stored sentence parameter: {value!r}")
