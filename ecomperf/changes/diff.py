"""Semantic diff of two loaded frameworks: what changed for the people scored, not for the text.

:func:`diff` compares two loaded frameworks object by object, never their YAML text, so moving a
document to another file, splitting a file in two, reordering keys or rewriting ``"35%"`` as ``0.35``
changes nothing, while a weight moving 10 points is one :class:`Change` with the old and the new value.

Identity. Documents are matched by kind and id; stages, levels, grades, workflow steps and context
values by id; a scorecard's KPIs by metric id within a position and stage; forbidden duties by the duty
they name within their owner. A duty that leaves one owner (module or position) and appears under another
with the same duty id is *moved* (one change), and references to it that follow it (``forbidden``) are
not changes. Event overrides are compared by their effect: the weights, targets and added KPIs each event
sets for each position and stage, however the overrides are split or listed.

Equivalences that are not changes: an omitted ``scoring`` and the default method of the metric's
direction; an omitted ``aggregate`` and the one it defaults to; formulas that parse to the same
expression (``a/b`` and ``(a) / b``); a module without ``stages`` and one listing every stage; the order
of list entries, except where order decides something (``locales``: the first is the default; target
``variants``: the first match wins; score ``bands``).

Every change carries where it is: the ``file:line`` of the changed entry in the new version, or in the
old version for removals.

Example:
    >>> import ecomperf
    >>> changes = ecomperf.diff(ecomperf.load("v2026"), ecomperf.load("v2027"))  # doctest: +SKIP
    >>> [(c.kind, c.id, c.field, c.old, c.new) for c in changes]  # doctest: +SKIP
    [('kpi', 'store_manager/growth/repurchase_rate', 'weight', 30, 35), ...]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypeVar, get_args

from ecomperf.model import (
    Document,
    Duty,
    Event,
    ForbiddenDuty,
    KpiEntry,
    Metric,
    Module,
    Node,
    Position,
    TargetPlan,
    Workflow,
)
from ecomperf.model.index import FrameworkIndex
from ecomperf.problems import Span
from ecomperf.scoring.methods import default_method
from ecomperf.targets import Target

if TYPE_CHECKING:
    import pandas

__all__ = [
    "GROUPS",
    "Change",
    "ChangeKind",
    "FrameworkDiff",
    "JsonValue",
    "VersionInfo",
    "diff",
]

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
"""A value as JSON holds it: what :attr:`Change.old` and :attr:`Change.new` are."""

ChangeKind = Literal[
    "framework", "stage", "level", "context",
    "metric",
    "module", "duty", "forbidden",
    "position",
    "scorecard", "kpi",
    "event", "override",
    "grade", "rule",
    "workflow",
    "plan",
]
"""What a change is about; :data:`GROUPS` puts the kinds under the headings reports show."""

GROUPS: Final[tuple[tuple[str, tuple[ChangeKind, ...]], ...]] = (
    ("settings", ("framework", "stage", "level", "context")),
    ("metrics", ("metric",)),
    ("modules", ("module", "duty", "forbidden")),
    ("positions", ("position",)),
    ("scorecards", ("scorecard", "kpi")),
    ("events", ("event", "override")),
    ("grades", ("grade", "rule")),
    ("workflows", ("workflow",)),
    ("plans", ("plan",)),
)
"""Report headings in order, each with the change kinds it holds."""

_KIND_ORDER: Final = {kind: index for index, kind in enumerate(get_args(ChangeKind))}
_ORDERED: Final = frozenset({"locales", "variants", "bands"})
_KEYS: Final = ("id", "kpi", "duty")
_DOCUMENT_FIELDS: Final = frozenset({"api_version", "kind", "id"})

Path: TypeAlias = tuple[str | int, ...]
_D = TypeVar("_D", bound=Document)


@dataclass(frozen=True, slots=True)
class Change:
    """One semantic change between two versions of a framework.

    Attributes:
        kind: what it is about (``metric``, ``kpi``, ``duty`` …; see :data:`ChangeKind`).
        id: which one: a document id (``gmv``), or a path of ids (``store_manager/growth/gmv`` for a KPI
            of a position's stage, ``product_ops.listing`` for a duty, ``double_11/store_manager/growth``
            for the effect of an event on one position and stage).
        field: the field that changed (``weight``, ``target``, ``formula``, ``pip.consecutive`` …);
            ``None`` when the whole thing was added or removed, ``owner`` when a duty moved.
        old: the value before (``None`` when added), as JSON holds it; targets as their shorthand text.
        new: the value after (``None`` when removed).
        span: where it is: in the new version, or in the old one for removals.

    Example:
        >>> change = Change("kpi", "store_manager/growth/gmv", "weight", 20, 25, Span("sm.yaml", 12, 9))
        >>> change.action, change.location
        ('changed', 'sm.yaml:12')
    """

    kind: ChangeKind
    id: str
    field: str | None
    old: JsonValue
    new: JsonValue
    span: Span | None = None

    @property
    def action(self) -> Literal["added", "removed", "moved", "changed"]:
        """``added``, ``removed``, ``moved`` (a duty under another owner) or ``changed``."""
        if self.field is None:
            return "added" if self.old is None else "removed"
        if self.kind == "duty" and self.field == "owner":
            return "moved"
        return "changed"

    @property
    def location(self) -> str:
        """``file:line`` of :attr:`span` (``""`` when unknown)."""
        return f"{self.span.file}:{self.span.line}" if self.span is not None else ""

    @property
    def group(self) -> str:
        """The report heading this change falls under (see :data:`GROUPS`)."""
        return next(name for name, kinds in GROUPS if self.kind in kinds)

    def to_dict(self) -> dict[str, JsonValue]:
        """``{"kind", "id", "field", "old", "new", "location"}``, the shape of ``ecomperf diff --format json``."""
        return {
            "kind": self.kind, "id": self.id, "field": self.field, "old": self.old, "new": self.new,
            "location": self.location,
        }


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """Which framework a side of a comparison is.

    Attributes:
        id, version: the framework's id and declared ``version``.
        source: where it was read from (a folder, or ``REVISION:PATH`` for a git revision).
        locale: its default locale (reports use the new version's unless told otherwise).
    """

    id: str
    version: str
    source: str
    locale: str = "zh"

    @classmethod
    def of(cls, fw: FrameworkIndex) -> VersionInfo:
        """The id, version, root and default locale of a loaded framework."""
        return cls(fw.spec.id, fw.spec.version, fw.root, fw.spec.default_locale)

    def __str__(self) -> str:
        return f"{self.source} ({self.id} {self.version})"


@dataclass(frozen=True)
class FrameworkDiff:
    """Every semantic change from ``old`` to ``new``, grouped by kind (see :data:`GROUPS`).

    It is a sequence of :class:`Change`; it is false when there are no changes.

    Attributes:
        old, new: which frameworks were compared.
        changes: the changes, by group and kind, then in the order of the new version's files.
    """

    old: VersionInfo
    new: VersionInfo
    changes: tuple[Change, ...] = ()

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __getitem__(self, index: int) -> Change:
        return self.changes[index]

    def by_group(self) -> list[tuple[str, tuple[Change, ...]]]:
        """``(heading, changes)`` for every group of :data:`GROUPS` that has changes, in order."""
        found = []
        for name, kinds in GROUPS:
            inside = tuple(change for change in self.changes if change.kind in kinds)
            if inside:
                found.append((name, inside))
        return found

    def of_kind(self, *kinds: ChangeKind) -> tuple[Change, ...]:
        """The changes of the given kinds."""
        return tuple(change for change in self.changes if change.kind in kinds)

    def to_records(self) -> list[dict[str, JsonValue]]:
        """One :meth:`Change.to_dict` per change: what ``ecomperf diff --format json`` prints."""
        return [change.to_dict() for change in self.changes]

    def to_pandas(self) -> pandas.DataFrame:
        """The changes as a ``pandas.DataFrame`` with the columns of :meth:`to_records` (needs pandas).

        Raises:
            ImportError: pandas is not installed (``pip install pandas``).
        """
        from ecomperf.changes._pandas import data_frame  # start-up cost: pandas only when asked for

        columns = ["kind", "id", "field", "old", "new", "location"]
        return data_frame(self.to_records(), columns)


def diff(old: FrameworkIndex, new: FrameworkIndex) -> FrameworkDiff:
    """Compare two loaded frameworks and return their semantic changes.

    Args:
        old: the version before the change (e.g. ``ecomperf.load("frameworks/ecommerce-ops")``).
        new: the version after it.

    Returns:
        The changes (empty, and false, when the two versions mean the same).

    Example:
        >>> result = diff(ecomperf.load("v2026"), ecomperf.load("v2027"))  # doctest: +SKIP
        >>> [f"{c.location}: {c.kind} {c.id} {c.field}" for c in result][:1]  # doctest: +SKIP
        ['v2027/positions/store_manager.yaml:92: kpi store_manager/growth/gmv_growth_rate weight']
    """
    differ = _Differ(old, new)
    differ.run()
    ordered = sorted(enumerate(differ.changes), key=lambda item: (_KIND_ORDER[item[1].kind], item[0]))
    return FrameworkDiff(VersionInfo.of(old), VersionInfo.of(new), tuple(change for _, change in ordered))


# --- values -----------------------------------------------------------------------------------------


def _key_of(item: Any) -> str | None:
    """The identity of an entry of a keyed list (its ``id``, ``kpi`` or ``duty``), else ``None``."""
    if isinstance(item, Node):
        for name in _KEYS:
            if name in type(item).model_fields:
                return str(getattr(item, name))
    return None


def _is_text(value: Any) -> bool:
    """Localised text (``{zh: ..., en: ...}``) and other mappings of plain strings compare as one value."""
    return isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values())


def _canon(value: Any) -> Any:
    """A canonical, JSON-ready form of a value, for equality: targets by meaning, unordered lists sorted."""
    if isinstance(value, Target):
        return {"op": value.op, "value": value.value, "low": value.low, "high": value.high}
    if isinstance(value, Node):
        return {name: _canon(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Mapping):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_canon(item) for item in value]
        if value and all(isinstance(item, Node) for item in value) and _key_of(value[0]) is None:
            return items  # unkeyed entries (variants, bands): order decides which applies
        return sorted(items, key=_dumps)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _same(old: Any, new: Any, *, ordered: bool = False) -> bool:
    if ordered and isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    return _dumps(_canon(old)) == _dumps(_canon(new))


def _show(value: Any, unit: str | None = None) -> JsonValue:
    """A value as reports show it: targets in the metric's unit, whole numbers without ``.0``, no empty fields."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Target):
        return value.display(unit)
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, Node):
        shown: dict[str, JsonValue] = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if item is None or item == [] or item == {} or name in _DOCUMENT_FIELDS - {"id"}:
                continue
            shown[info.alias or name] = _show(item, unit)
        return shown
    if isinstance(value, Mapping):
        return {str(k): _show(v, unit) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_show(item, unit) for item in value]
    return str(value)


