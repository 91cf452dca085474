"""Typed records of the two workbooks, as the reader hands them on.

Attribute names are the schema's `Field.key`s (a test keeps them in step with
`clubtool.schema`). Every table record remembers the Excel row it came from, so that
checks can point at the cell. Empty cells are `None` (flags: `False`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from .schema import CLUB, CONTENT_CODES, TRANSFORMATION_CODES, Layout

Date = dt.date


@dataclass(slots=True)
class ClubInfo:
    version: str | None = None
    club_id: str | None = None
    name: str | None = None
    village: str | None = None
    year: int | None = None
    founded: Date | None = None
    chair: str | None = None
    phone: str | None = None
    opening_activity: float | None = None
    opening_income: float | None = None
    recognised_year: int | None = None
    prepared_by: str | None = None
    prepared_on: Date | None = None
    commune: str | None = None  # `Xã` (template CLB-2027.1 on)
    province: str | None = None  # `Tỉnh`


@dataclass(slots=True)
class Member:
    row: int
    stt: int | None = None
    name: str | None = None
    gender: str | None = None
    birth_year: int | None = None
    village: str | None = None
    joined: Date | None = None
    left: Date | None = None
    role: str | None = None  # non-empty: member of the board (BCN)
    initial_training_year: int | None = None
    hardship: str | None = None
    disability: bool = False
    lonely: bool = False
    needs_livelihood: bool = False
    got_livelihood: bool = False
    health_check: bool = False
    volunteer: bool = False
    note: str | None = None

    @property
    def on_board(self) -> bool:
        return bool(self.role)

    def active(self, start: Date, as_of: Date) -> bool:
        """The one rule of an *active* member, for the checks and the indicators
        (docs/indicators.md#active-members): a member counts in the period from `start`
        (01/01 of the report year) to `as_of` unless they left before `start` or joined
        after `as_of`. Leaving on 01/01 or joining on the as-of day counts; undated counts."""
        left, joined = self.left, self.joined
        return (left is None or left >= start) and (joined is None or joined <= as_of)


@dataclass(slots=True)
class Meeting:
    row: int
    date: Date | None = None
    attendance: int | None = None
    suc_khoe: bool = False
    thu_nhap: bool = False
    tinh_than: bool = False
    tu_giup_nhau: bool = False
    hoc_tap: bool = False
    cham_soc_tai_nha: bool = False
    nguon_luc: bool = False
    quyen_loi: bool = False
    chuyen_doi_so: bool = False
    chuyen_doi_xanh: bool = False
    khoi_nghiep: bool = False
    summary: str | None = None

    @property
    def contents(self) -> frozenset[str]:
        """Codes of the 8 contents flagged on this session."""
        return frozenset(c for c in CONTENT_CODES if getattr(self, c))

    @property
    def transformation(self) -> bool:
        """Digital or green transformation, start-up or jobs flagged on this session."""
        return any(getattr(self, c) for c in TRANSFORMATION_CODES)


@dataclass(slots=True)
class Training:
    row: int
    date: Date | None = None
    name: str | None = None
    kind: str | None = None
    organiser: str | None = None


@dataclass(slots=True)
class Outreach:
    row: int
    date: Date | None = None
    form: str | None = None
    content: str | None = None
    reached: int | None = None


@dataclass(slots=True)
class FundEntry:
    row: int
    date: Date | None = None
    fund: str | None = None
    direction: str | None = None
    source: str | None = None
    amount: float | None = None
    description: str | None = None


@dataclass(slots=True)
class SheetLayout:
    """Where a sheet's fields were found: for pointing at cells."""

    name: str  # the sheet's name as written in the file
    columns: dict[str, int] = field(default_factory=dict)  # field key → 1-based column
    label_rows: dict[str, int] = field(default_factory=dict)  # field key → row (label sheets)
    header_row: int = 1

    def cell(self, key: str, row: int | None = None) -> str | None:
        """A1 reference of field `key` (on a label sheet: its value cell in column B)."""
        if row is None:
            label_row = self.label_rows.get(key)
            return f"B{label_row}" if label_row else None
        col = self.columns.get(key)
        return f"{column_letter(col)}{row}" if col else None


@dataclass(slots=True)
class Club:
    path: str
    info: ClubInfo
    members: list[Member] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    trainings: list[Training] = field(default_factory=list)
    outreach: list[Outreach] = field(default_factory=list)
    fund: list[FundEntry] = field(default_factory=list)
    layouts: dict[str, SheetLayout] = field(default_factory=dict)  # sheet key → layout
    #: Cells that failed their own check (required, type, enum, range, pattern), as
    #: (sheet key, row, field key) (row None on a label sheet): left out of the checks that
    #: depend on them, so that one bad cell gives one error (docs/workbooks.md#validation).
    failed: frozenset[tuple[str, int | None, str]] = frozenset()

    def cell_failed(self, sheet: str, key: str, row: int | None = None) -> bool:
        return (sheet, row, key) in self.failed

    def column_failed(self, sheet: str, key: str) -> bool:
        """Some cell of this column (or label) failed its own check."""
        return any(s == sheet and k == key for s, _, k in self.failed)


@dataclass(slots=True)
class CommuneInfo:
    version: str | None = None
    commune: str | None = None
    province: str | None = None
    year: int | None = None
    issuer: str | None = None
    doc_number: str | None = None
    signing_authority: str | None = None
    signer_title: str | None = None
    signer: str | None = None
    recipients: str | None = None


@dataclass(slots=True)
class Village:
    row: int
    name: str | None = None
    older_people: int | None = None
    outreach_target: int | None = None
    outreach_reached: int | None = None


@dataclass(slots=True)
class RegistryClub:
    row: int
    club_id: str | None = None
    name: str | None = None
    village: str | None = None
    founded: Date | None = None
    dissolved: Date | None = None


@dataclass(slots=True)
class Official:
    row: int
    name: str | None = None
    position: str | None = None
    unit: str | None = None
    trained: bool = False
    trained_on: Date | None = None


@dataclass(slots=True)
class Award:
    row: int
    year: int | None = None
    target: str | None = None
    name: str | None = None
    form: str | None = None
    level: str | None = None


@dataclass(slots=True)
class Commune:
    path: str
    info: CommuneInfo
    villages: list[Village] = field(default_factory=list)
    registry: list[RegistryClub] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    layouts: dict[str, SheetLayout] = field(default_factory=dict)
    failed: frozenset[tuple[str, int | None, str]] = frozenset()  # as `Club.failed`


#: Which record class holds the rows of which sheet (by workbook kind and sheet key).
RECORDS: dict[tuple[str, str], type] = {
    ("club", "info"): ClubInfo,
    ("club", "members"): Member,
    ("club", "meetings"): Meeting,
    ("club", "trainings"): Training,
    ("club", "outreach"): Outreach,
    ("club", "fund"): FundEntry,
    ("commune", "info"): CommuneInfo,
    ("commune", "villages"): Village,
    ("commune", "registry"): RegistryClub,
    ("commune", "officials"): Official,
    ("commune", "awards"): Award,
}


def column_letter(col: int) -> str:
    """1 → A, 27 → AA (as Excel shows columns)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class RowsNotKept(Sequence[Any]):
    """Stands for a sheet's rows that were read, checked and summarised, then not kept
    (`validate(..., keep_records=False)`): any use of them raises, never counts zero.
    `n`: how many there were (for `RowsLater`; None in entries made before it was kept)."""

    __slots__ = ("sheet", "n")

    def __init__(self, sheet: str, n: int | None = None):
        self.sheet = sheet
        self.n = n

    def _fail(self) -> NoReturn:
        raise RuntimeError(f"Các dòng của trang '{self.sheet}' không được giữ lại "
                           "(validate(..., keep_records=False)).")

    def __len__(self) -> int:
        self._fail()

    def __getitem__(self, index: Any) -> Any:
        self._fail()

    def __iter__(self) -> Iterator[Any]:
        self._fail()

    def __repr__(self) -> str:
        return f"RowsNotKept({self.sheet!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RowsNotKept) and other.sheet == self.sheet

    def __hash__(self) -> int:
        return hash(self.sheet)

    def __reduce__(self) -> tuple[Any, ...]:
        return RowsNotKept, (self.sheet, self.n)


class RowsLater(Sequence[Any]):
    """A sheet's rows kept elsewhere (the cache), taken when first used: a warm export
    reads every file, yet needs the rows of the files that changed only (issue 14). It is
    the list of rows it stands for in every use — the same rows, the same order — except
    that its length is known without taking them. Pickled, it is that list.

    `take(key)` gives the rows of the sheet of field name `key` (the club's `members`…);
    called once, then let go."""

    __slots__ = ("key", "n", "_take", "_rows")

    def __init__(self, key: str, n: int, take: Callable[[str], list[Any]]):
        self.key = key
        self.n = n
        self._take: Callable[[str], list[Any]] | None = take
        self._rows: list[Any] | None = None

    @property
    def rows(self) -> list[Any]:
        """The rows themselves (taken now if not yet)."""
        if self._rows is None:
            assert self._take is not None
            rows = self._take(self.key)
            if len(rows) != self.n:  # never: the entries are of the same bytes and code
                raise RuntimeError(f"{self.key}: {len(rows)} rows kept, {self.n} expected")
            self._rows, self._take = rows, None
        return self._rows

    @property
    def taken(self) -> bool:
        return self._rows is not None

    def __len__(self) -> int:
        return self.n

    def __bool__(self) -> bool:
        return self.n > 0

    def __getitem__(self, index: Any) -> Any:
        return self.rows[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __reversed__(self) -> Iterator[Any]:
        return reversed(self.rows)

    def __contains__(self, value: object) -> bool:
        return value in self.rows

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowsLater):
            other = other.rows
        return self.rows == other

    __hash__ = None  # type: ignore[assignment]  # as a list

    def __repr__(self) -> str:
        return repr(self.rows) if self.taken else f"RowsLater({self.key!r}, {self.n})"

    def __reduce__(self) -> tuple[Any, ...]:
        return list, (self.rows,)


_TABLE_SHEETS = tuple(s for s in CLUB.read_sheets if s.layout is Layout.TABLE)


def without_rows(club: Club) -> Club:
    """The club with its information sheet and layouts, its table rows not kept (how many
    there were is)."""
    rows: dict[str, Any] = {s.key: RowsNotKept(s.name, _count(getattr(club, s.key)))
                            for s in _TABLE_SHEETS}
    return dataclasses.replace(club, **rows)


def _count(rows: Sequence[Any]) -> int | None:
    return rows.n if isinstance(rows, RowsNotKept) else len(rows)


def rows_later(club: Club, take: Callable[[str], list[Any]]) -> Club | None:
    """`club` (its table rows not kept: changed in place) with each sheet's rows to be taken
    by `take` when first used (`RowsLater`); None (`club` unchanged) when it does not say how
    many rows each sheet had."""
    kept = [getattr(club, s.key) for s in _TABLE_SHEETS]
    if not all(isinstance(k, RowsNotKept) and k.n is not None for k in kept):
        return None
    for s, k in zip(_TABLE_SHEETS, kept, strict=True):
        setattr(club, s.key, RowsLater(s.key, k.n, take))
    return club


def compact_pickling(*classes: type) -> None:
    """Pickle instances of these dataclasses as (class, field values): half the bytes and
    ~2x faster both ways than the default for slotted dataclasses (a dict of slot values per
    object). For records crossing the process boundary and entries of the cache. Classes
    with a field not set by __init__ keep the default."""
    import copyreg
    import functools
    from operator import attrgetter

    for cls in classes:
        fs = dataclasses.fields(cls)
        if not all(f.init for f in fs):
            continue
        values = attrgetter(*(f.name for f in fs)) if len(fs) > 1 else (
            lambda obj, _n=fs[0].name: (getattr(obj, _n),))
        copyreg.pickle(cls, functools.partial(_reduce, cls, values))


def _reduce(cls: type, values: Any, obj: Any) -> tuple[Any, ...]:
    return cls, values(obj)  # (copyreg looks reducers up by exact type: never a subclass)
