"""JSON Schema of an ecomperf/v1 YAML document (a union over every kind), for editors."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from ecomperf.model import Event, FrameworkSpec, Metric, Module, Position, TargetPlan, Workflow

__all__ = ["SCHEMA_ID", "document_schema", "schema_text"]

SCHEMA_ID = "https://ecomperf.dev/schema/ecomperf-v1.json"

_AnyDocument = Annotated[
    FrameworkSpec | Metric | Module | Position | Event | Workflow | TargetPlan,
    Field(discriminator="kind"),
]


def document_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every YAML document of a framework satisfies."""
    schema = TypeAdapter(_AnyDocument).json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ecomperf/v1 document",
        "description": (
            "One document of an ecomperf framework: Framework, Metric, Module, Position, Event, Workflow or TargetPlan."
        ),
        **schema,
    }


def schema_text() -> str:
    """The schema as stable, indented JSON text (what ``ecomperf schema`` prints and the repo commits)."""
    return json.dumps(document_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
