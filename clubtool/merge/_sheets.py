"""What the merged workbook holds: its sheets, their columns and their rows (docs/outputs.md#merge).

Headers of the clubs' own columns come from `clubtool.schema`; the headers and words that
exist only in the merged workbook are the constants below — the one place they are written.
Rows are produced lazily, club after club, so that a nation's 1.4 M members are never held
twice in memory.

Vocabulary: CLB = câu lạc bộ (club); NCT = người cao tuổi (older person); BCN = Ban chủ
nhiệm (the club's board); thôn = village.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import chain, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, Literal

from .. import schema as S
from ..model import Club, Member
from ..text import fold, person_key
from ..vnformat import whole

if TYPE_CHECKING:
    from ..indicators import ClubResult, IndicatorResult

# --- sheet names -----------------------------------------------------------------------

CLUBS_SHEET, SOURCES_SHEET = S.MERGED_MARKERS  # "CLB", "Nguồn": how the reader knows us
DUPLICATES_SHEET = "Nghi trùng"
#: The clubs' table sheets, copied row by row, in template order.
RECORD_SHEETS: tuple[S.Sheet, ...] = (S.MEMBERS, S.MEETINGS, S.TRAININGS, S.OUTREACH, S.FUND)
SHEET_ORDER: tuple[str, ...] = (CLUBS_SHEET, *(s.name for s in RECORD_SHEETS),
                                DUPLICATES_SHEET, SOURCES_SHEET)


def part_name(sheet: str, part: int) -> str:
    """The name of the `part`-th sheet holding `sheet`'s rows: "Thành viên (2)"."""
    return sheet if part == 1 else f"{sheet} ({part})"


# --- merge-only headers ------------------------------------------------------------------

CLUB_ID = S.CLUB_INFO.field("club_id").header  # "Mã CLB": first column of every sheet
SOURCE = "Tệp nguồn"  # file (and row): "xa_a/clb_mh-01.xlsx:12"

ACTIVE_MEMBERS = "Thành viên đang sinh hoạt"
WOMEN = "Thành viên nữ"
OLDER = "Thành viên NCT"
FEMALE_OLDER = "Nữ NCT"
FEMALE_OLDER_SHARE = "Tỷ lệ nữ NCT"
SESSIONS = "Số buổi sinh hoạt"
MONTHS_MET = "Số tháng có sinh hoạt"
MONTHLY = "Sinh hoạt hằng tháng"
ALL_CONTENTS = "Đủ 8 nội dung"
BOARD = "Thành viên BCN"
BOARD_TRAINED = "BCN được tập huấn"
CLOSING = {S.FUND_ACTIVITY: "Số dư cuối kỳ quỹ hoạt động (đồng)",
           S.FUND_INCOME: "Số dư cuối kỳ quỹ tăng thu nhập (đồng)"}
MEETS_STANDARD = "Đạt chuẩn"
CRITERIA_FAILED = "Tiêu chí chưa đạt"
FILE_ERRORS = "Số lỗi của tệp"
TOTAL_LABEL = "Tổng cộng"

GROUP = "Nhóm"
CLUBS_IN_GROUP = "Số CLB"
CLUB_NAME_OF_MEMBER = S.CLUB_INFO.field("name").header  # "Tên CLB"
SAME_VILLAGE = "Cùng thôn"
SAME_GENDER = "Cùng giới tính"
SIGNS = "Mức nghi"
#: Rows of `Nghi trùng` in the workbook: what one person can review (CSV lists them all).
DUPLICATES_LIMIT = 5000
DUPLICATES_TITLE = ("Người có cùng họ tên và năm sinh ở hai câu lạc bộ trở lên trong cùng một "
                    "xã (có thể một người được kê khai hai lần). Xếp theo xã, rồi mức nghi "
                    "(số dấu hiệu thêm: cùng thôn, cùng giới tính; 2 là đáng xem nhất), rồi "
                    "họ tên.")
