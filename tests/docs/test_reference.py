"""The YAML reference: every field of every model is documented, and every example is valid for its field."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter

from scripts.docs import reference, runner
from scripts.docs._common import DOCS

MODELS = list(reference.placement())
FIELDS = [pytest.param(model, name, id=f"{model.__name__}.{name}") for model in MODELS for name in model.model_fields]


def _key(model: type[BaseModel], name: str) -> str:
    return reference.yaml_key(name, model.model_fields[name])


def test_every_document_kind_has_a_page() -> None:
    from ecomperf.model import KINDS

    assert set(reference.kinds()) == set(KINDS)


@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_field_has_a_meaning(model: type[BaseModel], name: str) -> None:
    assert reference.meaning(model, _key(model, name), model.model_fields[name])


@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_field_example_is_valid_for_the_field(model: type[BaseModel], name: str) -> None:
    key = _key(model, name)
    text = reference.example(model, key)
    assert text, f"add an example for {model.__name__}.{key} to docs/reference/fields.yaml"
    parsed = yaml.safe_load(text)
    assert list(parsed) == [key], f"the example of {model.__name__}.{key} must set exactly that key"
    info = model.model_fields[name]
    annotation: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    TypeAdapter(annotation).validate_python(parsed[key])


def test_fields_yaml_documents_no_field_that_does_not_exist() -> None:
    by_name = {model.__name__: model for model in MODELS}
    by_name["Document"] = __import__("ecomperf.model", fromlist=["Document"]).Document
    for class_name, entry in reference.field_docs().items():
        assert class_name in by_name, f"fields.yaml documents {class_name}, which is not a model"
        keys = {_key(by_name[class_name], name) for name in by_name[class_name].model_fields}
        assert set(entry.get("fields", {})) <= keys, class_name


@pytest.mark.parametrize("kind", reference.KIND_ORDER)
def test_kind_page_renders_every_model_and_field(kind: str) -> None:
    page = reference.render_kind(kind)
    for model in reference.models_of(kind):
        assert f"{{ #{reference.anchor(model)} }}" in page
        for name, info in model.model_fields.items():
            assert f"| `{reference.yaml_key(name, info)}` |" in page


@pytest.mark.parametrize("kind", reference.KIND_ORDER)
def test_complete_example_of_a_kind_is_a_document_of_that_kind(kind: str) -> None:
    text, _ = reference.example_document(kind)
    model = reference.kinds()[kind]
    model.model_validate(yaml.safe_load(text))


def test_every_model_reachable_from_a_kind_is_documented_once() -> None:
    placed = reference.placement()
    assert len(placed) == len(set(placed))
    for model in placed:
        for info in model.model_fields.values():
            for nested in reference.nested_models(info.annotation):
                assert nested in placed, nested


def test_target_table_shows_what_the_parser_reads() -> None:
    table = reference.render_targets()
    assert '| `"90%..95%"` | `range` | 0.9 to 0.95 |' in table
    assert '| `">= 2000万"` | `>=` | 2e+07 |' in table


def test_quantity_table_reads_chinese_suffixes() -> None:
    table = reference.render_quantities()
    assert '| `"2000万"` | 20,000,000 |' in table
    assert '| `"35%"` | 0.35 |' in table


def test_formulas_page_examples_print_the_hand_worked_numbers() -> None:
    result = runner.run((DOCS / "reference" / "formulas.md").read_text(encoding="utf-8"))
    bonus, progress = result.outputs
    # (1,500,000 - 1,000,000) x 2% = 10,000; 1,000,000 is not above the threshold; 800,000 is below it
    assert bonus.splitlines() == [
        "GMV 1,500,000  bonus   10,000",
        "GMV 1,000,000  bonus        0",
        "GMV   800,000  bonus        0",
    ]
    # (50 - 40) / (60 - 40) = 50%; (30 - 40) / 20 = -50%; (40 - 40) / 20 = 0%; baseline = target, 45 >= 40 -> 100%
    assert progress.splitlines() == [
        "baseline 40%  target 60%  value 50%  progress 50%",
        "baseline 40%  target 60%  value 30%  progress -50%",
        "baseline 40%  target 60%  value 40%  progress 0%",
        "baseline 40%  target 40%  value 45%  progress 100%",
    ]
