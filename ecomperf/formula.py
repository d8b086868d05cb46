"""Safe metric formulas: parse once, list the metric names, evaluate on scalars or numpy arrays.

A metric formula such as ``(revenue - cost) / revenue`` comes from a YAML file that anyone may have
edited, so it is never handed to ``eval``. It is parsed with ``ast.parse(text, mode="eval")`` and
every node is checked against a whitelist:

* numbers (``int`` or ``float`` literals; not ``True``/``False``, complex numbers or strings);
* metric names, lowercase ASCII snake_case (``[a-z][a-z0-9_]*``);
* ``+ - * / %``, unary ``-`` and ``+``, and parentheses;
* calls of ``min(a, b, ...)`` and ``max(a, b, ...)`` (at least two arguments), ``abs(x)``, and
  ``round(x)`` or ``round(x, n)`` with ``n`` a whole-number literal between -15 and 15.

Everything else is refused with a :class:`FormulaError` (code ``EP211``) that names what was found,
lists what is allowed and gives the character offset of the problem: power (``**``), attribute access
(so no ``__import__('os').system``), indexing, comprehensions, ``lambda``, conditional expressions,
comparisons, ``and``/``or``, keyword arguments, strings and f-strings, ``:=``. Formulas are capped at
:data:`MAX_LENGTH` characters and :data:`MAX_NODES` expression nodes.

Why a whitelist of our own rather than a library: ``simpleeval`` and ``asteval`` run a much larger
language and both have had sandbox escapes; the whitelist above is small enough to audit in one
sitting. The vetted tree is turned into nested closures once, at parse time, so no user text is
ever passed to ``eval``, ``exec`` or ``compile``; a scalar evaluation costs about 0.3 µs
(``benchmarks/bench_formula.py``).

Undefined results. Division or modulo by zero anywhere in the formula, a non-finite input, or an
intermediate value that overflows to infinity makes the result *undefined*: :meth:`Formula.evaluate`
returns ``None`` and :meth:`Formula.evaluate_array` puts NaN at exactly those positions (without any
numpy warning). A value is never silently ``inf``.

Rounding. ``round`` rounds half to even (banker's rounding: ``round(2.5) == 2``), like both Python
and numpy. With digits, ``round(x, n)`` rounds ``x * 10**n`` half to even and divides back, which is
the algorithm of ``numpy.round``; the scalar path uses the same algorithm so that scalar and array
results agree bit for bit. Python's own ``round(x, n)`` rounds the exact binary value instead, so it
differs in the last digit for a few inputs: ``round(2.675, 2)`` is 2.67 in Python (2.675 is stored as
2.67499999...) but 2.68 here and in numpy (``2.675 * 100`` is exactly 267.5).

Example:
    >>> f = Formula.parse("(revenue - cost) / revenue")
    >>> f.names
    ('revenue', 'cost')
    >>> f.evaluate({"revenue": 200.0, "cost": 150.0})
    0.25
    >>> f.evaluate({"revenue": 0.0, "cost": 150.0}) is None
    True
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import itemgetter
from typing import Any, Final, SupportsFloat, TypeAlias

import numpy as np
import numpy.typing as npt

from ecomperf.errors import FormulaError, InputError, InputTypeError, MissingInput

__all__ = ["MAX_LENGTH", "MAX_NODES", "FloatArray", "Formula", "FormulaError", "MissingInput"]

MAX_LENGTH: Final = 500
"""Longest formula accepted, in characters."""

MAX_NODES: Final = 200
"""Most expression nodes (numbers, names, operators, calls) a formula may contain."""

_CODE: Final = "EP211"
_ALLOWED: Final = "allowed: numbers, metric names, + - * / %, parentheses, min() max() abs() round()"
_FUNCTIONS: Final = frozenset({"min", "max", "abs", "round"})
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_LEADING_SPACE: Final = " \t\f\r\n"
_ROUND_DIGITS: Final = 15

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""The array type :meth:`Formula.evaluate_array` returns."""


class _Undefined(ArithmeticError):
    """Raised inside a scalar evaluation whose result is undefined; never escapes this module."""


# --- the vetted expression tree -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Num:
    value: float


@dataclass(frozen=True, slots=True)
class _Ref:
    name: str


@dataclass(frozen=True, slots=True)
class _BinOp:
    symbol: str
    left: _Expr
    right: _Expr


