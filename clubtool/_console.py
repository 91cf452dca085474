"""The terminal: rich consoles, progress bars, and the words of the validation table
(`clubtool.render` lays outputs out; only `cli.py` and the renderers import this module)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

SEVERITY_WORDS = {"vi": {"error": "Lỗi", "warning": "Cảnh báo"},
                  "en": {"error": "Error", "warning": "Warning"}}
WORDS = {
    "vi": {"sheet": "Trang tính", "cell": "Ô", "column": "Cột", "value": "Giá trị",
           "problem": "Lỗi", "valid": "hợp lệ", "skipped": "bỏ qua",
           "total": "Tổng: {files} tệp, {valid} hợp lệ, {errors} lỗi, {warnings} cảnh báo.",
           "with_warnings": "{n} cảnh báo", "checking": "Đang kiểm tra",
           "annotated": "Đã ghi bản đánh dấu lỗi: {path}",
           "commune": "mẫu của xã", "club": "CLB",
           "not_counted": "không tính: dùng tệp {used}", "notice": "Lưu ý"},
    "en": {"sheet": "Sheet", "cell": "Cell", "column": "Column", "value": "Value",
           "problem": "Problem", "valid": "valid", "skipped": "skipped",
           "total": "Total: {files} files, {valid} valid, {errors} errors, {warnings} warnings.",
           "with_warnings": "{n} warnings", "checking": "Checking",
           "annotated": "Annotated copy written: {path}",
           "commune": "commune workbook", "club": "club",
           "not_counted": "not counted: {used} is used", "notice": "Note"},
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
