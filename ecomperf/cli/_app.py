"""The Typer application shared by every sub-command module."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ecomperf._version import __version__

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["app", "console"]

app = typer.Typer(
    name="ecomperf",
    help="Performance frameworks for e-commerce operations: validate YAML, score actuals, render job descriptions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def console(stderr: bool = False) -> Console:
    """A rich console that colours only real terminals and never re-wraps lines."""
    from rich.console import Console  # start-up cost: rich loads only when a command prints through it

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ecomperf {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Performance frameworks for e-commerce operations teams."""
