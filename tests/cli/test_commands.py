"""The table of commands that ``ecomperf --help`` lists without loading them agrees with the commands."""

from __future__ import annotations

import inspect

from typer.testing import CliRunner

from ecomperf.cli import app, changes, documents, history, planning, score, validate  # noqa: F401  (register all)
from ecomperf.cli._commands import COMMANDS

runner = CliRunner()


def test_every_registered_command_is_in_the_table_with_its_docstring() -> None:
    registered = {info.callback.__name__: info.callback for info in app.registered_commands if info.callback}
    assert sorted(registered) == sorted(COMMANDS)
    for name, callback in registered.items():
        assert COMMANDS[name].help == inspect.getdoc(callback), name
        assert COMMANDS[name].module == callback.__module__, name


def test_help_lists_every_command_with_its_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("│ ") and
              len(line.split()) > 2 and line.split()[1] in COMMANDS]
    assert listed == list(COMMANDS)
    assert "Check frameworks and print every problem with its file, line" in result.stdout  # wrapped at 80


def test_a_mistyped_command_is_named_with_a_suggestion() -> None:
    result = runner.invoke(app, ["scor"])
    assert result.exit_code == 2
    assert "No such command 'scor'. Did you mean 'score'?" in result.output
