"""Exceptions raised by ecomperf: the whole tree, in one place.

Every exception ecomperf raises on bad input or bad use derives from one base, so that
``except ecomperf.EcomperfError`` catches them all. Where callers already rely on a built-in base
(``ValueError``, ``KeyError``, ``TypeError``), the class keeps it as a second base::

    EcomperfError                     base of everything ecomperf raises on purpose
     ├── FrameworkError               a framework failed to load; ``.problems`` lists every problem found
     ├── ScoringError                 actuals could not be scored (missing or undefined metrics, unknown
     │    │                           position/stage/period/context); ``.problems`` lists the reasons
     │    ├── ActualError (ValueError)        one actual value is not a usable number
     │    ├── ReviewError (ValueError)        cards cannot be reviewed (PIP, distribution)
     │    └── RowsTypeError (TypeError)       rows given to ``score_many`` are not mappings
     ├── UnknownNameError (KeyError)  a position (or other id) asked for by name does not exist
     ├── InputError (ValueError)      a value given to a parser is not in an accepted form
     │    ├── QuantityError           not a number or a number with a known suffix
     │    ├── TargetError             not a target ecomperf understands
     │    ├── PeriodError             not a period id, or an impossible period operation
     │    └── FormulaError            a formula outside the whitelist (code EP211, with an offset)
     ├── FormulaInputError            a formula was evaluated with inputs it cannot use
     │    ├── MissingInput (KeyError)         a metric the formula reads has no value
     │    └── InputTypeError (TypeError)      a value is not a number (or arrays cannot be combined)
     ├── ActualsIOError               an actuals file cannot be read or results cannot be written
     │    └── OutputError (OSError)   an output file cannot be written (folder, permission, disk)
     ├── RevisionError                a framework cannot be read at a git revision (no git, not a
     │                                repository, no such revision or nothing under the path)
     ├── RenderError                  a document could not be rendered (template error, bad locale or
     │                                format, missing docx extra)
     └── HistoryError                 the history store refused or could not do something (a card already
                                      recorded, a database made by a newer ecomperf, an unreachable server);
                                      ``.reasons`` lists every reason

``.problems`` is a tuple of :class:`~ecomperf.problems.Problem` everywhere it exists. ``str(FrameworkError)``
prints one ``path:line:col: CODE message`` line per problem, so the exception alone tells a user where to
look; ``str(ScoringError)`` prints its message and one ``  - reason`` line per problem. Messages show the
values a user gave through :func:`short_repr`, which cuts them to a readable length and never fails, not
even on a 5,000-digit integer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Final

from ecomperf.problems import Problem

__all__ = [
    "SCORING_CODES",
    "ActualError",
    "ActualsIOError",
    "EcomperfError",
    "FormulaError",
    "FormulaInputError",
    "FrameworkError",
    "HistoryError",
    "InputError",
    "InputTypeError",
    "MissingInput",
    "OutputError",
    "PeriodError",
    "QuantityError",
    "RenderError",
    "ReviewError",
    "RevisionError",
    "RowsTypeError",
    "ScoringError",
    "TargetError",
    "UnknownNameError",
    "short_repr",
]

SCORING_CODES: Final = {
    "ES101": "a KPI has no actual for the period",
    "ES102": "a formula metric is undefined (its inputs divide by zero, or one is missing)",
    "ES103": "an actual is not a usable number",
    "ES104": "the context names an unknown dimension or value",
    "ES105": "a name is not a declared metric",
    "ES106": "actuals are keyed by something that is not a period id",
    "ES107": "a target written for one length of period cannot be fitted to the months its KPI is scored over",
}
"""Codes of the problems a :class:`ScoringError` carries, each with what it means."""


class EcomperfError(Exception):
    """Base class of every exception ecomperf raises on purpose."""


class FrameworkError(EcomperfError):
    """A framework (folder or file) could not be loaded.

    Attributes:
        problems: every problem found, errors and warnings, in file order.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._describe())

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Only the problems whose severity is ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")

    def _describe(self) -> str:
        errors = self.errors
        head = f"framework has {len(errors)} error(s)"
        return "\n".join([head, *(p.format() for p in self.problems)])


