"""Markdown: the report as plain text with pipe tables (every value escaped)."""

from __future__ import annotations

from pathlib import Path

from ..context import ReportContext
from ..templates import MD_TEMPLATE, environment
from . import template_vars


def render(ctx: ReportContext, *, templates: Path | str | None = None) -> bytes:
    env = environment("md", templates)
    return env.get_template(MD_TEMPLATE).render(**template_vars(ctx)).encode("utf-8")
