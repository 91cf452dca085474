"""Renderers: every output of every command is one kind of thing.

    from clubtool.render import Options, renderer
    text = renderer("indicators", "csv")(data, Options(lang="vi"))

A renderer is a function `(data, Options) -> str | bytes`: text for the terminal or a pipe
(`validation`, `indicators`, `merge`), bytes for a file (`report`). It computes nothing and
prints nothing; the caller writes what it returns. Which formats a kind has is `formats(kind)`
— the one list the CLI's `--format`, the settings and `export` check against (report
formats: `clubtool.outputs.REPORT_FORMATS`, with their aliases).

Each renderer is imported only when asked for: the JSON of `validate` never imports rich,
`indicators --format csv` never imports a Word library.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..outputs import REPORT_FORMATS

__all__ = ["FormatNotFound", "Options", "Renderer", "check", "formats", "renderer"]


@dataclass(frozen=True, slots=True)
class Options:
    """How to render: the reader's language; for tables the terminal's width and whether it
    shows colours; for the report the officer's own templates folder."""

    lang: str = "vi"
    width: int = 80
    color: bool = False
    templates: Path | str | None = None


Renderer = Callable[[Any, Options], "str | bytes"]

#: kind → format → "module:function" (module relative to this package).
_RENDERERS: dict[str, dict[str, str]] = {
    "validation": {"table": "validation:table", "json": "validation:json"},
    "indicators": {"table": "indicators:table", "json": "indicators:json",
                   "csv": "indicators:csv"},
    "merge": {"table": "merge:table"},
    "years": {"table": "years:table", "json": "years:json", "csv": "years:csv"},
    "report": {f: f"report:{f}" for f in REPORT_FORMATS},
    "phase": {f: f"phase:{f}" for f in REPORT_FORMATS},
}


class FormatNotFound(ValueError):
    """A format the kind of output does not have; the message is for the officer."""


def formats(kind: str) -> tuple[str, ...]:
    """The formats of a kind of output, in the order they are offered."""
    return tuple(_RENDERERS[kind])


def check(kind: str, fmt: str) -> str:
    """`fmt` when `kind` has it, else FormatNotFound naming the formats it has."""
    if fmt not in _RENDERERS[kind]:
        names = formats(kind)
        listed = ", ".join(names[:-1]) + " hoặc " + names[-1] if len(names) > 1 else names[0]
        raise FormatNotFound(f"--format chỉ nhận {listed}")
    return fmt


def renderer(kind: str, fmt: str) -> Renderer:
    """The renderer of `kind` in `fmt` (FormatNotFound when there is none)."""
    module, name = _RENDERERS[kind][check(kind, fmt)].split(":")
    func: Renderer = getattr(importlib.import_module(f".{module}", __name__), name)
    return func
