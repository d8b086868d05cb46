"""One message, spelled for its reader (issue 10, item 7): Python keywords from the API, flags from the CLI."""

from __future__ import annotations

import threading

import pytest

from ecomperf.errors import ScoringError
from ecomperf.framework import Framework
from ecomperf.spelling import option, spelled_for, spelling


def test_python_callers_read_keyword_arguments() -> None:
    assert option("missing", "renormalize") == "missing='renormalize'"
    assert option("keep_duplicates", "first") == "keep_duplicates='first'"
    assert option("strict", True) == "strict=True"
    assert option("stage") == "stage"


def test_command_line_users_read_flags() -> None:
    with spelled_for("cli"):
        assert option("missing", "renormalize") == "--missing renormalize"
        assert option("keep_duplicates", "first") == "--keep-duplicates first"
        assert option("strict", True) == "--strict"
        assert option("stage") == "--stage"
    assert spelling() == "python"  # only inside the block


def test_the_spelling_does_not_leak_into_another_thread() -> None:
    seen: list[str] = []
    with spelled_for("cli"):
        worker = threading.Thread(target=lambda: seen.append(option("missing", "zero")))
        worker.start()
        worker.join()
    assert seen == ["missing='zero'"]


def test_the_python_api_names_the_keyword(mini: Framework) -> None:
    with pytest.raises(ScoringError) as caught:
        mini.score("store_manager", stage="startup", period="2026-10", actuals={"gmv": "220万", "violations": 0})
    assert "or pass missing='renormalize' or missing='zero'" in str(caught.value)
    assert "--missing" not in str(caught.value)
