"""How a message tells the user to pass an option: one message, spelled for whoever is calling.

Messages that name a remedy ("give the actuals, or pass missing='renormalize'") are written once, with
:func:`option`. From Python the option reads as a keyword argument, ``missing='renormalize'``; the
``ecomperf`` command runs its work inside :func:`spelled_for` ``("cli")``, so the same message reads
``--missing renormalize``. The spelling is a context variable: it follows the code that runs inside the
``with`` block (threads and asyncio tasks keep their own) and nothing else.

Example:
    >>> option("missing", "renormalize")
    "missing='renormalize'"
    >>> with spelled_for("cli"):
    ...     option("missing", "renormalize"), option("keep_duplicates", "first"), option("strict")
    ('--missing renormalize', '--keep-duplicates first', '--strict')
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final, Literal, TypeAlias

__all__ = ["Spelling", "option", "spelled_for", "spelling"]

Spelling: TypeAlias = Literal["python", "cli"]
"""Who reads the message: a Python caller (keyword arguments) or a command-line user (flags)."""

_SPELLING: Final[ContextVar[Spelling]] = ContextVar("ecomperf_spelling", default="python")


def spelling() -> Spelling:
    """The spelling messages use here: ``"python"`` unless inside :func:`spelled_for`."""
    return _SPELLING.get()


@contextmanager
def spelled_for(who: Spelling) -> Iterator[None]:
    """Spell options in messages for ``who`` while the block runs.

    Example:
        >>> with spelled_for("cli"):
        ...     option("stage")
        '--stage'
    """
    token = _SPELLING.set(who)
    try:
        yield
    finally:
        _SPELLING.reset(token)


def option(name: str, value: str | bool | None = None) -> str:
    """Option ``name`` (a Python keyword, ``keep_duplicates``) with ``value``, spelled for the caller.

    Args:
        name: the keyword argument's name; the command-line flag is the same with ``-`` for ``_``.
        value: the value to pass; ``None`` names the option alone, ``True`` a flag that takes no value.

    Example:
        >>> option("period", "2026-Q4"), option("strict", True)
        ("period='2026-Q4'", 'strict=True')
    """
    if _SPELLING.get() == "cli":
        flag = "--" + name.replace("_", "-")
        return flag if value is None or value is True else f"{flag} {value}"
    if value is None:
        return name
    return f"{name}={value!r}"
