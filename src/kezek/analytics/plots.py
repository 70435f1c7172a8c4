"""Charts for the report and the analyst pages, drawn with matplotlib off-screen.

Each chart is a function of a `Table`, so the pages and `kezek report` draw the same
picture from the same numbers. SVG for the pages (crisp at any zoom; each chart is served as
an image of its own, so the page's CSP does not apply to its inline styles), PNG in reports.
Series are labelled with `names` (a column's name in a language) where given.
Figures are made with matplotlib's object API, not pyplot: no global state, so the web
pages can draw in worker threads at the same time.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from matplotlib.figure import Figure

from kezek.analytics.stats import Table

COLOURS = ("#1d5fa8", "#e08a1e", "#3b8f4a", "#a83232")


def _figure(width: float = 7.5, height: float = 3.6) -> tuple[Any, Any]:
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _render(fig: Any, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format=fmt)
    return buf.getvalue()


def bars(table: Table, label: str, value: str, title: str, fmt: str = "png",
         horizontal: bool = True, line_at: float | None = None) -> bytes:
    labels = [str(x) for x in table.column(label)]
    values = [float(x) for x in table.column(value)]
    fig, ax = _figure(height=max(3.0, 0.28 * len(labels) + 1) if horizontal else 3.6)
    if horizontal:
        ax.barh(labels[::-1], values[::-1], color=COLOURS[0])
        if line_at is not None:
            ax.axvline(line_at, color=COLOURS[3], linestyle="--", linewidth=1)
    else:
        ax.bar(labels, values, color=COLOURS[0])
        ax.tick_params(axis="x", rotation=45)
        if line_at is not None:
            ax.axhline(line_at, color=COLOURS[3], linestyle="--", linewidth=1)
    ax.set_title(title, fontsize=11)
    return _render(fig, fmt)


def lines(table: Table, x: str, ys: list[str], title: str, fmt: str = "png",
          names: Mapping[str, str] | None = None) -> bytes:
    fig, ax = _figure()
    xs = [str(v) for v in table.column(x)]
    for colour, y in zip(COLOURS, ys, strict=False):
        ax.plot(xs, [float(v) for v in table.column(y)], marker="o", color=colour,
                label=(names or {}).get(y, y))
    ax.tick_params(axis="x", rotation=45)
    if len(ys) > 1:
        ax.legend(frameon=False)
    ax.set_title(title, fontsize=11)
    return _render(fig, fmt)


def stacked(table: Table, x: str, ys: list[str], title: str, fmt: str = "png",
            names: Mapping[str, str] | None = None) -> bytes:
    fig, ax = _figure()
    xs = [float(v) for v in table.column(x)]
    bottom = [0.0] * len(xs)
    width = (xs[1] - xs[0]) * 0.9 if len(xs) > 1 else 1.0
    for colour, y in zip(COLOURS, ys, strict=False):
        values = [float(v) for v in table.column(y)]
        ax.bar(xs, values, width=width, bottom=bottom, color=colour,
               label=(names or {}).get(y, y), align="edge")
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.legend(frameon=False)
    ax.set_title(title, fontsize=11)
    return _render(fig, fmt)
