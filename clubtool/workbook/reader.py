"""Read a club or commune workbook into typed records, with the problems found in its cells.

One pass over the cells with python-calamine (openpyxl is far slower and only needed for
styles and comments). Sheets, headers and labels are found by matching (NFC, case,
whitespace, then without diacritics), never by position. Row numbers are those Excel shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import python_calamine as pc

from .. import schema as S
from .._legacy import convert_if_legacy  # TCVN3 / VNI-Windows text typed with old fonts
from ..issues import WARNING, Issue, make
from ..model import RECORDS, Club, Commune, SheetLayout, column_letter
from ..text import Matcher, clean
from ..values import (
    BadValue,
    choice_matcher,
    display,
    is_empty,
    parse_date,
    parse_flag,
    parse_integer,
    parse_number,
    parse_phone,
    parse_text,
    parse_year,
)
from ._files import DEFAULT_LIMITS, Limits, Rejected, scan_bytes

MAX_ISSUES_READ = 20_000  # a pathological file stops collecting here (validate limits further)
HEADER_SEARCH_ROWS = 10


@dataclass(slots=True)
class Loaded:
    """What `load` found in one file."""

    path: str
    kind: str | None  # "club", "commune", "merged", or None (not readable / not a template)
    club: Club | None = None
    commune: Commune | None = None
    issues: list[Issue] = field(default_factory=list)
    sha256: str = ""
    sheet_names: dict[str, str] = field(default_factory=dict)  # schema name → name in file
    summary: Any = None  # what validate(..., summarise=…) made of the club

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)

    @property
    def club_id(self) -> str | None:
        return self.club.info.club_id if self.club else None

    @property
    def year(self) -> int | None:
        if self.club:
            return self.club.info.year
        if self.commune:
            return self.commune.info.year
        return None


_KINDS = Matcher({
    S.CLUB.marker_sheet.name: "club",
    S.COMMUNE.marker_sheet.name: "commune",
})


# long: the docstring lists every outcome; the body is the one sequence open, scan, read, check
def load(path: Path | str, *, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Read one workbook: its kind, its typed records and the problems in its cells.

    Never raises for a bad file: an unreadable, encrypted, over-size or foreign file comes
    back as `kind=None` with one file-level issue.
    """
    p = Path(path)
    spath = str(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        return Loaded(spath, None, issues=[make("file-unreadable", spath, detail=exc.strerror or str(exc))])
    result = Loaded(spath, None, sha256=hashlib.sha256(data).hexdigest())
    try:
        scan = scan_bytes(data, p.suffix.lower(), limits)
    except Rejected as r:
        result.issues.append(make(r.code, spath, detail=r.detail))
        return result
    container = scan.kind
    if container == "other":
        result.issues.append(make("file-format", spath, detail=_format_name(p, data)))
        return result
    try:
        # (the parts as the scan inflated and checked them, stored: see `Scan.stored`)
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(scan.stored or data))
        names = list(wb.sheet_names)
    except pc.PasswordError:
        result.issues.append(make("file-encrypted", spath))
        return result
    except MemoryError:  # past the worker's memory bound: file-too-large (workbook.isolation)
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises several kinds for bad files
        code = "file-format" if container == "ole" else "file-unreadable"
        detail = "Excel 97-2003 (.xls)" if container == "ole" else _short(exc)
        result.issues.append(make(code, spath, detail=detail))
        return result
    except BaseException as exc:  # a calamine panic while opening: a problem of this file
        if type(exc).__name__ != "PanicException":
            raise
        result.issues.append(make("file-unreadable", spath, detail=_short(exc)))
        return result

    by_name = Matcher({n: n for n in names})
    kinds = {k for n in names if (k := _KINDS.find(n))}
    if "club" in kinds:
        kind = "club"
    elif "commune" in kinds:
        kind = "commune"
    elif all(by_name.find(m) for m in S.MERGED_MARKERS):
        result.kind = "merged"
        result.issues.append(make("merged-workbook", spath))
        return result
    else:
        result.issues.append(make("not-a-template", spath, club_sheet=S.CLUB.marker_sheet.name,
                                  commune_sheet=S.COMMUNE.marker_sheet.name))
        return result
    result.kind = kind
    reader = _Reader(spath, S.CLUB if kind == "club" else S.COMMUNE, result.issues, scan.formulas)
    try:
        reader.read(wb, by_name, result)
    except _TooMany:
        result.issues.append(make("too-many-issues", spath, limit=MAX_ISSUES_READ))
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine errors on damaged sheets
        result.issues.append(make("file-unreadable", spath, detail=_short(exc)))
    except BaseException as exc:
        # calamine panics (pyo3's PanicException, a BaseException) on some cells, e.g. a
        # date-formatted -1e12: a problem of this file, not the end of the run
        if type(exc).__name__ != "PanicException":
            raise
        result.issues.append(make("file-unreadable", spath, detail=_short(exc)))
    return result