DUPLICATES_CAPPED = ("Chỉ ghi {shown} trong {total} dòng ({groups_shown} trong {groups} nhóm): "
                     "các nhóm có mức nghi cao nhất. Còn {left} dòng ({groups_left} nhóm) không "
                     "ghi vì vượt quá {limit} dòng, nhiều hơn một người có thể xem hết; danh "
                     "sách đầy đủ có trong bản CSV (clubtool merge … --format csv).")

KIND = "Loại tệp"
ERRORS = "Số lỗi"
WARNINGS = "Số cảnh báo"
STATUS = "Tình trạng"
REASON = "Lý do"
SHA256 = "SHA-256"
ROWS_TAKEN = "Dòng đã lấy"

KIND_WORDS = {"club": "Báo cáo CLB", "commune": "Mẫu của xã", "merged": "Bảng tổng hợp",
              None: "Không đọc được"}
MERGED = "Đã tổng hợp"
MERGED_WITH_ERRORS = "Đã tổng hợp (tệp có lỗi)"
LEFT_OUT = "Bỏ ra"
NOT_MERGED = "Không tổng hợp"

REASON_INVALID_INCLUDED = "Tệp có {errors} lỗi; vẫn tổng hợp theo yêu cầu (--include-invalid)."
REASON_OTHER_YEAR = "Số liệu năm {found}, không phải năm {year}."
REASON_COMMUNE = "Mẫu của xã: dùng cho danh sách thôn và câu lạc bộ, không có dòng để gộp."
REASON_NO_CLUB = "Không đọc được số liệu câu lạc bộ trong tệp."


# --- columns ---------------------------------------------------------------------------


class Fmt(StrEnum):
    """How a column's cells are shown."""

    TEXT = "text"
    INT = "int"  # a count or a year: 1958, 60
    MONEY = "money"  # đồng, with thousand separators: 1,500,000
    DATE = "date"  # a real date shown dd/mm/yyyy
    FLAG = "flag"  # "x" or empty
    SHARE = "share"  # a fraction shown as a percentage


_FMT_OF_KIND = {S.Kind.DATE: Fmt.DATE, S.Kind.INTEGER: Fmt.INT, S.Kind.YEAR: Fmt.INT,
                S.Kind.NUMBER: Fmt.MONEY, S.Kind.FLAG: Fmt.FLAG}

Total = Literal["sum", "count"]


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    fmt: Fmt = Fmt.TEXT
    width: float = 14
    total: Total | None = None  # on the totals row: sum of the numbers, or count of the flags
    ratio: tuple[str, str] | None = None  # on the totals row: column / column (by header)

    @classmethod
    def of(cls, f: S.Field, *, total: Total | None = None, width: float | None = None) -> Column:
        fmt = _FMT_OF_KIND.get(f.kind, Fmt.TEXT)
        if width is None:
            width = max(f.width, 15.0) if fmt is Fmt.MONEY else f.width
        return cls(f.header, fmt, width, total)


LEAD = (Column(CLUB_ID, width=10), Column(SOURCE, width=24))

#: Columns holding people's names (left out with `names=False`, for figures sent upward).
NAME_FIELDS = {(S.MEMBERS.key, "name"), (S.TRAININGS.key, "name"),
               (S.CLUB_INFO.key, "chair"), (S.CLUB_INFO.key, "phone"),
               (S.CLUB_INFO.key, "prepared_by")}


@dataclass(slots=True)
class SheetData:
    """One logical sheet: columns and a one-pass iterable of rows (lists of cell values).

    Cell values are None (empty), bool (a flag: "x" or empty), str, int, float or a date.
    """

    name: str
    columns: tuple[Column, ...]
    rows: Iterable[list[Any]]
    freeze_cols: int = 1
    totals: bool = False  # a totals row under the rows (CLB)
    title: tuple[str, ...] = ()  # lines above the header (workbook only, not CSV)


# --- the sources: which file gives which club --------------------------------------------


