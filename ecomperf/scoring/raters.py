"""Several raters for one metric: reading their ratings, combining them, and showing them without names.

A metric that declares ``raters`` (:mod:`ecomperf.model.raters`) takes its actual from people. Each rating is
given under the name ``metric@role`` (``quality@manager``) or ``metric@role:who`` when a role has several
raters (``quality@peer:wang``, ``quality@peer:zhao``). This module is the one home of the rules:

* **combining** (:func:`combine_values`, and :func:`combine_arrays` for the batch engine, which gives the
  same floats): ``mean`` of every rating; ``weighted`` by role, each role's ratings averaged first;
  ``trimmed_mean``, the ratings sorted and ``⌊trim × n⌋`` cut from each end before the mean;
* **when**: ``of: ratings`` combines the ratings into the metric's actual, which is then scored like any
  measured value (and read by formulas); ``of: scores`` scores each rating against the KPI's target and
  combines the scores (:func:`score_ratings`);
* **a role without a rating** follows the KPI's missing rule (:func:`ecomperf.scoring.missing.policy_for`):
  ``error`` leaves the metric without a value (the card lists "no rating from manager"), ``renormalize``
  combines the ratings there are, ``zero`` counts the missing role as a rating of 0 (a score of 0 under
  ``of: scores``). A rating of "n/a" takes that rater off under every rule;
* **anonymity**: a card lists each rating by role, and numbers the raters of a role ("peer 1",
  "peer 2", highest rating first, so the order tells nothing) unless the role says ``anonymous: false``.
  Who a rater is never appears in a card, a warning or an error message otherwise.

Giving a rated metric both as one value (``quality``) and per rater is refused; one value alone is taken as
the combined rating (for instance when re-scoring recorded cards).

Example:
    >>> from ecomperf.model import Raters
    >>> combine_values(Raters(roles=["self", "manager", "peer"]), [("self", 4.0), ("manager", 3.0), ("peer", 5.0)])
    4.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import BaseModel, ConfigDict

from ecomperf.errors import ActualError, ScoringError
from ecomperf.model import Metric, Raters
from ecomperf.problems import Problem
from ecomperf.scoring.actuals import NOT_APPLICABLE, NotApplicable, parse_actual
from ecomperf.scoring.methods import PRECISION, MethodResult, score_value
from ecomperf.scoring.missing import MissingPolicy, policy_for
from ecomperf.scoring.resolve import parse_period
from ecomperf.sentences import Sentence
from ecomperf.suggest import closest

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex
    from ecomperf.periods import Period
    from ecomperf.scoring.resolve import ResolvedCard, ResolvedKpi
    from ecomperf.scoring.vectorized import FloatArray

__all__ = [
    "RATING_MARK",
    "WHO_MARK",
    "Combined",
    "Prepared",
    "Rating",
    "RatingKey",
    "combine_arrays",
    "combine_values",
    "fold_rating_arrays",
    "prepare_ratings",
    "rating_columns",
    "rating_key",
    "score_ratings",
]

RATING_MARK: Final = "@"
"""Separates the metric from the role in a rating's name: ``quality@manager``."""

WHO_MARK: Final = ":"
"""Separates the role from the rater in a rating's name: ``quality@peer:wang``."""


# --- names ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingKey:
    """The parts of a rating's name: ``metric@role:who`` (``who`` is ``""`` when not given)."""

    metric: str
    role: str
    who: str = ""

    @property
    def shown(self) -> str:
        """The name without the rater, as messages show it: ``quality@peer``."""
        return f"{self.metric}{RATING_MARK}{self.role}"


def rating_key(name: object) -> RatingKey | None:
    """The parts of ``name`` when it names a rating, else ``None``.

    Example:
        >>> rating_key("quality@peer:wang"), rating_key("gmv")
        (RatingKey(metric='quality', role='peer', who='wang'), None)
    """
    if not isinstance(name, str) or RATING_MARK not in name:
        return None
    metric, _, rest = name.partition(RATING_MARK)
    role, _, who = rest.partition(WHO_MARK)
    return RatingKey(metric.strip(), role.strip(), who.strip())


