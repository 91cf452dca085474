"""Renderers: each takes the same `ReportContext` and returns the bytes of one file.

Layout lives in the templates (`templates/`); numbers come ready from the context. A
renderer never computes a figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from ..._fsutil import normalise_zip
from ...outputs import REPORT_FORMATS
from ..context import ReportContext

Renderer = Callable[..., bytes]

#: Format name → file extension (the one list, in `clubtool.outputs`).
EXTENSIONS = REPORT_FORMATS


def template_vars(ctx: ReportContext) -> dict[str, Any]:
    """The context's fields as template variables (plus `ctx` itself)."""
    out: dict[str, Any] = {f.name: getattr(ctx, f.name) for f in fields(ctx)}
    out["ctx"] = ctx
    return out


__all__ = ["EXTENSIONS", "Renderer", "normalise_zip", "template_vars"]