@dataclass(slots=True)
class Source:
    """One input file and what merge does with it."""

    path: str
    display: str  # the path as shown: relative to the inputs' common folder
    kind: str | None
    sha256: str
    errors: int
    warnings: int
    club_id: str | None
    year: int | None
    status: str
    reason: str = ""
    club: Club | None = None  # set when its rows are merged
    excluded_for_errors: bool = False
    commune: str | None = None  # the commune it was counted for (else its own `Xã`)
    province: str | None = None

    @property
    def identity(self) -> tuple[str, str, str]:
        """A club is (province, commune, code) (docs/workbooks.md#across-files): one code in two communes is two
        clubs."""
        from ..validation._across import place_key

        info = self.club.info if self.club is not None else None
        code = (info.club_id if info is not None else None) or self.club_id or self.path
        return (place_key(self.province or (info.province if info else None)),
                place_key(self.commune or (info.commune if info else None)), code)

    def rows_taken(self, sheet: S.Sheet) -> int | None:
        return len(getattr(self.club, sheet.key)) if self.club is not None else None


# --- CLB ---------------------------------------------------------------------------------


def _info(key: str) -> S.Field:
    return S.CLUB_INFO.field(key)


def club_columns(*, names: bool, with_errors: bool) -> tuple[Column, ...]:
    # The label sheet's fields have no column widths of their own.
    widths = {"club_id": 10, "name": 34, "village": 16, "commune": 14, "province": 12,
              "founded": 12, "chair": 22, "phone": 13}
    cols: list[Column] = [Column.of(_info(k), width=w) for k, w in widths.items()
                          if names or (S.CLUB_INFO.key, k) not in NAME_FIELDS]
    cols += [
        Column(ACTIVE_MEMBERS, Fmt.INT, 12, "sum"),
        Column(WOMEN, Fmt.INT, 10, "sum"),
        Column(OLDER, Fmt.INT, 10, "sum"),
        Column(FEMALE_OLDER, Fmt.INT, 10, "sum"),
        Column(FEMALE_OLDER_SHARE, Fmt.SHARE, 10, ratio=(FEMALE_OLDER, ACTIVE_MEMBERS)),
        Column(SESSIONS, Fmt.INT, 11, "sum"),
        Column(MONTHS_MET, Fmt.INT, 11),
        Column(MONTHLY, Fmt.FLAG, 11, "count"),
        *(Column(S.MEETINGS.field(code).header, Fmt.FLAG, 11, "count") for code in S.CONTENT_CODES),
        Column(ALL_CONTENTS, Fmt.FLAG, 10, "count"),
        Column(BOARD, Fmt.INT, 10, "sum"),
        Column(BOARD_TRAINED, Fmt.INT, 10, "sum"),
        Column.of(_info("opening_activity"), total="sum"),
        Column(CLOSING[S.FUND_ACTIVITY], Fmt.MONEY, 15, "sum"),
        Column.of(_info("opening_income"), total="sum"),
        Column(CLOSING[S.FUND_INCOME], Fmt.MONEY, 15, "sum"),
        Column(MEETS_STANDARD, Fmt.FLAG, 9, "count"),
        Column(CRITERIA_FAILED, Fmt.TEXT, 40),
        Column.of(_info("recognised_year"), width=11),
    ]
    if with_errors:
        cols.append(Column(FILE_ERRORS, Fmt.INT, 9, "sum"))
    cols.append(Column(SOURCE, width=24))
    return tuple(cols)


