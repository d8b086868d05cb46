"""The shared field types: a refused id or locale names the value as written."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ecomperf.model import FrameworkSpec, Metric

METRIC = {"apiVersion": "ecomperf/v1", "kind": "Metric", "name": "GMV", "unit": "currency"}


def _message(model: type[Metric] | type[FrameworkSpec], data: dict[str, object]) -> str:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return str(raised.value.errors(include_input=False)[0]["msg"])


def test_a_refused_id_is_quoted_in_the_message() -> None:
    # Pydantic fills {value} but leaves {value!r} as written: the message once read "id {value!r} must be …"
    assert _message(Metric, {**METRIC, "id": "Media Buyer"}).startswith("id 'Media Buyer' must be snake_case ASCII")


def test_a_refused_framework_id_and_locale_are_quoted_in_the_message() -> None:
    spec = {"apiVersion": "ecomperf/v1", "kind": "Framework", "name": "x", "stages": [{"id": "a", "name": "A"}],
            "grades": [{"id": "A", "min": 0, "bonus": 1}]}
    assert _message(FrameworkSpec, {**spec, "id": "Live Shop!"}).startswith("framework id 'Live Shop!' must be")
    assert _message(FrameworkSpec, {**spec, "id": "x", "name": {"chinese": "店"}}) == (
        "'chinese' is not a locale code such as zh or en")
