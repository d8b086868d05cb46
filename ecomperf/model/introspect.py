"""Reading field annotations of the models (for "did you mean" field lists and the locale check)."""

from __future__ import annotations

import types
import typing
from typing import Any

__all__ = ["union_members"]


def union_members(annotation: Any) -> list[Any]:
    """The plain types an annotation allows: ``Annotated`` unwrapped, unions (``X | None``) flattened.

    >>> union_members(typing.Annotated[int | None, "meta"])
    [<class 'int'>, <class 'NoneType'>]
    """
    if annotation is None:
        return []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return union_members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(annotation) for leaf in union_members(arg)]
    return [annotation]