@dataclass(frozen=True, slots=True)
class _Neg:
    operand: _Expr


@dataclass(frozen=True, slots=True)
class _Call:
    function: str
    args: tuple[_Expr, ...]
    ndigits: int | None = None


_Expr: TypeAlias = _Num | _Ref | _BinOp | _Neg | _Call


def _may_be_nonfinite(expr: _Expr) -> bool:
    """Whether ``expr`` can yield ±inf or NaN although every input is finite.

    Non-finite values stay non-finite through ``+ - *``, negation and ``abs``, so they are only checked
    where an operation could hide them (a divisor, the arguments of ``min``/``max``) and at the root.
    Inputs are checked on entry, so a bare name is always finite.
    """
    match expr:
        case _Num() | _Ref():
            return False
        case _BinOp(symbol="%", left=left):
            return _may_be_nonfinite(left)
        case _BinOp():
            return True  # + - * / can overflow
        case _Neg(operand=operand):
            return _may_be_nonfinite(operand)
        case _Call(function="min" | "max"):
            return False
        case _Call(function="round", ndigits=int(ndigits)) if ndigits < 0:
            return True  # rounding up to a multiple of 10**-n can overflow near the float maximum
        case _Call(args=(arg, *_)):
            return _may_be_nonfinite(arg)
    raise AssertionError(expr)  # pragma: no cover - the match above is exhaustive


# --- parsing and vetting --------------------------------------------------------------------------

_BINOP_SYMBOLS: Final[dict[type[ast.operator], str]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Mod: "%",
}
_REFUSED_BINOPS: Final[dict[type[ast.operator], str]] = {
    ast.Pow: "'**' (power)",
    ast.FloorDiv: "'//' (floor division)",
    ast.MatMult: "'@' (matrix multiplication)",
    ast.LShift: "'<<' (bit shift)",
    ast.RShift: "'>>' (bit shift)",
    ast.BitOr: "'|' (bitwise or)",
    ast.BitXor: "'^' (bitwise xor)",
    ast.BitAnd: "'&' (bitwise and)",
}
_REFUSED_UNARY: Final[dict[type[ast.unaryop], str]] = {
    ast.Invert: "'~' (bitwise not)",
    ast.Not: "'not' (boolean not)",
}
_REFUSED_COMPARISONS: Final[dict[type[ast.cmpop], str]] = {
    ast.Eq: "'=='",
    ast.NotEq: "'!='",
    ast.Lt: "'<'",
    ast.LtE: "'<='",
    ast.Gt: "'>'",
    ast.GtE: "'>='",
    ast.Is: "'is'",
    ast.IsNot: "'is not'",
    ast.In: "'in'",
    ast.NotIn: "'not in'",
}
_REFUSED_NODES: Final[dict[type[ast.expr], str]] = {
    ast.Lambda: "'lambda' (function definition)",
    ast.IfExp: "'if ... else' (conditional expression)",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.List: "a list '[...]'",
    ast.Tuple: "a tuple (values separated by commas outside a function call)",
    ast.Set: "a set '{...}'",
    ast.Dict: "a dict '{...}'",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: "':=' (assignment expression)",
    ast.Starred: "'*' unpacking",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield from'",
    ast.Subscript: "indexing '[...]'",
    ast.Slice: "a slice",
}


