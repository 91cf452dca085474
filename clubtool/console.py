"""Rich rendering for the command line (only `cli.py` imports this module)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import schema as S
from .validation import FileResult, ValidationReport

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
            if f.superseded_by:  # valid, but another copy of the club's workbook counts
                note += "; " + w["not_counted"].format(used=Path(f.superseded_by).name)
            out.print(f"[green]✓[/green] {title}: {w['valid']} ({escape(note)})")
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
    for notice in report.notices:  # (in Vietnamese only for now: issue 16)
        out.print(f"[bold yellow]{w['notice']}:[/bold yellow] {escape(notice)}")
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


_STATUS_STYLE = {"dat": "green", "chua_dat": "red", "dang_thuc_hien": "cyan",
                 "khong_co_du_lieu": "dim", "khong_co_chi_tieu": "dim"}


def render_indicators(result: Any, out: Any) -> None:
    """The indicator table, the per-club table, excluded files and missing clubs."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from .indicators import CRITERIA_BY_ID
    from .indicators import format as fmt
    from .indicators.registry import BY_ID

    if not result.has_commune:
        # Above the table: the officer must not read the empty commune rows as zeros.
        commune_level = "; ".join(BY_ID[v.id].name for v in result.indicators
                                  if v.commune_level)
        why = ("không có, hoặc bị loại vì có lỗi: xem các tệp bị loại bên dưới"
               if result.excluded else "không tìm thấy trong các tệp đã cho")
        out.print(f"[bold yellow]Cảnh báo: không có tệp mẫu của xã (có trang “Thông tin xã”) hợp "
                  f"lệ cho năm {result.year} ({why}), nên không tính được các chỉ tiêu cấp xã: "
                  f"{escape(commune_level)}; cũng không biết câu lạc bộ nào chưa gửi báo cáo. Hãy đặt tệp "
                  "mẫu của xã vào thư mục dữ liệu, hoặc ghi --commune TỆP.[/bold yellow]")
    t = Table(title=(f"Chỉ tiêu kế hoạch — xã {escape(result.commune)} — năm {result.year} "
                     f"({escape(result.phase.title)}), số liệu đến ngày "
                     f"{result.as_of.strftime('%d/%m/%Y')}"),
              title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    t.add_column("Chỉ tiêu", overflow="fold", min_width=24, ratio=1)
    t.add_column("Kế hoạch", overflow="fold", max_width=14)
    t.add_column("Thực hiện", justify="right", no_wrap=True)
    t.add_column("Tiến độ", no_wrap=True)
    t.add_column("Đánh giá", overflow="fold", max_width=11)
    for v in result.indicators:
        style = _STATUS_STYLE[v.status]
        done = fmt.value_text(v)
        if fmt.fraction_text(v):
            done += f"\n[dim]{fmt.fraction_text(v)}[/dim]"
        target = fmt.target_text(v.target, v.unit)
        if v.cumulative and v.target is not None:
            target += "\n[dim]cả giai đoạn[/dim]"
        t.add_row(escape(v.name), target, done,
                  f"[{style}]{fmt.bar(v, 8)}[/{style}]",
                  f"[{style}]{fmt.STATUS_WORDS[v.status]}[/{style}]", end_section=True)
    out.print(t)
    phase = result.phase
    progressing = [v for v in result.indicators if v.status == "dang_thuc_hien" and v.target]
    if progressing:
        out.print(f"[cyan]Chỉ tiêu tính cho cả {escape(phase.title.lower())}, đánh giá vào năm "
                  f"{phase.last_year} (trước đó: đang thực hiện, không phải chưa đạt):[/cyan]")
        notes = Table.grid(padding=(0, 1))  # wrapped lines stay under their bullet
        notes.add_column(no_wrap=True)
        notes.add_column()
        for v in progressing:
            words = "CLB" if v.unit == "count" else ""
            note = fmt.phase_progress(v.value, v.unit, v.target.min, v.target.shown_max,
                                      phase.first_year, phase.last_year, words,
                                      phase=f"giai đoạn {phase.id}")
            notes.add_row("  •", f"{escape(v.name)}: đang thực hiện, {escape(note)}; đánh giá "
                                 f"vào năm {phase.last_year}.")
        out.print(notes)

    if result.clubs:
        standard = result.plan.standard
        ct = Table(title="Từng câu lạc bộ", title_justify="left", box=box.SIMPLE_HEAD)
        for header, justify in ((S.CLUB_INFO.field("club_id").header, "left"),
                                (S.CLUB_INFO.field("village").header, "left"),
                                (S.MEMBERS.name, "right"),  # how many rows of that sheet
                                ("Nữ NCT", "right"), ("Hằng tháng", "center"),
                                ("Đủ 8 ND", "center"), ("CĐS, xanh", "center"),
                                ("BCN tập huấn", "right"), ("Đạt chuẩn", "center")):
            ct.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]

        def yes(flag: bool) -> str:
            return "[green]có[/green]" if flag else "[red]không[/red]"

        def share(x: float | None) -> str:
            return fmt.NO_VALUE if x is None else fmt.percent(x)

        failed_lines = []
        for c in result.clubs:
            vals = c.values
            ct.add_row(escape(c.club_id), escape(c.village or ""), fmt.number(c.members),
                       share(vals["nu_nct"]), yes(vals["sinh_hoat_hang_thang"]),
                       yes(vals["du_8_noi_dung"]), yes(vals["cds_xanh_khoi_nghiep"]),
                       share(vals["bcn_tap_huan"]), yes(c.dat_chuan))
            if c.criteria_failed:
                parts = []
                for k in c.criteria_failed:
                    detail = fmt.criterion_detail(c.figures, k)
                    label = CRITERIA_BY_ID[k].describe(standard)
                    parts.append(label + (f" ({detail})" if detail else ""))
                name = f" {c.name}" if c.name else ""
                failed_lines.append(f"  • [bold]{escape(c.club_id)}[/bold]{escape(name)}: "
                                    + escape("; ".join(parts)))
        out.print(ct)
        if failed_lines:
            out.print("[red]Tiêu chí câu lạc bộ đạt chuẩn chưa đạt:[/red]")
            for line in failed_lines:
                out.print(line)

    if result.excluded:
        out.print(f"[red]Tệp bị loại vì có lỗi ({len(result.excluded)}), cần sửa rồi gửi lại:[/red]")
        for path, reason in result.excluded:
            # soft_wrap: a path is never broken across lines (it stays copyable)
            out.print(f"  • [bold]{escape(path)}[/bold]: {escape(reason)}", soft_wrap=True)
    if result.not_counted:  # a copy of a club's workbook that another copy replaces
        out.print(f"[yellow]Tệp không tính vì câu lạc bộ đã gửi bản khác ({len(result.not_counted)}):"
                  "[/yellow]")
        for path, reason in result.not_counted:
            out.print(f"  • [bold]{escape(path)}[/bold]: {escape(reason)}", soft_wrap=True)
    if result.missing:
        names = []
        for club_id in result.missing:
            known = result.known_club(club_id)
            names.append(escape(club_id + (f" ({known.name})" if known and known.name else "")))
        out.print(f"[red]Câu lạc bộ chưa gửi báo cáo hợp lệ ({len(names)}):[/red] " + ", ".join(names))
