"""Job descriptions (岗位说明书) in Markdown, HTML, Word (``.docx``) and schema.org JSON-LD.

>>> import ecomperf
>>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
>>> print(render_jd(fw, "store_manager", stage="startup", locale="en"))  # doctest: +SKIP
# Job description: Store manager
...
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from ecomperf.render._choices import check_choice
from ecomperf.render.context import JobDescription, build_job_description
from ecomperf.render.environment import environment, render_template

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = ["EXTENSIONS", "FORMATS", "JdFormat", "jd_jsonld", "render_jd", "resolve_locale"]

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
) -> str | bytes: ...
def render_jd(
    framework: FrameworkIndex,
    position: str,
    *,
    stage: str | None = None,
    locale: str | None = None,
    format: str = "md",
    template_dir: str | Path | None = None,
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

    Returns:
        The document: text, or the bytes of a Word file for ``docx``.

    Raises:
        RenderError: unknown position, stage, locale or format (with a "did you mean"), or a template
            that fails to parse or render (naming its file and line).
    """
    check_choice("format", format, FORMATS)
    check_choice("position", position, framework.positions)
    if stage is not None:
        check_choice("stage", stage, framework.spec.stage_ids)
    jd = build_job_description(framework, position, stage, resolve_locale(framework, locale))
    if format == "jsonld":
        return jd_jsonld(jd)
    if format == "docx":
        from ecomperf.render.word import render_docx  # optional extra [docx]

        return render_docx(jd, template_dir)
    env = environment(template_dir)
    return render_template(env, _TEMPLATES[format], jd=jd, labels=jd.labels)


def resolve_locale(framework: FrameworkIndex, locale: str | None) -> str:
    """``locale`` checked against the framework's locales; the default locale when ``None``.

    Raises:
        RenderError: the framework does not declare ``locale``.
    """
    if locale is None:
        return framework.default_locale
    return check_choice("locale", locale, framework.spec.locales)


def jd_jsonld(jd: JobDescription) -> str:
    """The job description as a schema.org ``JobPosting`` in JSON-LD (pretty-printed, UTF-8 text)."""
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": jd.position_id,
        "title": jd.title,
    }
    if jd.purpose:
        posting["description"] = jd.purpose
    duties = [duty for group in jd.responsibilities for duty in group.duties]
    if duties:
        posting["responsibilities"] = duties
    if jd.qualifications:
        posting["qualifications"] = list(jd.qualifications)
    skills = [entry for group in jd.competencies for entry in group.entries]
    if skills:
        posting["skills"] = skills
    if jd.occupational_category:
        posting["occupationalCategory"] = jd.occupational_category
    if jd.department:
        posting["employmentUnit"] = {"@type": "Organization", "name": jd.department}
    return json.dumps(posting, ensure_ascii=False, indent=2) + "\n"
