"""Safe metric formulas: parse once, list the metric names, evaluate on scalars or numpy arrays.

A metric formula such as ``(revenue - cost) / revenue`` comes from a YAML file that anyone may have
edited, so it is never handed to ``eval``. It is parsed with ``ast.parse(text, mode="eval")`` and
every node is checked against a whitelist:

* numbers (``int`` or ``float`` literals; not ``True``/``False``, complex numbers or strings);
* metric names, lowercase ASCII snake_case (``[a-z][a-z0-9_]*``);
* ``+ - * / %``, unary ``-`` and ``+``, and parentheses;
* calls of ``min(a, b, ...)`` and ``max(a, b, ...)`` (at least two arguments), ``abs(x)``, and
  ``round(x)`` or ``round(x, n)`` with ``n`` a whole-number literal between -15 and 15;
* conditions: the comparisons ``< <= > >= == !=``, ``and``, ``or``, ``not``, and
  ``if(condition, value_if_true, value_if_false)``.

Everything else is refused with a :class:`FormulaError` (code ``EP211``) that names what was found,
lists what is allowed and gives the character offset of the problem: power (``**``), attribute access
(so no ``__import__('os').system``), indexing, comprehensions, ``lambda``, Python's ``a if c else b``,
``is``/``in``, keyword arguments, strings and f-strings, ``:=``. Formulas are capped at
:data:`MAX_LENGTH` characters and :data:`MAX_NODES` expression nodes.

Numbers and conditions. Every part of a formula is either a *number* or a *condition* (true or
false), and this is checked when the formula is parsed, never guessed: comparisons take numbers and
give a condition; ``and``, ``or`` and ``not`` take and give conditions; ``if()`` takes a condition and
two numbers and gives a number; everything else takes and gives numbers, and the formula as a whole
must give a number. A condition is never silently 1 or 0, nor a number silently true: ``(gmv > 0) * 5``
and ``if(gmv, 1, 0)`` are refused at the offending part, with the fix (``if(gmv > 0, 5, 0)``,
``gmv != 0``). ``==`` and ``!=`` compare exactly (``0.1 + 0.2 == 0.3`` is false).

Chained comparisons read as in mathematics: ``lo <= x < hi`` means ``lo <= x and x < hi`` (``x`` is
computed once). A chain must run one way, all ``<``/``<=`` or all ``>``/``>=``; ``a < b > c`` and any
chain with ``==`` or ``!=`` are refused, since they rarely mean what they seem to (``a != b != c``
does not say that ``a != c``); join such comparisons with ``and``.

Why a whitelist of our own rather than a library: ``simpleeval`` and ``asteval`` run a much larger
language and both have had sandbox escapes; the whitelist above is small enough to audit in one
sitting. The vetted tree is turned into nested closures once, at parse time, so no user text is
ever passed to ``eval``, ``exec`` or ``compile``; a scalar evaluation costs about 0.3 µs
(``benchmarks/bench_formula.py``). Python has no ``if(...)`` call (``if`` is a keyword), so before
parsing each ``if`` that opens a call is swapped for a two-letter placeholder found by
:mod:`tokenize`, which keeps every offset in the text unchanged.

Undefined results. Division or modulo by zero, a non-finite input, or an intermediate value that
overflows to infinity makes the result *undefined*: :meth:`Formula.evaluate` returns ``None`` and
:meth:`Formula.evaluate_array` puts NaN at exactly those positions (without any numpy warning). A
value is never silently ``inf``. Only what is evaluated counts: the branch of ``if()`` not taken, the
right side of ``and`` after a false left side (and of ``or`` after a true one) and the rest of a chain
after a false comparison are skipped, so ``if(visitors > 0, orders / visitors, 0)`` is 0 for a shop
without visitors, and ``b != 0 and a / b > 1`` is false. A comparison, ``and``, ``or``, ``not`` or an
``if()`` whose deciding condition is undefined is undefined. The array path computes both branches for
every row and then picks per row with ``numpy.where``, so an untaken branch's undefined rows are
dropped, never spread.

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
    >>> bonus = Formula.parse("if(gmv > 1_000_000, (gmv - 1_000_000) * 0.02, 0)")
    >>> bonus.evaluate({"gmv": 1_500_000}), bonus.evaluate({"gmv": 800_000})
    (10000.0, 0.0)
"""

