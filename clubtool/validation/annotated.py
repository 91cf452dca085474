"""Marked-up copies of the faulty workbooks, to send back to the clubs (`--annotate DIR`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .report import ValidationReport


def annotate_report(report: ValidationReport, out_dir: Path | str, *,
                    lang: str | None = None) -> Iterator[Path]:
    """Write, for each file with issues, a marked-up copy into `out_dir` (same file name).

    Files that cannot be opened as a workbook (empty, encrypted, not Excel) get no copy:
    their problem is in the report. Two inputs with the same name in different folders get
    `name (2).xlsx`, … Yields the paths written.
    """
    from ..workbook.annotate import annotate

    out = Path(out_dir)
    used: set[str] = set()
    for f in report.files:
        if f.skipped or not f.issues or f.loaded is None or f.loaded.kind is None:
            continue
        source = Path(f.path)
        name = source.name
        n = 2
        while name.casefold() in used:
            name = f"{source.stem} ({n}){source.suffix}"
            n += 1
        used.add(name.casefold())
        written = annotate(source, f.issues, out / name, lang=lang)
        if written is not None:
            yield Path(written)
