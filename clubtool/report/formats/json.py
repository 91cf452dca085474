"""JSON: the indicators' payload (SPEC §4 shape) plus the report's display figures.

The payload is complete at any scale (every club's figures); the display figures are what
the documents show (past the per-club limit: `club_summary` instead of per-club rows).
Encoded piece by piece into one buffer: json.dumps with indent builds a list of every
fragment first, which for 20,000 clubs is far larger than the file itself.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from ..context import ReportContext

_BATCH = 4096  # fragments joined and encoded at a time


def render(ctx: ReportContext, *, templates: Path | str | None = None) -> bytes:
    out: dict[str, Any] = dict(ctx.payload)
    out["report"] = ctx.to_dict()
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)  # as json.dumps(…, indent=2)
    buf = io.BytesIO()
    parts: list[str] = []
    for chunk in encoder.iterencode(out):
        parts.append(chunk)
        if len(parts) >= _BATCH:
            buf.write("".join(parts).encode("utf-8"))
            parts.clear()
    parts.append("\n")
    buf.write("".join(parts).encode("utf-8"))
    return buf.getvalue()