def club_rows(sources: Sequence[Source], columns: Sequence[Column],
              figures: dict[str, ClubResult], result: IndicatorResult | None
              ) -> Iterator[list[Any]]:
    """One row per merged club: its information, then its figures (left blank for a club
    whose workbook has errors, merged with --include-invalid: its figures are not computed).
    """
    from ..indicators import CRITERIA_BY_ID

    standard = result.plan.standard if result is not None else None
    for src in sources:
        assert src.club is not None
        info = src.club.info
        values: dict[str, Any] = {f.header: getattr(info, f.key) for f in S.CLUB_INFO.fields}
        # the commune it was counted for, when its own (CLB-2026.1) workbook names none
        values[_info("commune").header] = info.commune or src.commune
        values[_info("province").header] = info.province or src.province
        values[FILE_ERRORS] = src.errors
        values[SOURCE] = src.display
        fr = figures.get(src.path)
        if fr is not None:
            f = fr.figures
            p = f.people
            held = set(f.contents_held)
            failed = [CRITERIA_BY_ID[c].describe(standard) if standard and c in CRITERIA_BY_ID
                      else c for c in f.criteria_failed]
            values.update({
                ACTIVE_MEMBERS: p.total, WOMEN: p.women, OLDER: p.older,
                FEMALE_OLDER: p.female_older, FEMALE_OLDER_SHARE: f.female_older_share,
                SESSIONS: f.sessions, MONTHS_MET: len(f.months_met), MONTHLY: f.monthly,
                ALL_CONTENTS: f.all_contents, BOARD: p.board, BOARD_TRAINED: p.board_trained,
                MEETS_STANDARD: f.meets_standard, CRITERIA_FAILED: "; ".join(failed) or None,
            })
            values.update({S.MEETINGS.field(code).header: code in held
                           for code in S.CONTENT_CODES})
            values.update({CLOSING[fund]: f.funds[fund].closing for fund in S.FUNDS})
        yield [values.get(c.header) for c in columns]


# --- the clubs' own rows --------------------------------------------------------------


def record_fields(sheet: S.Sheet, *, names: bool) -> tuple[S.Field, ...]:
    return tuple(f for f in sheet.fields if names or (sheet.key, f.key) not in NAME_FIELDS)


def record_columns(sheet: S.Sheet, *, names: bool) -> tuple[Column, ...]:
    return (*LEAD, *(Column.of(f) for f in record_fields(sheet, names=names)))


def record_rows(sources: Sequence[Source], sheet: S.Sheet, *, names: bool,
                on_club: Callable[[], None] | None = None) -> Iterator[list[Any]]:
    """Every row of `sheet` of every merged club, led by `Mã CLB` and `Tệp nguồn`."""
    keys = [f.key for f in record_fields(sheet, names=names)]
    get = attrgetter(*keys)
    single = len(keys) == 1
    for src in sources:
        assert src.club is not None
        club_id = src.club.info.club_id
        prefix = src.display + ":"
        for rec in getattr(src.club, sheet.key):
            values = get(rec)
            yield [club_id, f"{prefix}{rec.row}", *((values,) if single else values)]
        if on_club is not None:
            on_club()


# --- Nghi trùng: one person in several clubs of one commune ---------------------------------


def duplicate_columns(*, names: bool) -> tuple[Column, ...]:
    m = S.MEMBERS
    person = [m.field(k) for k in ("name", "birth_year", "gender", "village", "joined", "left")]
    return (
        Column(GROUP, Fmt.INT, 7),
        Column.of(_info("province"), width=12),
        Column.of(_info("commune"), width=14),
        *(Column.of(f) for f in person if names or (m.key, f.key) not in NAME_FIELDS),
        Column(CLUBS_IN_GROUP, Fmt.INT, 7),
        Column(SAME_VILLAGE, Fmt.FLAG, 9),
        Column(SAME_GENDER, Fmt.FLAG, 9),
        Column(SIGNS, Fmt.INT, 8),
        Column(CLUB_ID, width=10),
        Column(CLUB_NAME_OF_MEMBER, width=30),
        Column(SOURCE, width=24),
    )


@dataclass(slots=True)
class DuplicateGroup:
    """One person (same normalised name and birth year) listed by two or more clubs of one
    commune, with every place (club, row) that lists them."""

    key: tuple[str, str, str, int]  # (province, commune, name) as compared, birth year
    province: str | None  # as written by the first club listing them
    commune: str | None
    places: list[tuple[Source, Person | Member]]  # by club, file, row (`place_person`)
    clubs: int  # distinct clubs
    same_village: bool  # two of the clubs write the same village (diacritics, case aside)
    same_gender: bool  # two of the clubs write the same gender

    @property
    def signs(self) -> int:
        """The evidence beyond name and birth year: 0, 1 or 2 (the `Mức nghi` column)."""
        return int(self.same_village) + int(self.same_gender)

    def order(self) -> tuple[str, str, int, str, int]:
        """The sheet's order: commune, the strongest evidence first, then name."""
        province, commune, name, year = self.key
        return (province, commune, -self.signs, name, year)


