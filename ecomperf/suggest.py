""""Did you mean": the one place that picks the closest known name for an unknown one.

Example:
    >>> did_you_mean("gmvv", ["gmv", "cost"])
    "; did you mean 'gmv'?"
    >>> did_you_mean("xyz", ["gmv", "cost"])
    '; known: cost, gmv'
    >>> did_you_mean("xyz", ["gmv", "cost"], list_known=False)
    ''
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

__all__ = ["closest", "did_you_mean"]

DEFAULT_CUTOFF = 0.6


def closest(
    name: str, known: Iterable[str], *, cutoff: float = DEFAULT_CUTOFF, ignore_case: bool = False
) -> str | None:
    """The known name closest to ``name`` (``difflib`` ratio at least ``cutoff``), or ``None``.

    With ``ignore_case`` the comparison is made in lower case and the known name is returned as spelled.
    """
    options = sorted(set(known))
    if ignore_case:
        lowered = {option.lower(): option for option in options}
        found = get_close_matches(name.lower(), list(lowered), n=1, cutoff=cutoff)
        return lowered[found[0]] if found else None
    found = get_close_matches(name, options, n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(
    name: str,
    known: Iterable[str],
    *,
    list_known: bool = True,
    cutoff: float = DEFAULT_CUTOFF,
    sort_known: bool = True,
) -> str:
    """A suffix for a message about an unknown name.

    Returns ``"; did you mean 'x'?"`` for the closest known name; otherwise ``"; known: a, b"`` (sorted, or
    in the order given when not ``sort_known``) when ``list_known``, else an empty string.
    """
    options = sorted(set(known)) if sort_known else list(dict.fromkeys(known))
    found = closest(name, options, cutoff=cutoff)
    if found is not None:
        return f"; did you mean {found!r}?"
    if not list_known:
        return ""
    return f"; known: {', '.join(options) or 'none'}"
