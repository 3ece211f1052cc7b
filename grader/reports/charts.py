"""The pages' charts, drawn by matplotlib and inlined as SVG text (no script, no network, no image file).

Matplotlib's object API is used without pyplot, so no GUI backend is ever chosen and no global figure state is
shared between threads; text is kept as SVG <text> (searchable, and XML-escaped by matplotlib's writer), and the
element ids are prefixed with the chart's key so several charts can share one HTML page.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

INK = "#1d2430"
MUTED = "#667085"
PASS_COLOR = "#c0392b"
REFERENCE_COLOR = "#2e8b57"
STYLE = {"svg.fonttype": "none", "font.size": 8.5, "font.family": "DejaVu Sans", "axes.edgecolor": MUTED,
         "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False,
         "axes.spines.right": False}
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')


@dataclass(frozen=True)
class Mark:
    """A vertical line on a histogram: the pass mark, or the reference's score."""

    value: float
    label: str
    color: str = PASS_COLOR
    style: str = "--"


@dataclass(frozen=True)
class Bar:
    """One horizontal bar of a bar chart."""

    label: str
    value: float
    color: str


def _svg(fig: Figure, key: str, label: str) -> str:
    """The figure as an SVG element (no XML prolog), its ids made unique to `key` on the page."""
    buffer = io.StringIO()
    safe_key = re.sub(r"[^A-Za-z0-9_-]", "-", key)
    with matplotlib.rc_context({**STYLE, "svg.hashsalt": f"aie-{safe_key}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.04)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = _ID.sub(lambda m: f'id="{safe_key}-{m.group(1)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}{safe_key}-{m.group(2)}", text)
    return text.replace("<svg ", f'<svg class="chart-svg" role="img" aria-label="{html.escape(label, quote=True)}" ', 1)


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height), layout="constrained")


def histogram_svg(key: str, counts: Sequence[int], low: float, high: float, xlabel: str,
                  marks: Sequence[Mark] = (), color: str = "#1f3a5f", size: tuple[float, float] = (4.6, 2.3)) -> str:
    """A histogram of equal-width bins over [low, high] with axes, a count on each bar and vertical marks."""
    with matplotlib.rc_context(STYLE):
        fig = _figure(*size)
        ax = fig.add_subplot()
        width = (high - low) / max(len(counts), 1)
        edges = [low + i * width for i in range(len(counts))]
        bars = ax.bar(edges, counts, width=width * 0.92, align="edge", color=color)
        ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=1, fontsize=7.5, color=INK)
        ax.set_xlim(low, high)
        ax.set_ylim(0, max([*counts, 1]) * 1.25)
        ax.set_xticks([low + i * width for i in range(len(counts) + 1)])
        ax.xaxis.set_major_formatter(lambda value, _pos: f"{value:g}")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.set_xlabel(xlabel)
        ax.set_ylabel("submissions")
        for mark in marks:
            ax.axvline(mark.value, color=mark.color, linestyle=mark.style, linewidth=1.4, label=mark.label)
        if marks:
            fig.legend(loc="outside upper left", ncols=len(marks), frameon=False, fontsize=7.5,
                       handlelength=1.8, borderaxespad=0.1)
        return _svg(fig, key, f"histogram of {xlabel}")


def bar_chart_svg(key: str, bars: Sequence[Bar], xlabel: str, size: tuple[float, float] | None = None) -> str:
    """Horizontal bars, one per row, the value written at the end of each, on an axis that starts at zero."""
    with matplotlib.rc_context(STYLE):
        fig = _figure(*(size or (5.4, 0.3 * len(bars) + 0.7)))
        ax = fig.add_subplot()
        rows = list(reversed(bars))  # the first bar on top
        drawn = ax.barh([b.label for b in rows], [max(b.value, 0.0) for b in rows], color=[b.color for b in rows],
                        height=0.62)
        ax.bar_label(drawn, labels=[f"{b.value:.3f}" for b in rows], padding=3, fontsize=8, color=INK)
        top = max((abs(b.value) for b in bars), default=0.0) or 1.0
        ax.set_xlim(0, top * 1.18)
        ax.set_xlabel(xlabel)
        ax.tick_params(axis="y", length=0)
        return _svg(fig, key, f"bar chart of {xlabel}")
