"""What is still known of a document that failed its model: the rest of its fields, for the cross-document rules.

A typo in one field of a metric (``sorce:`` for ``source:``) is reported where it is (EP103), but it must not
hide the problems elsewhere that the metric's other fields reveal: a target on a position whose operator
contradicts the metric's ``direction`` (EP302) is just as wrong. :func:`salvage` drops the fields that failed,
validates the rest, and says which fields are therefore *not known*: those dropped, and the field a misspelt
key was probably meant to be (``source`` for ``sorce``), since its default now stands in for what the author
wrote. The rules of :mod:`ecomperf.validation` check :meth:`ecomperf.model.index.FrameworkIndex.knows` before
they rely on such a field, so a salvaged document never produces a problem of its own. The framework still
does not load: the document's own problems are errors.

A document cannot be salvaged when its ``kind``, ``id`` or ``apiVersion`` is wrong, when a check of the whole
document failed, when a required field is among those dropped, or when it is the ``Framework`` document
(every other document is read against its stages, levels and grades).

Example:
    >>> from ecomperf.model import Metric
    >>> data = {"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "gmv", "name": "GMV", "unit": "currency",
    ...         "direction": "higher", "sorce": "ERP"}
    >>> errors = [{"type": "extra_forbidden", "loc": ("sorce",)}]
    >>> model, unknown = salvage(Metric, data, errors, frozenset())
    >>> model.direction, sorted(unknown)
    ('higher', ['source'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from pydantic import ValidationError

from ecomperf.model import Document, FrameworkSpec
from ecomperf.suggest import closest

__all__ = ["salvage"]

_IDENTITY: Final = frozenset({"apiVersion", "kind", "id"})


def salvage(
    model_class: type[Document],
    data: Mapping[str, Any],
    errors: Iterable[Mapping[str, Any]],
    bad_paths: Iterable[tuple[str | int, ...]],
) -> tuple[Document, frozenset[str]] | None:
    """The document without the fields that failed, and the fields it therefore does not know.

    Args:
        model_class: the document's model.
        data: the document as read from YAML.
        errors: Pydantic's errors for it (``ValidationError.errors()``), or none.
        bad_paths: paths whose values the YAML reader refused (each counts as a failed field).

    Returns:
        ``(model, unknown fields)``, or ``None`` when nothing can be salvaged (see the module docstring).
    """
    if model_class is FrameworkSpec:
        return None
    fields = {info.alias or name for name, info in model_class.model_fields.items()}
    dropped: set[str] = set()
    unknown: set[str] = set()
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if not loc or not isinstance(loc[0], str):
            return None  # a check of the whole document
        dropped.add(loc[0])
        if error.get("type") == "extra_forbidden" and len(loc) == 1:
            meant = closest(loc[0], sorted(fields - set(data)))
            if meant is not None:
                unknown.add(meant)
        else:
            unknown.add(loc[0])
    for path in bad_paths:
        if path and isinstance(path[0], str):
            dropped.add(path[0])
            unknown.add(path[0])
    if dropped & _IDENTITY:
        return None
    try:
        model = model_class.model_validate({key: value for key, value in data.items() if key not in dropped})
    except ValidationError:
        return None
    return model, frozenset(unknown)
