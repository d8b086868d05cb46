"""Engine sentences: their English text, message id and parameters, kept through Pydantic and pickle."""

from __future__ import annotations

import pickle

import pytest
from pydantic import BaseModel

from ecomperf.sentences import EngineText, Formula, Name, Sentence, join_sentences


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
