"""What the tool writes: the report formats, and the one rule that keeps its own outputs out
of its inputs.

Report formats (`REPORT_FORMATS`, `parse_formats`) are shared by `--format` of `report`, by
`formats` in clubtool.toml and by `export`: the same names and the same aliases everywhere
(`markdown` → `md`, `htm` → `html`, `word` → `docx`, `excel` → `xlsx`).

Own outputs: a folder the tool fills with outputs carries a marker, and nothing inside such
a folder is ever read as an input (`own_output_folder`):

- `<out>/<year>/manifest.json` written by `clubtool export` (`"tool": "clubtool"`);
- `.clubtool-output.json` written by `clubtool validate --annotate DIR` into DIR (the
  marked-up copies look like club workbooks: read again, each would count as a second
  copy of its club).

A file named on the command line is always read; only files found by searching a folder
are left out. The merged workbook is also recognised by its content wherever it is (the
reader says "do clubtool tạo ra" and skips it). `report -o` and `merge -o` mark nothing
(they may write into the current folder): keep their outputs outside the data folder.

Bottom of the module graph: standard library and `i18n` (itself standard library only).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .i18n import msg

__all__ = ["FORMAT_ALIASES", "MANIFEST_NAME", "OUTPUT_MARKER", "REPORT_FORMATS",
           "FormatError", "own_output_folder", "parse_formats", "write_marker"]

#: Report format → file extension, in the order they are offered.
REPORT_FORMATS = {"docx": "docx", "html": "html", "xlsx": "xlsx", "md": "md", "json": "json"}
#: Other names accepted for a report format, everywhere a format is named.
FORMAT_ALIASES = {"markdown": "md", "htm": "html", "word": "docx", "excel": "xlsx"}
DEFAULT_REPORT_FORMATS = ("docx", "html")

MANIFEST_NAME = "manifest.json"
OUTPUT_MARKER = ".clubtool-output.json"


class FormatError(ValueError):
    """A report format that does not exist; the message (an `i18n.Msg`) is for the officer."""


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """"docx,html" or ["docx", "Word"] → ("docx", ...), checked, aliases resolved, without
    repeats."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise FormatError(msg("outputs.bad_format", value=repr(item),
                                  choices=", ".join(REPORT_FORMATS)))
        f = item.strip().lower().lstrip(".")
        f = FORMAT_ALIASES.get(f, f)
        if not f:
            continue
        if f not in REPORT_FORMATS:
            raise FormatError(msg("outputs.bad_format", value=f"'{item.strip()}'",
                                  choices=", ".join(REPORT_FORMATS)))
        if f not in out:
            out.append(f)
    if not out:
        raise FormatError(msg("outputs.no_format", choices=", ".join(REPORT_FORMATS)))
    return tuple(out)


def write_marker(folder: Path, what: str) -> None:
    """Mark `folder` as holding the tool's outputs (`what`: which command wrote them)."""
    from ._fsutil import write_text_atomic

    path = folder / OUTPUT_MARKER
    if not path.exists():
        write_text_atomic(path, json.dumps({"tool": "clubtool", "outputs": what}) + "\n")


def own_output_folder(folder: Path) -> bool:
    """`folder` holds outputs of this tool (an export's year folder, marked-up copies)."""
    if (folder / OUTPUT_MARKER).is_file():
        return True
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return False
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("tool") == "clubtool"
