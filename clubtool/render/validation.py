"""`clubtool validate` output: a table per file with issues (`table`), or JSON (`json`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import Options

if TYPE_CHECKING:
    from rich.console import Console

    from ..validation import FileResult, ValidationReport


def json(report: ValidationReport, opts: Options) -> str:
    from .._jsonout import dumps

    return dumps(report.to_dict(opts.lang))


def table(report: ValidationReport, opts: Options) -> str:
    from ._text import capture

    return capture(lambda out: _draw(report, out, opts.lang), opts)


def _title(f: FileResult, lang: str) -> str:
    from .._console import WORDS

    w = WORDS[lang]
    bits = [f.name]
    if f.kind == "club" and f.club_id:
        bits.append(f"{w['club']} {f.club_id}")
    elif f.kind == "commune":
        bits.append(w["commune"])
    if f.year:
        bits.append(str(f.year))
    return " — ".join(bits)


def _draw(report: ValidationReport, out: Console, lang: str) -> None:
    from rich.markup import escape

    from .._console import WORDS

    w = WORDS[lang]
    for f in report.files:
        title = escape(_title(f, lang))
        if f.skipped:
            out.print(f"[dim]– {title}: {escape(f.skipped)}[/dim]")
            continue
        if not f.issues:
            out.print(f"[green]✓[/green] {title}: {w['valid']}")
            continue
        if f.errors == 0 and not f.strict:
            note = w["with_warnings"].format(n=f.warnings)
            if f.superseded_by:  # valid, but another copy of the club's workbook counts
                note += "; " + w["not_counted"].format(used=Path(f.superseded_by).name)
            out.print(f"[green]✓[/green] {title}: {w['valid']} ({escape(note)})")
        out.print(_issues_table(f, title, lang))
    for notice in report.notices:  # (in Vietnamese only for now: issue 16)
        out.print(f"[bold yellow]{w['notice']}:[/bold yellow] {escape(notice)}")
    s = report.summary()
    colour = "red" if report.has_errors else "green"
    out.print(f"[{colour}]{w['total'].format(**s)}[/{colour}]")


def _issues_table(f: FileResult, title: str, lang: str) -> object:
    from rich.markup import escape
    from rich.table import Table

    from .._console import SEVERITY_WORDS, WORDS

    w, sev = WORDS[lang], SEVERITY_WORDS[lang]
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column(w["sheet"])
    table.add_column(w["cell"], no_wrap=True)
    table.add_column(w["column"])
    table.add_column(w["value"], overflow="fold", max_width=24)
    table.add_column(w["problem"], overflow="fold")
    for i in f.issues:
        colour = "red" if i.is_error else "yellow"
        table.add_row(escape(i.sheet or ""), escape(i.cell or ""), escape(i.column or ""),
                      escape(_short(i.value)),
                      f"[{colour}]{sev[i.severity]}[/{colour}]: "
                      f"{escape(i.message(lang, where=False))}")
    return table


def _short(value: str | None, limit: int = 60) -> str:
    if value is None:
        return ""
    text = value.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
