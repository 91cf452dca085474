"""The roll-up's chart: for each indicator, how many communes are at each status (stacked
horizontal bars: đạt, chưa đạt, đang thực hiện, không có dữ liệu, không có chỉ tiêu).

Drawn as the annual report's chart (`report._charts`): matplotlib imported lazily, the Agg
canvas without pyplot, DejaVu Sans (every Vietnamese glyph), the same colours per status,
deterministic output (fixed SVG ids, no date nor software in the metadata).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..report._charts import COLOURS, LEGEND, png_of, svg_of
from .document import ChartRow

ORDER = ("dat", "chua_dat", "dang_thuc_hien", "khong_co_du_lieu", "khong_co_chi_tieu")
_COLOURS = {**COLOURS, "khong_co_du_lieu": "#d9d9d9"}
_LEGEND = {**LEGEND, "khong_co_du_lieu": "Không có dữ liệu"}


def _figure(rows: Sequence[ChartRow]) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    n = len(rows)
    fig = Figure(figsize=(6.3, 0.32 * n + 0.9), dpi=100)
    FigureCanvasAgg(fig)  # the Agg canvas: no display, no pyplot, no global state
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(n))[::-1]
    left = [0] * n
    shown = []
    top = max(sum(r.counts.values()) for r in rows) or 1
    for status in ORDER:
        widths = [r.counts.get(status, 0) for r in rows]
        if not any(widths):
            continue
        shown.append(status)
        ax.barh(ys, widths, left=left, height=0.62, color=_COLOURS[status], zorder=2,
                edgecolor="white", linewidth=0.4)
        for y, x0, w in zip(ys, left, widths, strict=True):
            if w and w >= top * 0.06:  # the number inside its part, when it fits
                dark = status in ("dat", "chua_dat")
                ax.text(x0 + w / 2, y, str(w), ha="center", va="center", fontsize=7.5,
                        color="white" if dark else "#222222", zorder=3)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(ys, [r.label for r in rows])
    ax.set_xlim(0, top * 1.02)
    ax.set_ylim(-0.7, n - 0.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Số xã", fontsize=8.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    handles: list[Any] = [Patch(color=_COLOURS[k], label=_LEGEND[k]) for k in shown]
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 5), frameon=False,
               fontsize=8, handlelength=1.4, columnspacing=1.2)
    fig.tight_layout(rect=(0, 0.35 / fig.get_figheight(), 1, 1))
    return fig


#: The province's chart: its SVG ids salted apart from the report's (as before).
_ROLLUP_RC = {"svg.hashsalt": "clubtool-rollup"}


def chart_svg(rows: Sequence[ChartRow]) -> str | None:
    """The chart as an inline SVG element; None when there is nothing to chart."""
    return svg_of(lambda: _figure(rows), rc=_ROLLUP_RC) if rows else None


def chart_png(rows: Sequence[ChartRow], dpi: int = 200) -> bytes | None:
    """The chart as PNG bytes (for Word); None when there is nothing to chart."""
    return png_of(lambda: _figure(rows), dpi=dpi, rc=_ROLLUP_RC) if rows else None
