"""The Jinja environments that render every document, and the error handling around them.

* Built-in templates live in ``ecomperf/render/templates`` and run in an ordinary environment.
* With a user ``template_dir`` every template runs in Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment`;
  a file there overrides the built-in template of the same name, and ``builtin/<name>`` always reaches the
  built-in one, so a user template can ``{% extends "builtin/jd.html.j2" %}`` and override single blocks.
* Both use :class:`~jinja2.StrictUndefined` (a misspelt name is an error, never an empty string), and
  autoescape templates whose name ends in ``.html.j2``/``.html``/``.svg.j2``/``.xml`` (SVG partials too: they
  draw names from YAML).
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
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment

from ecomperf.errors import RenderError

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
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_OPERATOR_SPACE = re.compile(r"(?<=[≥≤=<>]) (?=[-+]?\d)")


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: ``|`` escaped, line breaks as ``<br>``, no raw HTML tags.

    >>> md_cell("a | b\\nc <script>")
    'a \\\\| b<br>c &lt;script>'
    """
    text = _no_tags(str(value)).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.strip() for line in text.splitlines()) if "\n" in text or "\r" in text else text


def md_text(value: object, indent: int = 0) -> str:
    """Text for a Markdown paragraph or list item; continuation lines are indented to stay inside the item."""
    lines = _no_tags(str(value)).splitlines() or [""]
    return ("\n" + " " * indent).join(line.rstrip() for line in lines)


def md_inline(value: object) -> str:
    """Text for a Markdown heading: one line."""
    return " ".join(_no_tags(str(value)).split())


def keep_operators(value: object) -> str:
    """Join an operator to its number with a no-break space so ``≥ 6%`` never wraps between the two.

    >>> keep_operators("≥ 6%") == "≥\u00a06%"
    True
    """
    return _OPERATOR_SPACE.sub("\u00a0", str(value))


def _no_tags(text: str) -> str:
    # Markdown passes raw HTML through, so "<script>" from YAML must not reach a Markdown renderer as a tag;
    # a lone "<" such as "< 2%" stays readable.
    return _TAG_START.sub("&lt;", text)


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
        "autoescape": select_autoescape(
            enabled_extensions=("html", "html.j2", "svg.j2", "xml"), default_for_string=False
        ),
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
    return _configure(SandboxedEnvironment(**_options(loader)))


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
    env = SandboxedEnvironment(**options) if sandboxed else Environment(**options)
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
    kind = "template security error" if type(exc).__name__ == "SecurityError" else "template error"
    return RenderError(f"{_where(filename, line, name)}: {kind}: {type(exc).__name__}: {exc}")


def _where(filename: str, line: int | None, name: str) -> str:
    shown = name if filename.startswith("<") else filename
    return f"{shown}:{line}" if line is not None else shown
