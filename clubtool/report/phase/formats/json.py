"""JSON: the figures year by year (the shape of `clubtool indicators --years`, with each
year's commune figures) plus the review's display values. One entry a line, as
`clubtool._jsonout` writes all JSON."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .... import _jsonout as jsonout
from ..model import PhaseContext


def render(ctx: PhaseContext, *, templates: Path | str | None = None) -> bytes:
    out: dict[str, Any] = dict(ctx.payload)
    out["warnings"] = list(ctx.warnings)
    out["report"] = ctx.to_dict()
    buf = io.StringIO()
    jsonout.write(out, buf)
    return buf.getvalue().encode("utf-8")
