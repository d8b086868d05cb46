"""Fixtures of the changes tests: the bundled framework with the four edits of issue 16 (see edits.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.changes.edits import make_edited


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """The bundled ecommerce-ops framework with one weight moved, one target changed, a duty moved and a
    file split in two."""
    return make_edited(tmp_path)