def _same_formula(old: Metric, new: Metric) -> bool:
    """Whether two metrics' formulas compute the same (spacing and redundant brackets are not changes)."""
    old_formula, new_formula = old.parsed_formula, new.parsed_formula
    if old_formula is None or new_formula is None:
        return old_formula is new_formula
    return old_formula.same_as(new_formula)


# --- where values sit ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _At:
    """A place in a document: the document and the key path inside it."""

    document: Document
    path: Path = ()

    def __truediv__(self, part: str | int) -> _At:
        return _At(self.document, (*self.path, part))

    def span(self) -> Span:
        return self.document.span(*self.path)


@dataclass(frozen=True, slots=True)
class _DutyAt:
    ref: str
    duty_id: str
    owner: str
    duty: Duty
    at: _At


@dataclass(frozen=True, slots=True)
class _Effect:
    """What one event sets for one position and stage: weights, targets and added KPIs, with their places."""

    weights: dict[str, tuple[float, _At]] = field(default_factory=dict)
    targets: dict[str, tuple[Target, _At]] = field(default_factory=dict)
    add: dict[str, tuple[KpiEntry, _At]] = field(default_factory=dict)


class _Differ:
    """Walks both versions and collects the changes."""

    def __init__(self, old: FrameworkIndex, new: FrameworkIndex) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self.moved: dict[str, str] = {}

    def emit(
        self, kind: ChangeKind, id: str, field_name: str | None, old: JsonValue, new: JsonValue,
        old_at: _At | None, new_at: _At | None,
    ) -> None:
        removal = new is None and old is not None
        at = old_at if (removal or new_at is None) and old_at is not None else new_at
        self.changes.append(Change(kind, id, field_name, old, new, at.span() if at is not None else None))

    def run(self) -> None:
        self.settings()
        self.documents("metric", self.old.metrics, self.new.metrics, self.metric, _metric_summary)
        self.documents("module", self.old.modules, self.new.modules, self.module, _name_summary)
        self.duties()
        self.forbidden()
        self.documents("position", self.old.positions, self.new.positions, self.position, _position_summary)
        self.scorecards()
        old_events = {event.id: event for event in self.old.events}
        new_events = {event.id: event for event in self.new.events}
        self.documents("event", old_events, new_events, self.event, _event_summary)
        self.overrides(old_events, new_events)
        self.grades()
        self.fields("rule", "rules", self.old.spec.rules, self.new.spec.rules,
                    _At(self.old.spec, ("rules",)), _At(self.new.spec, ("rules",)))
        self.documents("workflow", self.old.workflows, self.new.workflows, self.workflow, _name_summary)
        self.documents("plan", self.old.plans, self.new.plans, self.plan, _name_summary)

    # --- generic comparison -----------------------------------------------------------------------------

    def fields(
        self, kind: ChangeKind, id: str, old: Node, new: Node, old_at: _At, new_at: _At, *,
        prefix: str = "", skip: Iterable[str] = (), unit: str | None = None,
    ) -> None:
        """Compare every field of two models of one class, except ``skip``."""
        skipped = set(skip)
        for name, info in type(new).model_fields.items():
            if name in skipped:
                continue
            key = info.alias or name
            self.value(kind, id, prefix + key, getattr(old, name), getattr(new, name), old_at / key, new_at / key,
                       unit=unit)

    def value(
        self, kind: ChangeKind, id: str, field_name: str, old: Any, new: Any, old_at: _At, new_at: _At, *,
        unit: str | None = None,
    ) -> None:
        """Compare one value: models field by field, keyed lists entry by entry, mappings key by key."""
        if isinstance(old, Node) and type(old) is type(new) and not isinstance(old, Target):
            self.fields(kind, id, old, new, old_at, new_at, prefix=field_name + ".", unit=unit)
        elif _keyed_pair(old, new):
            self.keyed(kind, id, field_name, old, new, old_at, new_at, unit=unit)
        elif isinstance(old, Mapping) and isinstance(new, Mapping) and not (_is_text(old) and _is_text(new)):
            for key in dict.fromkeys([*new, *old]):
                self.value(kind, id, f"{field_name}.{key}", old.get(key), new.get(key), old_at / key, new_at / key,
                           unit=unit)
        elif not _same(old, new, ordered=field_name.rsplit(".", 1)[-1] in _ORDERED):
            self.emit(kind, id, field_name, _show(old, unit), _show(new, unit), old_at, new_at)

    def keyed(
        self, kind: ChangeKind, id: str, field_name: str, old: Sequence[Node], new: Sequence[Node],
        old_at: _At, new_at: _At, *, unit: str | None = None,
    ) -> None:
        """Compare two lists of entries with ids (workflow steps, context values …) entry by entry."""
        old_items = {_key_of(item): (index, item) for index, item in enumerate(old)}
        new_items = {_key_of(item): (index, item) for index, item in enumerate(new)}
        for key in dict.fromkeys([*new_items, *old_items]):
            name = f"{field_name}.{key}"
            if key not in old_items:
                index, item = new_items[key]
                self.emit(kind, id, name, None, _show(item, unit), None, new_at / index)
            elif key not in new_items:
                index, item = old_items[key]
                self.emit(kind, id, name, _show(item, unit), None, old_at / index, None)
            else:
                (old_index, old_item), (new_index, new_item) = old_items[key], new_items[key]
                self.value(kind, id, name, old_item, new_item, old_at / old_index, new_at / new_index, unit=unit)

    def documents(
        self, kind: ChangeKind, old: Mapping[str, _D], new: Mapping[str, _D],
        compare: Callable[[_D, _D], None], summary: Callable[[_D], JsonValue],
    ) -> None:
        """Added and removed documents of one kind; ``compare(old, new)`` for those in both."""
        for doc_id, document in new.items():
            if doc_id not in old:
                self.emit(kind, doc_id, None, None, summary(document), None, _At(document))
            else:
                compare(old[doc_id], document)
        for doc_id, document in old.items():
            if doc_id not in new:
                self.emit(kind, doc_id, None, summary(document), None, _At(document), None)

    def listed(
        self, kind: ChangeKind, old: Sequence[Node], new: Sequence[Node], old_at: _At, new_at: _At,
        summary: Callable[[Any], JsonValue], *, prefix: str = "",
    ) -> None:
        """Entries with ids that are their own kind (stages, levels, grades): added, removed, changed."""
        old_items = {_key_of(item): (index, item) for index, item in enumerate(old)}
        for index, item in enumerate(new):
            key = str(_key_of(item))
            if key not in old_items:
                self.emit(kind, prefix + key, None, None, summary(item), None, new_at / index)
            else:
                old_index, old_item = old_items[key]
                self.fields(kind, prefix + key, old_item, item, old_at / old_index, new_at / index, skip=("id",))
        new_keys = {_key_of(item) for item in new}
        for old_key, (index, item) in old_items.items():
            if old_key not in new_keys:
                self.emit(kind, prefix + str(old_key), None, summary(item), None, old_at / index, None)

    # --- the framework document ---------------------------------------------------------------------------

    def settings(self) -> None:
        old, new = self.old.spec, self.new.spec
        old_at, new_at = _At(old), _At(new)
        skip = {"api_version", "kind", "stages", "levels", "contexts", "grades", "rules"}
        self.fields("framework", new.id, old, new, old_at, new_at, skip=skip)
        self.listed("stage", old.stages, new.stages, old_at / "stages", new_at / "stages", _name_summary)
        self.listed("level", old.levels, new.levels, old_at / "levels", new_at / "levels", _name_summary)
        for dimension, values in new.contexts.items():
            if dimension not in old.contexts:
                self.emit("context", dimension, None, None, _show(values.value_ids), None, new_at / "contexts" /
                          dimension)
            else:
                self.fields("context", dimension, old.contexts[dimension], values, old_at / "contexts" / dimension,
                            new_at / "contexts" / dimension)
        for dimension, values in old.contexts.items():
            if dimension not in new.contexts:
                self.emit("context", dimension, None, _show(values.value_ids), None, old_at / "contexts" /
                          dimension, None)

    def grades(self) -> None:
        old, new = self.old.spec, self.new.spec
        self.listed("grade", old.grades, new.grades, _At(old, ("grades",)), _At(new, ("grades",)), _grade_summary)

    # --- metrics, modules, positions, events, workflows --------------------------------------------------

    def metric(self, old: Metric, new: Metric) -> None:
        old_at, new_at = _At(old), _At(new)
        self.fields("metric", new.id, old, new, old_at, new_at, skip=_DOCUMENT_FIELDS | {"formula", "aggregate"})
        if not _same_formula(old, new):
            self.emit("metric", new.id, "formula", old.formula, new.formula, old_at / "formula", new_at / "formula")
        if old.aggregation != new.aggregation:
            self.emit("metric", new.id, "aggregate", old.aggregation, new.aggregation, old_at / "aggregate",
                      new_at / "aggregate")

    def module(self, old: Module, new: Module) -> None:
        old_at, new_at = _At(old), _At(new)
        skip = _DOCUMENT_FIELDS | {"responsibilities", "forbidden", "stages"}
        self.fields("module", new.id, old, new, old_at, new_at, skip=skip)
        # No `stages` means every stage of its own version: a stage added to the framework is reported once,
        # on the framework, not again on every module that leaves `stages` out.
        old_stages, new_stages = old.stages, new.stages
        if old_stages is None and new_stages is not None:
            old_stages = self.old.spec.stage_ids
        elif new_stages is None and old_stages is not None:
            new_stages = self.new.spec.stage_ids
        if not _same(old_stages, new_stages):
            self.emit("module", new.id, "stages", _show(old_stages), _show(new_stages), old_at / "stages",
                      new_at / "stages")

    def position(self, old: Position, new: Position) -> None:
        skip = _DOCUMENT_FIELDS | {"responsibilities", "forbidden", "scorecard"}
        self.fields("position", new.id, old, new, _At(old), _At(new), skip=skip)

    def event(self, old: Event, new: Event) -> None:
        self.fields("event", new.id, old, new, _At(old), _At(new), skip=_DOCUMENT_FIELDS | {"overrides"})

    def workflow(self, old: Workflow, new: Workflow) -> None:
        self.fields("workflow", new.id, old, new, _At(old), _At(new), skip=_DOCUMENT_FIELDS)

    def plan(self, old: TargetPlan, new: TargetPlan) -> None:
        self.fields("plan", new.id, old, new, _At(old), _At(new), skip=_DOCUMENT_FIELDS)

    # --- duties and forbidden duties ----------------------------------------------------------------------

    def duties(self) -> None:
        old, new = _duties(self.old), _duties(self.new)
        gone = [ref for ref in old if ref not in new]
        came = [ref for ref in new if ref not in old]
        for ref in gone:
            duty_id = old[ref].duty_id
            sources = [r for r in gone if old[r].duty_id == duty_id]
            targets = [r for r in came if new[r].duty_id == duty_id]
            if len(sources) == 1 and len(targets) == 1:
                self.moved[ref] = targets[0]
        moved_to = {target: source for source, target in self.moved.items()}
        for ref, found in new.items():
            source = old.get(ref) or (old[moved_to[ref]] if ref in moved_to else None)
            if source is None:
                self.emit("duty", ref, None, None, _show(found.duty.text), None, found.at)
                continue
            if source.ref != ref:
                self.emit("duty", found.duty_id, "owner", source.owner, found.owner, source.at, found.at)
            self.fields("duty", ref, source.duty, found.duty, source.at, found.at, skip=("id",))
        for ref, found in old.items():
            if ref not in new and ref not in self.moved:
                self.emit("duty", ref, None, _show(found.duty.text), None, found.at, None)

    def forbidden(self) -> None:
        old, new = _forbidden(self.old, self.moved), _forbidden(self.new, {})
        for key, (entry, at) in new.items():
            if key not in old:
                self.emit("forbidden", key, None, None, _show(entry.reason) or "", None, at)
            else:
                old_entry, old_at = old[key]
                self.fields("forbidden", key, old_entry, entry, old_at, at, skip=("duty",))
        for key, (entry, at) in old.items():
            if key not in new:
                self.emit("forbidden", key, None, _show(entry.reason) or "", None, at, None)

    # --- scorecards ---------------------------------------------------------------------------------------

    def scorecards(self) -> None:
        for position_id, position in self.new.positions.items():
            before = self.old.positions.get(position_id)
            if before is None:
                self.stages(position_id, None, position)
                continue
            old_card, new_card = before.scorecard, position.scorecard
            if old_card is not None and new_card is not None:  # cycle, weights mode …: all but the stages
                self.fields("scorecard", position_id, old_card, new_card, _At(before, ("scorecard",)),
                            _At(position, ("scorecard",)), skip=("stages",))
            self.stages(position_id, before, position)
        for position_id, position in self.old.positions.items():
            if position_id not in self.new.positions:
                self.stages(position_id, position, None)

    def stages(self, position_id: str, old: Position | None, new: Position | None) -> None:
        old_stages = old.scorecard.stages if old is not None and old.scorecard is not None else {}
        new_stages = new.scorecard.stages if new is not None and new.scorecard is not None else {}
        for stage in dict.fromkeys([*new_stages, *old_stages]):
            card_id = f"{position_id}/{stage}"
            if stage not in old_stages:
                assert new is not None
                self.emit("scorecard", card_id, None, None, _weights(new_stages[stage]), None,
                          _At(new, ("scorecard", "stages", stage)))
            elif stage not in new_stages:
                assert old is not None
                self.emit("scorecard", card_id, None, _weights(old_stages[stage]), None,
                          _At(old, ("scorecard", "stages", stage)), None)
            else:
                assert old is not None and new is not None
                self.kpis(card_id, old_stages[stage], new_stages[stage], _At(old, ("scorecard", "stages", stage)),
                          _At(new, ("scorecard", "stages", stage)))

    def kpis(self, card_id: str, old: list[KpiEntry], new: list[KpiEntry], old_at: _At, new_at: _At) -> None:
        old_entries = {entry.kpi: (index, entry) for index, entry in enumerate(old)}
        new_kpis = {entry.kpi for entry in new}
        for index, entry in enumerate(new):
            kpi_id = f"{card_id}/{entry.kpi}"
            unit = self.unit(entry.kpi)
            if entry.kpi not in old_entries:
                self.emit("kpi", kpi_id, None, None, _entry_summary(entry, unit), None, new_at / index)
                continue
            old_index, before = old_entries[entry.kpi]
            self.kpi(kpi_id, before, entry, old_at / old_index, new_at / index, unit)
        for kpi, (index, entry) in old_entries.items():
            if kpi not in new_kpis:
                self.emit("kpi", f"{card_id}/{kpi}", None, _entry_summary(entry, self.unit(kpi, old=True)), None,
                          old_at / index, None)

    def kpi(self, kpi_id: str, old: KpiEntry, new: KpiEntry, old_at: _At, new_at: _At, unit: str | None) -> None:
        self.fields("kpi", kpi_id, old, new, old_at, new_at, skip=("kpi", "target", "scoring"), unit=unit)
        direction = self.direction(new.kpi)
        old_target, new_target = _target(old, direction), _target(new, direction)
        if not _same(old_target, new_target):
            self.emit("kpi", kpi_id, "target", _show(old_target, unit), _show(new_target, unit), old_at / "target",
                      new_at / "target")
        old_method = old.scoring or default_method(direction)
        new_method = new.scoring or default_method(direction)
        self.value("kpi", kpi_id, "scoring", old_method, new_method, old_at / "scoring", new_at / "scoring",
                   unit=unit)

    def unit(self, kpi: str, *, old: bool = False) -> str | None:
        metrics = self.old.metrics if old else self.new.metrics
        metric = metrics.get(kpi) or self.old.metrics.get(kpi)
        return metric.unit if metric is not None else None

    def direction(self, kpi: str) -> Any:
        # The new version's direction judges both sides: a direction change is reported once, on the metric.
        metric = self.new.metrics.get(kpi) or self.old.metrics.get(kpi)
        return metric.direction if metric is not None else "higher"

    # --- event overrides ----------------------------------------------------------------------------------

    def overrides(self, old_events: Mapping[str, Event], new_events: Mapping[str, Event]) -> None:
        for event_id in dict.fromkeys([*new_events, *old_events]):
            old_effects = _effects(self.old, old_events.get(event_id))
            new_effects = _effects(self.new, new_events.get(event_id))
            for position, stage in dict.fromkeys([*new_effects, *old_effects]):
                before = old_effects.get((position, stage), _Effect())
                after = new_effects.get((position, stage), _Effect())
                self.effect(f"{event_id}/{position}/{stage}", before, after)

    def effect(self, effect_id: str, old: _Effect, new: _Effect) -> None:
        for part, old_values, new_values in (
            ("weights", old.weights, new.weights), ("targets", old.targets, new.targets), ("add", old.add, new.add),
        ):
            for kpi in dict.fromkeys([*new_values, *old_values]):
                unit = self.unit(kpi)
                before, after = old_values.get(kpi), new_values.get(kpi)
                name = f"{part}.{kpi}"
                if before is None and after is not None:
                    self.emit("override", effect_id, name, None, _show_effect(after[0], unit), None, after[1])
                elif after is None and before is not None:
                    self.emit("override", effect_id, name, _show_effect(before[0], unit), None, before[1], None)
                elif before is not None and after is not None:
                    self.value("override", effect_id, name, before[0], after[0], before[1], after[1], unit=unit)