@dataclass(frozen=True, slots=True)
class DuplicateSheet:
    """What the `Nghi trùng` sheet shows of the groups found, and what it leaves out."""

    groups: list[DuplicateGroup]  # shown, in the sheet's order
    found: int  # groups found
    rows_found: int
    limit: int | None  # rows a sheet may show (None: every row, as in CSV)

    @property
    def rows(self) -> int:
        return sum(len(g.places) for g in self.groups)

    @property
    def rows_left_out(self) -> int:
        return self.rows_found - self.rows

    @property
    def groups_left_out(self) -> int:
        return self.found - len(self.groups)

    def title(self) -> tuple[str, ...]:
        """The lines above the header: what the sheet lists, and what it leaves out."""
        lines = [DUPLICATES_TITLE]
        if self.rows_left_out:
            lines.append(DUPLICATES_CAPPED.format(
                shown=whole(self.rows), groups_shown=whole(len(self.groups)),
                total=whole(self.rows_found), groups=whole(self.found),
                left=whole(self.rows_left_out), groups_left=whole(self.groups_left_out),
                limit=whole(self.limit or 0)))
        return tuple(lines)


def _commune_of(src: Source) -> tuple[str | None, str | None]:
    """(province, commune) as written: the club's own, else those it was counted for."""
    info = src.club.info if src.club is not None else None
    return ((info.province if info else None) or src.province,
            (info.commune if info else None) or src.commune)


#: What `Nghi trùng` compares and shows of a member row with a name and a birth year: a
#: plain tuple (kept in the cache per file, `_pieces.club_people`), read by the indexes below.
#: (row, name, gender, birth year, village, joined, left, name as compared (`person_key`),
#: village as compared (`fold`)); joined and left are date ordinals (`date.toordinal`).
Person = tuple[int, str, str | None, int, str | None, int | None, int | None, str, str | None]
P_ROW: Final = 0
P_NAME: Final = 1
P_GENDER: Final = 2
P_YEAR: Final = 3
P_VILLAGE: Final = 4
P_JOINED: Final = 5
P_LEFT: Final = 6
P_KEY: Final = 7
P_PLACE: Final = 8


def people_of(members: Iterable[Member]) -> list[Person]:
    """The rows `Nghi trùng` looks at (those with a name and a birth year), as `Person`s."""
    return [_person(m) for m in members if m.name and m.birth_year is not None]


def _person(m: Member) -> Person:
    assert m.name and m.birth_year is not None
    return (m.row, m.name, m.gender, m.birth_year, m.village, _ordinal(m.joined),
            _ordinal(m.left), person_key(m.name), fold(m.village) if m.village else None)


class MemberPeople(Sequence[Person]):
    """`people_of(members)` made one person at a time, when asked: past `SMALL` rows the
    search asks for the candidates only, so a nation's merge that reads its files holds no
    tuple a member (1.4 M) beside the members themselves."""

    __slots__ = ("members", "at")

    def __init__(self, members: Sequence[Member]):
        self.members = members
        self.at = [i for i, m in enumerate(members) if m.name and m.birth_year is not None]

    def __len__(self) -> int:
        return len(self.at)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [_person(self.members[k]) for k in self.at[i]]
        return _person(self.members[self.at[i]])

    def __iter__(self) -> Iterator[Person]:
        members = self.members
        return (_person(members[k]) for k in self.at)

    def member(self, i: int) -> Member:
        """The member the `i`-th person is made from."""
        return self.members[self.at[i]]

    def keys(self) -> Iterator[tuple[str, int]]:
        """(name as compared, birth year) of each person, in order (the hash pass)."""
        for k in self.at:
            m = self.members[k]
            yield person_key(m.name or ""), m.birth_year or 0


