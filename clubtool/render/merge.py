"""`clubtool merge` output: what was written, sheet by sheet, and what was left out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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

    return capture(lambda out: _draw(merged, out), opts)


def _draw(merged: Merged, out: Console) -> None:
    from rich.markup import escape

    from ..job import communes_found
    from ..vnformat import whole as n

    result, report = merged.result, merged.report
    what = "thư mục CSV" if result.format == "csv" else "tệp"
    out.print(f"[green]Đã ghi {what}:[/green] {escape(str(result.path))}")
    for sheet, rows in result.rows.items():
        parts = result.parts.get(sheet, [sheet])
        where = f" (chia thành {len(parts)} trang: {', '.join(parts)})" if len(parts) > 1 else ""
        out.print(f"  {escape(sheet)}: {n(rows)} dòng{escape(where)}")
    for sheet, parts in result.split.items():
        out.print(f"[yellow]Trang '{escape(sheet)}' vượt quá số dòng tối đa của một trang "
                  f"Excel nên được chia thành: {escape(', '.join(parts))}. Với số liệu lớn như "
                  "vậy, --format csv ghi nhanh hơn nhiều.[/yellow]")
    if result.duplicates:
        out.print(f"[yellow]Nghi trùng: {n(result.duplicates)} người (cùng họ tên và năm sinh) "
                  "có tên ở nhiều câu lạc bộ; xem trang Nghi trùng.[/yellow]")
    for line in communes_found(report):
        out.print(escape(line))
    for notice in report.notices:
        out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {escape(notice)}")
    _used(result, out)


def _used(result: MergeResult, out: Console) -> None:
    from rich.markup import escape

    from ..vnformat import whole as n

    out.print(f"Đã tổng hợp {n(len(result.used))} tệp"
              + (f", trong đó {len(result.invalid_included)} tệp còn lỗi." if result.invalid_included
                 else "."))
    for path, reason in result.not_merged:
        out.print(f"[dim]– {escape(Path(path).name)}: {escape(reason)}[/dim]")
    if result.excluded:
        out.print(f"[red]Bỏ ra {len(result.excluded)} tệp có lỗi (sửa rồi chạy lại, hoặc "
                  "thêm --include-invalid):[/red]")
        for path, reason in result.excluded:
            out.print(f"  – {escape(Path(path).name)}: {escape(reason)}")
