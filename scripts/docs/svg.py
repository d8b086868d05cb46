"""A tiny SVG line chart, enough to show how a scoring method turns an actual into a score."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 16, 44
LINE = "#00897b"
MARK = "#e64a19"
AXIS = "#8a8a8a"


@dataclass
class Chart:
    """Score (y) against actual (x), with vertical guides (target …) and marked points (worked examples)."""

    x_range: tuple[float, float]
    y_range: tuple[float, float] = (0.0, 130.0)
    x_label: str = "actual"
    y_label: str = "score"
    format_x: Callable[[float], str] = field(default=lambda value: f"{value:g}")
    lines: list[list[tuple[float, float]]] = field(default_factory=list)
    guides: list[tuple[float, str]] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    title: str = ""

    def _x(self, value: float) -> float:
        low, high = self.x_range
        return LEFT + (value - low) / (high - low) * (WIDTH - LEFT - RIGHT)

    def _y(self, value: float) -> float:
        low, high = self.y_range
        return HEIGHT - BOTTOM - (value - low) / (high - low) * (HEIGHT - TOP - BOTTOM)

    def render(self) -> str:
        """The SVG document."""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}" role="img" font-family="sans-serif" font-size="11">',
            f"<title>{escape(self.title)}</title>",
        ]
        parts += self._grid()
        for guide, label in self.guides:
            x = self._x(guide)
            parts.append(
                f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" stroke="{MARK}" '
                'stroke-dasharray="4 3" stroke-width="1"/>'
            )
            parts.append(f'<text x="{x + 3:.1f}" y="{TOP + 10}" fill="{MARK}">{escape(label)}</text>')
        for line in self.lines:
            path = " ".join(f"{self._x(x):.1f},{self._y(y):.1f}" for x, y in line)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2.2"/>')
        for x, y in self.points:
            parts.append(
                f'<circle cx="{self._x(x):.1f}" cy="{self._y(y):.1f}" r="4" fill="{MARK}" stroke="white" '
                'stroke-width="1"/>'
            )
        parts.append("</svg>")
        return "\n".join(parts) + "\n"

    def _grid(self) -> list[str]:
        low, high = self.y_range
        parts = []
        for tick in _ticks(low, high, 20 if high - low <= 140 else 50):
            y = self._y(tick)
            parts.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{AXIS}" '
                'stroke-opacity="0.25"/>'
            )
            parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{AXIS}">{tick:g}</text>')
        x_low, x_high = self.x_range
        for tick in _nice_ticks(x_low, x_high):
            x = self._x(tick)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="{AXIS}">'
                f"{escape(self.format_x(tick))}</text>"
            )
        parts.append(
            f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" stroke="{AXIS}"/>'
        )
        parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="{AXIS}"/>')
        parts.append(
            f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" fill="{AXIS}">'
            f"{escape(self.x_label)}</text>"
        )
        parts.append(
            f'<text x="14" y="{(TOP + HEIGHT - BOTTOM) / 2:.1f}" text-anchor="middle" fill="{AXIS}" '
            f'transform="rotate(-90 14 {(TOP + HEIGHT - BOTTOM) / 2:.1f})">{escape(self.y_label)}</text>'
        )
        return parts


def sample(function: Callable[[float], float], low: float, high: float, count: int = 241) -> list[tuple[float, float]]:
    """``count`` evenly spaced points of ``function`` over ``[low, high]``."""
    step = (high - low) / (count - 1)
    return [(low + i * step, function(low + i * step)) for i in range(count)]


def split_jumps(points: Sequence[tuple[float, float]], jump: float = 15.0) -> list[list[tuple[float, float]]]:
    """Split a sampled line where it jumps (threshold and band steps), so no slanted riser is drawn.

    A jump becomes a horizontal run to the step, then a vertical riser: the honest picture of a step.
    """
    lines: list[list[tuple[float, float]]] = [[points[0]]] if points else []
    for (_, y0), (x1, y1) in pairwise(points):
        if abs(y1 - y0) > jump:
            lines[-1].append((x1, y0))
            lines[-1].append((x1, y1))
        lines[-1].append((x1, y1))
    return lines


def _ticks(low: float, high: float, step: float) -> list[float]:
    first = step * int(low // step)
    return [first + i * step for i in range(int((high - first) // step) + 1) if first + i * step >= low]


def _nice_ticks(low: float, high: float) -> list[float]:
    span = high - low
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100):
        if span / step <= 8:
            break
    start = step * round(low / step)
    ticks = []
    value = start
    while value <= high + 1e-9:
        if value >= low - 1e-9:
            ticks.append(round(value, 10))
        value += step
    return ticks