def place_person(ref: Person | Member) -> Person:
    """A group's place as a `Person` (made now when the group keeps the member)."""
    return ref if isinstance(ref, tuple) else _person(ref)


def _ordinal(day: Any) -> int | None:
    return None if day is None else day.toordinal()


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


@dataclass(frozen=True, slots=True)
class _Club:
    """What the search needs of one merged source, worked out once (not once a member)."""

    source: Source
    people: Sequence[Person]
    number: int  # the club as compared: one number for each distinct `Source.identity`
    where: tuple[str, str]  # (province, commune) as compared
    rank: int  # a group's places are sorted by club code and file (this rank), then row
    written: tuple[str | None, str | None]  # (province, commune) as written


def _clubs(sources: Sequence[Source], people: Sequence[Sequence[Person]] | None
           ) -> list[_Club]:
    def place(src: Source) -> tuple[str, str]:
        return (src.club.info.club_id or "" if src.club else "", src.display)

    rank = {p: n for n, p in enumerate(sorted({place(s) for s in sources}))}
    numbers: dict[tuple[str, str, str], int] = {}
    out = []
    for n, src in enumerate(sources):
        assert src.club is not None
        identity = src.identity
        out.append(_Club(src, MemberPeople(src.club.members) if people is None else people[n],
                         numbers.setdefault(identity, len(numbers)), identity[:2],
                         rank[place(src)], _commune_of(src)))
    return out


def find_duplicates(sources: Sequence[Source], people: Sequence[Sequence[Person]] | None = None
                    ) -> list[DuplicateGroup]:
    """Groups of member rows with the same normalised name and birth year in two or more
    clubs (distinct (province, commune, code)) of the same commune, in the sheet's order
    (`DuplicateGroup.order`); each group lists every place.

    `people`: each source's `people_of(members)`, when known (from the cache: the members
    themselves are then not needed).

    Linear in the members: rows are grouped by (commune, name, birth year) and no pair is
    ever enumerated. Two passes keep memory small at a nation's scale: first only a 64-bit
    hash of each row (a typed array: 8 bytes a row), then the exact keys of the candidates
    alone (the rows of a hash that comes with two clubs or more), one hash at a time.
    Each club's identity is worked out once, not once a row.
    """
    clubs = _clubs(sources, people)
    groups = [g for run in _candidates(clubs, _hashes(clubs)) for g in _groups(*run)]
    groups.sort(key=DuplicateGroup.order)
    return groups


def _hashes(clubs: Sequence[_Club]) -> array[int]:
    """Pass 1: each person's hash of (commune, name, birth year), club after club."""
    out: array[int] = array("q")
    for club in clubs:
        where, people = hash(club.where), club.people
        if isinstance(people, MemberPeople):
            out.extend([hash((where, k, y)) for k, y in people.keys()])
        else:
            out.extend([hash((where, p[P_KEY], p[P_YEAR])) for p in people])
    return out


#: Up to this many member rows (a province) pass 2 groups the rows in a dict, without
#: numpy (its import alone costs ~0.06 s, a tenth of a nightly export's merge); past it, in
#: numpy arrays (8 bytes a row instead of a dict entry a row).
SMALL = 300_000


def _candidates(clubs: Sequence[_Club], hashes: array[int]
                ) -> Iterator[tuple[list[_Club], list[Person], Sequence[Person | Member]]]:
    """Pass 2: the rows of each hash that comes with two clubs or more, hash after hash
    (in an order of hashes; each hash's rows in the order found): their clubs, persons and
    what a group keeps of them (`_groups`)."""
    if len(hashes) <= SMALL:
        yield from _candidates_small(clubs, hashes)
    else:
        yield from _candidates_large(clubs, hashes)


