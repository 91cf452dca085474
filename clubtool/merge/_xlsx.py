"""A streaming .xlsx writer for the merged workbook: each sheet's rows go straight into the
zip as they come (memory stays flat), as the XML that XlsxWriter writes in constant-memory
mode, without its per-cell bookkeeping: five to six times faster (bench/notes.md#xlsx).

It writes what the merge needs and nothing else: text (always an inline string, never a
formula: a name typed "=HYPERLINK(…)" stays text), numbers, dates shown dd/mm/yyyy, the
few cell formats of `Fmt`, a header row, title lines above it, frozen panes, a filter, A4
landscape with the header rows repeated on each printed page, and the totals row's formulas
with their computed values. The bytes depend on the inputs only (fixed zip and document
dates). `tests/merge_oracle.py` writes the same sheets with XlsxWriter, and a test checks
that every cell reads back the same.

A sheet's XML is written as `Piece`s: rows without row or cell references (ECMA-376 makes
`r` optional on `<row>` and `<c>`: a row follows the one before, a cell the one before, an
empty cell is `<c/>`; Excel, LibreOffice, WPS, openpyxl and calamine read them so), each
deflated on its own and ended by a sync flush. A piece therefore means the same wherever it
goes, and pieces made at different times join into one zip entry: the merge keeps each
club's rows as a piece in the cache and a nightly run with one club changed encodes that
club's rows only (`merge._pieces`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ._sheets import Column, Fmt

#: zlib level of the sheets: 6 (zlib's default, XlsxWriter's) costs twice the time of 4 for
#: files 10% smaller (bench/notes.md#xlsx).
LEVEL = 4
#: Excel keeps 15 significant digits: from here on a number is written as exact text.
EXCEL_EXACT_LIMIT = 10**15
#: Characters of a cell (Excel's limit, in UTF-16 units).
CELL_MAX = 32767

# The cell formats (cellXfs of styles.xml): (header, title, a cell of each Fmt, a totals
# cell of each Fmt). "" is the default format.
HEADER, TITLE = ' s="1"', ' s="11"'
CELL = {Fmt.TEXT: "", Fmt.INT: "", Fmt.DATE: ' s="2"', Fmt.SHARE: ' s="3"', Fmt.FLAG: ' s="4"',
        Fmt.MONEY: ' s="5"'}
TOTAL = {Fmt.TEXT: ' s="6"', Fmt.INT: ' s="6"', Fmt.SHARE: ' s="7"', Fmt.FLAG: ' s="8"',
         Fmt.MONEY: ' s="9"', Fmt.DATE: ' s="10"'}

_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_LITERAL = re.compile("(_x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_DAY0 = dt.date(1899, 12, 31).toordinal()
_FLUSH = 256  # rows of a piece written by `Sheet.write_rows`

#: A cell of the totals row: its format, its value, its formula (None: a value only).
TotalCell = tuple[Fmt, str | float | None, str | None]


def escape(text: str) -> str:
    """`&`, `<` and `>` as XML writes them (xml.sax.saxutils.escape, whose module imports
    urllib, http and ssl: ~7 ms of every export's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """`text` as an attribute's value, quotes included (xml.sax.saxutils.quoteattr)."""
    data = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"' + data.replace('"', "&quot;") + '"'


def col_name(col: int) -> str:
    """The letters of a 0-based column: 0 → "A", 27 → "AB"."""
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def text(value: str) -> str:
    """The <is> element of a text cell, escaped as Excel reads it (control characters as
    _xHHHH_, a literal "_x0041_" kept literal); at most `CELL_MAX` characters."""
    if len(value) > CELL_MAX // 2:
        units = value.encode("utf-16-le", "surrogatepass")  # (a lone surrogate: kept, as "?")
        if len(units) > 2 * CELL_MAX:
            value = units[: 2 * CELL_MAX].decode("utf-16-le", "surrogatepass")
            if "\ud800" <= value[-1] <= "\udbff":  # half of a pair cut in two
                value = value[:-1]
    if _SPECIAL.search(value):
        value = _LITERAL.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def serial(day: dt.date) -> float:
    """Excel's serial number of a date (1900 system, with its 29/02/1900)."""
    if isinstance(day, dt.datetime):
        delta = day.replace(tzinfo=None) - dt.datetime(1899, 12, 31)
        x: float = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    else:
        x = day.toordinal() - _DAY0
    return x + 1 if x > 59 else x


def exact_text(v: float) -> str:
    """A number Excel cannot hold exactly, with its exact digits: "19.999.999.999.980.007"."""
    from ..vnformat import whole

    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return str(v)
        v = round(v)
    return whole(v)


def _entry(name: str, level: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # same bytes for same inputs
    info.compress_type = zipfile.ZIP_DEFLATED
    if hasattr(info, "compress_level"):  # Python 3.13+
        info.compress_level = level
    else:
        info._compresslevel = level  # type: ignore[attr-defined]
    return info


def _encode(chunk: str) -> bytes:
    try:
        return chunk.encode()
    except UnicodeEncodeError:  # a lone surrogate: shown as "?" rather than failing
        return chunk.encode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a sheet's XML, deflated on its own (raw deflate ended by a sync flush, so
    that pieces join into one stream), with what the zip entry needs: its length and CRC-32
    before compression, and the rows it holds."""

    rows: int
    size: int
    crc: int
    data: bytes

    @classmethod
    def of(cls, xml: str, rows: int = 0, level: int = LEVEL) -> Piece:
        raw = _encode(xml)
        z = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(rows, len(raw), zlib.crc32(raw), z.compress(raw) + z.flush(zlib.Z_SYNC_FLUSH))

    _HEAD = struct.Struct("<QQI")

    def pack(self) -> bytes:
        return self._HEAD.pack(self.rows, self.size, self.crc) + self.data

    @classmethod
    def unpack(cls, blob: bytes) -> Piece:
        rows, size, crc = cls._HEAD.unpack_from(blob)
        return cls(rows, size, crc, blob[cls._HEAD.size:])


_zeros = bytearray()


def crc_join(first: int, then: int, size: int) -> int:
    """The CRC-32 of two byte strings one after the other, from their CRCs and the second's
    length (zlib's crc32_combine, which Python does not expose: CRC-32 is affine, so the
    first's CRC carried over `size` zero bytes, less those zeros' own CRC, plus the second's).

    The carrying is linear in zlib's register, which zlib.crc32 inverts on the way in and
    out: inverting `first` before and the result after carries it over the zeros in one
    pass (the same value as `crc32(zeros, first) ^ crc32(zeros)`, for half the work: a
    nightly merge joins 45 MB of pieces).
    """
    global _zeros
    if size > len(_zeros):
        _zeros = bytearray(max(size, 2 * len(_zeros)))
    zeros = memoryview(_zeros)[:size]
    return zlib.crc32(zeros, first ^ 0xFFFFFFFF) ^ 0xFFFFFFFF ^ then


#: What `Sheet` sets on zipfile's entry writer to add deflated pieces as they are.
_WRITER_STATE = ("_fileobj", "_file_size", "_compress_size", "_crc", "_compressor")


class _StreamEnd:
    """Stands for zipfile's compressor in an entry written from pieces: its flush ends
    the raw deflate stream (an empty final block)."""

    def compress(self, data: bytes) -> bytes:  # pragma: no cover - never called
        raise AssertionError("a sheet is written from deflated pieces only")

    def flush(self) -> bytes:
        return b"\x03\x00"


# long: the hot loop of the merge (every cell of 1.4 M members), kept in one frame
def encode(rows: Iterator[Sequence[Any]], fmts: Sequence[str], most: int,
           on_row: Callable[[Sequence[Any]], None] | None = None) -> tuple[str, int]:
    """The XML of up to `most` rows taken from `rows` (no more are taken), and how many.
    `fmts`: each column's cell format (`CELL`); `on_row(row)` after each (the totals).

    Each cell gives what `text`, `serial` and `exact_text` give, with the common cases
    inline (tests/test_encode_speed_equivalence.py compares it with a plain reference): a
    text without anything to escape and without a space at either end is written as it
    is, and the cell of a text seen before in these rows is taken again (names of
    provinces, villages, clubs repeat); an int is written as `str` writes it, which is
    what `{:.16G}` gives below `EXCEL_EXACT_LIMIT`; a date's serial is an int."""
    flag, date = CELL[Fmt.FLAG], CELL[Fmt.DATE]
    big = EXCEL_EXACT_LIMIT
    half = CELL_MAX // 2  # up to here no text is too long for a cell (`text`)
    special = _SPECIAL.search
    seen: dict[str, str] = {}  # text → its cell, for these rows only (memory stays flat)
    out: list[str] = []
    add = out.append
    n = 0
    if most <= 0:
        return "", 0
    for row in rows:
        add("<row>")
        gap = 0
        for c, v in enumerate(row):
            t = type(v)
            if t is str:
                if not v:
                    gap += 1
                    continue
                if gap:  # a cell without a reference is the one after the cell before
                    add("<c/>" * gap)
                    gap = 0
                cell = seen.get(v)
                if cell is None:
                    if len(v) > half or special(v) or v[0].isspace() or v[-1].isspace():
                        cell = f'<c t="inlineStr">{text(v)}</c>'
                    else:
                        cell = f'<c t="inlineStr"><is><t>{v}</t></is></c>'
                    seen[v] = cell
                add(cell)
                continue
            if v is None or v is False:
                gap += 1
                continue
            if t is int:
                if -big < v < big:
                    cell = f"<c{fmts[c]}><v>{v}</v></c>"
                else:
                    cell = f'<c{fmts[c]} t="inlineStr">{text(exact_text(v))}</c>'
            elif t is float:
                if -big < v < big:
                    cell = f"<c{fmts[c]}><v>{v:.16G}</v></c>"
                else:  # also NaN and infinities
                    cell = f'<c{fmts[c]} t="inlineStr">{text(exact_text(v))}</c>'
            elif t is bool:
                cell = f'<c{flag} t="inlineStr"><is><t>x</t></is></c>'
            elif v == "":  # not a str, yet equal to "": an empty cell, as for ""
                gap += 1
                continue
            elif t is dt.date:  # `serial` of a date, inline
                x = v.toordinal() - _DAY0
                cell = f"<c{date}><v>{x + 1 if x > 59 else x}</v></c>"
            elif isinstance(v, dt.date):
                cell = f"<c{date}><v>{serial(v):.16G}</v></c>"
            else:
                cell = f'<c t="inlineStr">{text(str(v))}</c>'
            if gap:
                add("<c/>" * gap)
                gap = 0
            add(cell)
        add("</row>")
        n += 1
        if on_row is not None:
            on_row(row)
        if n >= most:
            break
    return "".join(out), n


class Book:
    """One .xlsx file, written sheet after sheet. Sheets are written one at a time: add a
    sheet, write its rows, close it, then the next."""

    def __init__(self, path: Path | str, *, title: str, created: dt.datetime,
                 level: int = LEVEL):
        self.zf = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
        self.title = title
        self.created = created
        self.level = level
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str, columns: Sequence[Column], *, freeze_cols: int,
                  title: Sequence[str] = ()) -> Sheet:
        sheet = Sheet(self, name, columns, freeze_cols=freeze_cols, title=title)
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        from . import _xlsx_parts as P

        names = [s.name for s in self.sheets]
        for part, xml in P.package(names, [s.defined_names() for s in self.sheets],
                                   title=self.title, created=self.created):
            self.zf.writestr(_entry(part, self.level), xml.encode())
        self.zf.close()

    def abort(self) -> None:
        """Close the file after a failure (its content no longer matters), so that it can
        be removed (Windows removes no open file)."""
        for sheet in self.sheets:
            if sheet.fh is not None:
                with contextlib.suppress(Exception):
                    sheet.fh.close()
                sheet.fh = None
        try:
            self.zf.close()
        except Exception:  # a sheet's entry could not be closed: the file itself can
            if self.zf.fp is not None:
                self.zf.fp.close()


class Sheet:
    """One sheet: title lines, the header, then rows, then (once) the totals row."""

    def __init__(self, book: Book, name: str, columns: Sequence[Column], *, freeze_cols: int,
                 title: Sequence[str]):
        self.name = name
        self.columns = tuple(columns)
        self.level = book.level
        self.fmts = [CELL[c.fmt] for c in self.columns]
        self.header_row = len(title) + 1  # 1-based, as Excel numbers rows
        self.last_row = self.header_row
        self._filter_to = self.header_row
        self._refs = [f'<c r="{col_name(c)}' for c in range(len(self.columns))]
        index = len(book.sheets) + 1
        self.fh: IO[bytes] | None = book.zf.open(
            _entry(f"xl/worksheets/sheet{index}.xml", book.level), "w")
        self._direct = all(hasattr(self.fh, a) for a in _WRITER_STATE)
        if self._direct:
            self.fh._compressor = _StreamEnd()  # type: ignore[attr-defined]
        self.add(Piece.of(self._head(index == 1, freeze_cols, title), level=self.level))

    def add(self, piece: Piece) -> None:
        """Append a piece to the sheet's entry as it is (zipfile's writer keeps the sizes
        and CRC; `_WRITER_STATE`); with another zipfile than the one this was written for,
        the piece is inflated and written through zipfile's own compressor instead."""
        w: Any = self.fh
        assert w is not None
        if not self._direct:
            w.write(zlib.decompressobj(-15).decompress(piece.data))
            return
        w._fileobj.write(piece.data)
        w._compress_size += len(piece.data)
        w._crc = crc_join(w._crc, piece.crc, piece.size)
        w._file_size += piece.size

    def _head(self, selected: bool, freeze_cols: int, title: Sequence[str]) -> str:
        from ._xlsx_parts import sheet_head

        rows = [f'<row r="{n}">{self._refs[0]}{n}"{TITLE} t="inlineStr">{text(line)}</c></row>'
                for n, line in enumerate(title, start=1)]
        h = self.header_row
        cells = "".join(f'{self._refs[c]}{h}"{HEADER} t="inlineStr">{text(col.header)}</c>'
                        for c, col in enumerate(self.columns))
        rows.append(f'<row r="{h}" ht="45" customHeight="1">{cells}</row>')
        return sheet_head(selected=selected, freeze=(h, freeze_cols),
                          widths=[c.width for c in self.columns]) + "".join(rows)

    def write_rows(self, rows: Iterator[Sequence[Any]], limit: int,
                   on_row: Callable[[Sequence[Any]], None] | None = None) -> int:
        """Write rows from `rows` until it ends or `limit` rows are written; return how
        many. `on_row(row)` is called after each (the totals)."""
        written = 0
        while written < limit:
            xml, n = encode(rows, self.fmts, min(_FLUSH, limit - written), on_row)
            if not n:
                break
            self.add(Piece.of(xml, n, self.level))
            written += n
        self.last_row += written
        return written

    def write_pieces(self, pieces: Iterable[Piece]) -> int:
        """Write rows already encoded (`encode`, `Piece.of`); return how many."""
        written = 0
        for piece in pieces:
            self.add(piece)
            written += piece.rows
        self.last_row += written
        return written

    def write_totals(self, cells: Sequence[TotalCell | None]) -> None:
        """The totals row: per column (format, value, formula), or None for no cell. A
        formula's value is the one computed (Excel and LibreOffice compute it again on
        opening); a text value is written as text; a None value: an empty cell with the
        totals format."""
        assert self.fh is not None
        r = self.last_row + 1
        out = [f'<row r="{r}">']
        for c, cell in enumerate(cells):
            if cell is None:
                continue
            fmt, value, formula = cell
            ref = f"{self._refs[c]}{r}\"{TOTAL[fmt]}"
            if formula is not None:
                shown = "" if value is None else value
                kind = ' t="str"' if isinstance(shown, str) and shown else ""
                out.append(f"{ref}{kind}><f>{escape(formula)}</f><v>{escape(str(shown))}</v></c>")
            elif isinstance(value, str):
                out.append(f'{ref} t="inlineStr">{text(value)}</c>')
            elif value is not None:
                out.append(f"{ref}><v>{value:.16G}</v></c>")
            else:
                out.append(f"{ref}/>")
        out.append("</row>")
        self.add(Piece.of("".join(out), 1, self.level))
        self.last_row = r

    def close(self, filter_to: int) -> None:
        """End the sheet; the filter covers the header and rows down to `filter_to` (1-based;
        the totals row is left out, so sorting never moves it)."""
        from ._xlsx_parts import sheet_tail

        assert self.fh is not None
        self._filter_to = filter_to
        last = col_name(len(self.columns) - 1)
        self.add(Piece.of(sheet_tail(f"A{self.header_row}:{last}{filter_to}"), level=self.level))
        self.fh.close()
        self.fh = None

    def defined_names(self) -> tuple[str, str]:
        """(the filter's range, the rows printed on every page), as Excel names them."""
        quoted = "'" + self.name.replace("'", "''") + "'"
        last = col_name(len(self.columns) - 1)
        return (f"{quoted}!$A${self.header_row}:${last}${self._filter_to}",
                f"{quoted}!$1:${self.header_row}")


__all__ = ["Book", "Piece", "Sheet", "TotalCell", "col_name", "crc_join", "encode", "exact_text",
           "serial", "text"]
