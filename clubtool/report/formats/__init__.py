"""Renderers: each takes the same `ReportContext` and returns the bytes of one file.

Layout lives in the templates (`templates/`); numbers come ready from the context. A
renderer never computes a figure.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import fields
from typing import Any

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


def normalise_zip(data: bytes) -> bytes:
    """The same zip (DOCX, XLSX) with fixed timestamps and modes: equal inputs, equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


__all__ = ["EXTENSIONS", "Renderer", "normalise_zip", "template_vars"]
