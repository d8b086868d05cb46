"""The Jinja environments that render every document, and the error handling around them.

* Built-in templates live in ``ecomperf/render/templates`` and run in an ordinary environment.
* With a user ``template_dir`` every template runs in :class:`~ecomperf.render.budget.BoundedSandbox`, Jinja's
  sandbox with a budget of time, loop iterations and text (see :mod:`ecomperf.render.budget`); a file there
  overrides the built-in template of the same name, and ``builtin/<name>`` always reaches the built-in one,
  so a user template can ``{% extends "builtin/jd.html.j2" %}`` and override single blocks.
* Both use :class:`~jinja2.StrictUndefined` (a misspelt name is an error, never an empty string). Every
  template is HTML-autoescaped (included ones too, the SVG chart among them) except Markdown ones
  (``.md.j2``), where each printed value is made Markdown-safe instead (:mod:`ecomperf.markdown`: no raw
  HTML tags, no links other than http(s)) unless a Markdown filter already did it.
* Any template error, syntax or runtime, becomes a :class:`~ecomperf.errors.RenderError` that names the
  template file and line.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.runtime import Context

from ecomperf.errors import RenderError
from ecomperf.markdown import MarkdownText, md_cell, md_escape, md_inline, md_text
from ecomperf.render.budget import BoundedSandbox, BudgetExceeded

__all__ = [
    "TEMPLATE_DIR",
    "builtin_environment",
    "docx_environment",
    "environment",
    "keep_operators",
    "md_cell",
    "md_inline",
    "md_text",
    "render_template",
    "template_error",
]

TEMPLATE_DIR = Path(__file__).parent / "templates"
"""Where the built-in templates live."""

_TEMPLATE_FRAMES = ("template", "top-level template code")
_MARKDOWN_TEMPLATES = (".md", ".md.j2")
_OPERATOR_SPACE = re.compile(r"(?<=[≥≤=<>]) (?=[-+]?\d)")


def keep_operators(value: object) -> str:
    """Join an operator to its number with a no-break space so ``≥ 6%`` never wraps between the two.

    >>> keep_operators("≥ 6%") == "≥\u00a06%"
    True
    """
    return _OPERATOR_SPACE.sub("\u00a0", str(value))


def _autoescape(name: str | None) -> bool:
    # Markdown is escaped for Markdown by `_finalize`; every other template, and every template given as a
    # string, is HTML-escaped: the included SVG chart as much as the page around it.
    return name is None or not name.endswith(_MARKDOWN_TEMPLATES)


@pass_context
def _finalize(context: Context, value: Any) -> Any:
    """Make each value a Markdown template prints safe for Markdown, unless a Markdown filter already did."""
    if isinstance(value, str) and not isinstance(value, MarkdownText):
        name = context.name or ""
        if name.endswith(_MARKDOWN_TEMPLATES):
            return md_escape(value)
    return value


_FILTERS: dict[str, Callable[..., str]] = {
    "keep_operators": keep_operators,
    "md_cell": md_cell,
    "md_inline": md_inline,
    "md_text": md_text,
}


def _configure(env: Environment) -> Environment:
    env.filters.update(_FILTERS)
    return env


def _options(loader: BaseLoader | None) -> dict[str, Any]:
    return {
        "loader": loader,
        "undefined": StrictUndefined,
        "autoescape": _autoescape,
        "finalize": _finalize,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }


@lru_cache(maxsize=1)
def builtin_environment() -> Environment:
    """The environment of the built-in templates (shared; Jinja environments are safe to share)."""
    return _configure(Environment(**_options(FileSystemLoader(TEMPLATE_DIR))))


def environment(template_dir: str | Path | None = None) -> Environment:
    """The environment for a render: built-in, or sandboxed with ``template_dir`` searched first.

    Raises:
        RenderError: ``template_dir`` is not a folder.
    """
    if template_dir is None:
        return builtin_environment()
    folder = user_template_dir(template_dir)
    builtin = FileSystemLoader(TEMPLATE_DIR)
    loader = ChoiceLoader([PrefixLoader({"builtin": builtin}), FileSystemLoader(folder), builtin])
    return _configure(BoundedSandbox(**_options(loader)))


def user_template_dir(template_dir: str | Path) -> Path:
    """``template_dir`` as a path, checked to be a folder.

    Raises:
        RenderError: it does not exist or is not a folder.
    """
    folder = Path(template_dir)
    if not folder.is_dir():
        raise RenderError(f"template folder {str(folder)!r} does not exist or is not a folder")
    return folder


def docx_environment(sandboxed: bool) -> Environment:
    """A fresh environment for docxtpl (which sets ``autoescape`` on the environment it is given)."""
    options = _options(None)
    options.update(autoescape=True, trim_blocks=False, lstrip_blocks=False)
    env = BoundedSandbox(**options) if sandboxed else Environment(**options)
    return _configure(env)


def render_template(env: Environment, name: str, **context: Any) -> str:
    """Render the template ``name`` with ``context``.

    Raises:
        RenderError: the template is missing, or fails to parse or to render (naming its file and line).
    """
    try:
        template = env.get_template(name)
        return template.render(**context)
    except TemplateNotFound as exc:
        raise RenderError(f"template {exc.name!r} not found") from exc
    except Exception as exc:
        raise template_error(exc, name) from exc


def template_error(exc: BaseException, name: str) -> RenderError:
    """A :class:`RenderError` for ``exc`` raised while compiling or rendering template ``name``.

    The message reads ``FILE:LINE: template error: ...``, taking the file and line from a syntax error
    or from the innermost template frame of a runtime error's traceback (Jinja rewrites those frames to
    point at the template source).
    """
    if isinstance(exc, TemplateSyntaxError):
        where = _where(exc.filename or exc.name or name, exc.lineno, name)
        return RenderError(f"{where}: template syntax error: {exc.message}")
    filename, line = name, None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.name in _TEMPLATE_FRAMES or frame.name.startswith("block "):
            filename, line = frame.filename, frame.lineno
    if isinstance(exc, BudgetExceeded):
        return RenderError(f"{_where(filename, line, name)}: template budget exceeded: {exc}")
    kind = "template security error" if type(exc).__name__ == "SecurityError" else "template error"
    return RenderError(f"{_where(filename, line, name)}: {kind}: {type(exc).__name__}: {exc}")


def _where(filename: str, line: int | None, name: str) -> str:
    shown = name if filename.startswith("<") else filename
    return f"{shown}:{line}" if line is not None else shown
