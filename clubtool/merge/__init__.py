"""`merge()`: all clubs' workbooks in one workbook for the officer (docs/outputs.md#merge).

    from clubtool.validation import validate
    from clubtool.merge import merge
    report = validate(["du_lieu/"], year=2027)
    result = merge(report, Path("tong_hop_2027.xlsx"), year=2027)

The workbook has a sheet `CLB` (one row per club: its information and the figures computed
by `clubtool.indicators`), the clubs' rows (`Thành viên`, `Sinh hoạt`, `Tập huấn`,
`Tuyên truyền`, `Quỹ`, each led by `Mã CLB` and `Tệp nguồn`), `Nghi trùng` (one person in
several clubs of one commune; in the workbook at most `DUPLICATES_LIMIT` rows, the strongest
evidence first) and `Nguồn` (every file, its SHA-256, the rows taken or why it was left out).
`CLB` and `Nguồn` are how the reader knows a merged workbook and never reads it as a club.

Written atomically, never over an input, never over an existing file without `force`.
Memory stays flat while writing (rows streamed into the zip); a sheet longer than Excel's
1,048,576 rows continues on `Thành viên (2)`…; `fmt="csv"` writes one CSV file per sheet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._fsutil import OutputExists, atomic_path
from ..validation import FileResult, ValidationReport
from . import _sheets as M
from ._pieces import ClubRows, NewPieces, club_people
from ._sheets import DUPLICATES_LIMIT, RECORD_SHEETS, SheetData, Source
from ._writers import EXCEL_MAX_ROWS, CsvSink, XlsxSink, atomic_dir, csv_file_name

if TYPE_CHECKING:
    from ..archive import Archive
    from ..indicators import IndicatorResult, Plan

__all__ = ["DUPLICATES_LIMIT", "EXCEL_MAX_ROWS", "FORMATS", "MergeError", "MergeResult",
           "OutputExists", "OutputIsInput", "merge", "output_target"]

FORMATS = ("xlsx", "csv")
TITLE = "Tổng hợp câu lạc bộ liên thế hệ tự giúp nhau năm {year}"

Progress = Callable[[int, int, str], None]


class MergeError(ValueError):
    """The merge cannot run; the message says why, in Vietnamese."""


class OutputIsInput(MergeError):
    """The output would overwrite (or hold) one of the input files."""


@dataclass(slots=True)
class MergeResult:
    path: Path  # the workbook written, or the folder of CSV files
    format: str
    files: list[Path] = field(default_factory=list)  # every file written
    rows: dict[str, int] = field(default_factory=dict)  # sheet → rows (no header, no totals)
    parts: dict[str, list[str]] = field(default_factory=dict)  # sheet → sheets/files holding it
    used: list[str] = field(default_factory=list)  # input files whose rows were merged
    invalid_included: list[str] = field(default_factory=list)  # merged despite errors
    excluded: list[tuple[str, str]] = field(default_factory=list)  # left out for errors: why
    not_merged: list[tuple[str, str]] = field(default_factory=list)  # skipped otherwise: why
    duplicates: int = 0  # people (name + birth year) in more than one club of one commune
    duplicate_rows_left_out: int = 0  # rows of them the workbook's sheet does not show
    duplicate_groups_left_out: int = 0  # people of them the workbook's sheet does not show

    @property
    def split(self) -> dict[str, list[str]]:
        """Sheets longer than the row limit, and the sheets they were split into."""
        return {k: v for k, v in self.parts.items() if len(v) > 1}

    @property
    def clubs(self) -> int:
        return self.rows.get(M.CLUBS_SHEET, 0)

    @property
    def complete(self) -> bool:
        """No input was left out for errors (exit code 0 rather than 1)."""
        return not self.excluded


def output_target(out: Path | str, fmt: str) -> Path:
    """Where `fmt` output goes: the .xlsx file, or for CSV a folder (`tong_hop.xlsx` given
    with CSV → the folder `tong_hop`)."""
    out = Path(out)
    if fmt == "csv" and out.suffix.lower() in (".xlsx", ".csv"):
        return out.with_suffix("")
    return out


# long: the docstring and the checks before writing (output over input, format, row limit) take half
def merge(report: ValidationReport, out: Path | str, *, year: int, include_invalid: bool = False,
          force: bool = False, row_limit: int = EXCEL_MAX_ROWS, fmt: str = "xlsx",
          indicators: IndicatorResult | None = None, as_of: dt.date | None = None,
          plan: Plan | None = None, names: bool = True,
          duplicates_limit: int = DUPLICATES_LIMIT,
          on_progress: Progress | None = None, cache: Archive | None = None) -> MergeResult:
    """Write the merged workbook of every valid club workbook of `year` in `report`.

    include_invalid: merge workbooks with errors too (their figures on `CLB` stay empty);
    row_limit: data rows per sheet before it continues on "Name (2)" (xlsx only);
    fmt: "xlsx" or "csv" (a folder of one CSV file per sheet); indicators: the result of
    `compute_indicators` to take the clubs' figures from (computed here when None, with
    `as_of` and `plan`, as `clubtool indicators` does);
    names: False leaves people's names and phone numbers out (figures sent upward);
    duplicates_limit: rows of `Nghi trùng` in the workbook (CSV lists them all);
    cache: an open archive keeping each club's rows of the workbook, encoded (`_pieces`):
    a merge after one workbook changed encodes that club's rows only; the bytes written
    are the same with or without it.
    Raises MergeError (OutputIsInput) or OutputExists; the output is then untouched.
    """
    if fmt not in FORMATS:
        raise MergeError(f"Định dạng '{fmt}' không dùng được: chỉ nhận xlsx hoặc csv.")
    if row_limit < 1 or duplicates_limit < 1:
        raise MergeError("Số dòng tối đa của một trang phải từ 1 trở lên.")
    target = output_target(out, fmt)
    if fmt == "xlsx" and target.suffix.lower() != ".xlsx":
        raise MergeError(f"Tệp tổng hợp phải có đuôi .xlsx: {target}")
    sources = _sources(report, year=year, include_invalid=include_invalid)
    if not any(s.club is not None or s.excluded_for_errors for s in sources):
        raise MergeError(f"Không có báo cáo câu lạc bộ nào của năm {year} để tổng hợp.")
    _check_target(target, fmt, report.files, force=force)

    merged = sorted((s for s in sources if s.club is not None),
                    key=lambda s: (s.club.info.club_id or "" if s.club else "", s.display))
    if indicators is None:
        from ..job import indicators_for

        indicators = indicators_for(report, year=year, as_of=as_of, plan=plan)
    figures = {c.figures.path: c for c in indicators.clubs}
    new = NewPieces(cache)
    dups = M.duplicate_sheet(M.find_duplicates(merged, club_people(merged, cache, new)),
                             limit=duplicates_limit if fmt == "xlsx" else None)

    total = max(1, len(merged) * len(RECORD_SHEETS))
    done = 0

    def tick(label: str) -> Callable[[], None]:
        def advance() -> None:
            nonlocal done
            done += 1
            if on_progress is not None and (done % 50 == 0 or done == total):
                on_progress(done, total, label)
        return advance

    with_errors = include_invalid and any(s.errors for s in merged)
    club_cols = M.club_columns(names=names, with_errors=with_errors)
    data = [SheetData(M.CLUBS_SHEET, club_cols,
                      M.club_rows(merged, club_cols, figures, indicators),
                      freeze_cols=2, totals=True)]
    data += [SheetData(s.name, M.record_columns(s, names=names),
                       ClubRows(merged, s, names=names, cache=cache, on_club=tick(s.name),
                                new=new))
             for s in RECORD_SHEETS]
    data.append(SheetData(M.DUPLICATES_SHEET, M.duplicate_columns(names=names),
                          M.duplicate_rows(dups.groups, names=names), freeze_cols=0,
                          title=dups.title()))
    data.append(SheetData(M.SOURCES_SHEET, M.source_columns(),
                          M.source_rows(sorted(sources, key=lambda s: s.display)), freeze_cols=1))

    result = MergeResult(
        path=target, format=fmt,
        used=[s.path for s in merged],
        invalid_included=[s.path for s in merged if s.errors],
        excluded=[(s.path, s.reason) for s in sources if s.excluded_for_errors],
        not_merged=[(s.path, s.reason) for s in sources
                    if s.club is None and not s.excluded_for_errors and s.kind != "commune"],
        duplicates=dups.found,
        duplicate_rows_left_out=dups.rows_left_out,
        duplicate_groups_left_out=dups.groups_left_out,
    )
    if fmt == "xlsx":
        _write_xlsx(target, data, result, year=year, row_limit=row_limit, force=force)
    else:
        _write_csv(target, data, result, force=force)
    new.store()
    return result


# --- writing --------------------------------------------------------------------------------


def _write_xlsx(target: Path, data: Sequence[SheetData], result: MergeResult, *, year: int,
                row_limit: int, force: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target, force=force) as tmp:
        sink = XlsxSink(tmp, created=dt.datetime(year, 12, 31), title=TITLE.format(year=year),
                        row_limit=row_limit)
        try:
            for d in data:
                result.parts[d.name], result.rows[d.name] = sink.write(d)
        except BaseException:
            # Closing releases the file; atomic_path removes what was written.
            with contextlib.suppress(Exception):
                sink.abort()
            raise
        sink.close()
    result.files = [target]


def _write_csv(target: Path, data: Sequence[SheetData], result: MergeResult, *,
               force: bool) -> None:
    with atomic_dir(target, may_replace=_holds_only_merge_csv if force else _is_empty_dir) as tmp:
        sink = CsvSink(tmp)
        for d in data:
            result.parts[d.name], result.rows[d.name] = sink.write(d)
    result.files = [target / name for parts in result.parts.values() for name in parts]


def _is_empty_dir(folder: Path) -> bool:
    return folder.is_dir() and not any(folder.iterdir())


_CSV_NAMES = frozenset(csv_file_name(n) for n in M.SHEET_ORDER)


def _holds_only_merge_csv(folder: Path) -> bool:
    """A folder that holds nothing but the CSV files of an earlier merge."""
    return folder.is_dir() and all(p.is_file() and p.name in _CSV_NAMES for p in folder.iterdir())


# --- which file gives what ------------------------------------------------------------------


def _resolved(paths: Sequence[str]) -> dict[str, Path]:
    """Each path's `Path(p).resolve()`, with one resolution a folder rather than a file
    (1,000 files: one `realpath` each walks every component)."""
    folders: dict[str, Path] = {}

    def resolved_path(p: str) -> Path:
        if os.path.islink(p):
            return Path(p).resolve()
        head, name = os.path.split(p)
        folder = folders.get(head)
        if folder is None:
            folder = folders[head] = Path(head).resolve()
        return folder / name if name else Path(p).resolve()

    return {p: resolved_path(p) for p in paths}


def _displays(paths: Sequence[str], root_of: Sequence[str]) -> dict[str, str]:
    """Each path as shown: relative to the folder the club files share ("xa_a/clb_01.xlsx"),
    so that a commune workbook given from elsewhere does not change how clubs are shown."""
    resolved = _resolved(paths)
    try:
        root = Path(os.path.commonpath([str(resolved[p].parent) for p in root_of or paths]))
    except ValueError:  # different drives, or nothing at all
        root = None
    out = {}
    for p, r in resolved.items():
        if root is not None and r.is_relative_to(root):
            out[p] = r.relative_to(root).as_posix()
        else:
            out[p] = Path(p).as_posix()
    return out


def _sources(report: ValidationReport, *, year: int, include_invalid: bool) -> list[Source]:
    files = list(report.files)
    if report.commune_result is not None and report.commune_result not in files:
        files.insert(0, report.commune_result)
    shown = _displays([f.path for f in files],
                      [f.path for f in files if f is not report.commune_result])
    reasons = dict(report.excluded())
    out = []
    for f in files:
        loaded = f.loaded
        src = Source(path=f.path, display=shown[f.path], kind=f.kind,
                     sha256=loaded.sha256 if loaded else "", errors=f.errors,
                     warnings=f.warnings, club_id=f.club_id, year=f.year, status=M.NOT_MERGED,
                     commune=f.commune, province=f.province)
        club = loaded.club if loaded is not None else None
        if f is report.commune_result or f.kind == "commune":
            src.reason = M.REASON_COMMUNE
        elif f.skipped:
            src.reason = f.skipped
        elif f.superseded_by:  # another copy of the club's workbook counts: never merged twice
            src.reason = next((i.message("vi") for i in f.issues
                               if i.code in ("duplicate-file", "superseded-submission")),
                              f.superseded_by)
        elif f.kind == "club" and club is not None and f.year is not None and f.year != year:
            src.reason = M.REASON_OTHER_YEAR.format(found=f.year, year=year)
        elif f.kind == "club" and club is not None and (f.errors == 0 or include_invalid):
            src.club = club
            src.status = M.MERGED if f.errors == 0 else M.MERGED_WITH_ERRORS
            if f.errors:
                src.reason = M.REASON_INVALID_INCLUDED.format(errors=f.errors)
        else:
            src.status = M.LEFT_OUT
            src.excluded_for_errors = True
            src.reason = reasons.get(f.path) or _first_error(f) or M.REASON_NO_CLUB
        out.append(src)
    return out


def _first_error(f: FileResult) -> str | None:
    first = next((i for i in f.issues if i.is_error), None)
    return first.message("vi") if first is not None else None


def _check_target(target: Path, fmt: str, files: Sequence[FileResult], *, force: bool) -> None:
    """Refuse an output that is (or, for CSV, holds) an input, or exists without `force`.

    A merged workbook found among the inputs is not read (the reader skips it), so an
    earlier merge output may be replaced with `force`.
    """
    out = target.resolve()
    inputs = list(_resolved([f.path for f in files if f.kind != "merged"]).values())
    if fmt == "xlsx":
        if out in inputs:
            raise OutputIsInput(f"Không thể ghi tổng hợp vào {target}: đó là một tệp đầu vào. "
                                "Hãy chọn tên khác bằng -o.")
        if target.is_dir():
            raise MergeError(f"{target} là một thư mục; hãy ghi tên tệp .xlsx sau -o.")
    else:
        inside = [p for p in inputs if p == out or out in p.parents]
        if inside:
            raise OutputIsInput(f"Không thể ghi tổng hợp vào thư mục {target}: thư mục này chứa "
                                f"tệp đầu vào ({inside[0].name}). Hãy chọn thư mục khác bằng -o.")
        if target.exists() and not target.is_dir():
            raise MergeError(f"{target} là một tệp, không phải thư mục để ghi các tệp CSV.")
        if target.exists() and force and not _holds_only_merge_csv(target):
            raise MergeError(f"Thư mục {target} có tệp khác ngoài các tệp CSV tổng hợp nên "
                             "không ghi đè. Hãy chọn thư mục khác bằng -o.")
    if target.exists() and not force and not (fmt == "csv" and _is_empty_dir(target)):
        raise OutputExists(str(target))