# --- helpers over one version ---------------------------------------------------------------------------


def _keyed_pair(old: Any, new: Any) -> bool:
    """Two lists of entries with ids (either may be empty), compared entry by entry."""
    if not (isinstance(old, list) and isinstance(new, list)) or not (old or new):
        return False
    return all(_key_of(item) is not None for item in [*old, *new])


def _duties(fw: FrameworkIndex) -> dict[str, _DutyAt]:
    """Every duty by its reference ``owner.duty``, with its place (modules first, then positions)."""
    found: dict[str, _DutyAt] = {}
    owners: list[Module | Position] = [*fw.modules.values(), *fw.positions.values()]
    for owner in owners:
        for index, duty in enumerate(owner.responsibilities):
            ref = f"{owner.id}.{duty.id}"
            found.setdefault(ref, _DutyAt(ref, duty.id, owner.id, duty, _At(owner, ("responsibilities", index))))
    return found


def _forbidden(fw: FrameworkIndex, moved: Mapping[str, str]) -> dict[str, tuple[ForbiddenDuty, _At]]:
    """Forbidden duties by ``owner/duty`` (duty references mapped through ``moved``), with their places."""
    found: dict[str, tuple[ForbiddenDuty, _At]] = {}
    owners: list[Module | Position] = [*fw.modules.values(), *fw.positions.values()]
    for owner in owners:
        for index, entry in enumerate(owner.forbidden):
            key = f"{owner.id}/{moved.get(entry.duty, entry.duty)}"
            found.setdefault(key, (entry, _At(owner, ("forbidden", index))))
    return found


