"""`clubtool indicators --years …` output (`clubtool.years.YearsResult`): a table of the
indicators by year and one of the clubs by year (`table`), the JSON (`json`), or the long
CSV, one row per indicator and year (`csv`)."""

from __future__ import annotations

import csv as _csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import Options

if TYPE_CHECKING:
    from rich.console import Console

    from ..years import YearCell, YearsIndicator, YearsResult

CSV_COLUMNS = ("id", "name", "unit", "year", "numerator", "denominator", "value",
               "target_min", "target_shown_max", "status")


def json(yr: YearsResult, opts: Options) -> str:
    from .._jsonout import dumps

    return dumps(yr.to_dict())


def csv(yr: YearsResult, opts: Options) -> str:
    """Long form: one row per indicator and year, in the plan's order then year order
    (unrounded values; an empty cell is no value). The target is the one that year's status
    was judged against (its own phase)."""
    from ..indicators.format import csv_text

    buf = io.StringIO()
    w = _csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for v in yr.indicators:
        for year, c in v.by_year.items():
            w.writerow([v.id, csv_text(v.name), v.unit, year, _cell(c.numerator),
                        _cell(c.denominator), _cell(c.value),
                        _cell(c.target.min if c.target else None),
                        _cell(c.target.shown_max if c.target else None), c.status])
    return buf.getvalue()


def _cell(x: float | int | None) -> str:
    return "" if x is None else repr(x)


# --- table ------------------------------------------------------------------------------

_STATUS_STYLE = {"dat": "green", "chua_dat": "red", "dang_thuc_hien": "cyan",
                 "khong_co_du_lieu": "dim", "khong_co_chi_tieu": "dim"}
_NAME_MIN = 18  # the indicator's name never gets narrower: more years go to another table
_TARGET_WIDTH = 10
_STATUS_WIDTH = 9
_CLUB_MIN = 14  # club code and village
_GAP = 2  # between two columns (one space of padding, one of the box's divider)


def table(yr: YearsResult, opts: Options) -> str:
    from ._text import capture

    return capture(lambda out: _draw(yr, out), opts)


def _draw(yr: YearsResult, out: Console) -> None:
    from rich.markup import escape

    for line in _warnings(yr):
        out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {escape(line)}")
    if not yr.has_data:
        out.print(f"[red]Không có dữ liệu năm nào trong khoảng {_span(yr.years)} cho xã "
                  f"{escape(yr.commune)}.[/red]")
        return
    width = out.width
    fractions = _fits(_indicator_widths(yr, fractions=True), len(yr.years), width)
    widths = _indicator_widths(yr, fractions=fractions)
    chunks = _chunks(list(yr.years), widths, width)
    for i, years in enumerate(chunks):
        part = f" ({i + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        if i:
            out.print()
        out.print(_indicator_table(yr, years, widths[1], fractions, part))
    _notes(yr, out)
    if yr.clubs:
        cwidths = _club_widths(yr)
        for years in _chunks(list(yr.years), cwidths, width):
            out.print()
            out.print(_club_table(yr, years, cwidths[1]))
        out.print("[dim]đạt: câu lạc bộ đạt chuẩn; chưa đạt: chưa đạt chuẩn; —: không có báo "
                  "cáo hợp lệ năm đó.[/dim]")
    if yr.missing_years:
        out.print("[yellow]Không có dữ liệu trong lưu trữ cho năm: "
                  + ", ".join(str(y) for y in yr.missing_years) + ".[/yellow]")


# (fixed width of the other columns, width of one year column, number of other columns)
_Widths = tuple[int, int, int]


def _indicator_widths(yr: YearsResult, *, fractions: bool) -> _Widths:
    from rich.cells import cell_len

    texts = [_value(v, c) for v in yr.indicators for c in v.by_year.values()]
    if fractions:
        texts += [_fraction(c) for v in yr.indicators for c in v.by_year.values()
                  if v.unit == "ratio"]
    year_width = max(4, *(cell_len(t) for t in texts))
    return _NAME_MIN + _TARGET_WIDTH + _STATUS_WIDTH, year_width, 3


def _club_widths(yr: YearsResult) -> _Widths:
    from rich.cells import cell_len

    return _CLUB_MIN, max(cell_len(t) for t in ("chưa đạt", "đạt", "2026")), 1


def _needed(widths: _Widths, years: int) -> int:
    fixed, year_width, others = widths
    return fixed + years * year_width + (others + years - 1) * _GAP


def _fits(widths: _Widths, years: int, width: int) -> bool:
    return _needed(widths, years) <= width


