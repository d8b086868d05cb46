"""JSON Schema of an ecomperf/v1 YAML document (a union over every kind), for editors."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from ecomperf.model import Event, FrameworkSpec, Metric, Module, Position, TargetPlan, Workflow

__all__ = ["SCHEMA_ID", "document_schema", "schema_text"]

SCHEMA_ID = "https://ecomperf.dev/schema/ecomperf-v1.json"

_AnyDocument = Annotated[
    FrameworkSpec | Metric | Module | Position | Event | Workflow | TargetPlan,
    Field(discriminator="kind"),
]


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with mapping keys held to their pattern.

    Pydantic moves the pattern of an id-typed key into ``patternProperties``, which only constrains the
    keys that match it; a stage named ``Startup`` would pass. ``propertyNames`` refuses it, as ``validate`` does.
    """

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        """The mapping's schema, with ``propertyNames`` carrying the key pattern."""
        result = super().dict_schema(schema)
        patterns = list(result.get("patternProperties", {}))
        if len(patterns) == 1:
            result["propertyNames"] = {**result.get("propertyNames", {}), "pattern": patterns[0]}
        return result


def document_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every YAML document of a framework satisfies.

    It accepts every document that ``ecomperf validate`` accepts and refuses what JSON Schema can express:
    unknown fields, wrong types, enums, id and target patterns, ranges. Rules across documents (references,
    weights that sum to 100, operators against directions) are ``validate``'s alone.
    """
    schema = TypeAdapter(_AnyDocument).json_schema(by_alias=True, mode="validation", schema_generator=_Generator)
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
