"""The review's chart: a small line chart per indicator, year by year, against the target.

Drawn as the annual chart is (`report._charts`): matplotlib imported lazily, the Agg canvas
without pyplot, DejaVu Sans (every Vietnamese glyph), the same colours per status, and
deterministic output: fixed SVG ids (`svg.hashsalt`), no date nor software in the metadata.
A year without data is a gap in the line on a grey band; the target is a dashed step line
(two phases may have two targets).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .._charts import COLOURS, LEGEND, TARGET_COLOUR, png_of, svg_of
from .model import ChartSeries

COLUMNS = 3
NO_DATA_COLOUR = "#eeeeee"
LINE_COLOUR = "#555555"


def _figure(series: Sequence[ChartSeries], years: Sequence[int]) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = math.ceil(len(series) / COLUMNS)
    fig = Figure(figsize=(6.3, 1.75 * rows + 0.45), dpi=100)
    FigureCanvasAgg(fig)  # no display, no pyplot, no global state
    axes = fig.subplots(rows, COLUMNS, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < len(series):
            _panel(ax, series[i], years)
        else:
            ax.set_visible(False)
    _legend(fig, series)
    fig.tight_layout(rect=(0, 0.4 / fig.get_figheight(), 1, 1), h_pad=0.9, w_pad=0.6)
    return fig


def _panel(ax: Any, s: ChartSeries, years: Sequence[int]) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    xs = list(range(len(years)))
    for x, st in zip(xs, s.statuses, strict=True):
        if not st:  # a year without data
            ax.axvspan(x - 0.5, x + 0.5, color=NO_DATA_COLOUR, zorder=0, linewidth=0)
    ys = [v if v is not None else math.nan for v in s.values]
    ax.plot(xs, ys, color=LINE_COLOUR, linewidth=1.1, zorder=2)
    for x, v, st in zip(xs, s.values, s.statuses, strict=True):
        if v is not None:
            ax.plot([x], [v], marker="o", markersize=4.5, linestyle="none", zorder=3,
                    color=COLOURS.get(st, COLOURS["khong_co_chi_tieu"]))
    tx = [x + dx for x in xs for dx in (-0.5, 0.5)]
    ty = [t if t is not None else math.nan for t in s.targets for _ in (0, 1)]
    ax.plot(tx, ty, color=TARGET_COLOUR, linewidth=1.0, linestyle=(0, (4, 2)), zorder=1)
    known = [v for v in (*s.values, *s.targets) if v is not None]
    top = max([*known, 100.0 if s.unit == "ratio" else 1.0])
    ax.set_ylim(0, top * 1.15)
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_xticks(xs, [str(y) if len(years) <= 5 else f"'{y % 100:02d}" for y in years])
    if s.unit == "ratio":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}%"))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax.tick_params(labelsize=6.5, length=2)
    ax.set_title(_wrap(s.label), fontsize=7, loc="left")
    ax.grid(axis="y", color="#dddddd", linewidth=0.5, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)


def _wrap(text: str, width: int = 30) -> str:
    """The label on at most two lines (the panel is narrow)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])[: width - 1] + "…"]
    return "\n".join(lines)


def _legend(fig: Any, series: Sequence[ChartSeries]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    shown = sorted({st for s in series for st in s.statuses if st in COLOURS},
                   key=list(LEGEND).index)
    handles: list[Any] = [Line2D([0], [0], marker="o", linestyle="none", markersize=5,
                                 color=COLOURS[k], label=LEGEND[k]) for k in shown]
    handles.append(Line2D([0], [0], color=TARGET_COLOUR, linewidth=1.0,
                          linestyle=(0, (4, 2)), label="Kế hoạch"))
    if any(not st for s in series for st in s.statuses):
        handles.append(Patch(color=NO_DATA_COLOUR, label="Chưa có số liệu"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
               fontsize=7.5, handlelength=1.6, columnspacing=1.2)


def phase_chart_svg(series: Sequence[ChartSeries], years: Sequence[int]) -> str | None:
    """The chart as an inline SVG element (no XML prolog); None when nothing to chart."""
    return svg_of(lambda: _figure(series, years)) if series else None


def phase_chart_png(series: Sequence[ChartSeries], years: Sequence[int],
                    dpi: int = 200) -> bytes | None:
    """The chart as PNG bytes (Word); None when nothing to chart."""
    return png_of(lambda: _figure(series, years), dpi=dpi) if series else None