def rating_columns(fw: FrameworkIndex, names: Sequence[str]) -> tuple[dict[str, RatingKey], list[str]]:
    """Which of ``names`` are ratings of a declared role of a rated metric, and why the other rating names are not.

    Returns:
        ``(ratings, problems)``: name -> key for the usable rating names, and one sentence per rating
        name that is not usable (the metric has no raters or does not declare the role). The sentences
        name the metric and role only, never the rater.
    """
    usable: dict[str, RatingKey] = {}
    problems: list[str] = []
    for name in names:
        key = rating_key(name)
        if key is None:
            continue
        problem = _key_problem(fw, key)
        if problem is None:
            usable[name] = key
        else:
            problems.append(problem)
    return usable, problems


def _key_problem(fw: FrameworkIndex, key: RatingKey) -> str | None:
    metric = fw.metrics.get(key.metric)
    if metric is None:
        return join_hint(Sentence("rating {rating} ignored: the framework declares no metric '{metric}'",
                                  rating=key.shown, metric=key.metric), _hint(key.metric, fw.metrics))
    if metric.raters is None:
        return Sentence("rating {rating} ignored: metric '{metric}' declares no raters; give it as {metric}",
                        rating=key.shown, metric=key.metric)
    if metric.raters.role(key.role) is None:
        roles = metric.raters.role_ids
        return join_hint(Sentence("rating {rating} ignored: {metric} is rated by {roles}, not '{role}'",
                                  rating=key.shown, metric=key.metric, roles=tuple(roles), role=key.role),
                         _hint(key.role, roles))
    return None


def join_hint(sentence: Sentence, suggestion: str | None) -> str:
    """``sentence`` followed by "did you mean" the closest name, when there is one."""
    if suggestion is None:
        return sentence
    return Sentence("{sentence}; did you mean '{suggestion}'?", sentence=sentence, suggestion=suggestion)


def _hint(name: str, choices: Any) -> str | None:
    return closest(name, choices)


# --- combining ------------------------------------------------------------------------------------


def combine_values(raters: Raters, ratings: Sequence[tuple[str, float]]) -> float:
    """Combine ratings (role, value) by the metric's rule; see the module docstring.

    ``ratings`` must not be empty and is summed in the order given (the batch engine sums in the same
    order, so both give the same float). Under ``weighted`` only the roles present count.

    Example:
        >>> from ecomperf.model import Raters
        >>> weighted = Raters(combine="weighted", roles=[{"id": "self", "weight": 1}, {"id": "manager", "weight": 3}])
        >>> combine_values(weighted, [("self", 5.0), ("manager", 3.0)])  # (1×5 + 3×3) / 4
        3.5
        >>> trimmed = Raters(combine="trimmed_mean", trim=0.25, roles=["peer"])
        >>> combine_values(trimmed, [("peer", v) for v in (1.0, 4.0, 4.5, 5.0)])  # 1 and 5 cut: (4 + 4.5) / 2
        4.25
    """
    values = [value for _, value in ratings]
    if raters.combine == "weighted":
        weights = {role.id: float(role.weight or 0) for role in raters.roles}
        means = []
        for role in raters.role_ids:
            own = [value for who, value in ratings if who == role]
            if own:
                means.append((weights[role], sum(own) / len(own)))
        result = sum(weight * mean for weight, mean in means) / sum(weight for weight, _ in means)
    elif raters.combine == "trimmed_mean":
        ordered = sorted(values)
        cut = math.floor(float(raters.trim or 0) * len(ordered))
        kept = ordered[cut:len(ordered) - cut]
        result = sum(kept) / len(kept)
    else:
        result = sum(values) / len(values)
    return result + 0.0