from __future__ import annotations

import ast
import io
import keyword
import math
import operator
import re
import sys
import tokenize
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from itertools import accumulate
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, NamedTuple, SupportsFloat, TypeAlias

from ecomperf.errors import FormulaError, InputError, InputTypeError, MissingInput

__all__ = ["MAX_LENGTH", "MAX_NODES", "FloatArray", "Formula", "FormulaError", "MissingInput"]

MAX_LENGTH: Final = 500
"""Longest formula accepted, in characters."""

MAX_NODES: Final = 200
"""Most expression nodes (numbers, names, operators, calls) a formula may contain."""

_CODE: Final = "EP211"
_ALLOWED_FUNCTIONS: Final = "allowed functions: min() max() abs() round() if()"
_ALLOWED: Final = (
    "allowed: numbers, metric names, + - * / %, parentheses, comparisons < <= > >= == !=, and or not, "
    "min() max() abs() round() if()"
)
_FUNCTIONS: Final = frozenset({"min", "max", "abs", "round", "if"})
_IF_PLACEHOLDER: Final = "IF"  # as long as "if" and never a metric name, so offsets and names stay right
_IF_USAGE: Final = "if(condition, value_if_true, value_if_false)"
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_LEADING_SPACE: Final = " \t\f\r\n"
_ROUND_DIGITS: Final = 15

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray: TypeAlias = npt.NDArray[np.float64]
    """The array type :meth:`Formula.evaluate_array` returns."""
else:
    FloatArray: TypeAlias = Any  # a float64 ndarray; numpy is imported only when arrays are evaluated


def _load_numpy() -> None:
    """Bind numpy for the array evaluation below, on its first use."""
    global np
    import numpy as np  # start-up cost: `validate` and `--help` parse formulas but never evaluate arrays


class _Undefined(ArithmeticError):
    """Raised inside a scalar evaluation whose result is undefined; never escapes this module."""


# --- the vetted expression tree -------------------------------------------------------------------


class _Num(NamedTuple):
    value: float


class _Ref(NamedTuple):
    name: str


class _BinOp(NamedTuple):
    symbol: str
    left: _Expr
    right: _Expr


class _Neg(NamedTuple):
    operand: _Expr


class _Call(NamedTuple):
    function: str
    args: tuple[_Expr, ...]
    ndigits: int | None = None


class _If(NamedTuple):
    test: _Test
    then: _Expr
    otherwise: _Expr


class _Compare(NamedTuple):
    symbols: tuple[str, ...]  # one fewer than operands: a < b <= c is ("<", "<=") over (a, b, c)
    operands: tuple[_Expr, ...]


class _Logic(NamedTuple):
    symbol: str  # "and" | "or"
    operands: tuple[_Test, ...]


class _Not(NamedTuple):
    operand: _Test


_Expr: TypeAlias = _Num | _Ref | _BinOp | _Neg | _Call | _If
"""A part of a formula that gives a number."""

_Test: TypeAlias = _Compare | _Logic | _Not
"""A part of a formula that gives a condition (true or false)."""


def _same_tree(first: object, second: object) -> bool:
    """Whether two trees (or parts) are equal node for node. The nodes are named tuples, whose ``==`` alone
    would not tell one kind from another with equal fields; they are tuples because a named tuple class is
    built seven times faster than a frozen dataclass, which counts in the start-up of every command."""
    if isinstance(first, tuple) and isinstance(second, tuple):
        return type(first) is type(second) and len(first) == len(second) and all(map(_same_tree, first, second))
    return first == second


