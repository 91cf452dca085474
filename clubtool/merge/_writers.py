"""Writing the merged sheets: one .xlsx workbook (`_xlsx`, streamed) or one CSV file per
sheet. Both take the same `SheetData`; neither computes anything.

Text is always written as text: in the workbook as an inline string (never a formula), in
CSV with a leading `'` before `=`, `+`, `-`, `@`, tab or CR, so that a name typed as
"=HYPERLINK(…)" is never run as a formula by the spreadsheet that opens it.

Numbers are exact: Excel holds 15 significant digits, so a number of 16 or more (a sum of
20,000 clubs' funds, 19.999.999.999.980.007 đồng) is written as text with its exact digits
rather than as a number Excel would show with wrong last digits; and so is a totals cell of
such a column, instead of a SUBTOTAL formula that would add in 15 digits.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import math
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from ._pieces import ClubRows
from ._sheets import TOTAL_LABEL, Column, Fmt, SheetData, part_name
from ._xlsx import EXCEL_EXACT_LIMIT, Book, Sheet, TotalCell, col_name, exact_text

#: Rows of an Excel sheet (1,048,576) less the header row.
EXCEL_MAX_ROWS = 1_048_575
#: What makes a spreadsheet read a CSV cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

__all__ = ["EXCEL_EXACT_LIMIT", "EXCEL_MAX_ROWS", "CsvSink", "XlsxSink", "atomic_dir",
           "csv_cell", "csv_file_name", "csv_text", "exact_text"]

_END = object()


class XlsxSink:
    """An .xlsx workbook written sheet after sheet, row after row (`_xlsx.Book`).

    A sheet with more rows than `row_limit` continues on "Name (2)", "Name (3)"…
    """

    def __init__(self, path: Path, *, created: dt.datetime, title: str, row_limit: int,
                 tmpdir: str | None = None):  # tmpdir: unused (nothing is written beside)
        self.row_limit = row_limit
        self.book = Book(path, title=title, created=created)

    def close(self) -> None:
        self.book.close()

    def abort(self) -> None:
        self.book.abort()

    def _part(self, data: SheetData, number: int) -> Sheet:
        return self.book.add_sheet(part_name(data.name, number), data.columns,
                                   freeze_cols=data.freeze_cols, title=data.title)

    def write(self, data: SheetData) -> tuple[list[str], int]:
        """Write one logical sheet; return the names of its parts and its number of rows."""
        cols = data.columns
        totals = _Totals(cols) if data.totals else None
        # the title lines count against Excel's rows too
        limit = max(1, min(self.row_limit, EXCEL_MAX_ROWS - len(data.title)))
        on_row = totals.add if totals is not None else None
        if totals is None and isinstance(data.rows, ClubRows) and data.rows.count <= limit:
            ws = self._part(data, 1)  # club after club, as pieces kept in the cache
            count = ws.write_pieces(data.rows.pieces())
            ws.close(ws.last_row)
            return [ws.name], count
        rows = iter(data.rows)
        parts = [self._part(data, 1)]
        count = 0
        nxt: Any = next(rows, _END)
        while nxt is not _END:
            ws = parts[-1]
            room = limit - (ws.last_row - ws.header_row)
            if room <= 0:  # full: the rows go on
                ws.close(ws.last_row)
                parts.append(self._part(data, len(parts) + 1))
                continue
            count += ws.write_rows(chain([nxt], rows), room, on_row)
            nxt = next(rows, _END)
        ws = parts[-1]
        if totals is not None and count:
            if ws.last_row - ws.header_row >= limit:  # full: the totals row on a part of its own
                ws.close(ws.last_row)
                ws = self._part(data, len(parts) + 1)
                parts.append(ws)
            last = ws.last_row  # the filter leaves the totals row out
            ws.write_totals(self._totals_row(ws, cols, totals, formulas=len(parts) == 1))
            ws.close(last)
        else:
            ws.close(ws.last_row)
        return [p.name for p in parts], count

    @staticmethod
    def _totals_row(ws: Sheet, cols: Sequence[Column], totals: _Totals, *, formulas: bool
                    ) -> list[TotalCell | None]:
        """Sums and counts under the rows. In a single part they are SUBTOTAL formulas, so
        they follow the officer's filter; the value computed here is stored with them."""
        r = ws.last_row + 1
        first = ws.header_row + 1
        where = {c.header: i for i, c in enumerate(cols)}
        out: list[TotalCell | None] = [(Fmt.TEXT, TOTAL_LABEL, None)]
        for c, col in enumerate(cols):
            if c == 0:
                continue
            letter = col_name(c)
            if col.total is not None:
                value = totals.values[c]
                if c in totals.inexact or not -EXCEL_EXACT_LIMIT < value < EXCEL_EXACT_LIMIT:
                    out.append((col.fmt, exact_text(value), None))  # Excel adds in 15 digits
                elif formulas:
                    code = 9 if col.total == "sum" else 3  # SUM / COUNTA of visible rows
                    out.append((col.fmt, value, f"SUBTOTAL({code},{letter}{first}:{letter}{r - 1})"))
                else:
                    out.append((col.fmt, value, None))
            elif col.ratio is not None:
                num, den = (where[h] for h in col.ratio)
                n, d = totals.values[num], totals.values[den]
                ratio = n / d if d and math.isfinite(n / d) else None
                if formulas:
                    a, b = f"{col_name(num)}{r}", f"{col_name(den)}{r}"
                    out.append((col.fmt, ratio, f'IF({b}=0,"",{a}/{b})'))
                else:
                    out.append((col.fmt, ratio, None) if ratio is not None else None)  # no cell
            else:
                out.append((Fmt.TEXT, None, None))
        return out


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


# --- CSV -------------------------------------------------------------------------------------


def csv_text(text: str) -> str:
    """Text a spreadsheet will not run as a formula: "=1+1" → "'=1+1"."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(v: Any) -> str:
    if v is None or v is False:
        return ""
    if v is True:
        return "x"
    t = type(v)
    if t is str:
        return csv_text(v)
    if t is int:
        return str(v)
    if t is float:
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()  # yyyy-mm-dd: read the same in every locale
    return csv_text(str(v))


class CsvSink:
    """One UTF-8 (with BOM, for Excel) CSV file per sheet in a folder. No row limit, no
    totals row: the CSV files are data for other programs."""

    def __init__(self, folder: Path):
        self.folder = folder

    def close(self) -> None:
        pass

    def write(self, data: SheetData) -> tuple[list[str], int]:
        name = csv_file_name(data.name)
        rows = 0
        with open(self.folder / name, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([c.header for c in data.columns])
            for row in data.rows:
                w.writerow([csv_cell(v) for v in row])
                rows += 1
        return [name], rows


def csv_file_name(sheet: str) -> str:
    return f"{sheet}.csv"


@contextlib.contextmanager
def atomic_dir(target: Path, may_replace: Callable[[Path], bool]) -> Iterator[Path]:
    """Yield a temporary folder beside `target`; on success it becomes `target` at once.

    An existing `target` is replaced only when `may_replace(target)` says so (checked again
    at the end). On any failure the temporary folder is removed and `target` is untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        if target.exists():
            if not may_replace(target):
                raise FileExistsError(str(target))
            old = target.parent / f".{target.name}.{uuid.uuid4().hex}.old"
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
