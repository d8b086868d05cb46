"""The README's Python example runs as printed."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def test_readme_python_example_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## From Python\n\n```python\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    result = subprocess.run([sys.executable, "-c", block.group(1)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "# Job description: Store manager" in result.stdout
