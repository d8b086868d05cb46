"""The ``ecomperf`` command. Each sub-command lives in its own module and registers itself on ``app``;
the module loads only when its command runs (:mod:`ecomperf.cli._commands`), so ``--help`` and
``validate`` start fast.

Output of ``validate`` follows compilers: one ``path:line:col: CODE message`` line per problem, a hint
line under it, a summary; exit 0 when clean or warnings only, 1 on errors, 2 on usage errors.
"""

from __future__ import annotations

import os

from ecomperf.cli._app import app
from ecomperf.cli._commands import make_lazy

make_lazy(app)  # each command's module loads when the command runs (ecomperf.cli._commands)

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``ecomperf`` console script.

    The command runs without Pydantic plugins unless the environment sets ``PYDANTIC_DISABLE_PLUGINS``
    (Pydantic's own setting; an empty value enables every plugin). Plugins watch an application's own
    models, and looking for them reads the metadata of every installed package: 2.4% of the instructions
    of ``ecomperf validate`` among a hundred packages, more in larger environments. ``import ecomperf``
    leaves the setting to the program.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    make_lazy(app, keep_loaded=True)  # the process ends with the command: what its module builds stays to the end
    app()