def _may_be_nonfinite(expr: _Expr) -> bool:
    """Whether ``expr`` can yield ±inf or NaN although every input is finite.

    Non-finite values stay non-finite through ``+ - *``, negation, ``abs`` and ``if()``, so they are only
    checked where an operation could hide them (a divisor, the arguments of ``min``/``max``, the operands
    of a comparison) and at the root. Inputs are checked on entry, so a bare name is always finite.
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
        case _If(then=then, otherwise=otherwise):
            return _may_be_nonfinite(then) or _may_be_nonfinite(otherwise)
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
}
_COMPARISON_SYMBOLS: Final[dict[type[ast.cmpop], str]] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
_REFUSED_COMPARISONS: Final[dict[type[ast.cmpop], str]] = {
    ast.Is: "'is'",
    ast.IsNot: "'is not'",
    ast.In: "'in'",
    ast.NotIn: "'not in'",
}
_CHAIN_DIRECTION: Final = {"<": "<", "<=": "<", ">": ">", ">=": ">"}  # == and != do not chain
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


_FLOAT_MAX = int(sys.float_info.max)


class _Source:
    """Maps ``ast`` positions (line numbers and UTF-8 byte columns) to character offsets in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        # ``ast.parse`` refuses leading whitespace ("unexpected indent"); ``eval`` would accept it.
        self.body = text.lstrip(_LEADING_SPACE)
        self.prefix = len(text) - len(self.body)
        self.ascii = text.isascii()
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


_NOT_CODE: Final = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT})
_VALUE_KEYWORDS: Final = frozenset({"True", "False", "None"})


def _if_calls(body: str) -> list[int]:
    """Offsets in ``body`` of every ``if`` that opens a call ``if(...)``, to be swapped for a placeholder.

    An ``if`` opens a call when '(' follows it and what precedes it cannot end a value: nothing, an
    operator, '(' or ',', or a keyword such as ``not`` or ``and``. In Python's ``x if (c) else y`` the
    ``if`` follows a value and stays a keyword (and is refused as such). Tokens, not text, are read, so
    an ``if(`` inside a comment or a string is left alone. Tokenizing stops at the first error; the
    parser then reports that error with its own position.
    """
    if "if" not in body:
        return []
    lines = io.StringIO(body).readlines()
    starts = list(accumulate((len(line) for line in lines), initial=0))
    tokens: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(body).readline):
            if token.type not in _NOT_CODE and token.string.strip():
                tokens.append(token)
    except (tokenize.TokenError, SyntaxError):
        pass
    found: list[int] = []
    for index, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string != "if":
            continue
        if index + 1 == len(tokens) or tokens[index + 1].string != "(":
            continue
        if index and _ends_value(tokens[index - 1]):
            continue
        row, col = token.start
        offset = starts[row - 1] + col
        if body[offset : offset + 2] == "if":
            found.append(offset)
    return found


def _ends_value(token: tokenize.TokenInfo) -> bool:
    """Whether ``token`` can be the last token of a value (a name, a number, a closing bracket)."""
    if token.type == tokenize.OP:
        return token.string in {")", "]", "}", "."}
    if token.type == tokenize.NAME:
        return not keyword.iskeyword(token.string) or token.string in _VALUE_KEYWORDS
    return True


_NUMBER: Final = "number"
_CONDITION: Final = "condition"


def _kind(node: ast.expr) -> str:
    """Whether ``node`` gives a number or a condition; every refused construct counts as a number."""
    if isinstance(node, ast.Compare | ast.BoolOp) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
        return _CONDITION
    return _NUMBER


