"""The merged workbook's writer as it was before `clubtool.merge._xlsx`: XlsxWriter in
constant-memory mode, one call per cell. Kept for the tests only, as the reference the
streaming writer must match cell for cell (tests/test_merge_xlsx.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clubtool.merge._sheets import TOTAL_LABEL, Column, Fmt, SheetData, part_name
from clubtool.merge._xlsx import EXCEL_EXACT_LIMIT, exact_text

WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows go to disk as written: memory stays flat
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


class XlsxSink:
    """An .xlsx workbook written sheet after sheet, row after row (XlsxWriter constant memory).

    A sheet with more rows than `row_limit` continues on "Name (2)", "Name (3)"…
    """

    def __init__(self, path: Path, *, created: dt.datetime, title: str, row_limit: int,
                 tmpdir: str | None = None):
        import xlsxwriter

        self.row_limit = row_limit
        self.wb = xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, "tmpdir": tmpdir})
        # A fixed date keeps the bytes the same for the same inputs (XlsxWriter writes it into
        # docProps/core.xml; its zip entries already carry a fixed 1980 timestamp).
        self.wb.set_properties({"title": title, "author": "clubtool", "created": created})
        add = self.wb.add_format
        self.header = add({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
                           "bottom": 1})
        self.cell_fmt = {
            Fmt.TEXT: None,
            Fmt.INT: None,
            Fmt.MONEY: add({"num_format": "#,##0"}),
            Fmt.DATE: add({"num_format": "dd/mm/yyyy"}),
            Fmt.FLAG: add({"align": "center"}),
            Fmt.SHARE: add({"num_format": "0.0%"}),
        }
        total = {"bold": True, "top": 1}
        self.total_fmt = {
            Fmt.TEXT: add(total),
            Fmt.INT: add(total),
            Fmt.MONEY: add({**total, "num_format": "#,##0"}),
            Fmt.DATE: add({**total, "num_format": "dd/mm/yyyy"}),
            Fmt.FLAG: add({**total, "align": "center"}),
            Fmt.SHARE: add({**total, "num_format": "0.0%"}),
        }

    def close(self) -> None:
        self.wb.close()

    def _part(self, data: SheetData, number: int) -> Any:
        ws = self.wb.add_worksheet(part_name(data.name, number))
        ws.set_row(0, 45)
        for c, col in enumerate(data.columns):
            ws.set_column(c, c, col.width)
            ws.write_string(0, c, col.header, self.header)
        ws.freeze_panes(1, data.freeze_cols)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.repeat_rows(0)
        return ws

    def write(self, data: SheetData) -> tuple[list[str], int]:
        """Write one logical sheet; return the names of its parts and its number of rows."""
        cols = data.columns
        fmts = [self.cell_fmt[c.fmt] for c in cols]
        flag_fmt = self.cell_fmt[Fmt.FLAG]
        date_fmt = self.cell_fmt[Fmt.DATE]
        totals = _Totals(cols) if data.totals else None
        limit = self.row_limit
        parts: list[str] = []
        ws = self._part(data, 1)
        parts.append(ws.name)
        r = 0  # last row written in the current part (0: the header)
        rows = 0
        write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
        for row in data.rows:
            if r >= limit:
                self._close_part(ws, r, len(cols))
                ws = self._part(data, len(parts) + 1)
                parts.append(ws.name)
                write_string, write_number, write_datetime = (ws.write_string, ws.write_number,
                                                              ws.write_datetime)
                r = 0
            r += 1
            rows += 1
            for c, v in enumerate(row):
                if v is None or v is False or v == "":
                    continue
                t = type(v)
                if t is str:
                    write_string(r, c, v)
                elif t is bool:
                    write_string(r, c, "x", flag_fmt)
                elif t is int or t is float:
                    if -EXCEL_EXACT_LIMIT < v < EXCEL_EXACT_LIMIT:
                        write_number(r, c, v, fmts[c])
                    else:  # also NaN and infinities, which write_number refuses
                        write_string(r, c, exact_text(v), fmts[c])
                elif isinstance(v, dt.date):
                    write_datetime(r, c, v, date_fmt)
                else:
                    write_string(r, c, str(v))
            if totals is not None:
                totals.add(row)
        if totals is not None and rows:
            if r >= limit:
                self._close_part(ws, r, len(cols))
                ws = self._part(data, len(parts) + 1)
                parts.append(ws.name)
                r = 0
            self._totals_row(ws, r + 1, cols, totals, formulas=len(parts) == 1)
        self._close_part(ws, r, len(cols))  # the filter leaves the totals row out
        return parts, rows

    @staticmethod
    def _close_part(ws: Any, last_row: int, ncols: int) -> None:
        ws.autofilter(0, 0, last_row, ncols - 1)

    def _totals_row(self, ws: Any, r: int, cols: Sequence[Column], totals: _Totals, *,
                    formulas: bool) -> None:
        """Sums and counts under the rows. In a single part they are SUBTOTAL formulas, so
        they follow the officer's filter; the value computed here is stored with them."""
        from xlsxwriter.utility import xl_col_to_name

        where = {c.header: i for i, c in enumerate(cols)}
        ws.write_string(r, 0, TOTAL_LABEL, self.total_fmt[Fmt.TEXT])
        for c, col in enumerate(cols):
            if c == 0:
                continue
            fmt = self.total_fmt[col.fmt]
            letter = xl_col_to_name(c)
            if col.total is not None:
                value = totals.values[c]
                if c in totals.inexact or not -EXCEL_EXACT_LIMIT < value < EXCEL_EXACT_LIMIT:
                    ws.write_string(r, c, exact_text(value), fmt)  # Excel would add in 15 digits
                elif formulas:
                    code = 9 if col.total == "sum" else 3  # SUM / COUNTA of visible rows
                    ws.write_formula(r, c, f"=SUBTOTAL({code},{letter}2:{letter}{r})", fmt, value)
                else:
                    ws.write_number(r, c, value, fmt)
            elif col.ratio is not None:
                num, den = (where[h] for h in col.ratio)
                n, d = totals.values[num], totals.values[den]
                if formulas:
                    a, b = f"{xl_col_to_name(num)}{r + 1}", f"{xl_col_to_name(den)}{r + 1}"
                    ws.write_formula(r, c, f'=IF({b}=0,"",{a}/{b})', fmt, n / d if d else "")
                elif d:
                    ws.write_number(r, c, n / d, fmt)
            else:
                ws.write_blank(r, c, None, self.total_fmt[Fmt.TEXT])


class _Totals:
    def __init__(self, cols: Sequence[Column]):
        self.which = [(i, c.total) for i, c in enumerate(cols) if c.total is not None]
        self.values: dict[int, float] = {i: 0 for i, _ in self.which}
        self.inexact: set[int] = set()  # columns holding a number written as text

    def add(self, row: Sequence[Any]) -> None:
        for i, how in self.which:
            v = row[i]
            if how == "count":
                if v:
                    self.values[i] += 1
            elif type(v) in (int, float):
                self.values[i] += v
                if not -EXCEL_EXACT_LIMIT < v < EXCEL_EXACT_LIMIT:
                    self.inexact.add(i)