def combine_arrays(raters: Raters, columns: Sequence[tuple[str, FloatArray]]) -> FloatArray:
    """:func:`combine_values` for many rows at once: one column per rater (NaN where a row has no rating).

    The result is NaN in every row where some declared role has no rating: those rows follow the missing
    rule, which the scalar engine applies. Elsewhere it equals :func:`combine_values` of the row's ratings
    taken in column order, bit for bit.

    Example:
        >>> import numpy as np
        >>> from ecomperf.model import Raters
        >>> raters = Raters(roles=["self", "manager"])
        >>> combine_arrays(raters, [("self", np.array([4.0, 5.0])), ("manager", np.array([3.0, np.nan]))])
        array([3.5, nan])
    """
    import numpy as np  # start-up cost: numpy loads only for batch scoring

    from ecomperf.scoring.vectorized import sum_like_python  # start-up cost: with numpy, for batch scoring

    size = len(columns[0][1]) if columns else 0
    present = {role: np.zeros(size, dtype=np.intp) for role in raters.role_ids}
    for role, column in columns:
        present[role] += ~np.isnan(column)
    complete = np.ones(size, dtype=np.bool_)
    for counts in present.values():
        complete &= counts > 0

    def zeroed(column: FloatArray) -> FloatArray:
        return np.where(np.isnan(column), 0.0, column)

    with np.errstate(all="ignore"):
        if raters.combine == "weighted":
            weights = [float(role.weight or 0) for role in raters.roles]
            terms = []
            for role, weight in zip(raters.role_ids, weights, strict=True):
                own = [zeroed(column) for who, column in columns if who == role]
                role_sum = sum_like_python(own) if own else np.zeros(size)
                terms.append(weight * (role_sum / present[role]))
            result = sum_like_python(terms) / sum(weights)
        elif raters.combine == "trimmed_mean":
            stacked = np.stack([column for _, column in columns], axis=1) if columns else np.zeros((size, 0))
            ordered = np.sort(stacked, axis=1)  # NaN sorts last
            count = (~np.isnan(stacked)).sum(axis=1)
            cut = np.floor(float(raters.trim or 0) * count).astype(np.intp)
            places = np.arange(stacked.shape[1])
            kept = [np.where((places[j] >= cut) & (places[j] < count - cut), zeroed(ordered[:, j]), 0.0)
                    for j in range(stacked.shape[1])]
            result = sum_like_python(kept) / (count - 2 * cut)
        else:
            count = sum(present.values(), np.zeros(size, dtype=np.intp))
            result = sum_like_python([zeroed(column) for _, column in columns]) / count
    finished: FloatArray = np.where(complete, result + 0.0, np.nan)
    return finished


# --- what a card shows ----------------------------------------------------------------------------


class Rating(BaseModel):
    """One rater's rating of a KPI, as a card shows it.

    Attributes:
        role: the rater's role (``self``, ``manager``, ``peer`` …).
        rater: how the card names the rater: the role, the role numbered (``peer 2``) for anonymous
            raters of a role with several, or the role and who (``peer wang``) when not anonymous.
        value: the rating (``None`` when the role gave none).
        score: the rating's own score, when the ratings are combined after scoring (``of: scores``).
        note: how the rating counted when it did not count plainly: missing and counted as 0, missing and
            left out, "n/a", or cut by the trimmed mean.
    """

    model_config = ConfigDict(frozen=True)

    role: str
    rater: str
    value: float | None
    score: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Combined:
    """The ratings of one metric in one period, combined.

    Attributes:
        metric: the metric id.
        status: ``ok`` (``value`` is the combined rating), ``missing`` (a role has no rating under the
            ``error`` rule) or ``not applicable`` (every rating is "n/a").
        value: the combined rating.
        detail: why the status is not ``ok``.
        counted: the ratings that count, as ``(role, value)``: the ratings given, in the order given, then
            a 0 for each role without a rating under ``zero``.
        shown: the ratings as the card shows them, role by role.
        places: for each of ``counted``, its position in ``shown``.
        zeroed: how many of ``counted`` (the last ones) stand for roles without a rating.
        notes: what a reader of the card should know (roles missing, ratings cut).
    """

    metric: str
    status: Literal["ok", "missing", "not applicable"]
    value: float | None
    detail: str | None = None
    counted: tuple[tuple[str, float], ...] = ()
    shown: tuple[Rating, ...] = ()
    places: tuple[int, ...] = ()
    zeroed: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Given:
    key: RatingKey
    value: float | NotApplicable


