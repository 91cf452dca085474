"""JSON: the indicators' payload (`IndicatorResult.to_dict()`) plus the report's display figures.

The payload is complete at any scale (every club's figures); the display figures are what
the documents show (past the per-club limit: `club_summary` instead of per-club rows).
Written as `clubtool._jsonout` writes all JSON: one entry (a club, an indicator) per line.

With the previous year (`render_report(previous=…)`) the payload has `previous_year` and
each indicator a `change`: this year's value minus the previous year's, exact, in the
indicator's unit (a count: an int; a ratio: a share, 0.032 for "+3,2 điểm %"; null when
either year has no value); the display figures (`report`) carry `previous_year` and each
row's `change` as the documents print it. Without it, neither key is written.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ... import _jsonout as jsonout
from ..context import ReportContext


def render(ctx: ReportContext, *, templates: Path | str | None = None) -> bytes:
    out: dict[str, Any] = dict(ctx.payload)
    out["warnings"] = list(ctx.warnings)  # the indicators' and the report's (signing date)
    out["report"] = ctx.to_dict()
    buf = io.StringIO()
    jsonout.write(out, buf)
    return buf.getvalue().encode("utf-8")