def read_sheets(data: bytes, pick: Callable[[list[str]], list[str]]
                ) -> list[tuple[str, list[list[Any]]]] | None:
    """The rows of the sheets `pick` chooses among a workbook's sheet names, as calamine
    reads them; None when calamine cannot (any of its errors, or a panic). For readers that
    need only the values (the year of a folder, the .xlsx copy of an .ods to annotate)."""
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name in pick(list(book.sheet_names))]
    except MemoryError:  # past the worker's memory bound: file-too-large (workbook.isolation)
        raise
    except Exception:  # noqa: BLE001 - calamine raises several kinds for bad files
        return None
    except BaseException as exc:  # calamine panics on some cells
        if type(exc).__name__ != "PanicException":
            raise
        return None


def _format_name(p: Path, data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table")):
        return "HTML (trang web đổi đuôi .xls)"
    if p.suffix.lower() == ".csv":
        return "CSV (văn bản)"
    try:
        data[:2048].decode("utf-8")
    except UnicodeDecodeError:
        return f"không phải Excel (đuôi {p.suffix or 'trống'})"
    return f"văn bản thường, không phải Excel (đuôi {p.suffix or 'trống'})"


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


class _TooMany(Exception):
    pass


# --- parsing one cell ----------------------------------------------------------------

Parser = Callable[[Any], Any]


@dataclass(slots=True)
class _Col:
    index: int  # 0-based position in the row
    letter: str
    field: S.Field
    parse: Parser


def _parser(f: S.Field) -> Parser:
    kind = f.kind
    if kind is S.Kind.DATE:
        return parse_date
    if kind is S.Kind.INTEGER:
        return parse_integer
    if kind is S.Kind.NUMBER:
        return parse_number
    if kind is S.Kind.YEAR:
        return parse_year
    if kind is S.Kind.FLAG:
        return parse_flag
    if kind is S.Kind.PHONE:
        return parse_phone
    if kind is S.Kind.CHOICE:
        matcher = choice_matcher(f.choices)

        def parse_choice(raw: Any) -> str:
            if isinstance(raw, str):
                found = matcher.find(raw)
                if found is None:
                    found = matcher.find(convert_if_legacy(clean(raw))[0])
                if found is not None:
                    return found
            raise BadValue("enum")

        return parse_choice
    return parse_text


_PARSERS: dict[tuple[int, str], Parser] = {}
_MATCHERS: dict[int, Matcher[S.Field]] = {}


def _fields_matcher(sheet: S.Sheet) -> Matcher[S.Field]:
    """Headers (or labels) of a sheet → field; built once per process, its cache shared."""
    m = _MATCHERS.get(id(sheet))
    if m is None:
        m = _MATCHERS[id(sheet)] = Matcher({f.header: f for f in sheet.fields})
    return m


#: Parsed values of the cells seen so far, per column: {raw: value} for text cells and
#: {(type, raw): value} for others (1, 1.0 and True are equal keys but parse apart).
#: Only outcomes without an issue are kept, so a hit is exactly what `_cell` returns.
#: Keyed by sheet, field and, for fields bounded by the report year, that year.
_VALUES: dict[tuple[int, str, int | None], tuple[dict[Any, Any], dict[Any, Any]]] = {}
#: The columns found from a sheet's first row, by (sheet, that row), when that row holds
#: every header and reading them gave no issue: the same row gives the same columns.
_HEADERS: dict[tuple[int, tuple[Any, ...]], tuple[list[_Col], dict[str, int]]] = {}
_HEADER_CHARS = 4096  # a longer first row (headers padded with spaces…) is not kept
_VALUES_PER_COLUMN = 4096  # a column's memo is emptied when it grows past this
_MISS = object()
_FIELD_ORDER: dict[type, tuple[tuple[str, ...], tuple[Any, ...]]] = {}


def _memo(sheet: S.Sheet, f: S.Field, year: int | None) -> tuple[dict[Any, Any], dict[Any, Any]]:
    by_year = S.REPORT_YEAR in (f.minimum, f.maximum)
    k = (id(sheet), f.key, year if by_year else None)
    memo = _VALUES.get(k)
    if memo is None:
        memo = _VALUES[k] = ({}, {})
    return memo


def _field_order(cls: type) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """A record class's fields in `__init__` order, and their defaults (after `row`)."""
    got = _FIELD_ORDER.get(cls)
    if got is None:
        fs = dataclasses.fields(cls)
        assert fs[0].name == "row"
        got = _FIELD_ORDER[cls] = (tuple(f.name for f in fs[1:]), tuple(f.default for f in fs[1:]))
    return got


def _parser_for(sheet: S.Sheet, f: S.Field) -> Parser:
    k = (id(sheet), f.key)
    p = _PARSERS.get(k)
    if p is None:
        p = _PARSERS[k] = _parser(f)
    return p


class _Reader:
    def __init__(self, path: str, wschema: S.WorkbookSchema, issues: list[Issue],
                 formulas: dict[str, dict[str, str]]):
        self.path = path
        self.schema = wschema
        self.issues = issues
        self.formulas = formulas
        self.year: int | None = None
        self.failed: set[tuple[str, int | None, str]] = set()

    def add(self, issue: Issue) -> None:
        if len(self.issues) >= MAX_ISSUES_READ:
            raise _TooMany
        self.issues.append(issue)

    # -- the workbook --

    def read(self, wb: pc.CalamineWorkbook, by_name: Matcher[str], result: Loaded) -> None:
        records: dict[str, Any] = {}
        layouts: dict[str, SheetLayout] = {}
        for sheet in self.schema.read_sheets:
            actual = by_name.find(sheet.name)
            if actual is None:
                if sheet.required:
                    self.add(make("missing-sheet", self.path, sheet=sheet.name))
                records[sheet.key] = RECORDS[(self.schema.kind, sheet.key)]() if sheet.layout is S.Layout.LABELS else []
                continue
            result.sheet_names[sheet.name] = actual
            rows = wb.get_sheet_by_name(actual).to_python(skip_empty_area=False)
            layout = SheetLayout(name=actual)
            layouts[sheet.key] = layout
            self._formula_warnings(sheet, actual)
            if sheet.layout is S.Layout.LABELS:
                records[sheet.key] = self._read_labels(sheet, rows, layout)
                year = getattr(records[sheet.key], "year", None)
                self.year = year if isinstance(year, int) else None
            else:
                records[sheet.key] = self._read_table(sheet, rows, layout)
        info = records.pop("info")
        layouts = {k: _shared_layout(v) for k, v in layouts.items()}
        failed = frozenset(self.failed)
        if self.schema.kind == "club":
            result.club = Club(self.path, info, layouts=layouts, failed=failed, **records)
        else:
            result.commune = Commune(self.path, info, layouts=layouts, failed=failed, **records)

    def _formula_warnings(self, sheet: S.Sheet, actual: str) -> None:
        for cell, formula in sorted(self.formulas.get(actual, {}).items(), key=_cell_order):
            row = int("".join(ch for ch in cell if ch.isdigit()))
            self.add(make("formula-no-value", self.path, sheet=sheet.name, cell=cell, row=row,
                          value=formula))

    # -- label/value sheets --

    def _read_labels(self, sheet: S.Sheet, rows: list[list[Any]], layout: SheetLayout) -> Any:
        record = RECORDS[(self.schema.kind, sheet.key)]()
        labels = Matcher({f.header: f for f in sheet.fields})
        seen: dict[str, int] = {}
        for r, row in enumerate(rows, start=1):
            if not row or not isinstance(row[0], str) or not row[0].strip():
                continue
            f = labels.find(row[0])
            if f is None:
                continue
            if f.key in seen:
                self.add(make("duplicate-column", self.path, sheet=sheet.name, cell=f"A{r}", row=r,
                              column=f.header))
                continue
            seen[f.key] = r
            layout.label_rows[f.key] = r
            raw = row[1] if len(row) > 1 else ""
            value = self._cell(sheet, f, raw, f"B{r}", r)
            if f.key == "year" and isinstance(value, int):
                self.year = value
            setattr(record, f.key, value)
        version = getattr(record, "version", None)
        for f in sheet.fields:
            if f.key in seen:
                continue
            if f.key == "version":
                self.add(make("template-version", self.path, severity=WARNING, sheet=sheet.name,
                              column=f.header, expected=self.schema.version, missing=True))
            elif f.required:
                self.add(make("missing-field", self.path, sheet=sheet.name, column=f.header))
            elif f.in_version(version if version in self.schema.known_versions else None):
                # an optional row of the file's own template: never an error (docs/workbooks.md#sheet-layout)
                self.add(make("missing-optional-field", self.path, sheet=sheet.name,
                              column=f.header))
        if version is not None and version not in self.schema.known_versions:
            r = layout.label_rows["version"]
            self.add(make("template-version", self.path, sheet=sheet.name, cell=f"B{r}", row=r,
                          column=sheet.field("version").header, value=version,
                          expected=self.schema.version))
        elif version is None and "version" in seen:  # the row is there, its value empty
            r = layout.label_rows["version"]
            self.add(make("template-version", self.path, severity=WARNING, sheet=sheet.name,
                          cell=f"B{r}", row=r, column=sheet.field("version").header,
                          expected=self.schema.version, missing=True))
        return record

    # -- table sheets --

    def _columns(self, sheet: S.Sheet, rows: list[list[Any]], layout: SheetLayout) -> tuple[int, list[_Col]]:
        """The header row (0-based) and the known columns of a table sheet; the problems of
        its header row are issues. A first row seen before with every header and no issue
        gives its columns again without searching (`_HEADERS`)."""
        first = (id(sheet), tuple(rows[0])) if rows else None
        known = _HEADERS.get(first) if first is not None else None
        if known is not None:
            layout.header_row = 1
            layout.columns.update(known[1])
            return 0, known[0]
        headers = _fields_matcher(sheet)
        hdr = self._header_row(rows, headers)
        layout.header_row = hdr + 1
        cols: list[_Col] = []
        header = rows[hdr] if hdr < len(rows) else []
        before = len(self.issues)
        for c, text in enumerate(header):
            if is_empty(text):
                continue
            letter = column_letter(c + 1)
            f = headers.find(text) if isinstance(text, str) else None
            if f is None:
                self.add(make("unknown-column", self.path, severity=WARNING, sheet=sheet.name,
                              cell=f"{letter}{hdr + 1}", row=hdr + 1, value=display(text)))
                continue
            if f.key in layout.columns:
                self.add(make("duplicate-column", self.path, sheet=sheet.name,
                              cell=f"{letter}{hdr + 1}", row=hdr + 1, column=f.header))
                continue
            layout.columns[f.key] = c + 1
            cols.append(_Col(c, letter, f, _parser_for(sheet, f)))
        for f in sheet.fields:
            if f.key not in layout.columns:
                self.add(make("missing-column", self.path, sheet=sheet.name, column=f.header))
        if (first is not None and hdr == 0 and len(self.issues) == before
                and sum(len(v) for v in header if isinstance(v, str)) <= _HEADER_CHARS
                and sum(1 for v in header if isinstance(v, str) and v.strip() and headers.find(v))
                >= len(headers)):  # (`_header_row` stops at such a first row: 0 whatever follows)
            if len(_HEADERS) >= 256:
                _HEADERS.clear()
            _HEADERS[first] = (cols, dict(layout.columns))
        return hdr, cols

    # long: the per-cell typing loop of every table, the reader's hot path: kept inline for speed
    def _read_table(self, sheet: S.Sheet, rows: list[list[Any]], layout: SheetLayout) -> list[Any]:
        cls = RECORDS[(self.schema.kind, sheet.key)]
        hdr, cols = self._columns(sheet, rows, layout)
        if not cols:
            return []

        # The raw values of the known columns, row by row; rows blank in them are skipped
        # (numbering kept). Calamine's rows are all as wide as the sheet; pad if not.
        indexes = [c.index for c in cols]
        width = max(indexes) + 1
        data = rows[hdr + 1:]
        if data and min(map(len, data)) < width:
            data = [r if len(r) >= width else [*r, *([""] * (width - len(r)))] for r in data]
        pick = itemgetter(*indexes) if len(indexes) > 1 else (lambda r, i=indexes[0]: (r[i],))
        numbers: list[int] = []
        kept: list[tuple[Any, ...]] = []
        for i, raws in enumerate(map(pick, data), start=hdr + 2):
            for x in raws:  # is_empty, inlined: stops at the first filled cell
                if x.__class__ is str:
                    if x and not x.isspace():
                        break
                elif x is not None:
                    break
            else:
                continue
            numbers.append(i)
            kept.append(raws)
        if not kept:
            return []

        # Column by column, each cell's value from the column's memo of values already
        # parsed; the others (new values and every cell with a problem) go through `_cell`
        # in row order, so issues come out exactly as a cell-by-cell reading gives them.
        columns: list[list[Any]] = []
        misses: list[tuple[int, int]] = []
        memos = []
        for ci, (col, raws) in enumerate(zip(cols, zip(*kept, strict=True), strict=True)):
            text_memo, other_memo = memo = _memo(sheet, col.field, self.year)
            memos.append(memo)
            # (a column of text looks up its cells as they are, any other by (type, value);
            # a cell of the other sort misses here and is looked up again below)
            if raws[0].__class__ is str:
                values = list(map(text_memo.get, raws, repeat(_MISS)))
            else:
                values = list(map(other_memo.get, zip(map(type, raws), raws, strict=True),
                                  repeat(_MISS)))
            if _MISS in values:
                misses.extend((ri, ci) for ri, v in enumerate(values) if v is _MISS)
            columns.append(values)
        if misses:
            misses.sort()
            issues = self.issues
            for ri, ci in misses:
                raw = kept[ri][ci]
                text_memo, other_memo = memos[ci]
                k: Any
                if raw.__class__ is str:
                    k, memo_ = raw, text_memo
                else:
                    k, memo_ = (raw.__class__, raw), other_memo
                value = memo_.get(k, _MISS)
                if value is _MISS:
                    col = cols[ci]
                    before = len(issues)
                    value = self._cell(sheet, col.field, raw, f"{col.letter}{numbers[ri]}",
                                       numbers[ri], col.parse)
                    if len(issues) == before:  # only issue-free outcomes are memoised
                        if len(memo_) >= _VALUES_PER_COLUMN:
                            memo_.clear()
                        memo_[k] = value
                columns[ci][ri] = value

        # Records built in one call each, the fields in __init__ order; a field without a
        # column, or whose cell gave no value, keeps its default.
        names, defaults = _field_order(cls)
        at = {col.field.key: ci for ci, col in enumerate(cols)}
        args: list[Any] = [numbers]
        for name, default in zip(names, defaults, strict=True):
            pos = at.get(name)
            if pos is None:
                args.append(repeat(default))
            else:
                values = columns[pos]
                if default is not None and None in values:
                    values = [default if v is None else v for v in values]
                args.append(values)
        return list(map(cls, *args))

    @staticmethod
    def _header_row(rows: list[list[Any]], headers: Matcher[S.Field]) -> int:
        """The first of the top rows with the most cells that are known headers."""
        best, best_hits = 0, 0
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            texts = [v for v in row if isinstance(v, str) and v.strip()]
            if len(texts) <= best_hits:
                continue  # cannot beat the best: spares matching names and notes
            hits = sum(1 for v in texts if headers.find(v))
            if hits > best_hits:
                best, best_hits = i, hits
                if hits >= len(headers):
                    break  # every header found: no later row can do better
        return best

    # -- one cell --

    def _failed(self, sheet: S.Sheet, f: S.Field, row: int) -> None:
        self.failed.add((sheet.key, None if sheet.layout is S.Layout.LABELS else row, f.key))

    def _cell(self, sheet: S.Sheet, f: S.Field, raw: Any, cell: str, row: int,
              parse: Parser | None = None) -> Any:
        if is_empty(raw):
            if f.required and f.key != "version":
                self._failed(sheet, f, row)
                self.add(make("required", self.path, sheet=sheet.name, cell=cell, row=row,
                              column=f.header, kind=f.kind.value, example=f.example,
                              choices=f.choices))
            return False if f.kind is S.Kind.FLAG else None
        if isinstance(raw, str) and f.kind in (S.Kind.TEXT, S.Kind.CHOICE):
            converted, encoding = convert_if_legacy(clean(raw))
            if encoding:
                self.add(make("legacy-encoding", self.path, severity=WARNING, sheet=sheet.name,
                              cell=cell, row=row, column=f.header, value=display(raw),
                              encoding=encoding, converted=converted))
                raw = converted
        try:
            value = (parse or _parser_for(sheet, f))(raw)
        except BadValue as bad:
            self._failed(sheet, f, row)
            self.add(make(bad.code, self.path, sheet=sheet.name, cell=cell, row=row,
                          column=f.header, value=display(raw), kind=f.kind.value,
                          choices=f.choices, example=f.example))
            return False if f.kind is S.Kind.FLAG else None
        if f.pattern is not None and isinstance(value, str):
            if f.key == "club_id":
                value = value.upper()
            if not _pattern(f.pattern).match(value):
                self._failed(sheet, f, row)
                self.add(make("pattern", self.path, sheet=sheet.name, cell=cell, row=row,
                              column=f.header, value=display(raw), pattern_of=f.key,
                              example=f.example))
                return None
        if f.minimum is not None or f.maximum is not None:
            lo = S.resolve_bound(f.minimum, self.year)
            hi = S.resolve_bound(f.maximum, self.year)
            if _outside(value, lo, hi, exclusive=f.exclusive_minimum):
                self._failed(sheet, f, row)
                self.add(make("range", self.path, sheet=sheet.name, cell=cell, row=row,
                              column=f.header, value=display(raw), minimum=lo, maximum=hi,
                              exclusive=f.exclusive_minimum))
                return None
        return value


def _outside(value: Any, lo: Any, hi: Any, *, exclusive: bool) -> bool:
    """A number (or date) past its field's bounds; the schema gives dates to dates."""
    if not isinstance(value, int | float | dt.date):
        return False
    return ((lo is not None and (value <= lo if exclusive else value < lo))
            or (hi is not None and value > hi))


_LAYOUTS: dict[tuple[Any, ...], SheetLayout] = {}


def _shared_layout(layout: SheetLayout) -> SheetLayout:
    """One SheetLayout object for all the sheets laid out alike (read-only once read): less
    memory for thousands of clubs, and pickled once per batch of files."""
    k = (layout.name, layout.header_row, tuple(layout.columns.items()),
         tuple(layout.label_rows.items()))
    got = _LAYOUTS.get(k)
    if got is None:
        if len(_LAYOUTS) >= 1024:
            _LAYOUTS.clear()
        got = _LAYOUTS[k] = layout
    return got


@lru_cache(maxsize=64)
def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def _cell_order(item: tuple[str, str]) -> tuple[int, int]:
    cell = item[0]
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits or 0), col