def _chunks(years: list[int], widths: _Widths, width: int) -> list[list[int]]:
    """The years in as few tables as fit the width, of even sizes (no year column is ever
    cut: a narrow terminal gets more tables)."""
    per = next((k for k in range(len(years), 0, -1) if _fits(widths, k, width)), 1)
    n = -(-len(years) // per)
    size = -(-len(years) // n)
    return [years[i:i + size] for i in range(0, len(years), size)]


def _span(years: Sequence[int]) -> str:
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _value(v: YearsIndicator, c: YearCell) -> str:
    from ..vnformat import NO_VALUE, number, percent

    if c.value is None:
        return NO_VALUE
    return percent(c.value) if v.unit == "ratio" else number(c.value)


def _fraction(c: YearCell) -> str:
    from ..vnformat import number

    if c.numerator is None or c.denominator is None:
        return ""
    return f"{number(c.numerator)}/{number(c.denominator)}"


def _table(title: str) -> Any:
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                 pad_edge=False, padding=(0, 1), collapse_padding=True)


def _indicator_table(yr: YearsResult, years: list[int], year_width: int, fractions: bool,
                     part: str) -> Any:
    from rich.markup import escape

    from ..indicators import format as fmt

    t = _table(f"Chỉ tiêu theo năm — xã {escape(yr.commune)} — {_span(yr.years)}{part}")
    t.add_column("Chỉ tiêu", overflow="fold", min_width=_NAME_MIN, ratio=1)
    for y in years:
        t.add_column(str(y), justify="right", no_wrap=True, min_width=year_width)
    t.add_column(f"Kế hoạch {yr.phase.id}", overflow="fold", width=_TARGET_WIDTH)
    t.add_column(f"Đánh giá {yr.status_year}", overflow="fold", width=_STATUS_WIDTH)
    for v in yr.indicators:
        cells = []
        for y in years:
            c = v.by_year[y]
            style = _STATUS_STYLE[c.status]
            text = f"[{style}]{_value(v, c)}[/{style}]"
            if fractions and v.unit == "ratio" and _fraction(c):
                text += f"\n[dim]{_fraction(c)}[/dim]"
            cells.append(text)
        target = fmt.target_text(v.target, v.unit) + (" *" if v.cumulative and v.target else "")
        style = _STATUS_STYLE[v.status]
        t.add_row(escape(v.label), *cells, escape(target),
                  f"[{style}]{fmt.STATUS_WORDS[v.status]}[/{style}]", end_section=True)
    return t


def _notes(yr: YearsResult, out: Console) -> None:
    """Where the targets and the final statuses come from; phase targets in progress."""
    from rich.markup import escape
    from rich.table import Table

    from ..indicators import format as fmt

    phase, last = yr.phase, yr.status_year
    assert last is not None
    result = yr.results[last]
    assert result is not None
    p = result.phase  # the phase the last year with data was judged in
    if last != yr.years[-1]:
        other = (f", so với kế hoạch {escape(p.title.lower())} (cột Kế hoạch là của "
                 f"{escape(phase.title.lower())})" if p.id != phase.id else "")
        out.print(f"[yellow]Đánh giá theo số liệu năm {last}, năm cuối có dữ liệu trong khoảng "
                  f"{_span(yr.years)}{other}.[/yellow]")
    if any(v.cumulative for v in yr.indicators):
        out.print(f"[cyan]* Chỉ tiêu tính cho cả {escape(phase.title.lower())}, đánh giá vào năm "
                  f"{phase.last_year}; các năm trước: đang thực hiện (không phải chưa "
                  f"đạt).[/cyan]")
    progressing = [v for v in yr.indicators if v.status == "dang_thuc_hien"]
    if not progressing:
        return
    notes = Table.grid(padding=(0, 1))  # wrapped lines stay under their bullet
    notes.add_column(no_wrap=True)
    notes.add_column()
    for v in progressing:
        c = v.by_year[last]
        if c.target is None:
            continue
        words = "CLB" if v.unit == "count" else ""
        note = fmt.phase_progress(c.value, v.unit, c.target.min, c.target.shown_max,
                                  p.first_year, p.last_year, words, phase=f"giai đoạn {p.id}")
        notes.add_row("  •", f"{escape(v.label)}: đang thực hiện, {escape(note)}; đánh giá "
                             f"vào năm {p.last_year}.")
    out.print(notes)


def _club_table(yr: YearsResult, years: list[int], year_width: int) -> Any:
    from rich.markup import escape

    from .. import schema as S

    t = _table("Câu lạc bộ đạt chuẩn theo năm")
    code, village = (S.CLUB_INFO.field(k).header for k in ("club_id", "village"))
    t.add_column(f"{code} ({village.lower()})", overflow="fold", min_width=_CLUB_MIN, ratio=1)
    for y in years:
        t.add_column(str(y), justify="center", no_wrap=True, min_width=year_width)
    for club in yr.clubs:
        cells = []
        for y in years:
            cy = club.by_year.get(y)
            cells.append("[dim]—[/dim]" if cy is None else
                         "[green]đạt[/green]" if cy.dat_chuan else "[red]chưa đạt[/red]")
        where = f" ({club.village})" if club.village else ""
        t.add_row(escape(club.club_id + where), *cells)
    return t


def _warnings(yr: YearsResult) -> list[str]:
    """Each year's warnings, once each, with the years they are for."""
    seen: dict[str, list[int]] = {}
    for y, r in yr.results.items():
        for w in r.warnings if r is not None else ():
            seen.setdefault(w, []).append(y)
    return [f"({', '.join(map(str, ys))}) {w}" for w, ys in seen.items()]
