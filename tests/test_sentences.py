"""Engine sentences: their English text, message id and parameters, kept through Pydantic and pickle."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from ecomperf.sentences import (
    EngineText,
    Formula,
    Name,
    Param,
    Sentence,
    join_sentences,
    sentence_from_json,
    sentence_to_json,
)


class _Notes(BaseModel):
    notes: list[EngineText] = []


def test_a_sentence_is_its_english_text_with_its_id_and_parameters() -> None:
    note = Sentence("weight {old:g} → {new:g} by event {event}", old=30.0, new=20.0,
                    event=Name.of("double_11", {"zh": "双11大促", "en": "Double 11"}))
    assert note == "weight 30 → 20 by event double_11"  # ids in English, as the Python API always read
    assert note.msgid == "weight {old:g} → {new:g} by event {event}" and note.params["old"] == 30.0
    with pytest.raises(AttributeError):
        note.msgid = "x"  # type: ignore[misc]


def test_lists_formulas_and_nested_sentences_read_plainly_in_english() -> None:
    listed = Sentence("no actuals for {months} (needed for {period})", months=("2026-10", "2026-11"),
                      period="2026-Q4")
    assert listed == "no actuals for 2026-10, 2026-11 (needed for 2026-Q4)"
    formula = Sentence("computed from its formula {formula}", formula=Formula("a / b", (Name("a"), Name("b"))))
    assert formula == "computed from its formula a / b"
    assert join_sentences(listed, formula) == f"{listed}; {formula}"
    assert join_sentences(None, formula) is formula


def test_pydantic_and_pickle_keep_the_sentence() -> None:
    note = Sentence("marked n/a")
    model = _Notes(notes=[note, "plain"])
    assert type(model.notes[0]) is Sentence and type(model.notes[1]) is str
    assert model.model_dump_json() == '{"notes":["marked n/a","plain"]}'  # JSON reads the text
    assert _Notes.model_validate_json(model.model_dump_json()).notes == ["marked n/a", "plain"]
    again = pickle.loads(pickle.dumps(note))
    assert type(again) is Sentence and again.msgid == "marked n/a"


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_NAME = st.builds(Name, _TEXT, st.lists(st.tuples(st.sampled_from(["zh", "en", ""]), _TEXT), max_size=2).map(tuple))
_PARAM = st.recursive(
    st.one_of(_TEXT, st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False), _NAME,
              st.builds(Formula, _TEXT, st.lists(_NAME, max_size=2).map(tuple))),
    lambda inner: st.one_of(st.lists(inner, max_size=3).map(tuple),
                            st.builds(lambda value: Sentence("nested {value}", value=value), inner)),
    max_leaves=6,
)


def _same(a: object, b: object) -> bool:
    """Equal, and of the same kind all the way down (a Sentence is not only its text)."""
    if isinstance(a, Sentence) or isinstance(b, Sentence):
        return (isinstance(a, Sentence) and isinstance(b, Sentence) and a.msgid == b.msgid
                and a.params.keys() == b.params.keys() and all(_same(a.params[k], b.params[k]) for k in a.params))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@given(st.dictionaries(st.sampled_from(["a", "b", "kpis"]), _PARAM, max_size=3))
def test_a_sentence_comes_back_from_json_with_its_id_and_parameters(params: dict[str, Param]) -> None:
    note = Sentence("{a} {b} {kpis}", **{"a": "", "b": "", "kpis": "", **params})
    stored = json.loads(json.dumps(sentence_to_json(note)))  # through a database's JSON column
    back = sentence_from_json(stored)
    assert _same(back, note) and back == note


def test_a_plain_string_is_stored_and_read_as_itself() -> None:
    assert sentence_to_json("written by hand") == "written by hand"
    assert type(sentence_from_json("written by hand")) is str  # cards recorded before revision 0003


def test_something_else_in_a_notes_column_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not a stored sentence: \{'text': 'x'\}"):
        sentence_from_json({"text": "x"})
    with pytest.raises(ValueError, match="not a stored sentence parameter"):
        sentence_from_json({"msgid": "{x}", "params": {"x": [1]}})
