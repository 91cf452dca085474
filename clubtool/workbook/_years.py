"""The years the club workbooks of a folder are for, read cheaply: only `Năm báo cáo`.

Used when no report year is configured (no `--year`, no `year` in clubtool.toml, no
CLUBTOOL_YEAR): the commands then take the latest year the data has. Reading one label of
one sheet costs a quarter of reading the whole workbook; the file still passes the safety
checks of `files.check_bytes` first (a hostile file must never reach the parser), and is
read in a worker process, as every file is (`isolation`): one that crashes it has no year.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from .. import schema as S
from ..text import Matcher
from ..values import BadValue, parse_integer
from ._files import DEFAULT_LIMITS, Limits, Rejected, check_bytes, discover
from .isolation import DEFAULT_BOUNDS, Bounds, Failure, read_all

_INFO = S.CLUB.marker_sheet
_SHEETS = Matcher({_INFO.name: True})
_YEAR_LABEL = Matcher({_INFO.field("year").header: True})


def club_year(path: Path | str, *, limits: Limits = DEFAULT_LIMITS) -> int | None:
    """`Năm báo cáo` of a club workbook, or None: not a club workbook, no such row, a value
    that is no year of the plan (2026–2035), a file that cannot or must not be read."""
    from .reader import read_sheets

    try:
        data = Path(path).read_bytes()
        if check_bytes(data, Path(path).suffix.lower(), limits) == "other":
            return None
    except (OSError, Rejected):
        return None
    sheets = read_sheets(data, lambda names: [n for n in names if _SHEETS.find(n)][:1])
    if not sheets:
        return None
    for row in sheets[0][1]:
        if len(row) > 1 and isinstance(row[0], str) and _YEAR_LABEL.find(row[0]):
            return _plan_year(row[1])
    return None


def _plan_year(raw: Any) -> int | None:
    try:
        year = parse_integer(raw)
    except (BadValue, TypeError, ValueError):
        return None
    return year if S.FIRST_PLAN_YEAR <= year <= S.LAST_PLAN_YEAR else None


def club_years(paths: Iterable[Path | str], *, limits: Limits = DEFAULT_LIMITS,
               bounds: Bounds = DEFAULT_BOUNDS, jobs: int | None = None) -> Counter[int]:
    """How many club workbooks there are of each year among `paths` (files or folders,
    searched as every command searches them), each read in a worker process."""
    files = [str(p) for p in discover(paths)]
    years = read_all(partial(club_year, limits=limits), files, failed=_no_year, bounds=bounds,
                     jobs=jobs or os.cpu_count() or 1)
    return Counter(y for y in years if y is not None)


def _no_year(path: str, why: Failure) -> int | None:
    return None  # validate() reads the file again and says what is wrong with it