class _Parser:
    """Vets one formula's ``ast`` and turns it into the small ``_Expr`` tree."""

    def __init__(self, text: str) -> None:
        self.source = _Source(text)
        self.names: dict[str, None] = {}  # insertion-ordered set
        self.if_calls: frozenset[int] = frozenset()  # text offsets of the placeholders standing for 'if'

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
        body = self.source.body
        calls = _if_calls(body)
        for offset in calls:
            body = body[:offset] + _IF_PLACEHOLDER + body[offset + len(_IF_PLACEHOLDER) :]
        self.if_calls = frozenset(self.source.prefix + offset for offset in calls)
        try:
            tree = ast.parse(body, mode="eval")
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
        message = f"formula is not a valid expression: {exc.msg}; {_ALLOWED}"
        if re.match(r"(if|else)\b", text[offset:]) or "'if'" in exc.msg or "'else'" in exc.msg:
            message = f"formula is not a valid expression: {exc.msg}; a condition is written {_IF_USAGE}"
        return self.error(message, offset)

    def problems(self, tree: ast.Expression) -> list[tuple[int, str]]:
        """Every refused construct with its offset, else every number/condition mix-up; the earliest is reported."""
        called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        found: list[tuple[int, str]] = []
        for node in ast.walk(tree):
            problem = self.check(node, called)
            if problem is not None:
                found.append(problem)
        if not found:  # numbers and conditions are judged on a formula made only of allowed parts
            self.check_kinds(tree.body, _NUMBER, "a formula must compute a number", found)
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
            case ast.UnaryOp(op=ast.Invert() as op):
                return source.start(node), _refused(_REFUSED_UNARY[type(op)])
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                return self.check_compare(node, [left, *comparators], ops)
            case ast.IfExp(body=body, test=test):
                return source.between(body, test), (
                    f"{_REFUSED_NODES[ast.IfExp]} is not allowed in formulas; write {_IF_USAGE}"
                )
            case ast.Attribute(value=value, attr=attr):
                return source.between(value), _refused(f"attribute access '.{attr}'")
            case ast.Subscript(value=value):
                return source.between(value), _refused(_REFUSED_NODES[ast.Subscript])
            case ast.BinOp() | ast.UnaryOp() | ast.BoolOp() | ast.FormattedValue():
                return None
            case ast.expr():
                what = _REFUSED_NODES.get(type(node), repr(source.segment(node)))
                return source.start(node), _refused(what)
        return None  # operators, contexts, keywords and comprehension clauses are judged by their parent

    def check_constant(self, node: ast.Constant, value: object) -> tuple[int, str] | None:
        if (type(value) is float and math.isfinite(value)) or (type(value) is int and abs(value) < _FLOAT_MAX):
            return None  # the usual number: where it stands is looked up only for a problem
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
        source = self.source
        if name in _FUNCTIONS:
            return source.start(node), f"'{name}' is a function: call it with arguments, e.g. {name}(a, b)"
        # The parser NFKC-normalises identifiers, so a full-width 'ｒevenue' arrives as 'revenue'; an ASCII
        # formula cannot hold such a look-alike, so its names need no comparison with their text.
        if _NAME.fullmatch(name) and (source.ascii or source.segment(node, limit=None) == name):
            return None
        return source.start(node), (
            f"'{source.segment(node)}' is not a valid metric name; metric names are lowercase ASCII snake_case "
            "such as gross_margin"
        )

    def function(self, func: ast.expr) -> str | None:
        """The allowed function ``func`` names (``"if"`` for the placeholder of a real ``if``), else ``None``."""
        if not isinstance(func, ast.Name):
            return None
        if func.id == _IF_PLACEHOLDER and self.source.start(func) in self.if_calls:
            return "if"
        # 'if' itself arrives only from a look-alike such as a full-width 'ｉｆ', which the parser normalises
        return func.id if func.id in _FUNCTIONS and func.id != "if" else None

    def check_call(self, node: ast.Call) -> tuple[int, str] | None:
        source = self.source
        offset = source.start(node)
        if not isinstance(node.func, ast.Name):
            # Whatever is being called (an attribute, another call's result...) is refused there or
            # here, at the '(', whichever comes first in the text.
            shown = source.segment(node.func)
            return source.between(node.func), f"calling '{shown}' is not allowed; {_ALLOWED_FUNCTIONS}"
        name = self.function(node.func)
        if name is None:
            shown = source.segment(node.func)
            hint = f"; did you mean {shown.lower()}()?" if shown.lower() in _FUNCTIONS else ""
            return offset, f"'{shown}()' is not an allowed function{hint}; {_ALLOWED_FUNCTIONS}"
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
        if name == "if" and count != 3:
            return offset, f"if() takes exactly 3 arguments, got {count}: write {_IF_USAGE}"
        if name == "round":
            if count not in {1, 2}:
                return offset, f"round() takes 1 or 2 arguments, got {count}"
            if count == 2 and _literal_int(node.args[1]) is None:
                return source.start(node.args[1]), (
                    f"the second argument of round() must be a whole number from -{_ROUND_DIGITS} to "
                    f"{_ROUND_DIGITS}, such as round(x, 2); got '{source.segment(node.args[1])}'"
                )
        return None

    def check_compare(
        self, node: ast.Compare, operands: list[ast.expr], ops: list[ast.cmpop]
    ) -> tuple[int, str] | None:
        """Only ``< <= > >= == !=``, and a chain only when it runs one way (``lo <= x < hi``)."""
        source = self.source
        symbols: list[str] = []
        for index, op in enumerate(ops):
            if type(op) not in _COMPARISON_SYMBOLS:
                what = f"{_REFUSED_COMPARISONS.get(type(op), 'this')} (a membership or identity test)"
                return source.between(operands[index], operands[index + 1]), _refused(what)
            symbols.append(_COMPARISON_SYMBOLS[type(op)])
        direction = _CHAIN_DIRECTION.get(symbols[0])
        for index in range(1, len(symbols)):
            if direction is None or _CHAIN_DIRECTION.get(symbols[index]) != direction:
                left, middle, right = (source.segment(operand) for operand in operands[index - 1 : index + 2])
                return source.between(operands[index], operands[index + 1]), (
                    f"the chained comparison '{source.segment(node)}' is not allowed: a chain must run one way, "
                    f"like 0 <= x < 1 (only < and <=, or only > and >=); write "
                    f"{left} {symbols[index - 1]} {middle} and {middle} {symbols[index]} {right}"
                )
        return None

    def check_kinds(self, node: ast.expr, expected: str, context: str, found: list[tuple[int, str]]) -> None:
        """Report, into ``found``, each part that is a condition where a number belongs or the reverse.

        ``context`` says why the parent wants ``expected``; it becomes part of the message.
        """
        actual = _kind(node)
        if actual != expected:
            shown = self.source.segment(node)
            if expected == _NUMBER:
                message = (
                    f"'{shown}' is a condition (true or false), not a number; {context}: "
                    f"to count it as 1 or 0, write if({shown}, 1, 0)"
                )
            else:
                message = (
                    f"'{shown}' is a number, not a condition; {context}: compare it, e.g. {shown} > 0 or {shown} != 0"
                )
            found.append((self.source.start(node), message))
        for child, kind, why in self.operands(node):
            self.check_kinds(child, kind, why, found)

    def operands(self, node: ast.expr) -> list[tuple[ast.expr, str, str]]:
        """The parts ``node`` combines, each with the kind it needs and why (refused nodes: none)."""
        match node:
            case ast.BinOp(left=left, op=op, right=right) if type(op) in _BINOP_SYMBOLS:
                why = f"'{_BINOP_SYMBOLS[type(op)]}' needs numbers on both sides"
                return [(left, _NUMBER, why), (right, _NUMBER, why)]
            case ast.UnaryOp(op=ast.USub() | ast.UAdd() as op, operand=operand):
                return [(operand, _NUMBER, f"'{'-' if isinstance(op, ast.USub) else '+'}' needs a number")]
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return [(operand, _CONDITION, "'not' needs a condition")]
            case ast.BoolOp(op=op, values=values):
                why = f"'{'and' if isinstance(op, ast.And) else 'or'}' joins conditions"
                return [(value, _CONDITION, why) for value in values]
            case ast.Compare(left=left, comparators=comparators):
                return [(operand, _NUMBER, "a comparison compares numbers") for operand in [left, *comparators]]
            case ast.Call(func=func, args=[test, then, otherwise]) if self.function(func) == "if":
                why = "if() gives one of two numbers"
                return [
                    (test, _CONDITION, "the first argument of if() is the condition it tests"),
                    (then, _NUMBER, why),
                    (otherwise, _NUMBER, why),
                ]
            case ast.Call(func=func, args=args) if self.function(func) not in {None, "if"}:
                why = f"{self.function(func)}() takes numbers"
                return [(arg, _NUMBER, why) for arg in args if not isinstance(arg, ast.Starred)]
        return []

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
            case ast.Call(func=func, args=[test, then, otherwise]) if self.function(func) == "if":
                return _If(self.build_test(test), self.build(then), self.build(otherwise))
            case ast.Call(func=ast.Name(id="round"), args=[arg, digits]):
                return _Call("round", (self.build(arg),), _literal_int(digits))
            case ast.Call(func=ast.Name(id=function), args=args):
                return _Call(function, tuple(self.build(arg) for arg in args))
        raise AssertionError(ast.dump(node))  # pragma: no cover - vetted by check()

    def build_test(self, node: ast.expr) -> _Test:
        """Turn a vetted condition into a ``_Test`` (names recorded in order, as :meth:`build` does)."""
        match node:
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                symbols = tuple(_COMPARISON_SYMBOLS[type(op)] for op in ops)
                return _Compare(symbols, tuple(self.build(operand) for operand in [left, *comparators]))
            case ast.BoolOp(op=op, values=values):
                return _Logic("and" if isinstance(op, ast.And) else "or", tuple(self.build_test(v) for v in values))
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return _Not(self.build_test(operand))
        raise AssertionError(ast.dump(node))  # pragma: no cover - vetted by check_kinds()


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
_ScalarTest: TypeAlias = Callable[[Mapping[str, float]], bool]