def _combine(metric: Metric, given: Sequence[_Given], policy: MissingPolicy) -> Combined:
    raters = metric.raters
    assert raters is not None
    numbers = [index for index, item in enumerate(given) if not isinstance(item.value, NotApplicable)]
    roles_given = {item.key.role for item in given}
    missing = [role for role in raters.role_ids if role not in roles_given]
    if not numbers:
        shown, _ = _shown(raters, given, missing, policy, ())
        return Combined(metric.id, "not applicable", None, Sentence("every rating is n/a"), shown=shown)
    if missing and policy == "error":
        names = tuple(f"{metric.id}{RATING_MARK}{role}" for role in missing)
        why = Sentence("no rating from {roles} ({columns})", roles=tuple(missing), columns=names)
        shown, _ = _shown(raters, given, missing, policy, ())
        return Combined(metric.id, "missing", None, why, shown=shown)
    counted = [(given[index].key.role, float(given[index].value)) for index in numbers]  # type: ignore[arg-type]
    notes: list[str] = []
    zeroed = 0
    if missing and policy == "zero":
        counted += [(role, 0.0) for role in missing]
        zeroed = len(missing)
        notes.append(Sentence("no rating from {roles}: counted as 0 under missing='zero'", roles=tuple(missing)))
    elif missing:
        notes.append(Sentence("no rating from {roles}: combined without it under missing='renormalize'",
                              roles=tuple(missing)))
    cut = _cut(raters, counted)
    if cut:
        notes.append(Sentence("trimmed mean: {cut} rating(s) cut from each end", cut=cut))
    shown, where = _shown(raters, given, missing, policy, counted)
    places = tuple([where[index] for index in numbers] + ([where[role] for role in missing] if zeroed else []))
    return Combined(metric.id, "ok", combine_values(raters, counted), counted=tuple(counted), shown=shown,
                    places=places, zeroed=zeroed, notes=tuple(notes))


def _cut(raters: Raters, counted: Sequence[tuple[str, float]]) -> int:
    if raters.combine != "trimmed_mean":
        return 0
    return math.floor(float(raters.trim or 0) * len(counted))


def _shown(
    raters: Raters, given: Sequence[_Given], missing: Sequence[str], policy: MissingPolicy,
    counted: Sequence[tuple[str, float]],
) -> tuple[tuple[Rating, ...], dict[int | str, int]]:
    """The ratings role by role (anonymous raters numbered in falling order of rating), and where each
    given rating (by index) and each missing role (by id) is shown."""
    low, high = _kept_range(raters, counted)
    shown: list[Rating] = []
    where: dict[int | str, int] = {}
    for role in raters.roles:
        if role.id in missing:
            absent = {"zero": "no rating: counted as 0", "renormalize": "no rating: left out"}.get(policy, "no rating")
            where[role.id] = len(shown)
            shown.append(Rating(role=role.id, rater=role.id, value=None, note=absent))
            continue
        own = [(index, item) for index, item in enumerate(given) if item.key.role == role.id]
        if role.anonymous:
            own.sort(key=lambda pair: _order(pair[1].value))
        for number, (index, item) in enumerate(own, start=1):
            if not role.anonymous and item.key.who:
                label = f"{role.id} {item.key.who}"
            else:
                label = f"{role.id} {number}" if len(own) > 1 else role.id
            value = None if isinstance(item.value, NotApplicable) else float(item.value)
            note: str | None = "n/a: not counted" if value is None else None
            if value is not None and low is not None and high is not None and not low <= value <= high:
                note = "cut by the trimmed mean"
            where[index] = len(shown)
            shown.append(Rating(role=role.id, rater=label, value=value, note=note))
    return tuple(shown), where


def _order(value: float | NotApplicable) -> tuple[int, float]:
    return (1, 0.0) if isinstance(value, NotApplicable) else (0, -float(value))