def _effects(fw: FrameworkIndex, event: Event | None) -> dict[tuple[str, str], _Effect]:
    """What ``event`` sets per position and stage, overrides applied in file order (a later one wins)."""
    effects: dict[tuple[str, str], _Effect] = {}
    if event is None:
        return effects
    for index, override in enumerate(event.overrides):
        position = fw.positions.get(override.position)
        card_stages = list(position.scorecard.stages) if position and position.scorecard else fw.spec.stage_ids
        stages = card_stages if override.stages is None else [s for s in override.stages if s in card_stages]
        at = _At(event, ("overrides", index))
        for stage in stages:
            effect = effects.setdefault((override.position, stage), _Effect())
            for add_index, entry in enumerate(override.add):
                effect.add[entry.kpi] = (entry, at / "add" / add_index)
            for kpi, weight in override.weights.items():
                effect.weights[kpi] = (weight, at / "weights" / kpi)
            for kpi, target in override.targets.items():
                effect.targets[kpi] = (target, at / "targets" / kpi)
    return effects


def _target(entry: KpiEntry, direction: str) -> Target | None:
    """The entry's target; a zero-tolerance KPI without one means ``== 0`` (as scoring reads it)."""
    if entry.target is None and direction == "zero":
        return Target(op="==", value=0.0, text="== 0")
    return entry.target


