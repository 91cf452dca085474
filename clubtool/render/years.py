"""`clubtool indicators --years …` output (`clubtool.years.YearsResult`): a table of the
indicators by year and one of the clubs by year (`table`), the JSON (`json`), or the long
CSV, one row per indicator and year (`csv`)."""

from __future__ import annotations

import csv as _csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..i18n import t, tr
from . import BOM, Options

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
    was judged against (its own phase). With `opts.bom`, a BOM first (Excel)."""
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
    return (BOM if opts.bom else "") + buf.getvalue()


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

    return capture(lambda out: _draw(yr, out, opts.lang), opts)


def _draw(yr: YearsResult, out: Console, lang: str = "vi") -> None:
    from rich.markup import escape

    from ._text import titled

    for line in _warnings(yr, lang):
        out.print(f"[bold yellow]{t('word.warning', lang)}:[/bold yellow] {escape(line)}")
    if not yr.has_data:
        out.print("[red]" + escape(t("years.no_data", lang, span=_span(yr.years),
                                     commune=yr.commune)) + "[/red]")
        return
    width = out.width
    fractions = _fits(_indicator_widths(yr, fractions=True), len(yr.years), width)
    widths = _indicator_widths(yr, fractions=fractions)
    chunks = _chunks(list(yr.years), widths, width)
    for i, years in enumerate(chunks):
        part = f" ({i + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        if i:
            out.print()
        out.print(titled(_indicator_table(yr, years, widths[1], fractions, part, lang)))
    _notes(yr, out, lang)
    if yr.clubs:
        cwidths = _club_widths(yr, lang)
        for years in _chunks(list(yr.years), cwidths, width):
            out.print()
            out.print(titled(_club_table(yr, years, cwidths[1], lang)))
        out.print(f"[dim]{escape(t('years.clubs_legend', lang))}[/dim]")
    if yr.missing_years:
        out.print("[yellow]" + escape(t("years.missing", lang, years=", ".join(
            str(y) for y in yr.missing_years))) + "[/yellow]")


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


def _club_widths(yr: YearsResult, lang: str = "vi") -> _Widths:
    from rich.cells import cell_len

    return _CLUB_MIN, max(cell_len(w) for w in (t("status.chua_dat", lang),
                                                t("status.dat", lang), "2026")), 1


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
                     part: str, lang: str = "vi") -> Any:
    from rich.markup import escape

    from ..indicators import format as fmt
    from .indicators import indicator_name

    table = _table(escape(t("years.title", lang, commune=yr.commune, span=_span(yr.years),
                            part=part)))
    table.add_column(t("indicators.col_indicator", lang), overflow="fold", min_width=_NAME_MIN,
                     ratio=1)
    for y in years:
        table.add_column(str(y), justify="right", no_wrap=True, min_width=year_width)
    table.add_column(t("years.col_plan", lang, phase=yr.phase.id), overflow="fold",
                     width=_TARGET_WIDTH)
    table.add_column(t("years.col_status", lang, year=yr.status_year), overflow="fold",
                     width=_STATUS_WIDTH)
    for v in yr.indicators:
        cells = []
        for y in years:
            c = v.by_year[y]
            style = _STATUS_STYLE[c.status]
            text = f"[{style}]{_value(v, c)}[/{style}]"
            if fractions and v.unit == "ratio" and _fraction(c):
                text += f"\n[dim]{_fraction(c)}[/dim]"
            cells.append(text)
        target = (fmt.target_text(v.target, v.unit, lang)
                  + (" *" if v.cumulative and v.target else ""))
        style = _STATUS_STYLE[v.status]
        table.add_row(escape(indicator_name(v.id, v.label, lang)), *cells, escape(target),
                      f"[{style}]{t('status.' + v.status, lang)}[/{style}]", end_section=True)
    return table


def _notes(yr: YearsResult, out: Console, lang: str = "vi") -> None:
    """Where the targets and the final statuses come from; phase targets in progress."""
    from rich.markup import escape
    from rich.table import Table

    from ..indicators import format as fmt
    from .indicators import indicator_name

    phase, last = yr.phase, yr.status_year
    assert last is not None
    result = yr.results[last]
    assert result is not None
    p = result.phase  # the phase the last year with data was judged in
    if last != yr.years[-1]:
        other = (t("years.judged_against", lang, phase=_title(p, lang).lower(),
                   shown=_title(phase, lang).lower()) if p.id != phase.id else "")
        out.print("[yellow]" + escape(t("years.judged_on", lang, last=last,
                                        span=_span(yr.years), other=other)) + "[/yellow]")
    if any(v.cumulative for v in yr.indicators):
        out.print("[cyan]" + escape(t("years.cumulative", lang, phase=_title(phase, lang).lower(),
                                      last=phase.last_year)) + "[/cyan]")
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
        words = t("indicators.clubs_word", lang, n=c.value or 0) if v.unit == "count" else ""
        note = fmt.phase_progress(c.value, v.unit, c.target.min, c.target.shown_max,
                                  p.first_year, p.last_year, words,
                                  phase=t("indicators.phase_name", lang, id=p.id), lang=lang,
                                  plan_unit=t("indicators.clubs_word", lang,
                                              n=c.target.shown_max or c.target.min)
                                  if v.unit == "count" else None)
        notes.add_row("  •", escape(t("indicators.phase_note", lang,
                                      name=indicator_name(v.id, v.label, lang), note=note,
                                      last=p.last_year)))
    out.print(notes)


def _title(phase: Any, lang: str) -> str:
    from .indicators import _phase_title

    return _phase_title(phase, lang)


def _club_table(yr: YearsResult, years: list[int], year_width: int, lang: str = "vi") -> Any:
    from rich.markup import escape

    from .. import schema as S

    table = _table(t("years.clubs_title", lang))
    code = t("indicators.col_club", lang, header=S.CLUB_INFO.field("club_id").header)
    village = t("indicators.col_village", lang, header=S.CLUB_INFO.field("village").header)
    table.add_column(f"{code} ({village.lower()})", overflow="fold", min_width=_CLUB_MIN, ratio=1)
    for y in years:
        table.add_column(str(y), justify="center", no_wrap=True, min_width=year_width)
    for club in yr.clubs:
        cells = []
        for y in years:
            cy = club.by_year.get(y)
            cells.append("[dim]—[/dim]" if cy is None else
                         f"[green]{t('status.dat', lang)}[/green]" if cy.dat_chuan
                         else f"[red]{t('status.chua_dat', lang)}[/red]")
        where = f" ({club.village})" if club.village else ""
        table.add_row(escape(club.club_id + where), *cells)
    return table


def _warnings(yr: YearsResult, lang: str = "vi") -> list[str]:
    """Each year's warnings, once each, with the years they are for, in `lang`."""
    seen: dict[str, list[int]] = {}
    for y, r in yr.results.items():
        for w in r.warnings if r is not None else ():
            seen.setdefault(w, []).append(y)
    return [f"({', '.join(map(str, ys))}) {tr(w, lang)}" for w, ys in seen.items()]
