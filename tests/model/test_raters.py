"""Rater declarations: roles, how they combine, and the combinations that do not fit together (EP312)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ecomperf.model import Raters


def test_roles_may_be_written_as_ids() -> None:
    raters = Raters.model_validate({"roles": ["self", "manager"]})
    assert raters.role_ids == ["self", "manager"]
    assert (raters.combine, raters.of) == ("mean", "ratings")
    assert all(role.anonymous for role in raters.roles)


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ({"combine": "weighted", "roles": [{"id": "self", "weight": 1}, "manager"]},
         "combine: weighted needs a weight on every role; manager has none"),
        ({"roles": [{"id": "self", "weight": 1}, "manager"]},
         "role weights (self) count only with combine: weighted, not mean"),
        ({"combine": "trimmed_mean", "roles": ["peer"]}, "combine: trimmed_mean needs trim"),
        ({"combine": "trimmed_mean", "trim": "50%", "roles": ["peer"]}, "must be at least 0 and below 50%"),
        ({"trim": "10%", "roles": ["peer"]}, "trim counts only with combine: trimmed_mean, not mean"),
        ({"roles": ["self", "peer", "self"]}, "rater role self is listed twice"),
    ],
)
def test_declarations_that_do_not_fit_together_are_ep312(declaration: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Raters.model_validate(declaration)
    error = raised.value.errors()[0]
    assert error["type"] == "EP312"
    assert message in error["msg"]


def test_a_role_weight_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        Raters.model_validate({"combine": "weighted", "roles": [{"id": "self", "weight": 0}]})
