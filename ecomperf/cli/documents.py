"""``ecomperf jd`` (job descriptions) and ``ecomperf matrix`` (KPI and duty ownership matrix).

Files are written atomically (a temporary file in the same folder, then ``os.replace``), so an
interrupted run never leaves half a document behind. Exit status: 0 written, 1 the framework does not
load or a document fails to render, 2 usage errors (an output that cannot be written among them, checked
before the framework is loaded: see :mod:`ecomperf.cli.common`).
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ecomperf.cli._app import app
from ecomperf.cli.common import fail, load_framework, output_errors, output_file, output_folder
from ecomperf.errors import RenderError
from ecomperf.io.atomic import atomic_write_bytes

__all__ = ["JdFormatOption", "jd", "matrix"]

_MATRIX_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


class JdFormatOption(StrEnum):
    """Job-description formats of ``ecomperf jd``."""

    md = "md"
    html = "html"
    docx = "docx"
    jsonld = "jsonld"


@app.command()
def jd(
    framework: Annotated[Path, typer.Argument(help="Framework folder or YAML file.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write the documents into.")],
    position: Annotated[
        list[str] | None,
        typer.Option("--position", "-p", help="Position id (repeat for several).", show_default=False),
    ] = None,
    all_positions: Annotated[bool, typer.Option("--all", help="Every position of the framework.")] = False,
    stage: Annotated[
        str | None, typer.Option("--stage", help="Company stage whose KPIs to show (default: every stage).")
    ] = None,
    locale: Annotated[
        str | None, typer.Option("--locale", help="zh or en (default: the framework's first locale).")
    ] = None,
    output_format: Annotated[JdFormatOption, typer.Option("--format", "-f", help="Document format.")] = (
        JdFormatOption.md
    ),
    template_dir: Annotated[
        Path | None,
        typer.Option("--template-dir", help="Folder of templates that replace the built-in ones by file name."),
    ] = None,
    date_posted: Annotated[
        dt.datetime | None,
        typer.Option("--date-posted", formats=["%Y-%m-%d"], help="jsonld: the day the posting is published "
                     "(default: today).", show_default=False),
    ] = None,
    valid_through: Annotated[
        dt.datetime | None,
        typer.Option("--valid-through", formats=["%Y-%m-%d"], help="jsonld: the last day the posting is open.",
                     show_default=False),
    ] = None,
) -> None:
    """Write job descriptions (岗位说明书) as OUTPUT/<position>.<locale>.<md|html|docx|jsonld>."""
    from ecomperf.render.jd import EXTENSIONS, render_jd, resolve_locale  # start-up cost: Jinja loads only for jd

    if all_positions == bool(position):
        raise fail("give --position ID (one or more) or --all, not both and not neither", 2)
    posting = output_format is JdFormatOption.jsonld
    if not posting and (date_posted is not None or valid_through is not None):
        raise fail("--date-posted and --valid-through apply to --format jsonld only", 2)
    posted = date_posted.date() if date_posted is not None else dt.date.today() if posting else None
    output_folder(output)
    fw = load_framework(framework)
    ids = list(fw.positions) if all_positions else list(position or [])
    try:
        chosen = resolve_locale(fw, locale)
        documents = [
            (
                output / f"{position_id}.{chosen}.{EXTENSIONS[output_format.value]}",
                render_jd(
                    fw, position_id, stage=stage, locale=chosen, format=output_format.value, template_dir=template_dir,
                    date_posted=posted, valid_through=valid_through.date() if valid_through is not None else None,
                ),
            )
            for position_id in ids
        ]
    except RenderError as exc:
        raise fail(f"error: {exc}") from None
    for path, document in documents:
        with output_errors():
            atomic_write_bytes(path, document if isinstance(document, bytes) else document.encode("utf-8"))
        typer.echo(f"wrote {path}")


@app.command()
def matrix(
    ctx: typer.Context,
    framework: Annotated[Path, typer.Argument(help="Framework folder or YAML file.", show_default=False)],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write: .md, .html or .xlsx (default: Markdown on stdout)."),
    ] = None,
    locale: Annotated[
        str | None, typer.Option("--locale", help="zh or en (default: the framework's first locale).")
    ] = None,
) -> None:
    """Print or write the KPI × position and duty × position ownership matrix."""
    from ecomperf.render.matrix import render_matrix  # start-up cost: Jinja loads only for matrix

    output_format = "md"
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in _MATRIX_SUFFIXES:
            raise fail(f"cannot tell the format of {str(output)!r}; use a .md, .html or .xlsx file", 2)
        output_format = _MATRIX_SUFFIXES[suffix]
        output_file(ctx, output)
    fw = load_framework(framework)
    try:
        document = render_matrix(fw, format=output_format, locale=locale)
    except RenderError as exc:
        raise fail(f"error: {exc}") from None
    if output is None:
        assert isinstance(document, str)
        sys.stdout.write(document)
        return
    with output_errors():
        atomic_write_bytes(output, document if isinstance(document, bytes) else document.encode("utf-8"))
    typer.echo(f"wrote {output}")
