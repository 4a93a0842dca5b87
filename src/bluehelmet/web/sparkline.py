"""Sparklines: a series as a small inline SVG, drawn on the server.

An index lists a hundred or more rows; a chart each, drawn by script, would cost a Vega
view per row and show nothing with JavaScript off. A polyline in the HTML costs a few
hundred bytes, needs no script and prints.
"""

from __future__ import annotations

from typing import Sequence

from markupsafe import Markup, escape

__all__ = ["sparkline"]


def sparkline(values: Sequence[int | float | None], label: str = "", width: int = 120, height: int = 24) -> Markup:
    """``values`` (oldest first; None is a gap) as an SVG polyline scaled to its own
    maximum, with a dot on the last value. ``label`` is its accessible name (the series
    in words), shown as a tooltip too.

    >>> str(sparkline([0, 5, 10], "x"))[:4]
    '<svg'
    >>> 'points="1.0,23.0 60.0,12.0 119.0,1.0"' in str(sparkline([0, 5, 10]))
    True
    """
    n = len(values)
    top = max((v for v in values if v is not None), default=0) or 1
    pad = 1.0

    def xy(i: int, v: float) -> str:
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 1.0)
        y = height - pad - (height - 2 * pad) * v / top
        return f"{x:.1f},{y:.1f}"

    # a gap (None) breaks the line: one polyline per run of known values
    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(xy(i, v))
    lines = "".join(f'<polyline points="{" ".join(r)}"/>' for r in runs if r)
    last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
    dot = ""
    if last is not None:
        x, y = xy(*last).split(",")
        dot = f'<circle cx="{x}" cy="{y}" r="2"/>'
    name = escape(label)
    return Markup(f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
                  f'role="img" aria-label="{name}"><title>{name}</title>{lines}{dot}</svg>')
