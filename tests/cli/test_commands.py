"""The table of commands that ``ecomperf --help`` lists without loading them agrees with the commands."""

from __future__ import annotations

import gc
import inspect
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from ecomperf.cli import app, changes, documents, history, planning, score, validate  # noqa: F401  (register all)
from ecomperf.cli._commands import COMMANDS, Command, LazyGroup, make_lazy

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


def test_loading_a_command_pauses_the_collector_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # The module import builds Pydantic models (long-lived, no cycles): the collector is off meanwhile only.
    seen: list[bool] = []
    monkeypatch.setitem(COMMANDS, "probe", Command(lambda: seen.append(gc.isenabled()), "tests.probe", "Probe."))
    group = typer.main.get_group(app)
    assert isinstance(group, LazyGroup)
    assert gc.isenabled()
    group.load("probe")
    assert seen == [False]
    assert gc.isenabled()


def test_a_failing_command_import_turns_the_collector_back_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ImportError("no such module")

    monkeypatch.setitem(COMMANDS, "probe", Command(broken, "tests.probe", "Probe."))
    group = typer.main.get_group(app)
    assert isinstance(group, LazyGroup)
    with pytest.raises(ImportError, match="no such module"):
        group.load("probe")
    assert gc.isenabled()


_SEEN_WHILE_PARSING: list[bool] = []


def _record_collector(value: bool) -> None:
    _SEEN_WHILE_PARSING.append(gc.isenabled())


def test_the_options_of_ecomperf_are_parsed_with_the_collector_paused() -> None:
    # A probe application made lazy like `ecomperf`: its option's callback runs while the group parses.
    probe = typer.Typer(add_completion=False)

    @probe.callback(invoke_without_command=True)
    def _root(flag: Annotated[bool, typer.Option("--flag", callback=_record_collector)] = False) -> None:
        """Probe."""

    make_lazy(probe)
    _SEEN_WHILE_PARSING.clear()
    result = CliRunner().invoke(probe, ["--flag"])
    assert result.exit_code == 0, result.output
    assert _SEEN_WHILE_PARSING == [False]
    assert gc.isenabled()