class ScoringError(EcomperfError):
    """Actuals could not be turned into a scorecard.

    Attributes:
        problems: one :class:`~ecomperf.problems.Problem` per missing or undefined metric or bad input;
            codes are the keys of :data:`SCORING_CODES`.
        missing: metric ids that had no actual (empty when the failure is of another kind).
    """

    def __init__(self, message: str, *, problems: Sequence[Problem] = (), missing: Sequence[str] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.missing: tuple[str, ...] = tuple(missing)
        text = message
        if self.problems:
            text += "\n" + "\n".join(f"  - {p.message}" for p in self.problems)
        super().__init__(text)


class ActualError(ScoringError, ValueError):
    """An actual value is not a usable number (NaN, infinite, boolean, empty or unparsable text).

    Attributes:
        metric: the metric id the value was given for.
        value: the value as given.
    """

    def __init__(self, metric: str, value: object, reason: str) -> None:
        self.metric = metric
        self.value = value
        super().__init__(f"actual for {short_repr(metric)} is {short_repr(value)}: {reason}")


class ReviewError(ScoringError, ValueError):
    """Cards cannot be reviewed: a grade off the scale, a card without employee, two cards for one period."""


class RowsTypeError(ScoringError, TypeError):
    """Rows given to ``score_many`` (or another batch call) are not mappings: a list of lists, a string.

    A mistake of the caller, not of one row, so the batch does not start; the message names the first row
    that is not a mapping and shows the form expected.
    """


class UnknownNameError(EcomperfError, KeyError):
    """An id asked for by name (a position, a stage) is not declared; the message suggests the closest."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class InputError(EcomperfError, ValueError):
    """A value given to one of ecomperf's parsers is not in a form it accepts; the message shows valid forms."""


class QuantityError(InputError):
    """A value is not a number or a number with a known suffix."""


class TargetError(InputError):
    """A target is not in a form ecomperf understands; the message shows valid examples."""


class PeriodError(InputError):
    """A text is not a period id, a pattern can match no period, or a period operation is impossible."""


class FormulaError(InputError):
    """A formula uses syntax outside the whitelist, or is not a valid expression at all.

    Attributes:
        message: What was found and what is allowed instead.
        offset: 0-based character offset into ``text`` where the problem is (for a one-line formula,
            add it to the column where the formula starts to point an editor at the problem).
        code: Always ``"EP211"``.
        text: The formula text as given.
    """

    code: str = "EP211"

    def __init__(self, message: str, offset: int, text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.text = text

    def __reduce__(self) -> tuple[type[FormulaError], tuple[str, int, str]]:
        return (type(self), (self.message, self.offset, self.text))


class FormulaInputError(EcomperfError):
    """A formula was evaluated with inputs it cannot use."""


class MissingInput(FormulaInputError, KeyError):
    """A formula needs a metric value that the mapping passed to ``evaluate`` does not hold.

    Attributes:
        name: The missing metric name.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"no value for metric {self.name!r}, which the formula reads"


class InputTypeError(FormulaInputError, TypeError):
    """A value given to a formula is not a number, or arrays of shapes that cannot be combined."""


class ActualsIOError(EcomperfError):
    """An actuals file cannot be read, or results cannot be written in the format asked for.

    The message names the file and, where it helps, the line and how to fix it.
    """


class OutputError(ActualsIOError, OSError):
    """An output file (results, documents, the schema) cannot be written: the message names the path and why.

    It is also an ``OSError``, which is what callers of a plain write expect.
    """


class RevisionError(EcomperfError):
    """A framework cannot be read at a git revision: git is missing, the folder is not in a repository, the
    revision is not a commit, or there are no YAML files under the path at that revision."""


class RenderError(EcomperfError):
    """A document could not be rendered (template syntax or runtime error, unknown locale or format)."""


class HistoryError(EcomperfError):
    """The history store (:class:`ecomperf.History`) refused an operation or could not carry it out.

    Nothing is half-done when it is raised: a recording that fails records nothing.

    Attributes:
        reasons: one line per reason, e.g. one per card that is already recorded.
    """

    def __init__(self, message: str, *, reasons: Sequence[str] = ()) -> None:
        self.reasons: tuple[str, ...] = tuple(reasons)
        text = message if not self.reasons else message + "\n" + "\n".join(f"  - {r}" for r in self.reasons)
        super().__init__(text)


def short_repr(value: object, limit: int = 40) -> str:
    """``repr(value)`` cut to about ``limit`` characters, safe for any size (even a 5,000-digit integer).

    Every message that shows a value the user gave uses it, so that no message is megabytes long and none
    fails: Python refuses to turn an integer of more than 4,300 digits into text.

    >>> short_repr("9" * 5000)
    "'9999999999999999999999999999999999999…' (5,000 characters)"
    >>> short_repr(10**5000)
    'an integer of about 5,001 digits'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    if isinstance(value, str) and len(value) > limit:
        return repr(value[: limit - 3]).rstrip("'") + f"…' ({len(value):,} characters)"
    try:
        text = repr(value)
    except ValueError:  # a container holding an integer too long to convert
        return f"a {type(value).__name__} holding a number too large to show"
    return text if len(text) <= limit else text[: limit - 1] + "…"