def _candidates_small(clubs: Sequence[_Club], hashes: array[int]
                      ) -> Iterator[tuple[list[_Club], list[Person], Sequence[Person | Member]]]:
    counts = Counter(hashes)  # (counted in C: the rows of a hash seen once are skipped)
    runs: dict[int, list[int]] = {}
    for i, h in enumerate(hashes):
        if counts[h] > 1:
            run = runs.get(h)
            if run is None:
                runs[h] = [i]
            else:
                run.append(i)
    owner = list(chain.from_iterable(repeat(c, len(c.people)) for c in clubs))
    people = list(chain.from_iterable(c.people for c in clubs))  # (up to a province's)
    for run in runs.values():
        if len({owner[i].number for i in run}) > 1:
            found = [people[i] for i in run]
            yield [owner[i] for i in run], found, found


def _candidates_large(clubs: Sequence[_Club], hashes: array[int]
                      ) -> Iterator[tuple[list[_Club], list[Person], Sequence[Person | Member]]]:
    import numpy as np

    counts = np.fromiter((len(c.people) for c in clubs), dtype=np.int64, count=len(clubs))
    if not counts.sum():
        return
    starts = np.cumsum(counts) - counts
    h = np.frombuffer(hashes, dtype=np.int64)
    number = np.fromiter((c.number for c in clubs), dtype=np.int64, count=len(clubs))
    number = np.repeat(number, counts)
    order = np.argsort(h, kind="stable")  # by hash, then row
    h, number = h[order], number[order]
    first = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))  # of each hash's run
    wanted = np.minimum.reduceat(number, first) != np.maximum.reduceat(number, first)
    sizes = np.diff(np.append(first, len(h)))
    keep = np.repeat(wanted, sizes)
    if not keep.any():
        return
    run = np.repeat(np.arange(len(first)), sizes)[keep]
    picked = order[keep]  # the candidates' rows, hash after hash
    ends = (np.flatnonzero(run[1:] != run[:-1]) + 1).tolist()
    del h, number, order, first, wanted, sizes, keep, run
    # the candidates' clubs, and their people by their place in their club (none made for
    # the others: `MemberPeople`)
    at = np.searchsorted(starts, picked, side="right") - 1
    found = np.fromiter(clubs, dtype=object, count=len(clubs))[at].tolist()
    local = (picked - starts[at]).tolist()
    del at, picked
    for lo, hi in zip([0, *ends], [*ends, len(found)], strict=True):
        cs, at_club = found[lo:hi], local[lo:hi]
        yield cs, [c.people[i] for c, i in zip(cs, at_club, strict=True)], [
            c.people.member(i) if isinstance(c.people, MemberPeople) else c.people[i]
            for c, i in zip(cs, at_club, strict=True)]


def _groups(clubs: list[_Club], people: list[Person], refs: Sequence[Person | Member]
            ) -> list[DuplicateGroup]:
    """The group of the rows of one hash (each row: its club, its person, and what the group
    keeps of it: the person, or the member it was made from — `MemberPeople`: a nation's
    groups hold no tuple a candidate); none when they are all in one club (one club listing
    the person twice); on a hash collision, the group of each exact key (province, commune,
    name, birth year)."""
    where, name, year = clubs[0].where, people[0][P_KEY], people[0][P_YEAR]
    numbers: set[int] = set()
    villages: dict[str, int] = {}  # village (diacritics, case aside) → the first club
    genders: dict[str, int] = {}
    same_village = same_gender = unsorted = False
    rank = row = -1
    # (each person unpacked: names, not indexes, in the loop of 35,000 rows a nightly export)
    for c, (r, _, gender, y, _, _, _, k, place) in zip(clubs, people, strict=True):
        if y != year or k != name or c.where != where:
            return _collision(clubs, people, refs)
        n = c.number
        numbers.add(n)
        if place is not None and villages.setdefault(place, n) != n:
            same_village = True
        if gender and genders.setdefault(gender, n) != n:
            same_gender = True
        unsorted = unsorted or c.rank < rank or (c.rank == rank and r < row)
        rank, row = c.rank, r
    if len(numbers) < 2:
        return []
    if unsorted:  # by club code and file, then row (as found, on a tie)
        by = sorted(range(len(people)), key=lambda i: (clubs[i].rank, people[i][P_ROW]))
        clubs, refs = [clubs[i] for i in by], [refs[i] for i in by]
    province, commune = clubs[0].written
    return [DuplicateGroup(key=(*where, name, year), province=province, commune=commune,
                           places=list(zip([c.source for c in clubs], refs, strict=True)),
                           clubs=len(numbers), same_village=same_village,
                           same_gender=same_gender)]


