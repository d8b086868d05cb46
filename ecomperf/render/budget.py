"""A bounded sandbox for user templates: limits on time, loop iterations, text built and output written.

Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment` stops a template from reaching Python internals, but
not from running for ever (``{% for a in range(100000) %}{% for b in range(100000) %}``) or allocating
gigabytes (``{{ 'x' * 10**10 }}``). :class:`BoundedSandbox` adds a :class:`TemplateBudget` that each render
spends:

* every ``{% for %}`` iteration counts against ``max_iterations`` (the loop's iterable is wrapped when the
  template is compiled), and ``range()`` gives at most ``max_range`` numbers;
* ``*``, ``+``, ``%`` and ``**``, every call (macros, methods such as ``str.ljust``, ``lipsum``) and the
  filters that can amplify text (``center``, ``indent``, ``replace``, ``format``, ``batch``, ``slice``) are
  checked *before* they run: no single value may exceed ``max_value`` characters or items, and a power may
  not exceed ``max_power_bits``;
* all the text built (string results, macro and block bodies) counts against ``max_built``, and what the
  render writes against ``max_output``;
* the clock is checked on every loop iteration and intercepted operation, against ``max_seconds``.

A render that overspends stops with :class:`BudgetExceeded`, raised inside the template's own code, so the
:class:`~ecomperf.errors.RenderError` made from it names the template file and line. The budget applies
to :meth:`BoundedTemplate.render` (what ecomperf and docxtpl call); the size checks also hold outside it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from string import Formatter
from typing import Any, Final

from jinja2 import nodes
from jinja2.environment import Template
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["DEFAULT_BUDGET", "BoundedSandbox", "BoundedTemplate", "BudgetExceeded", "TemplateBudget"]


@dataclass(frozen=True)
class TemplateBudget:
    """What one render of a user template may spend (the defaults are documented on the limits page)."""

    max_seconds: float = 10.0
    """Wall-clock seconds of one render."""
    max_iterations: int = 100_000
    """Loop iterations of one render, all ``{% for %}`` loops (and recursive loop calls) together."""
    max_range: int = 100_000
    """Numbers one ``range()`` may give."""
    max_value: int = 10_000_000
    """Characters (or items) of any single value a template builds."""
    max_built: int = 100_000_000
    """Characters of text built in all during one render (strings, macro and block bodies)."""
    max_output: int = 10_000_000
    """Characters one render may write."""
    max_power_bits: int = 10_000
    """Bits of the result of an integer ``**`` (10,000 bits is about 3,000 digits)."""


DEFAULT_BUDGET: Final = TemplateBudget()
"""The budget of every user template."""

_LOOP_FILTER: Final = "ecomperf_loop_budget"
_CLOCK_EVERY: Final = 64
_PERCENT_SPEC = re.compile(r"%[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?")
_DIGITS = re.compile(r"\d+")


class BudgetExceeded(Exception):
    """A user template spent more of its :class:`TemplateBudget` than allowed."""


@dataclass
class _Meter:
    """What the current render has spent."""

    budget: TemplateBudget
    deadline: float
    iterations: int = 0
    built: int = 0
    output: int = 0
    events: int = field(default=0)

    def event(self) -> None:
        self.events += 1
        if self.events % _CLOCK_EVERY == 0 and time.monotonic() > self.deadline:
            raise BudgetExceeded(f"the render ran longer than {self.budget.max_seconds:g} seconds")

    def iterate(self) -> None:
        self.iterations += 1
        if self.iterations > self.budget.max_iterations:
            raise BudgetExceeded(f"more than {self.budget.max_iterations:,} loop iterations")
        self.event()

    def build(self, size: int) -> None:
        self.built += size
        if self.built > self.budget.max_built:
            raise BudgetExceeded(f"more than {self.budget.max_built:,} characters of text built")

    def write(self, size: int) -> None:
        self.output += size
        if self.output > self.budget.max_output:
            raise BudgetExceeded(f"the output is longer than {self.budget.max_output:,} characters")


_METER: ContextVar[_Meter | None] = ContextVar("ecomperf_template_meter", default=None)


def _size(value: object) -> int:
    """The size a value contributes to what an operation builds: characters, items, or an int's magnitude."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return abs(value)
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        return len(value)
    return 1


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox of user templates, with a :class:`TemplateBudget` spent by each render."""

    intercepted_binops = frozenset({"*", "+", "%", "**"})
    template_class = Template  # replaced below, once BoundedTemplate exists

    def __init__(self, *args: Any, budget: TemplateBudget = DEFAULT_BUDGET, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.globals["range"] = self._range
        self.filters = {name: self._bounded_filter(name, function) for name, function in self.filters.items()}
        self.filters[_LOOP_FILTER] = self._counted
        self.concat = self._concat  # type: ignore[method-assign]

    # --- what user code can reach ------------------------------------------------------------------------

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > self.budget.max_range:
            raise BudgetExceeded(f"range() of {len(numbers):,} numbers; the limit is {self.budget.max_range:,}")
        return numbers

    def _counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            meter = _METER.get()
            if meter is not None:
                meter.iterate()
            yield item

    def _concat(self, parts: Iterable[str]) -> str:
        pieces = list(parts)
        self._check_size(sum(map(len, pieces)), "a block of text")
        text = "".join(pieces)
        self._built(text)
        return text

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``+``, ``%`` and ``**`` with the size of their result checked before it is computed."""
        self._event()
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(times, int):
                    self._check_size(len(sequence) * times, "a repetition")
        elif operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            self._check_size(len(left) + len(right), "a concatenation")
        elif operator == "%" and isinstance(left, str):
            self._check_percent_format(left, right)
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            bits = max(abs(left).bit_length() - 1, 0) * right
            if bits > self.budget.max_power_bits:
                raise BudgetExceeded(f"a power of about {bits:,} bits; the limit is {self.budget.max_power_bits:,}")
        return self._built(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call ``__obj`` for sandboxed code, estimating what a method of text or a list would build."""
        __self._event()
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str) and getattr(__obj, "__name__", "") in {"format", "format_map"}:
            __self._check_format(owner, args, kwargs)
        if isinstance(owner, str | list | tuple | dict):
            extra = sum(_size(value) for value in (*args, *kwargs.values()))
            __self._check_size((len(owner) + 1) * (1 + extra), f"the method {getattr(__obj, '__name__', '?')}()")
        for value in (*args, *kwargs.values()):
            if isinstance(value, str | list | tuple | dict):
                __self._check_size(len(value), "an argument")
        if getattr(__obj, "__name__", "") == "generate_lorem_ipsum":
            __self._check_count(args, kwargs, "lipsum()")
        return __self._built(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Attribute access for sandboxed code, refusing values grown past the limit (through a namespace)."""
        self._event()
        return self._checked(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Subscription for sandboxed code, refusing values grown past the limit."""
        self._event()
        return self._checked(super().getitem(obj, argument))

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        # Every loop's iterable goes through the counting filter, so that each iteration spends budget.
        for loop in source.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.iter.lineno)
        return super()._generate(source, name, filename, defer_init)

    # --- filters -----------------------------------------------------------------------------------------

    def _bounded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        estimate = _FILTER_ESTIMATES.get(name)

        @wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            values = [value for value in args if not isinstance(value, Context | EvalContext | SandboxedEnvironment)]
            if estimate is not None and values:
                estimate(self, values[0], values[1:], kwargs)
            return self._built(function(*args, **kwargs))

        return bounded

    # --- checks ------------------------------------------------------------------------------------------

    def _event(self) -> None:
        meter = _METER.get()
        if meter is not None:
            meter.event()

    def _check_size(self, size: int, what: str) -> None:
        if size > self.budget.max_value:
            raise BudgetExceeded(f"{what} of {size:,} characters or items; the limit is {self.budget.max_value:,}")

    def _check_count(self, args: tuple[Any, ...], kwargs: Mapping[str, Any], what: str) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > self.budget.max_range:
                raise BudgetExceeded(f"{what} with a count of {value:,}; the limit is {self.budget.max_range:,}")

    def _check_format(self, text: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        try:
            specs = [spec or "" for _, _, spec, _ in Formatter().parse(text)]
        except ValueError:
            return  # str.format reports the bad format itself
        widths = [int(number) for spec in specs for number in _DIGITS.findall(spec)]
        self._check_width(widths, text, args, kwargs, nested=any("{" in spec for spec in specs))

    def _check_percent_format(self, text: str, args: Any) -> None:
        parts = [part for match in _PERCENT_SPEC.finditer(text) for part in match.groups()]
        widths = [int(part) for part in parts if part and part != "*"]
        values = args if isinstance(args, tuple) else (args,)
        self._check_width(widths, text, values, args if isinstance(args, Mapping) else {}, nested="*" in text)

    def _check_width(
        self, widths: list[int], text: str, args: tuple[Any, ...], kwargs: Mapping[str, Any], *, nested: bool
    ) -> None:
        size = len(text) + sum(widths) + sum(_size(value) for value in (*args, *kwargs.values()) if not nested)
        if nested:  # the width comes from an argument: count the arguments' ints as widths
            size += sum(abs(v) for v in (*args, *kwargs.values()) if isinstance(v, int) and not isinstance(v, bool))
        self._check_size(size, "a formatted text")

    def _checked(self, value: Any) -> Any:
        if isinstance(value, str | list | tuple | dict):
            self._check_size(len(value), "a value")
        return value

    def _built(self, value: Any) -> Any:
        if isinstance(value, str | list | tuple):
            self._check_size(len(value), "a value")
            meter = _METER.get()
            if meter is not None and isinstance(value, str):
                meter.build(len(value))
        return value


def _width_of(sandbox: BoundedSandbox, value: Any, args: list[Any], kwargs: Mapping[str, Any]) -> None:
    width = args[0] if args else kwargs.get("width", 80)
    sandbox._check_size(max(_size(value), _size(width)), "a padded text")


def _indent(sandbox: BoundedSandbox, value: Any, args: list[Any], kwargs: Mapping[str, Any]) -> None:
    width = args[0] if args else kwargs.get("width", 4)
    lines = str(value).count("\n") + 1
    sandbox._check_size(_size(value) + lines * _size(width), "an indented text")


def _replace(sandbox: BoundedSandbox, value: Any, args: list[Any], kwargs: Mapping[str, Any]) -> None:
    old, new = [*args, kwargs.get("old", ""), kwargs.get("new", "")][:2]
    times = (_size(value) + 1) if not _size(old) else _size(value) // _size(old)
    sandbox._check_size(_size(value) + times * _size(new), "a replaced text")


def _format(sandbox: BoundedSandbox, value: Any, args: list[Any], kwargs: Mapping[str, Any]) -> None:
    sandbox._check_percent_format(str(value), tuple(args) or kwargs)


def _count(sandbox: BoundedSandbox, value: Any, args: list[Any], kwargs: Mapping[str, Any]) -> None:
    sandbox._check_count(tuple(args[:1]), {k: v for k, v in kwargs.items() if k in {"linecount", "slices"}}, "a filter")


_FILTER_ESTIMATES: Final[dict[str, Callable[[BoundedSandbox, Any, list[Any], Mapping[str, Any]], None]]] = {
    "center": _width_of,
    "indent": _indent,
    "replace": _replace,
    "format": _format,
    "batch": _count,
    "slice": _count,
}
"""Checks run before the filters that can build far more than they are given."""


class BoundedTemplate(Template):
    """A template whose :meth:`render` spends the :class:`TemplateBudget` of its :class:`BoundedSandbox`."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render like :meth:`jinja2.Template.render`, stopping with :class:`BudgetExceeded` past the budget."""
        environment = self.environment
        if _METER.get() is not None or not isinstance(environment, BoundedSandbox):
            return super().render(*args, **kwargs)  # an include inside a bounded render, or not bounded
        meter = _Meter(environment.budget, time.monotonic() + environment.budget.max_seconds)
        token = _METER.set(meter)
        try:
            parts = self.root_render_func(self.new_context(dict(*args, **kwargs)))
            return environment.concat(self._written(meter, parts))  # type: ignore[arg-type]
        except Exception:
            environment.handle_exception()
        finally:
            _METER.reset(token)

    @staticmethod
    def _written(meter: _Meter, parts: Generator[str, None, None]) -> Iterator[str]:
        for part in parts:
            try:
                meter.write(len(part))
            except BudgetExceeded as exc:
                # Raise it where the template is writing, so that the error names that line.
                parts.throw(exc)
            yield part


BoundedSandbox.template_class = BoundedTemplate