def _to_float(name: str, value: object) -> float:
    """Coerce one input to ``float``: ints, numpy scalars, Decimals; refuse bools, text and arrays."""
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:
            return math.inf
    numpy = sys.modules.get("numpy")  # a numpy value can only exist once numpy is imported
    if isinstance(value, bool | str | bytes) or not isinstance(value, SupportsFloat) or (
        numpy is not None and isinstance(value, numpy.bool_)
    ):
        raise InputTypeError(f"value for {name!r} must be a number, got {type(value).__name__}")
    if numpy is not None and isinstance(value, numpy.ndarray) and value.ndim:
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
        case _If(test=test, then=then, otherwise=otherwise):
            decide = _compile_test(test)
            chosen, other = _compile_scalar(then), _compile_scalar(otherwise)
            return lambda v: chosen(v) if decide(v) else other(v)
    raise AssertionError(expr)  # pragma: no cover


_COMPARE: Final[dict[str, Callable[[float, float], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_SCALAR_COMPARE: Final[dict[str, Callable[[_ScalarFn, _ScalarFn], _ScalarTest]]] = {
    "<": lambda f, g: lambda v: f(v) < g(v),
    "<=": lambda f, g: lambda v: f(v) <= g(v),
    ">": lambda f, g: lambda v: f(v) > g(v),
    ">=": lambda f, g: lambda v: f(v) >= g(v),
    "==": lambda f, g: lambda v: f(v) == g(v),
    "!=": lambda f, g: lambda v: f(v) != g(v),
}


def _scalar_chain(symbols: tuple[str, ...], parts: list[_ScalarFn]) -> _ScalarTest:
    """``a < b <= c`` as Python reads it: each operand computed once, stopping at the first false step."""
    first, steps = parts[0], [(_COMPARE[symbol], part) for symbol, part in zip(symbols, parts[1:], strict=True)]

    def chain(values: Mapping[str, float]) -> bool:
        left = first(values)
        for compare, part in steps:
            right = part(values)
            if not compare(left, right):
                return False
            left = right
        return True

    return chain


def _compile_test(test: _Test) -> _ScalarTest:
    """Closure deciding a condition; it raises like :func:`_compile_scalar` when a part it reads is undefined.

    Comparison operands are checked to be finite (``inf > 1`` would hide an overflow); ``and`` and ``or``
    stop at the first operand that decides, so the rest is never computed.
    """
    match test:
        case _Compare(symbols=(symbol,), operands=(left, right)):
            return _SCALAR_COMPARE[symbol](_compile_scalar(left, finite=True), _compile_scalar(right, finite=True))
        case _Compare(symbols=symbols, operands=operands):
            return _scalar_chain(symbols, [_compile_scalar(operand, finite=True) for operand in operands])
        case _Logic(symbol=symbol, operands=operands):
            parts = [_compile_test(operand) for operand in operands]
            if len(parts) == 2:
                first, second = parts
                if symbol == "and":
                    return lambda v: first(v) and second(v)
                return lambda v: first(v) or second(v)
            if symbol == "and":
                return lambda v: all(part(v) for part in parts)
            return lambda v: any(part(v) for part in parts)
        case _Not(operand=operand):
            inner = _compile_test(operand)
            return lambda v: not inner(v)
    raise AssertionError(test)  # pragma: no cover


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
    "+": lambda a, b: np.add(a, b),
    "-": lambda a, b: np.subtract(a, b),
    "*": lambda a, b: np.multiply(a, b),
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
            least = function == "min"  # numpy.minimum and numpy.maximum both propagate NaN
            parts = [_compile_vector(arg, positions, finite=True) for arg in args]
            return lambda v: reduce(np.minimum if least else np.maximum, [part(v) for part in parts])
        case _Call(function="abs", args=(arg,)):
            absolute = _compile_vector(arg, positions)
            return lambda v: np.abs(absolute(v))
        case _Call(function="round", args=(arg,), ndigits=ndigits):
            return _vector_round(_compile_vector(arg, positions), ndigits)
        case _If(test=test, then=then, otherwise=otherwise):
            decide = _compile_vector_test(test, positions)
            chosen, other = _compile_vector(then, positions), _compile_vector(otherwise, positions)
            return lambda v: _vector_pick(decide(v), chosen(v), other(v))
    raise AssertionError(expr)  # pragma: no cover


# Conditions on arrays are float64 truth values: 1.0 true, 0.0 false, NaN undefined. Both branches of
# if() (and both sides of and/or) are computed for every row; the rows a branch does not decide are
# then dropped by ``numpy.where``, so its undefined values (NaN) never reach the result.

_VECTOR_COMPARE: Final[dict[str, Callable[[_Vector, _Vector], _Vector]]] = {
    "<": lambda a, b: np.less(a, b),
    "<=": lambda a, b: np.less_equal(a, b),
    ">": lambda a, b: np.greater(a, b),
    ">=": lambda a, b: np.greater_equal(a, b),
    "==": lambda a, b: np.equal(a, b),
    "!=": lambda a, b: np.not_equal(a, b),
}


def _vector_truth(compare: Callable[[_Vector, _Vector], _Vector], left: _Vector, right: _Vector) -> _Vector:
    return np.where(np.isnan(left) | np.isnan(right), np.nan, np.where(compare(left, right), 1.0, 0.0))


def _vector_pick(truth: _Vector, chosen: _Vector, other: _Vector) -> _Vector:
    return np.where(np.equal(truth, 1.0), chosen, np.where(np.equal(truth, 0.0), other, np.nan))


def _vector_and(first: _Vector, second: _Vector) -> _Vector:
    return np.where(np.equal(first, 0.0), 0.0, np.where(np.equal(first, 1.0), second, np.nan))


def _vector_or(first: _Vector, second: _Vector) -> _Vector:
    return np.where(np.equal(first, 1.0), 1.0, np.where(np.equal(first, 0.0), second, np.nan))


def _vector_chain(symbols: tuple[str, ...], parts: list[_VectorFn]) -> _VectorFn:
    compares = [_VECTOR_COMPARE[symbol] for symbol in symbols]

    def chain(values: list[_Vector]) -> _Vector:
        computed = [part(values) for part in parts]
        steps = [_vector_truth(compare, computed[i], computed[i + 1]) for i, compare in enumerate(compares)]
        return reduce(_vector_and, steps)

    return chain


def _compile_vector_test(test: _Test, positions: Mapping[str, int]) -> _VectorFn:
    """Array counterpart of :func:`_compile_test`, giving truth values (1.0, 0.0, NaN)."""
    match test:
        case _Compare(symbols=(symbol,), operands=(left, right)):
            compare = _VECTOR_COMPARE[symbol]
            first, second = (_compile_vector(operand, positions, finite=True) for operand in (left, right))
            return lambda v: _vector_truth(compare, first(v), second(v))
        case _Compare(symbols=symbols, operands=operands):
            return _vector_chain(symbols, [_compile_vector(operand, positions, finite=True) for operand in operands])
        case _Logic(symbol=symbol, operands=operands):
            combine = _vector_and if symbol == "and" else _vector_or
            parts = [_compile_vector_test(operand, positions) for operand in operands]
            return lambda v: reduce(combine, [part(v) for part in parts])
        case _Not(operand=operand):
            inner = _compile_vector_test(operand, positions)
            return lambda v: np.subtract(1.0, inner(v))
    raise AssertionError(test)  # pragma: no cover


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
    _scalar: _ScalarFn | None = field(init=False, compare=False, repr=False)
    _vector: _VectorFn | None = field(init=False, compare=False, repr=False)
    _expr: _Expr = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InputTypeError(f"a formula must be a string, got {type(self.text).__name__}")
        parser = _Parser(self.text)
        expr = parser.parse()
        names = tuple(parser.names)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "_expr", expr)
        # Both closures are compiled on first use: a framework's formulas are parsed (and vetted) at load,
        # but five closures a formula, kept for every formula of a large framework, only lengthened the
        # garbage collection after the load for the formulas that a run never evaluates.
        object.__setattr__(self, "_scalar", None)  # compiled on the first evaluate
        object.__setattr__(self, "_vector", None)  # compiled on the first evaluate_array

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
            values: A value for every name in :attr:`names` that the evaluation reads (other keys are
                ignored): a name read only by a branch of ``if()`` not taken, or by the part of an
                ``and``/``or`` that is skipped, may be absent. Ints, numpy scalars and Decimals are
                accepted; bools and strings are refused.

        Returns:
            The result, or ``None`` when it is undefined: division or modulo by zero, a NaN or
            infinite input, or an overflow anywhere in the part of the formula that is evaluated
            (a branch of ``if()`` not taken does not count).

        Raises:
            MissingInput: A name the evaluation reads has no value (a ``KeyError``).
            TypeError: A value is not a number.

        Example:
            >>> Formula.parse("round(orders / visitors, 3)").evaluate({"orders": 2, "visitors": 3})
            0.667
        """
        scalar = self._scalar
        if scalar is None:  # two threads may both compile it: the same closure, either one kept
            scalar = _compile_scalar(self._expr)
            object.__setattr__(self, "_scalar", scalar)
        try:
            result = scalar(values)
        except (ArithmeticError, ValueError):
            return None
        if result - result != 0.0:  # overflow: finite only when x - x is 0.0
            return None
        return result

    def evaluate_array(self, values: Mapping[str, FloatArray | float]) -> FloatArray:
        """Compute the formula elementwise over arrays, broadcasting scalars.

        ``min``/``max`` work elementwise (``numpy.minimum``/``numpy.maximum``); ``round`` is
        ``numpy.round``; ``if()`` picks per row with ``numpy.where``, so a row's untaken branch cannot
        make it undefined. No numpy warning is ever emitted.

        Args:
            values: An array (any numeric dtype, or a list) or a number for every name in :attr:`names`,
                even those only one branch of ``if()`` reads; NaN marks a row without a value, which
                only matters where that row's evaluation reads it.

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
        _load_numpy()
        vector = self._vector
        if vector is None:
            vector = _compile_vector(self._expr, {name: position for position, name in enumerate(self.names)},
                                     finite=True)
            object.__setattr__(self, "_vector", vector)
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
            result = np.asarray(vector(prepared), dtype=np.float64)
        if any(result is value for value in prepared):  # the formula is a bare name
            result = result.copy()  # never hand the caller its own input array back
        return result

    def same_as(self, other: Formula) -> bool:
        """Whether both formulas parse to the same expression: spacing, brackets that change nothing and the
        spelling of numbers (``1_000``, ``1000``) aside. Used by ``ecomperf diff``.

        Example:
            >>> Formula.parse("(a-b)/(a)").same_as(Formula.parse("(a - b) / a"))
            True
        """
        return _same_tree(self._expr, other._expr)

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[type[Formula], tuple[str]]:
        # The compiled closures cannot be pickled; rebuilding from the text is cheap.
        return (type(self), (self.text,))
