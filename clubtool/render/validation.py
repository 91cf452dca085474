"""`clubtool validate` output: a table per file with issues (`table`), or JSON (`json`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import t, tr
from . import Options

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from ..validation import FileResult, ValidationReport


def json(report: ValidationReport, opts: Options) -> str:
    from .._jsonout import dumps

    return dumps(report.to_dict(opts.lang))


def table(report: ValidationReport, opts: Options) -> str:
    from ._text import capture

    return capture(lambda out: _draw(report, out, opts.lang), opts)


def _title(f: FileResult, lang: str) -> str:
    bits = [f.name]
    if f.kind == "club" and f.club_id:
        bits.append(f"{t('validate.club', lang)} {f.club_id}")
    elif f.kind == "commune":
        bits.append(t("validate.commune", lang))
    if f.year:
        bits.append(str(f.year))
    return " — ".join(bits)


def _draw(report: ValidationReport, out: Console, lang: str) -> None:
    from rich.markup import escape

    from ._text import titled

    for f in report.files:
        title = escape(_title(f, lang))
        if f.skipped:
            out.print(f"[dim]– {title}: {escape(f.skipped)}[/dim]")
            continue
        if not f.issues:
            out.print(f"[green]✓[/green] {title}: {t('validate.valid', lang)}")
            continue
        if f.errors == 0 and not f.strict:
            note = t("validate.with_warnings", lang, n=f.warnings)
            if f.superseded_by:  # valid, but another copy of the club's workbook counts
                note += "; " + t("validate.not_counted", lang, used=Path(f.superseded_by).name)
            out.print(f"[green]✓[/green] {title}: {t('validate.valid', lang)} ({escape(note)})")
        out.print(titled(_issues_table(f, title, lang)))
    for notice in report.notices:
        out.print(f"[bold yellow]{t('word.notice', lang)}:[/bold yellow] {escape(tr(notice, lang))}")
    s: dict[str, object] = dict(report.summary())
    s["files"] = t("word.files", lang, n=s["files"])
    s["warnings_n"] = t("word.warnings", lang, n=s["warnings"])
    colour = "red" if report.has_errors else "green"
    out.print(f"[{colour}]{t('validate.total', lang, **s)}[/{colour}]")


def _issues_table(f: FileResult, title: str, lang: str) -> Table:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column(t("validate.sheet", lang))
    table.add_column(t("validate.cell", lang), no_wrap=True)
    table.add_column(t("validate.column", lang))
    table.add_column(t("validate.value", lang), overflow="fold", max_width=24)
    table.add_column(t("validate.problem", lang), overflow="fold")
    for i in f.issues:
        colour = "red" if i.is_error else "yellow"
        table.add_row(escape(i.sheet or ""), escape(i.cell or ""), escape(i.column or ""),
                      escape(_short(i.value)),
                      f"[{colour}]{t('word.' + i.severity, lang)}[/{colour}]: "
                      f"{escape(i.message(lang, where=False))}")
    return table


def _short(value: str | None, limit: int = 60) -> str:
    if value is None:
        return ""
    text = value.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
