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

from ..i18n import t
from ..outputs import REPORT_FORMATS

__all__ = ["BOM", "CSV_ENCODINGS", "FormatNotFound", "Options", "Renderer", "check", "csv_bom",
           "formats", "renderer"]

#: The UTF-8 byte order mark as text: what `utf-8-sig` writes first.
BOM = "\ufeff"
#: `--csv-encoding`: "auto" (a BOM when the CSV goes into a file, none on a terminal or
#: through a pipe), "utf-8-sig" (always, for Excel), "utf-8" (never).
CSV_ENCODINGS = ("auto", "utf-8-sig", "utf-8")


@dataclass(frozen=True, slots=True)
class Options:
    """How to render: the reader's language; for tables the terminal's width and whether it
    shows colours; for the report the officer's own templates folder; for CSV text whether
    it starts with a byte order mark (`bom`: Excel then reads it as UTF-8, see `csv_bom`)."""

    lang: str = "vi"
    width: int = 80
    color: bool = False
    templates: Path | str | None = None
    bom: bool = False


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
    "rollup": {f: f"rollup:{f}" for f in ("table", "json", "csv", "docx", "html", "xlsx", "md")},
}


class FormatNotFound(ValueError):
    """A format the kind of output does not have; the message is for the officer."""


def formats(kind: str) -> tuple[str, ...]:
    """The formats of a kind of output, in the order they are offered."""
    return tuple(_RENDERERS[kind])


def check(kind: str, fmt: str) -> str:
    """`fmt` when `kind` has it, else FormatNotFound naming the formats it has."""
    if fmt not in _RENDERERS[kind]:
        raise FormatNotFound(t("cli.format_choice", choices=listed(formats(kind))))
    return fmt


def listed(names: tuple[str, ...] | list[str]) -> str:
    """"a, b or c" in the officer's language."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('word.or')} " + names[-1]


def renderer(kind: str, fmt: str) -> Renderer:
    """The renderer of `kind` in `fmt` (FormatNotFound when there is none)."""
    module, name = _RENDERERS[kind][check(kind, fmt)].split(":")
    func: Renderer = getattr(importlib.import_module(f".{module}", __name__), name)
    return func


def csv_bom(encoding: str, stream: Any = None) -> bool:
    """Whether CSV text written to `stream` starts with a BOM (docs/outputs.md#csv).

    Excel on Windows reads a CSV file without a BOM in the local code page: Vietnamese comes
    out garbled. A BOM in a pipe, though, reaches the next program as a stray character
    before the first header. So "auto" puts one when `stream` is a regular file that is still
    empty (`> chi_tieu.csv`), never on a terminal, a pipe or when appending (`>>`).
    ValueError (for the officer) for an encoding not in `CSV_ENCODINGS`.
    """
    if encoding not in CSV_ENCODINGS:
        raise ValueError(t("cli.csv_encoding_choice", choices=listed(CSV_ENCODINGS),
                           value=encoding))
    if encoding != "auto":
        return encoding == "utf-8-sig"
    import os
    import stat

    try:
        info = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):  # no file under it (a test's buffer)
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == 0
