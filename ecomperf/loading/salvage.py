"""What is still known of a document that failed its model: the rest of its values, for the cross-document rules.

A typo in one field of a metric (``sorce:`` for ``source:``) is reported where it is (EP103), but it must not
hide the problems elsewhere that the metric's other fields reveal: a target on a position whose operator
contradicts the metric's ``direction`` (EP302) is just as wrong. :func:`salvage` removes only what failed and
validates the rest, and says which paths are therefore *not known*: those removed, and the field a misspelt
key was probably meant to be (``source`` for ``sorce``), since its default now stands in for what the author
wrote. The rules of :mod:`ecomperf.validation` check :meth:`ecomperf.model.index.FrameworkIndex.knows` before
they rely on such a value, so a salvaged document never produces a problem of its own. The framework still
does not load: the document's own problems are errors.

What is removed is the smallest mapping entry around the failed value that no list holds: one broken
``rules.pip.below_grade`` loses ``rules.pip`` and keeps ``rules.veto_caps_grade_at``; one broken KPI entry of
the ``startup`` stage loses that stage of the scorecard and keeps the others. Entries inside a list are never
removed one by one (the list would then read as complete, and its weights as summing to less), so a broken
grade loses ``grades`` as a whole. When the rest still fails (a required field removed), the next mapping
entry up goes, up to the whole field.

A document cannot be salvaged when its ``kind``, ``id`` or ``apiVersion`` is wrong, when a check of the whole
document failed, or when a required field is among those removed: :func:`stand_in` then keeps only that the
document exists (for the Framework document, which every other document is read against).

Example:
    >>> from ecomperf.model import Metric
    >>> data = {"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "gmv", "name": "GMV", "unit": "currency",
    ...         "direction": "higher", "sorce": "ERP"}
    >>> errors = [{"type": "extra_forbidden", "loc": ("sorce",)}]
    >>> model, unknown = salvage(Metric, data, errors, frozenset())
    >>> model.direction, sorted(unknown)
    ('higher', [('sorce',), ('source',)])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from pydantic import ValidationError

from ecomperf.model import Document, FrameworkSpec
from ecomperf.suggest import closest

__all__ = ["salvage", "stand_in"]

Path = tuple[str | int, ...]

_IDENTITY: Final = frozenset({"apiVersion", "kind", "id"})
_ROUNDS: Final = 32  # each round removes more; a document needs a handful at most


def salvage(
    model_class: type[Document],
    data: Mapping[str, Any],
    errors: Iterable[Mapping[str, Any]],
    bad_paths: Iterable[Path],
) -> tuple[Document, frozenset[Path]] | None:
    """The document without the values that failed, and the paths it therefore does not know.

    Args:
        model_class: the document's model.
        data: the document as read from YAML.
        errors: Pydantic's errors for it (``ValidationError.errors()``), or none.
        bad_paths: paths whose values the YAML reader refused (each counts as a failed value).

    Returns:
        ``(model, unknown paths)``, or ``None`` when nothing can be salvaged (see the module docstring).
    """
    fields = {info.alias or name for name, info in model_class.model_fields.items()}
    removed: set[Path] = set()
    unknown: set[Path] = set()
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if not loc or not isinstance(loc[0], str):
            return None  # a check of the whole document
        if error.get("type") == "extra_forbidden" and len(loc) == 1:
            meant = closest(loc[0], sorted(fields - set(data)))
            if meant is not None:
                unknown.add((meant,))
        elif error.get("type") == "extra_forbidden":
            unknown.add(_entry(data, loc[:-1]))  # the key it meant is somewhere in there
        _remove(removed, _entry(data, loc))
    for path in bad_paths:
        if path and isinstance(path[0], str):
            _remove(removed, _entry(data, path))
    for _ in range(_ROUNDS):
        if any(path[:1] and path[0] in _IDENTITY for path in removed):
            return None
        try:
            model = model_class.model_validate(_without(data, removed))
        except ValidationError as exc:
            failed = [tuple(error["loc"]) for error in exc.errors(include_input=False, include_url=False)]
            if not all(loc and isinstance(loc[0], str) for loc in failed):
                return None
            wider = {_wider(data, _entry(data, loc), removed) for loc in failed}
            if wider <= removed:  # a required field is what failed
                return _framework_without(data, removed) if model_class is FrameworkSpec else None
            for path in wider:
                _remove(removed, path)
            continue
        return model, frozenset(unknown | removed)
    return None


def stand_in(data: Mapping[str, Any]) -> FrameworkSpec:
    """A Framework document that says only that one exists, for a framework.yaml that failed (or did not parse).

    Every field keeps its default; :func:`ecomperf.loading.documents.read_index` marks them all unknown, so the
    rules that read the Framework's stages, levels, contexts, grades, locales or rules stay quiet about them.
    """
    framework_id = data.get("id")
    return FrameworkSpec.model_construct(
        api_version="ecomperf/v1", kind="Framework", id=framework_id if isinstance(framework_id, str) else "",
        name="", stages=[], grades=[],
    )


# Values that pass the Framework's checks, standing in for required fields that failed theirs while the rest is
# validated; the salvaged document then holds nothing there (no stage or grade is made up).
_FRAMEWORK_PLACEHOLDERS: Final[dict[str, Any]] = {
    "name": "-", "stages": [{"id": "stage", "name": "-"}], "grades": [{"id": "G", "min": 0, "bonus": 0}],
}


def _framework_without(data: Mapping[str, Any], removed: set[Path]) -> tuple[Document, frozenset[Path]] | None:
    """The Framework document without what was removed, its required fields left empty when they failed."""
    filled = {(name,) for name in _FRAMEWORK_PLACEHOLDERS if any(path[:1] == (name,) for path in removed)}
    kept = _without(data, removed | filled)
    try:
        model = FrameworkSpec.model_validate({**kept, **{name: _FRAMEWORK_PLACEHOLDERS[name] for (name,) in filled}})
    except ValidationError:
        return None
    empty = {name: "" if name == "name" else [] for (name,) in filled}
    return model.model_copy(update=empty), frozenset(removed | filled)


def _entry(data: Mapping[str, Any], loc: Path) -> Path:
    """The deepest mapping entry on ``loc`` that exists in ``data`` and that no list holds."""
    found: Path = loc[:1]
    node: Any = data
    for depth, key in enumerate(loc):
        if isinstance(node, Mapping) and isinstance(key, str) and key in node:
            found = loc[: depth + 1]
            node = node[key]
        else:
            break  # a list, a union member's tag, or a key that is not there
    return found


def _wider(data: Mapping[str, Any], path: Path, removed: set[Path]) -> Path:
    """``path`` itself when nothing removed covers it; else the mapping entry around what was removed there."""
    for gone in removed:
        if path[: len(gone)] == gone:
            return _entry(data, gone[:-1]) if len(gone) > 1 else gone
    return path


def _remove(removed: set[Path], path: Path) -> None:
    """Add ``path`` to the removed paths, dropping those inside it."""
    if any(path[: len(gone)] == gone for gone in removed):
        return
    for gone in [gone for gone in removed if gone[: len(path)] == path]:
        removed.discard(gone)
    removed.add(path)


def _without(data: Mapping[str, Any], removed: set[Path]) -> dict[str, Any]:
    """A copy of ``data`` without the removed mapping entries (copied only along the paths removed)."""
    copy = dict(data)
    for path in sorted(removed, key=len):
        node: Any = copy
        for key in path[:-1]:
            child = node.get(key) if isinstance(node, dict) else None
            if not isinstance(child, Mapping):
                node = None
                break
            node[key] = child = dict(child)
            node = child
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return copy
