"""Job descriptions (岗位说明书) in Markdown, HTML, Word (``.docx``) and schema.org JSON-LD.

>>> import ecomperf
>>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
>>> print(render_jd(fw, "store_manager", stage="startup", locale="en"))  # doctest: +SKIP
# Job description: Store manager
...
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from ecomperf.render._choices import check_choice, resolve_locale
from ecomperf.render.context import build_job_description
from ecomperf.render.environment import environment, render_template
from ecomperf.render.jsonld import job_posting, job_posting_json

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = ["EXTENSIONS", "FORMATS", "JdFormat", "render_jd", "resolve_locale"]

JdFormat = Literal["md", "html", "docx", "jsonld"]
"""The formats a job description renders to."""

FORMATS: tuple[JdFormat, ...] = ("md", "html", "docx", "jsonld")
"""Every job-description format, in the order the CLI lists them."""

EXTENSIONS: dict[str, str] = {"md": "md", "html": "html", "docx": "docx", "jsonld": "jsonld"}
"""File extension of each format."""

_TEMPLATES = {"md": "jd.md.j2", "html": "jd.html.j2", "docx": "jd.docx"}


@overload
def render_jd(
    framework: FrameworkIndex,
    position: str,
    *,
    stage: str | None = ...,
    locale: str | None = ...,
    format: Literal["md", "html", "jsonld"] = ...,
    template_dir: str | Path | None = ...,
    date_posted: dt.date | None = ...,
    valid_through: dt.date | None = ...,
) -> str: ...
@overload
def render_jd(
    framework: FrameworkIndex,
    position: str,
    *,
    stage: str | None = ...,
    locale: str | None = ...,
    format: Literal["docx"],
    template_dir: str | Path | None = ...,
    date_posted: dt.date | None = ...,
    valid_through: dt.date | None = ...,
) -> bytes: ...
@overload
def render_jd(
    framework: FrameworkIndex,
    position: str,
    *,
    stage: str | None = ...,
    locale: str | None = ...,
    format: str,
    template_dir: str | Path | None = ...,
    date_posted: dt.date | None = ...,
    valid_through: dt.date | None = ...,
) -> str | bytes: ...
def render_jd(
    framework: FrameworkIndex,
    position: str,
    *,
    stage: str | None = None,
    locale: str | None = None,
    format: str = "md",
    template_dir: str | Path | None = None,
    date_posted: dt.date | None = None,
    valid_through: dt.date | None = None,
) -> str | bytes:
    """Render the job description of ``position``.

    Args:
        framework: the loaded framework.
        position: position id.
        stage: company stage whose KPI table to show; ``None`` shows one table per stage on the scorecard.
        locale: one of the framework's locales; ``None`` for its default locale.
        format: ``md``, ``html`` or ``jsonld`` (returned as ``str``) or ``docx`` (returned as ``bytes``).
        template_dir: a folder whose templates (``jd.md.j2``, ``jd.html.j2``, ``jd.docx``) replace the
            built-in ones of the same name; every template then runs in Jinja's sandbox.
        date_posted: for ``jsonld``, the day the posting is published (required there).
        valid_through: for ``jsonld``, the last day it is open, if it closes.

    Returns:
        The document: text, or the bytes of a Word file for ``docx``.

    Raises:
        RenderError: unknown position, stage, locale or format (with a "did you mean"), a template
            that fails to parse or render (naming its file and line), or a job posting missing what job
            boards require (naming the YAML field to add; see :mod:`ecomperf.render.jsonld`).
    """
    check_choice("format", format, FORMATS)
    check_choice("position", position, framework.positions)
    if stage is not None:
        check_choice("stage", stage, framework.spec.stage_ids)
    jd = build_job_description(framework, position, stage, resolve_locale(framework, locale))
    if format == "jsonld":
        return job_posting_json(job_posting(framework, jd, date_posted=date_posted, valid_through=valid_through))
    if format == "docx":
        from ecomperf.render.word import render_docx  # optional extra [docx]

        return render_docx(jd, template_dir)
    env = environment(template_dir)
    return render_template(env, _TEMPLATES[format], jd=jd, labels=jd.labels)