class _Source:
    """Maps ``ast`` positions (line numbers and UTF-8 byte columns) to character offsets in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        # ``ast.parse`` refuses leading whitespace ("unexpected indent"); ``eval`` would accept it.
        self.body = text.lstrip(_LEADING_SPACE)
        self.prefix = len(text) - len(self.body)
        self._starts = [0, *(m.end() for m in _NEWLINE.finditer(self.body))]

    def _line(self, lineno: int) -> tuple[int, str]:
        index = min(max(lineno, 1), len(self._starts)) - 1
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.body)
        return start, self.body[start:end]

    def at_bytes(self, lineno: int, col: int) -> int:
        start, line = self._line(lineno)
        return self.prefix + start + len(line.encode()[:col].decode("utf-8", "ignore"))

    def at_chars(self, lineno: int, col: int) -> int:
        start, _ = self._line(lineno)
        return min(self.prefix + start + col, len(self.text))

    def start(self, node: ast.AST) -> int:
        return self.at_bytes(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))

    def end(self, node: ast.AST) -> int:
        lineno: int | None = getattr(node, "end_lineno", None)
        col: int | None = getattr(node, "end_col_offset", None)
        return self.at_bytes(lineno, col) if lineno is not None and col is not None else self.start(node)

    def segment(self, node: ast.AST, limit: int | None = 40) -> str:
        found = self.text[self.start(node) : self.end(node)]
        return found if limit is None or len(found) <= limit else found[: limit - 3] + "..."

    def between(self, before: ast.AST, after: ast.AST | None = None) -> int:
        """Offset of the first token after ``before`` (and before ``after`` when given).

        This finds the operator joining two operands, or the '.', '[' or '(' that follows a value,
        skipping the closing parentheses, spaces and comments in between.
        """
        position = self.end(before)
        stop = self.start(after) if after is not None else len(self.text)
        while position < stop:
            char = self.text[position]
            if char == "#":
                while position < stop and self.text[position] not in "\r\n":
                    position += 1
            elif char.isspace() or char in ")\\":
                position += 1
            else:
                return position
        return self.end(before)


class _Parser:
    """Vets one formula's ``ast`` and turns it into the small ``_Expr`` tree."""

    def __init__(self, text: str) -> None:
        self.source = _Source(text)
        self.names: dict[str, None] = {}  # insertion-ordered set

    def error(self, message: str, offset: int) -> FormulaError:
        return FormulaError(message, max(0, min(offset, len(self.source.text))), self.source.text)

    def parse(self) -> _Expr:
        text = self.source.text
        if not text.strip():
            raise self.error("formula is empty; write an expression such as (revenue - cost) / revenue", 0)
        if len(text) > MAX_LENGTH:
            raise self.error(
                f"formula is {len(text)} characters long; the limit is {MAX_LENGTH}: "
                "split it into intermediate metrics",
                MAX_LENGTH,
            )
        try:
            tree = ast.parse(self.source.body, mode="eval")
        except SyntaxError as exc:
            raise self.syntax_error(exc) from None
        except (ValueError, RecursionError, MemoryError) as exc:
            raise self.error(f"formula is not a valid expression: {exc}", 0) from None
        count = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
        if count > MAX_NODES:
            raise self.error(
                f"formula has {count} parts (numbers, names, operators, calls); the limit is {MAX_NODES}: "
                "split it into intermediate metrics",
                0,
            )
        problems = self.problems(tree)
        if problems:
            offset, message = min(problems, key=lambda problem: problem[0])
            raise self.error(message, offset)
        return self.build(tree.body)

    def syntax_error(self, exc: SyntaxError) -> FormulaError:
        text = self.source.text
        if "\0" in text:  # refused before parsing starts, with no position
            offset = text.index("\0")
        elif exc.lineno is None or not exc.offset:
            offset = len(text)  # the parser reports "end of input" as offset 0
        else:
            offset = self.source.at_chars(exc.lineno, exc.offset - 1)
        return self.error(f"formula is not a valid expression: {exc.msg}; {_ALLOWED}", offset)

    def problems(self, tree: ast.Expression) -> list[tuple[int, str]]:
        """Every refused construct with its offset; the earliest one in the text is reported."""
        called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        found: list[tuple[int, str]] = []
        for node in ast.walk(tree):
            problem = self.check(node, called)
            if problem is not None:
                found.append(problem)
        return found

    def check(self, node: ast.AST, called: set[int]) -> tuple[int, str] | None:
        """The offset and message of what is wrong with ``node`` itself, if anything."""
        source = self.source
        match node:
            case ast.Constant(value=value):
                return self.check_constant(node, value)
            case ast.Name(id=name):
                return None if id(node) in called else self.check_name(node, name)
            case ast.Call():
                return self.check_call(node)
            case ast.BinOp(left=left, op=op, right=right) if type(op) not in _BINOP_SYMBOLS:
                return source.between(left, right), _refused(_REFUSED_BINOPS.get(type(op), "this operator"))
            case ast.UnaryOp(op=ast.Invert() | ast.Not() as op):
                return source.start(node), _refused(_REFUSED_UNARY[type(op)])
            case ast.BoolOp(op=op, values=[first, second, *_]):
                return source.between(first, second), _refused("'and'" if isinstance(op, ast.And) else "'or'")
            case ast.Compare(left=left, ops=[op, *_], comparators=[right, *_]):
                what = _REFUSED_COMPARISONS.get(type(op), "this")
                return source.between(left, right), _refused(f"{what} (comparison)")
            case ast.IfExp(body=body, test=test):
                return source.between(body, test), _refused(_REFUSED_NODES[ast.IfExp])
            case ast.Attribute(value=value, attr=attr):
                return source.between(value), _refused(f"attribute access '.{attr}'")
            case ast.Subscript(value=value):
                return source.between(value), _refused(_REFUSED_NODES[ast.Subscript])
            case ast.BinOp() | ast.UnaryOp() | ast.FormattedValue():
                return None
            case ast.expr():
                what = _REFUSED_NODES.get(type(node), repr(source.segment(node)))
                return source.start(node), _refused(what)
        return None  # operators, contexts, keywords and comprehension clauses are judged by their parent

    def check_constant(self, node: ast.Constant, value: object) -> tuple[int, str] | None:
        offset, shown = self.source.start(node), self.source.segment(node)
        if isinstance(value, bool):
            return offset, _refused(f"'{shown}' (a boolean)")
        if value is None or value is Ellipsis:
            return offset, _refused(f"'{shown}'")
        if isinstance(value, str | bytes):
            return offset, (
                f"text in quotes ({shown}) is not allowed in formulas; write metric names without quotes; {_ALLOWED}"
            )
        if isinstance(value, complex):
            return offset, _refused(f"complex number '{shown}'")
        if isinstance(value, int | float):
            try:
                finite = math.isfinite(float(value))
            except OverflowError:
                finite = False
            return None if finite else (offset, f"number '{shown}' is too large for a formula")
        return offset, _refused(f"'{shown}'")  # pragma: no cover

    def check_name(self, node: ast.Name, name: str) -> tuple[int, str] | None:
        offset, shown = self.source.start(node), self.source.segment(node)
        if name in _FUNCTIONS:
            return offset, f"'{name}' is a function: call it with arguments, e.g. {name}(a, b)"
        # The parser NFKC-normalises identifiers, so a full-width 'ｒevenue' arrives as 'revenue'.
        if not _NAME.fullmatch(name) or self.source.segment(node, limit=None) != name:
            return offset, (
                f"'{shown}' is not a valid metric name; metric names are lowercase ASCII snake_case "
                "such as gross_margin"
            )
        return None

    def check_call(self, node: ast.Call) -> tuple[int, str] | None:
        source = self.source
        offset = source.start(node)
        if not isinstance(node.func, ast.Name):
            # Whatever is being called (an attribute, another call's result...) is refused there or
            # here, at the '(', whichever comes first in the text.
            return source.between(node.func), (
                f"calling '{source.segment(node.func)}' is not allowed; allowed functions: min() max() abs() round()"
            )
        if node.func.id not in _FUNCTIONS:
            return offset, (
                f"'{source.segment(node.func)}()' is not an allowed function; "
                "allowed functions: min() max() abs() round()"
            )
        name = node.func.id
        if node.keywords:
            keyword = node.keywords[0]
            shown = f"'{keyword.arg}='" if keyword.arg else "'**' unpacking"
            return source.start(keyword), (
                f"keyword argument {shown} is not allowed in formulas; pass arguments by position, e.g. round(x, 2)"
            )
        count = len(node.args)
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            return None  # reported at the '*' itself
        if name in {"min", "max"} and count < 2:
            return offset, f"{name}() takes at least 2 arguments, got {count}: write {name}(a, b)"
        if name == "abs" and count != 1:
            return offset, f"abs() takes exactly 1 argument, got {count}"
        if name == "round":
            if count not in {1, 2}:
                return offset, f"round() takes 1 or 2 arguments, got {count}"
            if count == 2 and _literal_int(node.args[1]) is None:
                return source.start(node.args[1]), (
                    f"the second argument of round() must be a whole number from -{_ROUND_DIGITS} to "
                    f"{_ROUND_DIGITS}, such as round(x, 2); got '{source.segment(node.args[1])}'"
                )
        return None

    def build(self, node: ast.expr) -> _Expr:
        """Turn a vetted node into an ``_Expr``, recording metric names in order of appearance."""
        match node:
            case ast.Constant(value=int() | float() as value):
                return _Num(float(value))
            case ast.Name(id=name):
                self.names.setdefault(name)
                return _Ref(name)
            case ast.UnaryOp(op=ast.UAdd(), operand=operand):
                return self.build(operand)
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                inner = self.build(operand)
                return _Num(-inner.value) if isinstance(inner, _Num) else _Neg(inner)
            case ast.BinOp(left=left, op=op, right=right):
                return _BinOp(_BINOP_SYMBOLS[type(op)], self.build(left), self.build(right))
            case ast.Call(func=ast.Name(id="round"), args=[arg, digits]):
                return _Call("round", (self.build(arg),), _literal_int(digits))
            case ast.Call(func=ast.Name(id=function), args=args):
                return _Call(function, tuple(self.build(arg) for arg in args))
        raise AssertionError(ast.dump(node))  # pragma: no cover - vetted by check()


