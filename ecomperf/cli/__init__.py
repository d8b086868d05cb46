"""The ``ecomperf`` command. Each sub-command lives in its own module and registers itself on ``app``.

Output of ``validate`` follows compilers: one ``path:line:col: CODE message`` line per problem, a hint
line under it, a summary; exit 0 when clean or warnings only, 1 on errors, 2 on usage errors.
"""

from __future__ import annotations

from ecomperf.cli import changes as _changes  # noqa: F401  (registers diff, backtest)
from ecomperf.cli import documents as _documents  # noqa: F401
from ecomperf.cli import history as _history  # noqa: F401
from ecomperf.cli import planning as _planning  # noqa: F401  (registers whatif, plan)
from ecomperf.cli import score as _score  # noqa: F401
from ecomperf.cli import validate as _validate  # noqa: F401  (registers validate, schema)
from ecomperf.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``ecomperf`` console script."""
    app()
