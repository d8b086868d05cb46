"""mkdocs hooks (``hooks:`` in mkdocs.yml): generated pages, directives and assets.

* ``on_config`` adds one nav section per bundled framework to the "Catalogue" tab.
* ``on_files`` adds the generated files: catalogue pages and job descriptions, and the SVG charts of
  the scoring methods.
* ``on_page_markdown`` runs a page's Python examples when it shows their output (``runner``), and
  replaces directives, HTML comments of the form ``<!-- ecomperf:NAME ARGS -->``
  on a line of their own, by generated markdown (see :data:`DIRECTIVES`). An unknown directive or a
  generator error fails the build.

Everything runs the real library in-process; nothing is fetched from the network.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from scripts.docs import api, catalogue, problems, reference, runner, scoring, screens

log = logging.getLogger("mkdocs.hooks.ecomperf")

_DIRECTIVE = re.compile(r"^<!-- ecomperf:(?P<name>[a-z-]+)(?P<args>[^>]*?)\s*-->\s*$", re.MULTILINE)

Directive = Callable[[list[str], Page], str]


def _problem_codes(args: list[str], page: Page) -> str:
    codes = problems.load_codes()
    missing = sorted(problems.emitted_codes() - {code.code for code in codes})
    if missing:
        log.warning(
            "problem codes emitted by ecomperf but not documented in docs/problems/examples: %s", ", ".join(missing)
        )
    markdown, stale = problems.render(codes)
    for message in stale:
        log.warning("%s", message)
    return markdown


DIRECTIVES: dict[str, Directive] = {
    "problem-codes": _problem_codes,
    "kind": lambda args, page: reference.render_kind(args[0]),
    "targets": lambda args, page: reference.render_targets(),
    "quantities": lambda args, page: reference.render_quantities(),
    "method": lambda args, page: scoring.render_method(args[0]),
    "methods-table": lambda args, page: scoring.render_methods_table(),
    "card": lambda args, page: scoring.render_card(args[0]),
    "rollup": lambda args, page: scoring.render_rollup(args[0]),
    "pip": lambda args, page: scoring.render_pip(args[0]),
    "distribution": lambda args, page: scoring.render_distribution(args[0]),
    "screen": lambda args, page: screens.render(args[0]),
    "catalogue-index": lambda args, page: catalogue.render_index(),
    "api": lambda args, page: api.render(),
    "document": lambda args, page: reference.render_document(args[0], args[1], args[2]),
    "file": lambda args, page: screens.repository_file(args[0]),
    "pre-commit-config": lambda args, page: screens.pre_commit_config(),
}
"""Directive name -> generator of its markdown."""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start from fresh data (``mkdocs serve`` rebuilds in one process), then add the catalogue to the nav."""
    screens.reset()
    for cached in (catalogue.bundled, scoring.examples, scoring.framework, reference.field_docs, reference.placement):
        cached.cache_clear()
    nav = config.nav or []
    for item in nav:
        if isinstance(item, dict) and "Catalogue" in item:
            item["Catalogue"].extend(catalogue.nav())
            break
    else:
        raise PluginError("mkdocs.yml needs a 'Catalogue' section in nav for the bundled frameworks")
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and images."""
    generated: dict[str, str | bytes] = {}
    generated.update(catalogue.files())
    generated.update(scoring.charts())
    for uri, content in generated.items():
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Run the page's Python examples when it shows their output, then replace every other directive."""
    if runner.has_examples(markdown):
        try:
            markdown = runner.expand(markdown)
        except Exception as exc:
            raise PluginError(f"{page.file.src_uri}: a Python example failed: {exc!r}") from exc

    def expand(match: re.Match[str]) -> str:
        name = match.group("name")
        args = match.group("args").split()
        directive = DIRECTIVES.get(name)
        if directive is None:
            raise PluginError(f"{page.file.src_uri}: unknown directive {name!r}; known: {', '.join(DIRECTIVES)}")
        try:
            return directive(args, page).rstrip("\n") + "\n"
        except Exception as exc:
            raise PluginError(f"{page.file.src_uri}: directive {match.group(0).strip()} failed: {exc!r}") from exc

    return _DIRECTIVE.sub(expand, markdown)