def _refused(what: str) -> str:
    return f"{what} is not allowed in formulas; {_ALLOWED}"


def _literal_int(node: ast.expr) -> int | None:
    """The value of a literal such as ``2`` or ``-1`` when it is a whole number within ±15."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int and abs(node.value) <= _ROUND_DIGITS:
        return sign * node.value
    return None


# --- scalar evaluation ----------------------------------------------------------------------------
# Each closure takes the caller's mapping and returns a float, or raises ArithmeticError/ValueError
# when the result is undefined (ZeroDivisionError from ``/`` and ``%``, _Undefined from the checks,
# OverflowError/ValueError from ``round`` of inf/NaN).

_ScalarFn: TypeAlias = Callable[[Mapping[str, float]], float]


def _to_float(name: str, value: object) -> float:
    """Coerce one input to ``float``: ints, numpy scalars, Decimals; refuse bools, text and arrays."""
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:
            return math.inf
    if isinstance(value, bool | np.bool_ | str | bytes) or not isinstance(value, SupportsFloat):
        raise InputTypeError(f"value for {name!r} must be a number, got {type(value).__name__}")
    if isinstance(value, np.ndarray) and value.ndim:
        raise InputTypeError(f"value for {name!r} is an array; use Formula.evaluate_array for arrays")
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _scalar_ref(name: str) -> _ScalarFn:
    def ref(values: Mapping[str, float]) -> float:
        try:
            value = values[name]
        except KeyError:
            raise MissingInput(name) from None
        if type(value) is not float:
            value = _to_float(name, value)
        if value - value != 0.0:  # NaN or ±inf: x - x is 0.0 only for finite x
            raise _Undefined(name)
        return value

    return ref


def _scalar_finite(function: _ScalarFn) -> _ScalarFn:
    def finite(values: Mapping[str, float]) -> float:
        value = function(values)
        if value - value != 0.0:
            raise _Undefined
        return value

    return finite


_SCALAR_BINARY: Final[dict[str, Callable[[_ScalarFn, _ScalarFn], _ScalarFn]]] = {
    "+": lambda f, g: lambda v: f(v) + g(v),
    "-": lambda f, g: lambda v: f(v) - g(v),
    "*": lambda f, g: lambda v: f(v) * g(v),
    "/": lambda f, g: lambda v: f(v) / g(v),
    "%": lambda f, g: lambda v: f(v) % g(v),
}


def _scalar_round(arg: _ScalarFn, ndigits: int | None) -> _ScalarFn:
    if ndigits is None:
        return lambda v: float(round(arg(v)))
    scale = 10.0 ** abs(ndigits)
    if ndigits < 0:
        return lambda v: round(arg(v) / scale) * scale

    def round_to(values: Mapping[str, float]) -> float:
        value = arg(values)
        scaled = value * scale
        if scaled - scaled != 0.0:  # so large that it has no digits after the point to round
            return value
        return round(scaled) / scale

    return round_to


def _compile_scalar(expr: _Expr, finite: bool = False) -> _ScalarFn:
    """Closure computing ``expr``; with ``finite`` it also raises when the value is not finite."""
    if finite and _may_be_nonfinite(expr):
        return _scalar_finite(_compile_scalar(expr))
    match expr:
        case _Num(value=value):
            return lambda v: value
        case _Ref(name=name):
            return _scalar_ref(name)
        case _Neg(operand=operand):
            inner = _compile_scalar(operand)
            return lambda v: -inner(v)
        case _BinOp(symbol=symbol, left=left, right=right):
            divides = symbol in {"/", "%"}  # a divisor of ±inf would hide itself: x / inf == 0
            return _SCALAR_BINARY[symbol](_compile_scalar(left), _compile_scalar(right, finite=divides))
        case _Call(function="min" | "max" as function, args=args):
            pick = min if function == "min" else max
            parts = [_compile_scalar(arg, finite=True) for arg in args]
            if len(parts) == 2:
                first, second = parts
                return lambda v: pick(first(v), second(v))
            return lambda v: pick([part(v) for part in parts])
        case _Call(function="abs", args=(arg,)):
            inner = _compile_scalar(arg)
            return lambda v: abs(inner(v))
        case _Call(function="round", args=(arg,), ndigits=ndigits):
            return _scalar_round(_compile_scalar(arg), ndigits)
    raise AssertionError(expr)  # pragma: no cover


# --- array evaluation -----------------------------------------------------------------------------
# Each closure takes the prepared inputs (float64 arrays or floats without ±inf, in ``names`` order)
# and returns an array or float in which NaN marks undefined positions. Callers run them under
# ``np.errstate(all="ignore")``; every operation that numpy would warn about is masked explicitly.

_Vector: TypeAlias = Any  # FloatArray | np.float64 | float; numpy's ufunc stubs return Any anyway
_VectorFn: TypeAlias = Callable[[list[_Vector]], _Vector]


def _nan_where_infinite(value: _Vector) -> _Vector:
    return np.where(np.isinf(value), np.nan, value)


def _vector_divide(numerator: _Vector, divisor: _Vector) -> _Vector:
    return np.where(np.equal(divisor, 0.0), np.nan, np.divide(numerator, divisor))


def _vector_modulo(numerator: _Vector, divisor: _Vector) -> _Vector:
    return np.where(np.equal(divisor, 0.0), np.nan, np.remainder(numerator, divisor))


_VECTOR_BINARY: Final[dict[str, Callable[[_Vector, _Vector], _Vector]]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": _vector_divide,
    "%": _vector_modulo,
}


def _vector_round(arg: _VectorFn, ndigits: int | None) -> _VectorFn:
    if ndigits is None:
        return lambda v: np.rint(arg(v))
    scale = 10.0 ** abs(ndigits)
    if ndigits < 0:
        return lambda v: np.multiply(np.rint(np.divide(arg(v), scale)), scale)

    def round_to(values: list[_Vector]) -> _Vector:
        value = arg(values)
        scaled = np.multiply(value, scale)
        return np.where(np.isinf(scaled), value, np.divide(np.rint(scaled), scale))

    return round_to


def _compile_vector(expr: _Expr, positions: Mapping[str, int], finite: bool = False) -> _VectorFn:
    """Array counterpart of :func:`_compile_scalar`; ``finite`` turns ±inf into NaN."""
    if finite and _may_be_nonfinite(expr):
        inner = _compile_vector(expr, positions)
        return lambda v: _nan_where_infinite(inner(v))
    match expr:
        case _Num(value=value):
            return lambda v: value
        case _Ref(name=name):
            fetch: _VectorFn = itemgetter(positions[name])
            return fetch
        case _Neg(operand=operand):
            negated = _compile_vector(operand, positions)
            return lambda v: np.negative(negated(v))
        case _BinOp(symbol=symbol, left=left, right=right):
            operation = _VECTOR_BINARY[symbol]
            first = _compile_vector(left, positions)
            second = _compile_vector(right, positions, finite=symbol in {"/", "%"})
            return lambda v: operation(first(v), second(v))
        case _Call(function="min" | "max" as function, args=args):
            pick = np.minimum if function == "min" else np.maximum  # both propagate NaN
            parts = [_compile_vector(arg, positions, finite=True) for arg in args]
            return lambda v: reduce(pick, [part(v) for part in parts])
        case _Call(function="abs", args=(arg,)):
            absolute = _compile_vector(arg, positions)
            return lambda v: np.abs(absolute(v))
        case _Call(function="round", args=(arg,), ndigits=ndigits):
            return _vector_round(_compile_vector(arg, positions), ndigits)
    raise AssertionError(expr)  # pragma: no cover


def _to_array(name: str, value: object) -> _Vector:
    """Coerce one input for the array path: float64 array or float, with ±inf replaced by NaN."""
    if type(value) is float:
        number = value
    elif isinstance(value, list | tuple) or hasattr(value, "__array__"):
        array = np.asarray(value)
        if array.dtype.kind not in "iuf":
            raise InputTypeError(f"values for {name!r} must be numbers, got an array of dtype {array.dtype}")
        array = array.astype(np.float64, copy=False)
        return _nan_where_infinite(array) if np.isinf(array).any() else array
    else:
        number = _to_float(name, value)
    return number if math.isfinite(number) else math.nan


# --- the public class -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Formula:
    """A vetted metric formula, parsed once and evaluable on scalars or numpy arrays.

    ``Formula(text)`` and ``Formula.parse(text)`` are the same; both raise :class:`FormulaError`.

    Attributes:
        text: The formula exactly as written.
        names: Metric names the formula reads, in order of first appearance, without duplicates.

    Example:
        >>> f = Formula.parse("orders / visitors")
        >>> f.names, str(f)
        (('orders', 'visitors'), 'orders / visitors')
    """

    text: str
    names: tuple[str, ...] = field(init=False)
    _scalar: _ScalarFn = field(init=False, compare=False, repr=False)
    _vector: _VectorFn = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InputTypeError(f"a formula must be a string, got {type(self.text).__name__}")
        parser = _Parser(self.text)
        expr = parser.parse()
        names = tuple(parser.names)
        object.__setattr__(self, "names", names)
        positions = {name: position for position, name in enumerate(names)}
        object.__setattr__(self, "_scalar", _compile_scalar(expr))
        object.__setattr__(self, "_vector", _compile_vector(expr, positions, finite=True))

    @classmethod
    def parse(cls, text: str) -> Formula:
        """Parse and vet ``text``.

        Args:
            text: A formula such as ``"(revenue - cost) / revenue"``.

        Returns:
            The parsed formula.

        Raises:
            FormulaError: The text is not a valid expression or uses syntax outside the whitelist.

        Example:
            >>> Formula.parse("max(a, b) - 1").names
            ('a', 'b')
        """
        return cls(text)

    def evaluate(self, values: Mapping[str, float]) -> float | None:
        """Compute the formula for one set of inputs.

        Args:
            values: A value for every name in :attr:`names` (other keys are ignored). Ints, numpy
                scalars and Decimals are accepted; bools and strings are refused.

        Returns:
            The result, or ``None`` when it is undefined: division or modulo by zero, a NaN or
            infinite input, or an overflow anywhere in the formula.

        Raises:
            MissingInput: A name in :attr:`names` has no value (a ``KeyError``).
            TypeError: A value is not a number.

        Example:
            >>> Formula.parse("round(orders / visitors, 3)").evaluate({"orders": 2, "visitors": 3})
            0.667
        """
        try:
            result = self._scalar(values)
        except (ArithmeticError, ValueError):
            return None
        if result - result != 0.0:  # overflow: finite only when x - x is 0.0
            return None
        return result

    def evaluate_array(self, values: Mapping[str, FloatArray | float]) -> FloatArray:
        """Compute the formula elementwise over arrays, broadcasting scalars.

        ``min``/``max`` work elementwise (``numpy.minimum``/``numpy.maximum``); ``round`` is
        ``numpy.round``. No numpy warning is ever emitted.

        Args:
            values: An array (any numeric dtype, or a list) or a number for every name in :attr:`names`.

        Returns:
            A new float64 array of the broadcast shape (0-d when every input is a scalar) with NaN
            exactly where :meth:`evaluate` would return ``None``.

        Raises:
            MissingInput: A name in :attr:`names` has no value.
            TypeError: A value is not numeric.
            ValueError: The input shapes cannot be broadcast together.

        Example:
            >>> import numpy as np
            >>> Formula.parse("a / b").evaluate_array({"a": np.array([1.0, 2.0]), "b": np.array([4.0, 0.0])})
            array([0.25,  nan])
        """
        prepared: list[_Vector] = []
        for name in self.names:
            try:
                value = values[name]
            except KeyError:
                raise MissingInput(name) from None
            prepared.append(_to_array(name, value))
        shapes = [np.shape(value) for value in prepared]
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            listed = ", ".join(f"{name} {shape}" for name, shape in zip(self.names, shapes, strict=True))
            raise InputError(f"formula inputs have shapes that cannot be combined: {listed}") from None
        with np.errstate(all="ignore"):
            result = np.asarray(self._vector(prepared), dtype=np.float64)
        if any(result is value for value in prepared):  # the formula is a bare name
            result = result.copy()  # never hand the caller its own input array back
        return result

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[type[Formula], tuple[str]]:
        # The compiled closures cannot be pickled; rebuilding from the text is cheap.
        return (type(self), (self.text,))
