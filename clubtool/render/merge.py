"""`clubtool merge` output: what was written, sheet by sheet, and what was left out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import t, tr
from . import Options

if TYPE_CHECKING:
    from rich.console import Console

    from ..merge import MergeResult
    from ..validation import ValidationReport


@dataclass(frozen=True, slots=True)
class Merged:
    """A merge and the validation it merged."""

    result: MergeResult
    report: ValidationReport


def table(merged: Merged, opts: Options) -> str:
    from ._text import capture

    return capture(lambda out: _draw(merged, out, opts.lang), opts)


def _draw(merged: Merged, out: Console, lang: str = "vi") -> None:
    from rich.markup import escape

    from ..job import communes_found
    from ..vnformat import whole as n

    result, report = merged.result, merged.report
    what = t("merge.wrote_folder" if result.format == "csv" else "merge.wrote_file", lang)
    out.print(f"[green]{what}[/green] {escape(str(result.path))}")
    for sheet, rows in result.rows.items():
        parts = result.parts.get(sheet, [sheet])
        where = (t("merge.split_into", lang, n=len(parts), parts=", ".join(parts))
                 if len(parts) > 1 else "")
        out.print(escape(t("merge.sheet_rows", lang, sheet=sheet, n=rows, count=n(rows),
                           split=where)))
    for sheet, parts in result.split.items():
        out.print("[yellow]" + escape(t("merge.split_sheet", lang, sheet=sheet,
                                        parts=", ".join(parts))) + "[/yellow]")
    if result.duplicates:
        out.print("[yellow]" + escape(t("merge.duplicates", lang, n=result.duplicates)) + "[/yellow]")
    if result.duplicate_rows_left_out:
        out.print("[yellow]" + escape(t("merge.duplicates_left_out", lang,
                                        rows=n(result.duplicate_rows_left_out),
                                        people=n(result.duplicate_groups_left_out)))
                  + "[/yellow]")
    for line in communes_found(report):
        out.print(escape(line))
    for notice in report.notices:
        out.print(f"[bold yellow]{t('word.warning', lang)}:[/bold yellow] {escape(tr(notice, lang))}")
    _used(result, out, lang, report)


def _used(result: MergeResult, out: Console, lang: str, report: ValidationReport) -> None:
    from rich.markup import escape

    # the reasons in the officer's language (the merged workbook's own are Vietnamese)
    said = dict([*report.excluded(lang), *report.not_counted(lang)]) if lang != "vi" else {}

    out.print(t("merge.used", lang, n=len(result.used))
              + (t("merge.with_invalid", lang, n=len(result.invalid_included))
                 if result.invalid_included else "."))
    from .indicators import bullets

    if result.not_merged:  # (wrapped lines stay under their text)
        out.print(bullets([f"[dim]{escape(Path(path).name)}: {escape(said.get(path, reason))}"
                           "[/dim]" for path, reason in result.not_merged], "–", ""))
    if result.excluded:
        out.print(f"[red]{escape(t('merge.excluded', lang, n=len(result.excluded)))}[/red]")
        out.print(bullets([f"{escape(Path(path).name)}: {escape(said.get(path, reason))}"
                           for path, reason in result.excluded], "–"))