def _kept_range(raters: Raters, counted: Sequence[tuple[str, float]]) -> tuple[float | None, float | None]:
    """The lowest and highest rating a trimmed mean keeps (``None`` when it cuts nothing)."""
    cut = _cut(raters, counted)
    if not cut:
        return None, None
    ordered = sorted(value for _, value in counted)
    kept = ordered[cut:len(ordered) - cut]
    return kept[0], kept[-1]


# --- one card's actuals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """Actuals with the ratings of each rated metric combined into the metric's value.

    Attributes:
        actuals: the actuals with every rating name replaced by the combined value of its metric (flat or
            by period, as given); metrics whose ratings cannot be combined are left out.
        combined: period (``None`` for flat actuals) -> metric id -> its combined ratings.
        warnings: rating names that were ignored, and why (naming metric and role, never the rater).
    """

    actuals: Mapping[Any, Any]
    combined: Mapping[Any, Mapping[str, Combined]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def of(self, period: Period | None, metric: str) -> Combined | None:
        """The combined ratings of ``metric`` in ``period`` (``None`` for flat actuals), if it was rated."""
        return self.combined.get(period, {}).get(metric)


def prepare_ratings(
    fw: FrameworkIndex, card: ResolvedCard, actuals: Mapping[Any, Any], run: MissingPolicy, *, by_period: bool,
) -> Prepared:
    """Combine the ratings in ``actuals`` (flat, or one mapping per period when ``by_period``).

    Each rated metric's ratings are combined under its KPI's missing rule (the card entry's, else the
    metric's, else ``run``) and the result is put in place of its ratings, so that scoring, formulas and
    roll-ups read one value.

    Raises:
        ScoringError: a rating that is not a number (ES103), or a metric given both as one value and per
            rater, or one rater given twice (ES108); every such problem at once.
    """
    rules = {entry.kpi: policy_for(run, entry=entry.missing, metric=entry.metric.missing) for entry in card.entries}
    mappings = actuals.items() if by_period else [(None, actuals)]
    problems: list[Problem] = []
    warnings: dict[str, None] = {}
    combined: dict[Any, dict[str, Combined]] = {}
    out: dict[Any, Any] = {}
    for key, mapping in mappings:
        where = f"{key}: " if key is not None else ""
        plain, found, found_warnings, found_problems = _read(fw, mapping, rules, run, where)
        problems.extend(found_problems)
        warnings.update(dict.fromkeys(found_warnings))
        if found:
            combined[None if key is None else parse_period(key)] = found
        if key is None:
            out = plain
        else:
            out[key] = plain
    if problems:
        raise ScoringError(f"the ratings for {card.position.id} in {card.period} cannot be used", problems=problems)
    if not combined and not warnings:
        return Prepared(actuals)
    return Prepared(out, combined, tuple(warnings))


def _read(
    fw: FrameworkIndex, mapping: Mapping[Any, Any], rules: Mapping[str, MissingPolicy], run: MissingPolicy,
    where: str,
) -> tuple[dict[Any, Any], dict[str, Combined], list[str], list[Problem]]:
    plain: dict[Any, Any] = {}
    given: dict[str, list[_Given]] = {}
    seen: set[tuple[str, str, str]] = set()
    warnings: list[str] = []
    problems: list[Problem] = []
    for name, raw in mapping.items():
        key = rating_key(name)
        if key is None:
            plain[name] = raw
            continue
        if raw is None:
            continue
        problem = _key_problem(fw, key)
        if problem is not None:
            warnings.append(problem)
            continue
        if (key.metric, key.role, key.who) in seen:
            problems.append(Problem("ES108", f"{where}{key.shown}: the same rater is given twice; give each once"))
            continue
        seen.add((key.metric, key.role, key.who))
        try:
            value = parse_actual(key.shown, raw)
        except ActualError as exc:
            problems.append(Problem("ES103", f"{where}{exc}"))
            continue
        given.setdefault(key.metric, []).append(_Given(key, value))
    found: dict[str, Combined] = {}
    for metric_id, ratings in given.items():
        if metric_id in plain and plain[metric_id] is not None:
            problems.append(Problem(
                "ES108", f"{where}{metric_id} is given both as one value and per rater; give one or the other"))
            continue
        metric = fw.metrics[metric_id]
        result = _combine(metric, ratings, rules.get(metric_id, policy_for(run, entry=None, metric=metric.missing)))
        found[metric_id] = result
        if result.status == "ok":
            plain[metric_id] = result.value
        elif result.status == "not applicable":
            plain[metric_id] = NOT_APPLICABLE
    return plain, found, warnings, problems


# --- scoring ratings one by one -------------------------------------------------------------------


def score_ratings(entry: ResolvedKpi, combined: Combined) -> tuple[MethodResult, Combined]:
    """Score each rating against the KPI's target, then combine the scores (``of: scores``).

    A role without a rating under ``zero`` scores 0, whatever the method would make of a rating of 0.

    Returns:
        The KPI's result (the combined score, rounded like every score; no achievement) and the ratings
        with their scores, for the card.
    """
    raters = entry.metric.raters
    assert raters is not None and entry.target is not None and combined.status == "ok"
    given = len(combined.counted) - combined.zeroed
    scored = [
        (role, score_value(entry.method, value, entry.target, entry.metric.direction).score if index < given else 0.0)
        for index, (role, value) in enumerate(combined.counted)
    ]
    shown = list(combined.shown)
    for place, (_, points) in zip(combined.places, scored, strict=True):
        shown[place] = shown[place].model_copy(update={"score": points})
    score = round(combine_values(raters, scored), PRECISION) + 0.0
    result = MethodResult(score=score, achievement=None,
                          note=Sentence("each rating scored against the target, then the scores combined ({how})",
                                        how=raters.combine))
    return result, replace(combined, shown=tuple(shown))


# --- many rows at once ----------------------------------------------------------------------------


def fold_rating_arrays(
    fw: FrameworkIndex, card: ResolvedCard, given: Mapping[str, FloatArray]
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """The batch engine's columns with each rated metric's rating columns combined, as :func:`prepare_ratings`
    does for one row.

    Args:
        fw: the framework.
        card: the card the rows resolve to.
        given: column name -> values (NaN where a row has none), rating columns (``quality@self``) included.

    Returns:
        ``(columns, scores)``: the columns with each rated metric's combined rating in place of its rating
        columns, and for each KPI of the card combined after scoring (``of: scores``) its score per row.
        Both are NaN in the rows the scalar engine must take: a role without a rating (the missing rule
        applies), or a metric given both as one value and per rater (refused).
    """
    import numpy as np  # start-up cost: numpy loads only for batch scoring

    from ecomperf.scoring.vectorized import score_array, tidy_array  # start-up cost: with numpy, for batch scoring

    columns: dict[str, FloatArray] = {}
    ratings: dict[str, list[tuple[str, FloatArray]]] = {}
    for name, column in given.items():
        key = rating_key(name)
        if key is None:
            columns[name] = column
            continue
        metric = fw.metrics.get(key.metric)
        if metric is not None and metric.raters is not None and metric.raters.role(key.role) is not None:
            ratings.setdefault(key.metric, []).append((key.role, column))
    scores: dict[str, FloatArray] = {}
    entries = {entry.kpi: entry for entry in card.entries}
    for metric_id, rated in ratings.items():
        raters = fw.metrics[metric_id].raters
        assert raters is not None
        combined = combine_arrays(raters, rated)
        some = np.zeros(len(combined), dtype=np.bool_)
        for _, column in rated:
            some |= ~np.isnan(column)
        own = columns.get(metric_id)
        columns[metric_id] = combined if own is None else np.where(some, np.where(np.isnan(own), combined, np.nan),
                                                                   own)
        entry = entries.get(metric_id)
        if entry is not None and raters.of == "scores" and entry.target is not None:
            target = entry.target
            with np.errstate(all="ignore"):
                each = [(role, np.where(np.isnan(column), np.nan,
                                        score_array(entry.method, np.where(np.isnan(column), 0.0, column), target,
                                                    entry.metric.direction).score))
                        for role, column in rated]
            scores[metric_id] = np.where(np.isnan(columns[metric_id]), np.nan,
                                         tidy_array(combine_arrays(raters, each)))
    return columns, scores
