"""The algebraic form of a vetted formula: a sum of its inputs, linear-fractional in one input, its degree.

Three questions about a formula are answered from its structure, never by evaluating it at sample points:

* :func:`linear_terms`: is the formula ``c₁·a + c₂·b + …`` with constant coefficients and no constant
  term (``gmv_self_operated + gmv_third_party``)? Such a metric adds up over months exactly when its
  inputs do, so a target of it can be decomposed into months and owners.
* :func:`fractional_form`: with every other input held at a value, is the formula
  ``(a·x + b) / (c·x + d)`` in the input ``x``? Linear formulas are the case ``c = 0``:
  ``(revenue - cost) / revenue`` is linear in ``cost`` and linear-fractional in ``revenue``. For these
  the input needed for a given formula value has a closed form (:meth:`Fractional.solve`).
* :func:`degree`: when each input is scaled by ``k`` to the power of its own degree, by which power of
  ``k`` does the formula's value scale? Over three months a sum triples (degree 1) and a rate does not
  (degree 0), so ``orders / visitors`` has degree 0, ``gmv - campaign_gmv`` degree 1, and ``gmv - 100``
  none: the scoring engine fits a target to the months scored by it
  (:mod:`ecomperf.scoring.growth`).

The formula is first vetted by :class:`~ecomperf.formula.Formula` (the caller passes one); its text is
then read with :func:`ast.parse`, which builds a tree and runs nothing. Anything outside ``+ - * /``,
unary minus, numbers and names (``min``, ``max``, ``abs``, ``round``, ``if``, comparisons, ``%``, a
product of two inputs …) has neither form, and the functions return ``None``: callers then fall back to a numerical
search on :meth:`Formula.evaluate`.

Example:
    >>> from ecomperf.formula import Formula
    >>> linear_terms(Formula.parse("gmv_self_operated + gmv_third_party"))
    {'gmv_self_operated': 1.0, 'gmv_third_party': 1.0}
    >>> form = fractional_form(Formula.parse("(revenue - cost) / revenue"), "revenue", {"cost": 60.0})
    >>> form.solve(0.4)  # (r - 60) / r = 0.4  ->  r = 60 / 0.6
    100.0
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import NamedTuple, TypeAlias

from ecomperf.formula import Formula

__all__ = ["Fractional", "degree", "fractional_form", "linear_terms"]

_LEADING_SPACE = " \t\f\r\n"  # what Formula strips before parsing, so offsets and trees agree

_Linear: TypeAlias = tuple[dict[str, float], float]  # coefficients by input, constant term
_Poly: TypeAlias = tuple[float, ...]  # coefficients, lowest degree first, no trailing zeros
_Rational: TypeAlias = tuple[_Poly, _Poly]  # numerator, denominator


def _tree(formula: Formula) -> ast.expr | None:
    """The formula's expression tree; ``None`` when Python cannot read it as it stands.

    ``if(…)`` is such a case (``if`` is a Python keyword, which :class:`Formula` works around); a formula
    with a condition has neither form anyway.
    """
    try:
        return ast.parse(formula.text.lstrip(_LEADING_SPACE), mode="eval").body
    except SyntaxError:
        return None


# --- linear combinations --------------------------------------------------------------------------


def linear_terms(formula: Formula) -> dict[str, float] | None:
    """The constant coefficient of each input when the formula is a linear combination of its inputs.

    Returns:
        ``{input: coefficient}`` when the formula is ``Σ cᵢ·inputᵢ`` with constant ``cᵢ`` and no constant
        term; ``None`` otherwise (a constant term, a division by an input, a function call …).

    Example:
        >>> linear_terms(Formula.parse("0.5 * (a + b) - c / 4"))
        {'a': 0.5, 'b': 0.5, 'c': -0.25}
        >>> linear_terms(Formula.parse("a / b")) is None
        True
    """
    tree = _tree(formula)
    found = None if tree is None else _linear(tree)
    if found is None or found[1] != 0 or not found[0]:
        return None
    return found[0]


def _linear(node: ast.expr) -> _Linear | None:
    match node:
        case ast.Constant(value=int() | float() as value) if not isinstance(value, bool):
            return {}, float(value)
        case ast.Name(id=name):
            return {name: 1.0}, 0.0
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return _linear(operand)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            inner = _linear(operand)
            return None if inner is None else _scale_linear(inner, -1.0)
        case ast.BinOp(left=left, op=ast.Add() | ast.Sub() as op, right=right):
            first, second = _linear(left), _linear(right)
            if first is None or second is None:
                return None
            sign = 1.0 if isinstance(op, ast.Add) else -1.0
            terms = dict(first[0])
            for name, coefficient in second[0].items():
                terms[name] = terms.get(name, 0.0) + sign * coefficient
            return terms, first[1] + sign * second[1]
        case ast.BinOp(left=left, op=ast.Mult(), right=right):
            first, second = _linear(left), _linear(right)
            if first is None or second is None:
                return None
            if not first[0]:
                return _scale_linear(second, first[1])
            if not second[0]:
                return _scale_linear(first, second[1])
            return None
        case ast.BinOp(left=left, op=ast.Div(), right=right):
            first, second = _linear(left), _linear(right)
            if first is None or second is None or second[0] or second[1] == 0:
                return None
            return _scale_linear(first, 1.0 / second[1])
    return None


def _scale_linear(form: _Linear, factor: float) -> _Linear:
    return {name: factor * c for name, c in form[0].items()}, factor * form[1]


# --- degree of homogeneity ------------------------------------------------------------------------


class _Zero:
    """The literal 0: it adds to an expression of any degree without changing it."""


_ZERO = _Zero()
_Degree: TypeAlias = int | _Zero | None


def degree(formula: Formula, degrees: Mapping[str, int]) -> int | None:
    """The degree ``d`` with ``f(k^dᵢ·xᵢ) = k^d·f(xᵢ)`` for every ``k > 0``, given each input's degree ``dᵢ``.

    Sums and differences need equal degrees (a nonzero constant has degree 0), products add degrees,
    quotients subtract them, ``min``, ``max`` and ``abs`` keep the common degree of their arguments;
    ``round`` and ``%`` keep only degree 0. Anything else (a condition, inputs of different degrees added
    together, an input not in ``degrees``) has no degree.

    Returns:
        The degree, or ``None`` when the formula is not homogeneous in its inputs.

    Example:
        >>> degree(Formula.parse("(revenue - cost) / revenue"), {"revenue": 1, "cost": 1})
        0
        >>> degree(Formula.parse("gmv - campaign_gmv"), {"gmv": 1, "campaign_gmv": 1})
        1
        >>> degree(Formula.parse("gmv - 100"), {"gmv": 1}) is None
        True
    """
    tree = _tree(formula)
    found = None if tree is None else _degree(tree, degrees)
    return 0 if isinstance(found, _Zero) else found


def _degree(node: ast.expr, degrees: Mapping[str, int]) -> _Degree:
    match node:
        case ast.Constant(value=int() | float() as value) if not isinstance(value, bool):
            return _ZERO if value == 0 else 0
        case ast.Name(id=name):
            return degrees.get(name)
        case ast.UnaryOp(op=ast.UAdd() | ast.USub(), operand=operand):
            return _degree(operand, degrees)
        case ast.BinOp(left=left, op=op, right=right):
            return _binary(op, _degree(left, degrees), _degree(right, degrees))
        case ast.Call(func=ast.Name(id="min" | "max" | "abs"), args=args) if args:
            return _common([_degree(arg, degrees) for arg in args])
        case ast.Call(func=ast.Name(id="round"), args=[arg, *_]):
            inner = _degree(arg, degrees)
            return inner if inner == 0 or isinstance(inner, _Zero) else None
    return None


def _binary(op: ast.operator, first: _Degree, second: _Degree) -> _Degree:
    if first is None or second is None:
        return None
    if isinstance(op, ast.Add | ast.Sub):
        return _common([first, second])
    if isinstance(op, ast.Mult):
        if isinstance(first, _Zero) or isinstance(second, _Zero):
            return _ZERO
        return first + second
    if isinstance(op, ast.Div):
        if isinstance(second, _Zero):
            return None  # division by 0: undefined
        return _ZERO if isinstance(first, _Zero) else first - second
    if isinstance(op, ast.Mod):
        return _common([first, second, 0])
    return None


def _common(found: list[_Degree]) -> _Degree:
    """The degree all of ``found`` share (the literal 0 fits any), or ``None``."""
    if any(item is None for item in found):
        return None
    real = {item for item in found if isinstance(item, int)}
    if not real:
        return _ZERO
    return real.pop() if len(real) == 1 else None


# --- linear-fractional in one input ---------------------------------------------------------------


class Fractional(NamedTuple):
    """``f(x) = (a·x + b) / (c·x + d)``: a formula as a function of one input, the others held.

    Attributes:
        a, b, c, d: the coefficients; ``c == 0`` means the formula is linear in ``x``.
    """

    a: float
    b: float
    c: float
    d: float

    @property
    def linear(self) -> bool:
        """Whether the formula is linear (affine) in the input."""
        return self.c == 0

    @property
    def increasing(self) -> bool | None:
        """Whether ``f`` rises with ``x`` (on each side of its pole); ``None`` when ``f`` is constant.

        The derivative is ``(a·d - b·c) / (c·x + d)²``, whose sign is that of ``a·d - b·c``.
        """
        slope = self.a * self.d - self.b * self.c
        return None if slope == 0 else slope > 0

    def pole(self) -> float | None:
        """The input at which the denominator is 0 (``None`` for a linear formula)."""
        return None if self.c == 0 else -self.d / self.c

    def evaluate(self, x: float) -> float | None:
        """``f(x)``, ``None`` at the pole."""
        denominator = self.c * x + self.d
        return None if denominator == 0 else (self.a * x + self.b) / denominator

    def solve(self, y: float) -> float | None:
        """The ``x`` with ``f(x) = y``: ``x = (y·d - b) / (a - y·c)``; ``None`` when no ``x`` gives ``y``.

        ``y = a / c`` is the value ``f`` approaches but never takes (its asymptote), and a constant ``f``
        takes only its own value.

        Example:
            >>> Fractional(1.0, -60.0, 1.0, 0.0).solve(0.4)  # (x - 60) / x = 0.4
            100.0
        """
        divisor = self.a - y * self.c
        if divisor == 0 or self.increasing is None:
            return None
        return (y * self.d - self.b) / divisor


def fractional_form(formula: Formula, name: str, values: Mapping[str, float]) -> Fractional | None:
    """The formula as ``(a·x + b) / (c·x + d)`` in the input ``name``, the other inputs held at ``values``.

    Args:
        formula: a vetted formula.
        name: the input that moves.
        values: the value of every other input the formula reads.

    Returns:
        The coefficients, or ``None`` when the formula has no such form in ``name`` (or a held input has
        no value, or a division by a held input that is 0).

    Example:
        >>> fractional_form(Formula.parse("orders / visitors"), "orders", {"visitors": 200.0})
        Fractional(a=0.005, b=0.0, c=0.0, d=1.0)
    """
    tree = _tree(formula)
    found = None if tree is None else _rational(tree, name, values)
    if found is None:
        return None
    numerator, denominator = _cancel(*found)
    if len(numerator) > 2 or len(denominator) > 2 or not denominator:
        return None
    a = numerator[1] if len(numerator) > 1 else 0.0
    b = numerator[0] if numerator else 0.0
    c = denominator[1] if len(denominator) > 1 else 0.0
    return Fractional(a, b, c, denominator[0])


def _rational(node: ast.expr, name: str, values: Mapping[str, float]) -> _Rational | None:
    match node:
        case ast.Constant(value=int() | float() as value) if not isinstance(value, bool):
            return _poly(float(value)), (1.0,)
        case ast.Name(id=found):
            if found == name:
                return (0.0, 1.0), (1.0,)
            held = values.get(found)
            return None if held is None else (_poly(float(held)), (1.0,))
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return _rational(operand, name, values)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            inner = _rational(operand, name, values)
            return None if inner is None else (_times(inner[0], (-1.0,)), inner[1])
        case ast.BinOp(left=left, op=op, right=right) if isinstance(op, ast.Add | ast.Sub | ast.Mult | ast.Div):
            first, second = _rational(left, name, values), _rational(right, name, values)
            if first is None or second is None:
                return None
            return _combine(op, first, second)
    return None


def _combine(op: ast.operator, first: _Rational, second: _Rational) -> _Rational | None:
    (p1, q1), (p2, q2) = first, second
    if isinstance(op, ast.Mult):
        return _times(p1, p2), _times(q1, q2)
    if isinstance(op, ast.Div):
        if not p2:
            return None  # division by a held 0: the formula is undefined, not linear-fractional
        return _times(p1, q2), _times(q1, p2)
    sign = (1.0,) if isinstance(op, ast.Add) else (-1.0,)
    if q1 == q2:
        return _plus(p1, _times(sign, p2)), q1
    return _plus(_times(p1, q2), _times(sign, _times(p2, q1))), _times(q1, q2)


def _poly(constant: float) -> _Poly:
    return () if constant == 0 else (constant,)


def _trim(coefficients: list[float]) -> _Poly:
    while coefficients and coefficients[-1] == 0:
        coefficients.pop()
    return tuple(coefficients)


def _plus(p: _Poly, q: _Poly) -> _Poly:
    size = max(len(p), len(q))
    return _trim([(p[i] if i < len(p) else 0.0) + (q[i] if i < len(q) else 0.0) for i in range(size)])


def _times(p: _Poly, q: _Poly) -> _Poly:
    if not p or not q:
        return ()
    product = [0.0] * (len(p) + len(q) - 1)
    for i, left in enumerate(p):
        for j, right in enumerate(q):
            product[i + j] += left * right
    return _trim(product)


def _cancel(numerator: _Poly, denominator: _Poly) -> _Rational:
    """Divide out common factors of ``x`` and a constant denominator."""
    while numerator and denominator and numerator[0] == 0 and denominator[0] == 0:
        numerator, denominator = numerator[1:], denominator[1:]
    if len(denominator) == 1 and denominator[0] != 1:
        scale = denominator[0]
        numerator, denominator = tuple(c / scale for c in numerator), (1.0,)
    return numerator, denominator
