"""JSON: the indicators' payload (SPEC §4 shape) plus the report's display figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..context import ReportContext


def render(ctx: ReportContext, *, templates: Path | str | None = None) -> bytes:
    out: dict[str, Any] = dict(ctx.payload)
    out["report"] = ctx.to_dict()
    return (json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
