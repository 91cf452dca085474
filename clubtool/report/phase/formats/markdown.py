"""Markdown: the review as plain text with pipe tables (every value escaped)."""

from __future__ import annotations

from pathlib import Path

from ...templates import environment
from ..model import PhaseContext
from . import MD_TEMPLATE, template_vars


def render(ctx: PhaseContext, *, templates: Path | str | None = None) -> bytes:
    env = environment("md", templates)
    return env.get_template(MD_TEMPLATE).render(**template_vars(ctx)).encode("utf-8")
