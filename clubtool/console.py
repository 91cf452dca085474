"""Rich rendering for the command line (only `cli.py` imports this module)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .validation import FileResult, ValidationReport

SEVERITY_WORDS = {"vi": {"error": "Lỗi", "warning": "Cảnh báo"},
                  "en": {"error": "Error", "warning": "Warning"}}
WORDS = {
    "vi": {"sheet": "Trang tính", "cell": "Ô", "column": "Cột", "value": "Giá trị",
           "problem": "Lỗi", "valid": "hợp lệ", "skipped": "bỏ qua",
           "total": "Tổng: {files} tệp, {valid} hợp lệ, {errors} lỗi, {warnings} cảnh báo.",
           "with_warnings": "{n} cảnh báo", "checking": "Đang kiểm tra",
           "annotated": "Đã ghi bản đánh dấu lỗi: {path}",
           "commune": "mẫu của xã", "club": "CLB"},
    "en": {"sheet": "Sheet", "cell": "Cell", "column": "Column", "value": "Value",
           "problem": "Problem", "valid": "valid", "skipped": "skipped",
           "total": "Total: {files} files, {valid} valid, {errors} errors, {warnings} warnings.",
           "with_warnings": "{n} warnings", "checking": "Checking",
           "annotated": "Annotated copy written: {path}",
           "commune": "commune workbook", "club": "club"},
}

#: Files from which on a progress bar is worth drawing.
PROGRESS_FROM = 20


def console(stderr: bool = False) -> Console:
    """A console that draws colours only on a terminal (never in cron or a pipe)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


@contextlib.contextmanager
def progress(total_hint: int, label: str, out: Console) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress callback drawing a bar, or None when not on a terminal or few files."""
    if not out.is_terminal or total_hint < PROGRESS_FROM:
        yield None
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=out, transient=True) as bar:
        task = bar.add_task(label, total=total_hint)

        def advance(done: int, total: int, _path: str) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _title(f: FileResult, lang: str) -> str:
    w = WORDS[lang]
    bits = [f.name]
    if f.kind == "club" and f.club_id:
        bits.append(f"{w['club']} {f.club_id}")
    elif f.kind == "commune":
        bits.append(w["commune"])
    if f.year:
        bits.append(str(f.year))
    return " — ".join(bits)


def render_validation(report: ValidationReport, out: Console, lang: str) -> None:
    w = WORDS[lang]
    sev = SEVERITY_WORDS[lang]
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
            out.print(f"[green]✓[/green] {title}: {w['valid']} ({note})")
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
                          f"[{colour}]{sev[i.severity]}[/{colour}]: {escape(i.message(lang, where=False))}")
        out.print(table)
    s = report.summary()
    colour = "red" if report.has_errors else "green"
    out.print(f"[{colour}]{w['total'].format(**s)}[/{colour}]")


def _short(value: str | None, limit: int = 60) -> str:
    if value is None:
        return ""
    text = value.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_tty() -> bool:
    return sys.stdout.isatty()