def _collision(clubs: list[_Club], people: list[Person], refs: Sequence[Person | Member]
               ) -> list[DuplicateGroup]:
    """The rows of one hash with two exact keys or more: the groups of each key."""
    found: dict[tuple[str, str, str, int],
                tuple[list[_Club], list[Person], list[Person | Member]]] = {}
    for c, p, ref in zip(clubs, people, refs, strict=True):
        cs, ps, rs = found.setdefault((*c.where, p[P_KEY], p[P_YEAR]), ([], [], []))
        cs.append(c)
        ps.append(p)
        rs.append(ref)
    return [g for cs, ps, rs in found.values() for g in _groups(cs, ps, rs)]


def duplicate_sheet(groups: list[DuplicateGroup], *, limit: int | None) -> DuplicateSheet:
    """The groups the sheet shows: all of them, or, when they hold more than `limit` rows,
    the groups of the strongest evidence (whole groups) up to `limit` rows, still in the
    sheet's order. A stronger group is never left out for a weaker one."""
    rows_found = sum(len(g.places) for g in groups)
    if limit is None or rows_found <= limit:
        return DuplicateSheet(groups, len(groups), rows_found, limit)
    kept: set[int] = set()
    rows = 0
    for g in sorted(groups, key=lambda g: (-g.signs, g.key)):
        if rows + len(g.places) > limit:
            break
        kept.add(id(g))
        rows += len(g.places)
    return DuplicateSheet([g for g in groups if id(g) in kept], len(groups), rows_found, limit)


def duplicate_rows(groups: Sequence[DuplicateGroup], *, names: bool) -> Iterator[list[Any]]:
    for n, g in enumerate(groups, start=1):
        for src, ref in g.places:
            assert src.club is not None
            p = place_person(ref)
            person = [p[P_NAME], p[P_YEAR], p[P_GENDER], p[P_VILLAGE], _day(p[P_JOINED]),
                      _day(p[P_LEFT])]
            if not names:
                person = person[1:]
            yield [n, g.province, g.commune, *person, g.clubs, g.same_village, g.same_gender,
                   g.signs, src.club.info.club_id, src.club.info.name,
                   f"{src.display}:{p[P_ROW]}"]


# --- Nguồn: every file --------------------------------------------------------------------


def source_columns() -> tuple[Column, ...]:
    return (
        Column(SOURCE, width=30),
        Column(KIND, width=15),
        Column(CLUB_ID, width=10),
        Column(S.CLUB_INFO.field("year").header, Fmt.INT, 9),
        Column(STATUS, width=22),
        Column(ERRORS, Fmt.INT, 8),
        Column(WARNINGS, Fmt.INT, 9),
        *(Column(s.name, Fmt.INT, 10) for s in RECORD_SHEETS),
        Column(ROWS_TAKEN, Fmt.INT, 10),
        Column(REASON, width=60),
        Column(SHA256, width=66),
    )


def source_rows(sources: Sequence[Source]) -> Iterator[list[Any]]:
    for src in sources:
        counts = [src.rows_taken(s) for s in RECORD_SHEETS]
        total = sum(n for n in counts if n is not None) if src.club is not None else None
        yield [src.display, KIND_WORDS.get(src.kind, src.kind), src.club_id, src.year,
               src.status, src.errors, src.warnings, *counts, total, src.reason or None,
               src.sha256 or None]
