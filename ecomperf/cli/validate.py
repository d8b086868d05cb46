"""``ecomperf validate`` and ``ecomperf schema``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ecomperf.cli._app import app
from ecomperf.cli.common import output_errors, output_file, print_problems
from ecomperf.framework import load_documents

__all__ = ["OutputFormat", "schema", "validate"]


class OutputFormat(StrEnum):
    """Problem output formats of ``ecomperf validate``."""

    text = "text"
    json = "json"


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Framework folders or YAML files.", show_default=False)],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text (default) or json.")
    ] = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors (exit 1).")] = False,
) -> None:
    """Check frameworks and print every problem with its file, line and column."""
    results = [(path, load_documents(path)) for path in paths]
    problems = [problem for _, result in results for problem in result.problems]
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if output_format is OutputFormat.json:
        payload = {
            "frameworks": [
                {
                    "path": str(path),
                    "ok": result.framework is not None,
                    "files": list(result.files),
                    "problems": [p.to_dict() for p in result.problems],
                }
                for path, result in results
            ],
            "errors": errors,
            "warnings": warnings,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        files = sum(len(result.files) for _, result in results)
        if problems:
            summary = f"Found {errors} error(s) and {warnings} warning(s) in {files} file(s)."
        else:
            summary = f"OK: {len(paths)} framework(s), {files} file(s), no problems."
        print_problems(problems, summary)
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command()
def schema(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of a framework YAML document (for editor completion and checks)."""
    from ecomperf.model.schema import schema_text  # start-up cost: the schema is built only for `schema`

    if output is not None:
        output_file(ctx, output)
    text = schema_text()
    if output is None:
        sys.stdout.write(text)
    else:
        from ecomperf.io.atomic import atomic_write_bytes  # start-up cost: only when writing a file

        with output_errors():
            atomic_write_bytes(output, text.encode("utf-8"))
