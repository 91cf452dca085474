"""The report's chart: each ratio indicator's value against the plan's target.

matplotlib is imported lazily (it is slow to import and only the report needs it) and
drawn without pyplot, on the Agg canvas, so nothing depends on a display or on global
state. DejaVu Sans, which ships with matplotlib, has every Vietnamese glyph. Output is
deterministic: fixed SVG ids (`svg.hashsalt`), no dates in the metadata.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from .context import ChartBar

#: By status: met, not met, a phase target still in progress, no target.
COLOURS = {"dat": "#1f5f99", "chua_dat": "#d9822b", "dang_thuc_hien": "#7fb3d5",
           "khong_co_chi_tieu": "#9a9a9a"}
LEGEND = {"dat": "Đạt", "chua_dat": "Chưa đạt", "dang_thuc_hien": "Đang thực hiện",
          "khong_co_chi_tieu": "Không có chỉ tiêu"}
_ORDER = list(LEGEND)
TARGET_COLOUR = "#222222"
_RC: dict[str, Any] = {
    "svg.hashsalt": "clubtool-report",
    "svg.fonttype": "path",  # glyphs as paths: the SVG shows the same everywhere
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.linewidth": 0.6,
}


def _key(b: ChartBar) -> str:
    """The bar's status (a bar built without one: from `met`)."""
    if b.status in COLOURS:
        return b.status
    return "khong_co_chi_tieu" if b.met is None else ("dat" if b.met else "chua_dat")


def _figure(bars: Sequence[ChartBar]) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    n = len(bars)
    fig = Figure(figsize=(6.3, 0.3 * n + 0.8), dpi=100)
    FigureCanvasAgg(fig)  # the Agg canvas: no display, no pyplot, no global state
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(n))[::-1]
    top = max([100.0, *(b.value for b in bars), *(b.target or 0 for b in bars)])
    ax.barh(ys, [b.value for b in bars], height=0.6, color=[COLOURS[_key(b)] for b in bars],
            zorder=2)
    for y, b in zip(ys, bars, strict=True):
        if b.target is not None:
            ax.plot([b.target, b.target], [y - 0.42, y + 0.42], color=TARGET_COLOUR,
                    linewidth=2.0, solid_capstyle="butt", zorder=3)
        # The figure beside its bar, clear of the target mark.
        x = b.value
        if b.target is not None and b.value - top * 0.02 <= b.target <= b.value + top * 0.09:
            x = max(x, b.target)
        ax.text(x + top * 0.012, y, b.text, va="center", ha="left", fontsize=8.5, zorder=4)
    ax.set_yticks(ys, [b.label for b in bars])
    ax.set_xlim(0, top * 1.12)
    ax.set_ylim(-0.7, n - 0.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.0f}%"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    shown = sorted({_key(b) for b in bars}, key=_ORDER.index)
    handles: list[Any] = [Patch(color=COLOURS[k], label=LEGEND[k]) for k in shown]
    handles.append(Line2D([0], [0], color=TARGET_COLOUR, linewidth=2, label="Kế hoạch"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
               fontsize=8.5, handlelength=1.6, columnspacing=1.4)
    fig.tight_layout(rect=(0, 0.35 / fig.get_figheight(), 1, 1))
    return fig


#: The last chart laid out, by its bars: the report's DOCX (PNG) and HTML (SVG) save the same
#: figure instead of laying it out twice (saving leaves a figure as it was: same bytes).
_LAST: list[tuple[tuple[Any, ...], Any]] = []


def _laid_out(bars: Sequence[ChartBar]) -> Any:
    key = tuple((b.label, b.value, b.target, b.met, b.text, b.status) for b in bars)
    if not (_LAST and _LAST[0][0] == key):
        _LAST[:] = [(key, _figure(bars))]
    return _LAST[0][1]


def saved(draw: Callable[[], Any], fmt: str, *, rc: dict[str, Any] | None = None,
          **kw: Any) -> bytes:
    """The figure `draw()` makes (under the charts' settings `_RC`, updated by `rc`) saved
    as `fmt`, cropped to what it shows. Every chart of the documents is saved here: the
    report's, the phase review's and the province's."""
    import matplotlib

    settings: Any = {**_RC, **(rc or {})}
    with matplotlib.rc_context(settings):
        fig = draw()
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, bbox_inches="tight", pad_inches=0.04, **kw)
    return buf.getvalue()


def svg_of(draw: Callable[[], Any], *, rc: dict[str, Any] | None = None) -> str:
    """`saved` as an inline SVG element (no XML prolog) that scales with the page."""
    svg = saved(draw, "svg", rc=rc, metadata={"Date": None}).decode("utf-8")
    svg = svg[svg.index("<svg"):]
    # Scale with the page: keep the viewBox, drop the fixed size.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1', svg, count=1)
    return svg.replace("<svg", '<svg role="img" class="chart"', 1)


def png_of(draw: Callable[[], Any], *, dpi: int = 200, rc: dict[str, Any] | None = None
           ) -> bytes:
    """`saved` as PNG bytes (for Word)."""
    return saved(draw, "png", rc=rc, dpi=dpi, metadata={"Software": None})


def chart_svg(bars: Sequence[ChartBar]) -> str | None:
    """The chart as an inline SVG element (no XML prolog); None when nothing to chart."""
    return svg_of(lambda: _laid_out(bars)) if bars else None


def chart_png(bars: Sequence[ChartBar], dpi: int = 200) -> bytes | None:
    """The chart as PNG bytes (for Word); None when nothing to chart."""
    return png_of(lambda: _laid_out(bars), dpi=dpi) if bars else None