# --- summaries of whole things added or removed ---------------------------------------------------------


def _name_summary(item: Any) -> JsonValue:
    return _show(getattr(item, "name", None)) or str(_key_of(item))


def _metric_summary(metric: Metric) -> JsonValue:
    shown = {"name": _show(metric.name), "unit": metric.unit, "direction": metric.direction,
             "formula": metric.formula}
    return {key: value for key, value in shown.items() if value is not None}


def _position_summary(position: Position) -> JsonValue:
    shown = {"name": _show(position.name), "level": position.level, "reports_to": position.reports_to,
             "modules": _show(position.modules)}
    return {key: value for key, value in shown.items() if value not in (None, [])}


def _event_summary(event: Event) -> JsonValue:
    return {"name": _show(event.name), "periods": _show(event.periods)}


def _grade_summary(grade: Any) -> JsonValue:
    return {"min": _show(grade.min), "bonus": _show(grade.bonus)}


def _entry_summary(entry: KpiEntry, unit: str | None) -> JsonValue:
    shown: dict[str, JsonValue] = {"weight": _show(entry.weight)}
    if entry.target is not None:
        shown["target"] = _show(entry.target, unit)
    if entry.scoring is not None:
        shown["scoring"] = entry.scoring.method
    return shown


def _weights(entries: Sequence[KpiEntry]) -> JsonValue:
    return {entry.kpi: _show(entry.weight) for entry in entries}


def _show_effect(value: Any, unit: str | None) -> JsonValue:
    return _entry_summary(value, unit) if isinstance(value, KpiEntry) else _show(value, unit)
