"""Exceptions raised by ecomperf.

Every exception derives from one base so that ``except ecomperf.EcomperfError`` catches them all::

    EcomperfError                 base of everything ecomperf raises on purpose
     ├── FrameworkError           a framework failed to load; ``.problems`` lists every problem found
     ├── ScoringError             actuals could not be scored (missing or undefined metrics, unknown
     │                            position/stage/period); ``.problems`` lists the reasons
     └── RenderError              a document could not be rendered (template error, bad locale, missing docx extra)

``str(FrameworkError)`` prints one ``path:line:col: CODE message`` line per problem, so the exception
alone tells a user where to look.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ecomperf.problems import Problem

__all__ = ["EcomperfError", "FrameworkError", "RenderError", "ScoringError"]


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
        problems: human-readable reasons, one per missing/undefined metric or bad input.
        missing: metric ids that had no actual (empty when the failure is of another kind).
    """

    def __init__(self, message: str, *, problems: Sequence[str] = (), missing: Sequence[str] = ()) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.missing: tuple[str, ...] = tuple(missing)
        text = message if not self.problems else message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(text)


class RenderError(EcomperfError):
    """A document could not be rendered (template syntax or runtime error, unknown locale or format)."""
