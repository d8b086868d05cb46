"""Which module holds each ``ecomperf`` command, so that a command's module loads only when it runs.

``ecomperf --help`` lists every command with its one-line help from :data:`COMMANDS` without importing a
command module; ``ecomperf validate`` imports :mod:`ecomperf.cli.validate` alone, not the scoring, history
or planning commands (and so not SQLAlchemy, numpy or the writers). :func:`make_lazy` makes
:class:`LazyGroup` the click group behind :data:`ecomperf.cli._app.app` (``ecomperf.cli`` does it on import):
when a command is invoked (or its own ``--help`` asked for) the group imports the command's module, whose
``@app.command()`` registers it, and adds the real command.

A test checks that every registered command is in :data:`COMMANDS`, with the help of its docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import get_close_matches
from typing import Any, ClassVar, Final, NamedTuple

import typer

try:  # typer 0.29 vendors click: its groups, contexts and errors are these classes
    from typer import _click as click
except ImportError:  # pragma: no cover - an older typer runs on click itself
    import click  # type: ignore[no-redef]
from typer.core import TyperCommand, TyperGroup

from ecomperf.collection import paused_collection

__all__ = ["COMMANDS", "Command", "LazyGroup", "make_lazy"]


def _history() -> None:
    from ecomperf.cli import history  # noqa: F401  start-up cost: a command's module loads when it runs


def _score() -> None:
    from ecomperf.cli import score  # noqa: F401  start-up cost: a command's module loads when it runs


def _changes() -> None:
    from ecomperf.cli import changes  # noqa: F401  start-up cost: a command's module loads when it runs


def _documents() -> None:
    from ecomperf.cli import documents  # noqa: F401  start-up cost: a command's module loads when it runs


def _planning() -> None:
    from ecomperf.cli import planning  # noqa: F401  start-up cost: a command's module loads when it runs


def _validate() -> None:
    from ecomperf.cli import validate  # noqa: F401  start-up cost: a command's module loads when it runs


class Command(NamedTuple):
    """One command: the module that registers it (its loader) and the first lines of its docstring."""

    load: Callable[[], None]
    module: str
    help: str


COMMANDS: Final[dict[str, Command]] = {
    "history": Command(_history, "ecomperf.cli.history",
                       "List recorded scorecards with the change of total and grade against each person's previous "
                       "period."),
    "score": Command(_score, "ecomperf.cli.score",
                     "Score every row of the actuals files: a table in the terminal, or a file with -o."),
    "pip": Command(_score, "ecomperf.cli.score",
                   "Flag employees for an improvement-plan review (rules.pip) from files of several periods, or from "
                   "the\ncards recorded in a history database (--db), citing each period's card."),
    "distribution": Command(_score, "ecomperf.cli.score",
                            "Compare each group's grade mix with the advisory shares of rules.distribution (from a "
                            "file, or from the\ncards of --period recorded in a history database with --db)."),
    "diff": Command(_changes, "ecomperf.cli.changes",
                    "Show the semantic changes between two versions of a framework (exit 1 when there are some)."),
    "backtest": Command(_changes, "ecomperf.cli.changes",
                        "Score the same actuals under both versions: grade mix, changed grades and bonuses, pool, "
                        "positions."),
    "jd": Command(_documents, "ecomperf.cli.documents",
                  "Write job descriptions (岗位说明书) as OUTPUT/<position>.<locale>.<md|html|docx|jsonld>."),
    "matrix": Command(_documents, "ecomperf.cli.documents",
                      "Print or write the KPI × position and duty × position ownership matrix."),
    "whatif": Command(_planning, "ecomperf.cli.planning",
                      "For each KPI: the actual that reaches GRADE with the other KPIs held, or why no actual does."),
    "plan": Command(_planning, "ecomperf.cli.planning",
                    "Print the target plans of YEAR per position and month; the sums check back to the plan's "
                    "total."),
    "validate": Command(_validate, "ecomperf.cli.validate",
                        "Check frameworks and print every problem with its file, line and column."),
    "schema": Command(_validate, "ecomperf.cli.validate",
                      "Print the JSON Schema of a framework YAML document (for editor completion and checks)."),
}
"""Every command, in the order ``--help`` lists them."""


class LazyGroup(TyperGroup):
    """The ``ecomperf`` group: lists :data:`COMMANDS` from the table, loads a command's module to run it."""

    typer_app: ClassVar[typer.Typer | None] = None
    """The Typer application whose ``registered_commands`` the command modules add to."""

    keep_loaded: ClassVar[bool] = False
    """Freeze what loading a command built (``paused_collection(keep=True)``): the console script's choice,
    whose process ends with the command; an application that runs commands in-process keeps it off."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, known or not yet loaded, in the table's order."""
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command if loaded, else a stand-in that carries its help (for the list of ``--help``)."""
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        return TyperCommand(name=cmd_name, help=COMMANDS[cmd_name].help)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        """Parse the options of ``ecomperf`` itself, with the cyclic collector paused as in :meth:`load`.

        Typer builds a Pydantic adapter for ``--version`` here, the first Pydantic schema of the process, which
        imports the rest of Pydantic.
        """
        with paused_collection():
            return super().make_context(info_name, args, parent, **extra)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Load the module of the command named first in ``args``, then resolve it as click does."""
        if args and args[0] in COMMANDS and args[0] not in self.commands:
            self.load(args[0])
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.UsageError as exc:  # "did you mean" among every command, loaded or not
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if self.suggest_commands and matches and "Did you mean" not in exc.message:
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"
            raise

    def load(self, name: str) -> None:
        """Import the module of command ``name`` and add every command it (and what it imports) registered.

        The cyclic collector is paused meanwhile: the import builds the Pydantic models of every document
        kind, tens of thousands of long-lived objects in no cycle, which the collector would otherwise walk
        again and again (about 4% of ``ecomperf validate``); with :attr:`keep_loaded` they are frozen too,
        so that no collection of the command's run, nor the one at exit, walks them (another 5%).
        """
        app = self.typer_app
        if app is None:
            raise RuntimeError("LazyGroup serves no application: give it one with make_lazy(app)")
        with paused_collection(keep=self.keep_loaded):
            COMMANDS[name].load()
            settings: dict[str, Any] = {"pretty_exceptions_short": app.pretty_exceptions_short,
                                        "rich_markup_mode": app.rich_markup_mode}
            for info in app.registered_commands:
                command = typer.main.get_command_from_info(info, **settings)
                if command.name is not None and command.name not in self.commands:
                    self.add_command(command, command.name)


def make_lazy(app: typer.Typer, *, keep_loaded: bool = False) -> None:
    """Make ``app``'s click group a :class:`LazyGroup` serving ``app`` (before ``app()`` runs), freezing what
    a command's module builds when ``keep_loaded`` (see :attr:`LazyGroup.keep_loaded`)."""
    app.info.cls = type("EcomperfGroup", (LazyGroup,), {"typer_app": app, "keep_loaded": keep_loaded})
