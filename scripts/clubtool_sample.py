"""Fictitious sample data for xã Mai Hoa (Hà Tĩnh): one commune workbook and its clubs.

Everything here is invented (names, phone numbers, amounts) and deterministic: every value
comes from a `random.Random` seeded from (seed, year, what is being generated), never from
the global random state, so the same seed always gives the same data and the same bytes.

The eight Mai Hoa clubs (`MH-01` … `MH-08`) are written to show what the tool meets in
real life: clubs that meet the standard (tiêu chí đạt chuẩn), clubs that miss one
criterion, a club founded during the year, a club of the registry that sends nothing, and
the mistakes older secretaries make (`Gái` for the gender, last year's date on a
meeting). `sample_data/README.md` describes each file; `club_data()["planted"]` says
where each deliberate mistake and harmless variant is (Excel row and field).

`write_many` makes valid club workbooks of ~70 members for the benchmark (bench/results.md).

A development module, not part of the installed package (the wheel holds `clubtool/`
only): it lives beside `scripts/make_sample_data.py`, which writes `sample_data/` with it.
Its other users put `scripts/` on `sys.path` first: the tests through `pythonpath` in
`[tool.pytest.ini_options]` of pyproject.toml, `bench/run.py` and `bench/fuzz.py` by hand.
It is imported as `clubtool_sample` (`import clubtool_sample as sample`).

Vocabulary: CLB = câu lạc bộ (club); NCT = người cao tuổi (older person, age ≥ 60);
BCN = Ban chủ nhiệm (the club's board); thôn = village; xã = commune.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any

from clubtool import schema
from clubtool._fsutil import write_bytes_atomic
from clubtool.model import column_letter
from clubtool.vnformat import short_date, whole

if TYPE_CHECKING:
    from openpyxl import Workbook

DEFAULT_SEED = 2027
DEFAULT_YEAR = 2027

COMMUNE = "Mai Hoa"
PROVINCE = "Hà Tĩnh"
OLDER_AGE = 60  # Luật Người cao tuổi 2009: a person of 60 or more is an older person (NCT)

#: The commune's villages (thôn), Hà Tĩnh style; the first eight have a club.
VILLAGES = (
    "Thôn Trung Hòa", "Thôn Đông Thịnh", "Thôn Tân Phúc", "Thôn Yên Mỹ",
    "Thôn Bắc Sơn", "Thôn Hòa Lạc", "Thôn Kim Quang", "Thôn Phú Hải",
    "Thôn Thanh Lộc", "Thôn Hưng Nhân", "Thôn Văn Minh", "Thôn Đại Đồng",
)

#: Header of the extra column one club adds to `Thành viên` (deliberately not in the schema:
#: the reader must keep it and warn `unknown-column`).
EXTRA_MEMBER_COLUMN = "Số điện thoại"


# --- what each Mai Hoa club is like -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClubProfile:
    """The shape of one club's year: sizes, shares and what goes right or wrong."""

    index: int
    village: str
    members: int  # active members in the year
    women: float  # shares of the active members
    older: float
    female_older: float
    new: bool = False  # founded during the report year (15/04)
    leavers_in_year: int = 1  # left during the year: still active members of the year
    left_before_year: int = 0  # left last year: listed, not active
    joined_in_year: int = 2
    missing_months: tuple[int, ...] = ()
    missing_contents: tuple[str, ...] = ()
    transformation: bool = True  # some sessions on digital/green transformation, start-ups
    new_board_member: bool = False  # one board member trained for the first time this year
    skip_refresher_role: str | None = None  # a board member with no `Nhắc lại` this year
    recognised: bool = False  # recognised as meeting the standard last year
    mistakes: tuple[str, ...] = ()  # "gender", "date-outside-year"
    variants: bool = False  # harmless variants: text dates, money as text, X/có, blank rows
    extra_column: bool = False
    produced: bool = True  # False: the registry expects it but no workbook is written
    valid: bool = True  # what validation should say
    standard: bool = False  # what the independent check of docs/indicators.md should say
    failed: tuple[str, ...] = ()  # the criteria of the standard it fails (see tests)

    @property
    def club_id(self) -> str:
        return f"MH-{self.index:02d}"


_ND8 = schema.CONTENT_CODES[7]
_ND3 = schema.CONTENT_CODES[2]

#: MH-01 … MH-08; indexes start at 1 like the club ids.
PROFILES: tuple[ClubProfile, ...] = (
    ClubProfile(1, VILLAGES[0], 62, 0.71, 0.76, 0.55, left_before_year=1,
                new_board_member=True, recognised=True, standard=True),
    ClubProfile(2, VILLAGES[1], 58, 0.69, 0.72, 0.53, variants=True, extra_column=True,
                standard=True),
    ClubProfile(3, VILLAGES[2], 66, 0.73, 0.80, 0.64, mistakes=("gender",), valid=False,
                failed=("nu_nct",)),
    ClubProfile(4, VILLAGES[3], 54, 0.65, 0.70, 0.48, mistakes=("date-outside-year",),
                valid=False, failed=("nu_nct", "sinh_hoat_hang_thang")),
    ClubProfile(5, VILLAGES[4], 68, 0.68, 0.74, 0.56, skip_refresher_role=schema.BOARD_ROLES[4],
                failed=("bcn_tap_huan",)),
    ClubProfile(6, VILLAGES[5], 51, 0.63, 0.67, 0.45, missing_months=(10,),
                missing_contents=(_ND8,), transformation=False,
                failed=("nu_nct", "sinh_hoat_hang_thang", "du_8_noi_dung")),
    ClubProfile(7, VILLAGES[6], 57, 0.70, 0.75, 0.54, produced=False),
    ClubProfile(8, VILLAGES[7], 52, 0.69, 0.56, 0.50, new=True, leavers_in_year=0,
                failed=("nct",)),
)


def profile(club_index: int) -> ClubProfile:
    """The profile of Mai Hoa club `club_index` (1 … 8)."""
    if not 1 <= club_index <= len(PROFILES):
        raise ValueError(f"club_index must be 1…{len(PROFILES)}, not {club_index}")
    return PROFILES[club_index - 1]


# --- vocabulary ---------------------------------------------------------------------------

_FAMILY = (("Nguyễn", 28), ("Trần", 9), ("Lê", 9), ("Phan", 8), ("Hoàng", 4), ("Võ", 7),
           ("Đặng", 4), ("Bùi", 4), ("Hồ", 6), ("Ngô", 3), ("Đinh", 3), ("Dương", 3),
           ("Thái", 3), ("Đậu", 4), ("Phạm", 5))
_FAMILY_NAMES = tuple(n for n, _ in _FAMILY)
_FAMILY_WEIGHTS = tuple(w for _, w in _FAMILY)
_FEMALE_MIDDLE_OLD = ("Thị",) * 9 + ("Xuân",)
_FEMALE_MIDDLE_YOUNG = ("Thị",) * 5 + ("Thu", "Hồng", "Ngọc", "Thanh", "Minh")
_FEMALE_GIVEN = (
    "Lan", "Hoa", "Hương", "Mai", "Hằng", "Nga", "Thủy", "Hiền", "Loan", "Tuyết", "Liên",
    "Sen", "Cúc", "Đào", "Lý", "Hạnh", "Phương", "Tâm", "Yến", "Nhung", "Oanh", "Vân",
    "Bình", "Thơm", "Thảo", "Hồng", "Dung", "Quế", "Nguyệt", "Châu", "Trinh", "Lựu", "Huệ",
    "Xoan", "Tình", "Nhàn", "Thắm", "Gấm", "Hậu", "Lài",
)
_MALE_MIDDLE = ("Văn",) * 4 + ("Đình", "Xuân", "Hữu", "Đức", "Công", "Quang", "Ngọc",
                               "Trọng", "Sỹ")
_MALE_GIVEN = (
    "Hùng", "Dũng", "Tuấn", "Sơn", "Hải", "Bình", "Minh", "Thắng", "Lợi", "Hòa", "Thanh",
    "Nghĩa", "Lộc", "Phúc", "Tài", "Cường", "Quý", "Kỳ", "Đông", "Lâm", "Thọ", "Vinh",
    "Toàn", "Hiếu", "Nhân", "Trung", "Kiên", "Bảo",
)

#: What a session did, by content code (ND1…ND8 and the transformation flags).
_SESSION_TEXT: dict[str, tuple[str, ...]] = {
    "suc_khoe": ("đo huyết áp, cân nặng cho thành viên", "tập dưỡng sinh",
                 "nói chuyện phòng bệnh tăng huyết áp", "nói chuyện dinh dưỡng cho người cao tuổi"),
    "thu_nhap": ("xét cho vay vốn quay vòng", "hướng dẫn kỹ thuật nuôi gà thả vườn",
                 "trao đổi kinh nghiệm trồng rau sạch", "hướng dẫn làm nón lá"),
    "tinh_than": ("sinh hoạt văn nghệ, hát dân ca ví, giặm", "thăm hỏi thành viên ốm đau",
                  "mừng thọ thành viên tuổi 70, 80", "giao lưu bóng chuyền hơi, cờ tướng"),
    "tu_giup_nhau": ("giúp công thu hoạch lúa cho hộ neo đơn",
                     "quyên góp gạo giúp thành viên khó khăn", "giúp dọn nhà cho thành viên sau mưa lũ"),
    "hoc_tap": ("phổ biến Luật Người cao tuổi", "hướng dẫn phòng chống lừa đảo qua điện thoại",
                "nói chuyện phòng chống đuối nước cho trẻ em"),
    "cham_soc_tai_nha": ("phân công tình nguyện viên chăm sóc tại nhà",
                         "tình nguyện viên thăm, chăm sóc người cao tuổi ốm yếu"),
    "nguon_luc": ("vận động con cháu ủng hộ quỹ câu lạc bộ",
                  "vận động nhà hảo tâm tặng quà thành viên khó khăn"),
    "quyen_loi": ("hướng dẫn thủ tục hưởng trợ cấp xã hội",
                  "rà soát thẻ bảo hiểm y tế cho người cao tuổi"),
    "chuyen_doi_so": ("Bình dân học vụ số: dùng điện thoại thông minh, VNeID",
                      "hướng dẫn thanh toán không dùng tiền mặt"),
    "chuyen_doi_xanh": ("phân loại rác tại nguồn, ủ phân hữu cơ",),
    "khoi_nghiep": ("giới thiệu mô hình làm kẹo cu đơ", "hướng dẫn bán nông sản trên mạng"),
}
#: Contents that come up at most meetings (health checks, culture).
_COMMON_CONTENTS = ("suc_khoe", "suc_khoe", "tinh_than", "tinh_than", "thu_nhap", "tu_giup_nhau")

_OUTREACH: dict[str, tuple[tuple[str, ...], tuple[int, int]]] = {
    "Họp thôn": (("Giới thiệu mô hình câu lạc bộ liên thế hệ tự giúp nhau",
                  "Vận động người cao tuổi tham gia câu lạc bộ"), (40, 130)),
    "Loa truyền thanh": (("Phát tin hoạt động của câu lạc bộ",
                          "Tuyên truyền Luật Người cao tuổi"), (250, 600)),
    "Mạng xã hội": (("Đăng tin, ảnh hoạt động lên nhóm Zalo của thôn",), (120, 400)),
    "Sự kiện": (("Hưởng ứng Ngày Quốc tế Người cao tuổi", "Mừng thọ người cao tuổi"),
                (80, 250)),
    "Thăm hộ gia đình": (("Đến nhà vận động hộ neo đơn tham gia",), (6, 20)),
    "Khác": (("Tuyên truyền tại buổi sinh hoạt chi hội phụ nữ",), (30, 60)),
}

_TRAINERS = ("Hội Người cao tuổi tỉnh Hà Tĩnh", "Hội Người cao tuổi xã Mai Hoa",
             "UBND xã Mai Hoa")

_PAYMENTS = ("Thăm hỏi thành viên ốm đau", "Mua nước uống, chè xanh buổi sinh hoạt",
             "Chi văn nghệ, thể thao", "Phúng viếng thành viên từ trần")

_LEAVE_REASONS = ("Chuyển đi ở với con", "Từ trần", "Sức khỏe yếu, xin nghỉ")


def _check_vocabulary() -> None:
    # The outreach forms must be the schema's (the dict above only adds words to them).
    unknown = set(_OUTREACH) - set(schema.OUTREACH_FORMS)
    if unknown:  # pragma: no cover - a programming error
        raise AssertionError(f"outreach forms not in the schema: {unknown}")


_check_vocabulary()


# --- small helpers --------------------------------------------------------------------------


def _rng(seed: int, *parts: object) -> Random:
    """A generator of its own for one thing (a club, the commune); str seeds are hashed
    with SHA-512 by `random`, so this never depends on PYTHONHASHSEED."""
    return Random(":".join(map(str, ("clubtool-sample", seed, *parts))))


def _ascii_slug(text: str) -> str:
    """'Thôn Đông Thịnh' → 'dong-thinh' (for ASCII file names)."""
    text = text.removeprefix("Thôn ").replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _club_name(village: str) -> str:
    return f"CLB liên thế hệ tự giúp nhau {village[0].lower()}{village[1:]}"


def _random_date(rng: Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _phone(rng: Random) -> str:
    prefix = rng.choice(("091", "094", "098", "097", "096", "035", "036", "033"))
    digits = prefix + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def _money_text(amount: int) -> str:
    """1500000 → '1.500.000đ' (as typed by someone who does not trust number cells)."""
    return whole(amount) + "đ"


def _founded(seed: int, year: int, p: ClubProfile) -> dt.date:
    """Founding date: 15/04 of the report year for the new club, else 2016–2024."""
    if p.new:
        return dt.date(year, 4, 15)
    rng = _rng(seed, year, "founded", p.index)
    return _random_date(rng, dt.date(2016, 3, 1), dt.date(2024, 10, 31))


def _person_name(rng: Random, female: bool, older: bool, used: set[str]) -> str:
    while True:
        family = rng.choices(_FAMILY_NAMES, _FAMILY_WEIGHTS)[0]
        if female:
            middle = rng.choice(_FEMALE_MIDDLE_OLD if older else _FEMALE_MIDDLE_YOUNG)
            given = rng.choice(_FEMALE_GIVEN)
        else:
            middle = rng.choice(_MALE_MIDDLE)
            given = rng.choice(_MALE_GIVEN)
        name = f"{family} {middle} {given}"
        if name not in used:
            used.add(name)
            return name


def _birth_year(rng: Random, year: int, older: bool) -> int:
    if older:
        return year - round(rng.triangular(OLDER_AGE, 90, 66))
    return year - round(rng.triangular(24, OLDER_AGE - 1, 55))


# --- the club -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    name: str
    female: bool
    birth_year: int
    village: str
    joined: dt.date
    left: dt.date | None = None
    role: str | None = None
    initial_training_year: int | None = None
    note: str | None = None

    def older(self, year: int) -> bool:
        return year - self.birth_year >= OLDER_AGE


def _composition(p: ClubProfile) -> list[tuple[bool, bool]]:
    """(female, older) for each active member, matching the profile's shares."""
    n = p.members
    fo, women, older = round(n * p.female_older), round(n * p.women), round(n * p.older)
    counts = {(True, True): fo, (True, False): women - fo, (False, True): older - fo,
              (False, False): n - women - older + fo}
    if min(counts.values()) < 0:  # pragma: no cover - a profile error
        raise ValueError(f"impossible profile {p}")
    return [kind for kind, count in counts.items() for _ in range(count)]


def _people(rng: Random, p: ClubProfile, year: int, founded: dt.date,
            neighbours: Sequence[str]) -> list[_Person]:
    used: set[str] = set()
    start = founded if founded.year == year else dt.date(year, 1, 1)
    people: list[_Person] = []
    for female, older in _composition(p):
        if founded.year == year or rng.random() < 0.6:
            joined = founded
        else:
            joined = _random_date(rng, founded, dt.date(year - 1, 12, 20))
        village = p.village if rng.random() < 0.85 else rng.choice(neighbours)
        people.append(_Person(_person_name(rng, female, older, used), female,
                              _birth_year(rng, year, older), village, joined))
    # The board: an older woman chairs; a younger woman (who can use a smartphone and
    # type the report) is the secretary when there is one.
    rng.shuffle(people)
    free = list(people)

    def take(pred: Callable[[_Person], bool]) -> _Person:
        person = next((q for q in free if pred(q)), free[0])
        free.remove(person)
        return person

    chair_role, vice_role, secretary_role, treasurer_role, member_role = schema.BOARD_ROLES
    board = [
        (chair_role, take(lambda q: q.female and q.older(year))),
        (vice_role, take(lambda q: not q.female and q.older(year))),
        (secretary_role, take(lambda q: q.female and not q.older(year))),
        (treasurer_role, take(lambda q: q.female and q.older(year))),
        (member_role, take(lambda q: q.older(year))),
    ]
    for role, person in board:
        person.role = role
        person.joined = founded
        if founded.year == year:
            person.initial_training_year = year
        else:
            person.initial_training_year = min(year - 1, founded.year + rng.choice((0, 0, 0, 1)))
    if p.new_board_member:
        # The secretary was elected this year and went to her first (initial) training.
        board[2][1].initial_training_year = year
    # Joiners of the year and leavers of the year come from ordinary members.
    ordinary = list(free)
    for q in ordinary[: p.joined_in_year]:
        q.joined = _random_date(rng, max(start, dt.date(year, 2, 1)), dt.date(year, 9, 30))
        q.note = "Mới vào năm nay"
    for q in ordinary[p.joined_in_year: p.joined_in_year + p.leavers_in_year]:
        q.left = _random_date(rng, max(q.joined, dt.date(year, 3, 1)), dt.date(year, 11, 20))
        q.note = rng.choice(_LEAVE_REASONS)
    for _ in range(p.left_before_year if founded.year < year else 0):
        female = rng.random() < 0.7
        q = _Person(_person_name(rng, female, True, used), female, _birth_year(rng, year, True),
                    p.village, founded)
        q.left = _random_date(rng, dt.date(year - 1, 6, 1), dt.date(year - 1, 11, 30))
        q.note = "Chuyển vào Nam ở với con"
        people.append(q)
    ordered = [person for _, person in board]
    ordered += sorted((q for q in people if q.role is None), key=lambda q: (q.joined, q.name))
    return ordered


def _member_records(rng: Random, people: Sequence[_Person], year: int) -> list[dict[str, Any]]:
    x = schema.YES_MARK
    records: list[dict[str, Any]] = []
    for person in people:
        older = person.older(year)
        roll = rng.random()
        hardship = (schema.HARDSHIP[0] if roll < 0.07
                    else schema.HARDSHIP[1] if roll < 0.18 else None)
        needs = rng.random() < (0.6 if hardship else 0.3)
        rec: dict[str, Any] = {
            "name": person.name,
            "gender": schema.GENDERS[1] if person.female else schema.GENDERS[0],
            "birth_year": person.birth_year,
            "village": person.village,
            "joined": person.joined,
            "left": person.left,
            "role": person.role,
            "initial_training_year": person.initial_training_year,
            "hardship": hardship,
            "disability": x if older and rng.random() < 0.06 else None,
            "lonely": x if older and rng.random() < 0.08 else None,
            "needs_livelihood": x if needs else None,
            "got_livelihood": None,
            "health_check": x if rng.random() < (0.85 if older else 0.35) else None,
            "volunteer": x if year - person.birth_year < 72 and rng.random() < 0.15 else None,
            "note": person.note,
        }
        records.append(rec)
    # About 55% of those who need it got a loan or joined an income activity.
    in_need = [r for r in records if r["needs_livelihood"]]
    for r in rng.sample(in_need, round(len(in_need) * rng.uniform(0.5, 0.65))):
        r["got_livelihood"] = x
    return [{"stt": i, **{k: v for k, v in r.items() if v is not None}}
            for i, r in enumerate(records, start=1)]


def _meeting_records(rng: Random, p: ClubProfile, year: int, founded: dt.date,
                     active: int) -> list[dict[str, Any]]:
    x = schema.YES_MARK
    first_month = founded.month if founded.year == year else 1
    months = [m for m in range(first_month, 13) if m not in p.missing_months]
    dates = []
    for m in months:
        if founded.year == year and m == founded.month:
            dates.append(founded)  # the founding meeting
        else:
            dates.append(dt.date(year, m, rng.randint(3, 9 if m == 12 else 20)))
    allowed = [c for c in schema.CONTENT_CODES if c not in p.missing_contents]
    flags: list[set[str]] = [set() for _ in dates]
    # Every allowed content at least once (not only in January: a January session dated
    # last year by mistake must not take a content away), then a few more on each session.
    spread = list(allowed)
    rng.shuffle(spread)
    carriers = flags[1:] if len(flags) > len(spread) else flags
    for i, code in enumerate(spread):
        carriers[i % len(carriers)].add(code)
    for f in flags:
        f.update(c for c in rng.sample(_COMMON_CONTENTS, rng.randint(1, 3)) if c in allowed)
    if p.transformation:
        picks = rng.sample(range(len(flags)), min(len(flags), 4))
        transformation = schema.TRANSFORMATION_CODES
        flags[picks[0]].add(transformation[0])
        flags[picks[1]].add(transformation[0])
        flags[picks[2]].add(transformation[1])
        if rng.random() < 0.7:
            flags[picks[3]].add(transformation[2])
    records = []
    for day, f in zip(dates, flags, strict=True):
        ordered = [c for c in (*schema.CONTENT_CODES, *schema.TRANSFORMATION_CODES) if c in f]
        said = [rng.choice(_SESSION_TEXT[c]) for c in ordered[:3]]
        summary = "; ".join(said)
        if founded == day:
            summary = "Ra mắt câu lạc bộ; " + summary
        rec: dict[str, Any] = {"date": day,
                               "attendance": min(active, round(active * rng.uniform(0.72, 0.96)))}
        rec.update((c, x) for c in ordered)
        rec["summary"] = summary[0].upper() + summary[1:]
        records.append(rec)
    return records


def _training_records(rng: Random, people: Sequence[_Person], p: ClubProfile,
                      year: int) -> list[dict[str, Any]]:
    initial, refresher = schema.TRAINING_INITIAL, schema.TRAINING_REFRESHER
    province_day = dt.date(year, 5, rng.randint(10, 20))
    commune_day = dt.date(year, 9, rng.randint(8, 18))
    first_day = dt.date(year, 3, rng.randint(20, 28))
    records = []
    for person in people:
        if person.role is None:
            continue
        if person.initial_training_year == year:
            records.append({"date": first_day, "name": person.name, "kind": initial,
                            "organiser": _TRAINERS[0]})
            continue
        if person.role == p.skip_refresher_role:
            continue  # deliberate: trained in an earlier year, missed this year's refresher
        day, who = ((province_day, _TRAINERS[0]) if rng.random() < 0.6
                    else (commune_day, _TRAINERS[1]))
        records.append({"date": day, "name": person.name, "kind": refresher, "organiser": who})
    return sorted(records, key=lambda r: r["date"])


def _outreach_records(rng: Random, year: int, start: dt.date) -> list[dict[str, Any]]:
    forms = rng.sample(schema.OUTREACH_FORMS[:5], rng.randint(3, 4))
    if rng.random() < 0.2:
        forms.append(schema.OUTREACH_FORMS[5])
    records = []
    for form in forms:
        texts, (low, high) = _OUTREACH[form]
        day = _random_date(rng, max(start, dt.date(year, 1, 10)), dt.date(year, 11, 30))
        content = rng.choice(texts)
        if form == schema.OUTREACH_FORMS[3]:  # an event: on its day
            day = dt.date(year, 10, 1)  # Ngày Quốc tế Người cao tuổi
            if content != texts[0]:
                day = dt.date(year, 2, rng.randint(12, 24)) if start.month < 2 else day
                content = texts[1] + " đầu xuân" if day.month == 2 else texts[0]
        records.append({"date": day, "form": form, "content": content,
                        "reached": rng.randint(low, high)})
    return sorted(records, key=lambda r: r["date"])


def _round(amount: float, step: int = 10_000) -> int:
    return max(step, int(round(amount / step)) * step)


def _fund_records(rng: Random, year: int, start: dt.date, active: int, opening_activity: int,
                  opening_income: int) -> list[dict[str, Any]]:
    """Both funds' ledgers; payments never take a balance below a small reserve."""
    activity, income = schema.FUND_ACTIVITY, schema.FUND_INCOME
    receipt, payment = schema.RECEIPT, schema.PAYMENT
    members_src, social, budget, fundraising, interest, other = schema.FUND_SOURCES
    # (date, fund, Thu/Chi, source, amount, text, loan number: a loan and its repayment)
    wanted: list[tuple[dt.date, str, str, str | None, int, str, int]] = []

    def day_in(month: int) -> dt.date:
        day = dt.date(year, month, rng.randint(3, 25))
        return max(day, start)

    months = range(start.month if start.year == year else 1, 13)
    quarters = [m for m in (3, 6, 9, 12) if m in months] or [12]
    wanted.extend((day_in(q), activity, receipt, members_src, active * 30_000,
                   f"Thành viên đóng góp quỹ quý {(q - 1) // 3 + 1}", 0) for q in quarters)
    wanted.append((day_in(rng.choice(list(months))), activity, receipt, social,
                   _round(rng.uniform(1e6, 3e6), 100_000), "Con cháu, nhà hảo tâm ủng hộ", 0))
    if rng.random() < 0.6:
        wanted.append((day_in(rng.choice(list(months))), activity, receipt, budget, 2_000_000,
                       "UBND xã hỗ trợ kinh phí hoạt động", 0))
    if rng.random() < 0.5:
        wanted.append((day_in(rng.choice(list(months))), activity, receipt, fundraising,
                       _round(rng.uniform(5e5, 1.5e6), 50_000), "Gây quỹ qua đêm văn nghệ", 0))
    wanted.extend((day_in(m), activity, payment, None, _round(rng.uniform(1.5e5, 6e5)),
                   rng.choice(_PAYMENTS), 0) for m in months)
    # Income fund: a member contribution, revolving loans, repayments and interest.
    wanted.append((day_in(min(months[-1], max(months[0], 2))), income, receipt, members_src,
                   active * 100_000, "Thành viên góp vốn quỹ quay vòng", 0))
    loan_months = sorted(rng.sample(list(months), min(len(months), rng.randint(3, 5))))
    for loan, m in enumerate(loan_months, start=1):
        principal = rng.randint(3, 10) * 1_000_000
        wanted.append((day_in(m), income, payment, None, principal,
                       "Cho thành viên vay vốn chăn nuôi, trồng trọt", loan))
        if m <= 9:
            back = dt.date(year, min(12, m + rng.randint(2, 4)), rng.randint(26, 28))
            wanted.append((back, income, receipt, other, principal // 2,
                           "Thu hồi vốn vay đến hạn", loan))
    wanted.append((dt.date(year, 12, rng.randint(1, 8)), income, receipt, interest,
                   _round(rng.uniform(3e5, 1.2e6)), "Thu lãi vay cả năm", 0))
    # Date order, receipts before payments on the same day (docs/workbooks.md#club-workbook), then drop or
    # shrink what would overdraw a fund.
    wanted.sort(key=lambda e: (e[0], e[2] != receipt))
    balance = {activity: opening_activity, income: opening_income}
    lent: dict[int, int] = {}
    records: list[dict[str, Any]] = []
    for day, fund, direction, source, wished, text, loan in wanted:
        amount = wished
        if direction == payment:
            reserve = 200_000 if fund == activity else 1_000_000
            amount = (min(amount, balance[fund] - reserve) // 100_000) * 100_000
            if amount < 100_000:
                continue
            balance[fund] -= amount
            if loan:
                lent[loan] = amount
        else:
            if loan:  # repay at most half of what was really lent
                amount = (lent.get(loan, 0) // 200_000) * 100_000
                if not amount:
                    continue
            balance[fund] += amount
        rec: dict[str, Any] = {"date": day, "fund": fund, "direction": direction}
        if source:
            rec["source"] = source
        rec.update(amount=amount, description=text)
        records.append(rec)
    return records


def _info(rng: Random, p: ClubProfile, year: int, founded: dt.date,
          people: Sequence[_Person]) -> dict[str, Any]:
    chair = next(q for q in people if q.role == schema.CHAIR)
    secretary = next(q for q in people if q.role == schema.BOARD_ROLES[2])
    new = founded.year == year
    info: dict[str, Any] = {
        "version": schema.CLUB_TEMPLATE_VERSION,
        "club_id": p.club_id,
        "name": _club_name(p.village),
        "village": p.village,
        "year": year,
        "founded": founded,
        "chair": chair.name,
        "phone": _phone(rng),
        "opening_activity": 0 if new else rng.randint(15, 60) * 100_000,
        "opening_income": 0 if new else rng.randint(20, 70) * 1_000_000,
        "commune": COMMUNE,  # the `Xã` and `Tỉnh` rows of template CLB-2027.1
        "province": PROVINCE,
    }
    if p.recognised:
        info["recognised_year"] = year - 1
    info["prepared_by"] = secretary.name
    info["prepared_on"] = dt.date(year, 12, 10)
    return info


def _generate(p: ClubProfile, seed: int, year: int, founded: dt.date) -> dict[str, Any]:
    rng = _rng(seed, year, "club", p.club_id)
    neighbours = [v for v in VILLAGES if v != p.village]
    people = _people(rng, p, year, founded, neighbours)
    start = founded if founded.year == year else dt.date(year, 1, 1)
    info = _info(rng, p, year, founded, people)
    return {
        "info": info,
        "members": _member_records(rng, people, year),
        "meetings": _meeting_records(rng, p, year, founded, p.members),
        "trainings": _training_records(rng, people, p, year),
        "outreach": _outreach_records(rng, year, start),
        "fund": _fund_records(rng, year, start, p.members, info["opening_activity"],
                              info["opening_income"]),
        "extra_columns": {},
        "planted": [],
    }


def _excel_row(records: Sequence[Mapping[str, Any]], record: Mapping[str, Any]) -> int:
    return next(i for i, r in enumerate(records) if r is record) + 2


def _plant(data: dict[str, Any], sheet: str, record: dict[str, Any], key: str, value: Any,
           kind: str, code: str, note: str) -> None:
    """Put `value` into one cell (unless it is there already) and remember where.

    `kind`: "error" or "warning" (what validation must say, `code` its issue code),
    "variant" (harmless: the reader must accept it, `code` ""), "indicator" (valid, but
    makes the standard's criterion `code` fail).
    """
    record[key] = value
    sheet_obj = schema.CLUB.sheet(sheet)
    col = [f.key for f in sheet_obj.fields].index(key) + 1
    row = _excel_row(data[sheet], record)
    data["planted"].append({"kind": kind, "code": code, "sheet": sheet_obj.name,
                            "cell": f"{column_letter(col)}{row}", "row": row, "key": key,
                            "value": value, "note": note})


def _plant_label(data: dict[str, Any], key: str, value: Any, note: str) -> None:
    """A harmless variant in `Thông tin CLB` (labels from row 1, values in column B)."""
    data["info"][key] = value
    row = [f.key for f in schema.CLUB_INFO.fields].index(key) + 1
    data["planted"].append({"kind": "variant", "code": "", "sheet": schema.CLUB_INFO.name,
                            "cell": f"B{row}", "row": row, "key": key, "value": value,
                            "note": note})


def _plant_indicators(data: dict[str, Any], p: ClubProfile, year: int) -> None:
    """Record what is valid but makes a criterion of the standard fail on purpose."""
    if p.skip_refresher_role:
        rec = next(r for r in data["members"] if r.get("role") == p.skip_refresher_role)
        _plant(data, "members", rec, "role", rec["role"], "indicator", "bcn_tap_huan",
               f"{rec['name']} ({rec['role']}) tập huấn ban đầu năm "
               f"{rec['initial_training_year']}, năm {year} không có dòng "
               f"'{schema.TRAINING_REFRESHER}' ở trang {schema.TRAININGS.name}")


def _apply_mistakes(rng: Random, data: dict[str, Any], p: ClubProfile, year: int) -> None:
    members = data["members"]
    if "gender" in p.mistakes:
        women = [r for r in members[5:] if r.get("gender") == schema.FEMALE]
        _plant(data, "members", rng.choice(women), "gender", "Gái", "error", "enum",
               "giới tính ghi 'Gái' thay vì 'Nữ'")
    if "date-outside-year" in p.mistakes:
        first = data["meetings"][0]
        day = first["date"]
        _plant(data, "meetings", first, "date", day.replace(year=year - 1), "error",
               "date-outside-year",
               f"buổi sinh hoạt tháng 1 ghi nhầm năm {year - 1} (chép từ sổ năm trước)")


def _apply_variants(rng: Random, data: dict[str, Any], year: int) -> None:
    """Harmless ways of writing things that the reader must accept (docs/workbooks.md)."""
    members, meetings, fund = data["members"], data["meetings"], data["fund"]
    # In the label/value sheet: a text date and money as text.
    _plant_label(data, "founded", short_date(data["info"]["founded"]), "ngày ghi dạng chữ")
    _plant_label(data, "opening_activity", _money_text(data["info"]["opening_activity"]),
                 "số tiền ghi dạng chữ có dấu chấm và 'đ'")
    # Blank rows in the middle of the lists (a row deleted with Delete, not removed).
    members.insert(21, {})
    members.insert(36, {})
    fund.insert(len(fund) // 2, {})
    # Text dates in three spellings.
    _plant(data, "meetings", meetings[2], "date", short_date(meetings[2]["date"]), "variant", "",
           "ngày ghi dạng chữ dd/mm/yyyy")
    d = meetings[4]["date"]
    _plant(data, "meetings", meetings[4], "date", f"{d.day}/{d.month}/{d.year}", "variant", "",
           "ngày ghi dạng chữ d/m/yyyy")
    d = meetings[7]["date"]
    _plant(data, "meetings", meetings[7], "date", d.strftime("%d-%m-%Y"), "variant", "",
           "ngày ghi dạng chữ dd-mm-yyyy")
    # Flags other than "x".
    for i, mark in ((1, "X"), (5, "có"), (9, "X")):
        rec = meetings[i]
        code = next(c for c in schema.CONTENT_CODES if c in rec)
        _plant(data, "meetings", rec, code, mark, "variant", "", f"đánh dấu '{mark}' thay vì 'x'")
    # Money as text.
    receipts = [r for r in fund if r.get("direction") == schema.RECEIPT]
    for rec in receipts[:2]:
        _plant(data, "fund", rec, "amount", _money_text(rec["amount"]), "variant", "",
               "số tiền ghi dạng chữ có dấu chấm và 'đ'")
    # "nư" (no tone mark) is read as "Nữ": matching ignores diacritics when unambiguous.
    women = [r for r in members[5:] if r.get("gender") == schema.FEMALE]
    _plant(data, "members", rng.choice(women), "gender", "nư", "variant", "",
           "giới tính ghi 'nư' (thiếu dấu), vẫn đọc được là Nữ")
    # A health check flagged "có".
    checked = [r for r in members if r.get("health_check")]
    _plant(data, "members", rng.choice(checked), "health_check", "có", "variant", "",
           "đánh dấu 'có' thay vì 'x'")


def _add_extra_column(rng: Random, data: dict[str, Any]) -> None:
    values = [(_phone(rng) if r and rng.random() < 0.4 else None) for r in data["members"]]
    data["extra_columns"]["members"] = {EXTRA_MEMBER_COLUMN: values}
    col = len(schema.MEMBERS.fields) + 1
    data["planted"].append({"kind": "warning", "code": "unknown-column",
                            "sheet": schema.MEMBERS.name, "cell": f"{column_letter(col)}1",
                            "row": 1, "key": None, "value": EXTRA_MEMBER_COLUMN,
                            "note": "cột thêm không có trong mẫu (số điện thoại thành viên)"})


def club_data(club_index: int, seed: int = DEFAULT_SEED, year: int = DEFAULT_YEAR,
              mistakes: bool = True) -> dict[str, Any]:
    """The year's data of Mai Hoa club `club_index` (1 … 8; MH-01 … MH-08).

    Returns ``{"info": {...}, "members": [...], "meetings": [...], "trainings": [...],
    "outreach": [...], "fund": [...], "extra_columns": {...}, "planted": [...],
    "expected": {...}}``: records keyed by `schema.Field.key` (dates as `datetime.date`,
    flags as `schema.YES_MARK`, absent values left out).

    With `mistakes` (the default) the club gets its deliberate mistakes and harmless
    variants: some fields hold raw strings as a secretary would type them ("Gái",
    "05/03/2027", "1.500.000đ", "X"), ``{}`` stands for a blank row, and `extra_columns`
    maps a sheet key to ``{header: [value per record]}``. Without it the workbook is valid;
    what the club *is* (its shares, a missed refresher training, a month without a
    meeting) stays, since that is no mistake of writing.

    `planted` lists each deliberate thing with its place: ``{"kind": "error" | "warning" |
    "variant" | "indicator", "code": issue code or criterion ("" for a variant), "sheet":
    sheet name, "cell": "C46", "row": 46, "key": field key, "value": what is written,
    "note": Vietnamese}``. `expected` says whether a workbook is written, whether it is
    valid, whether it meets the standard of docs/indicators.md and which criteria it fails (names as
    in `clubtool indicators`: nct, nu, nu_nct, so_thanh_vien, sinh_hoat_hang_thang,
    du_8_noi_dung, bcn_tap_huan, quy).
    """
    p = profile(club_index)
    founded = _founded(seed, year, p)
    data = _generate(p, seed, year, founded)
    if mistakes:
        rng = _rng(seed, year, "mistakes", p.club_id)
        if p.variants:
            _apply_variants(rng, data, year)
        if p.extra_column:
            _add_extra_column(rng, data)
        _apply_mistakes(rng, data, p, year)
    _plant_indicators(data, p, year)
    data["expected"] = {
        "workbook": p.produced,
        "valid": p.valid or not mistakes,
        "standard": p.standard,
        "criteria_failed": list(p.failed),
    }
    return data


# --- the commune ----------------------------------------------------------------------------


def commune_data(seed: int = DEFAULT_SEED, year: int = DEFAULT_YEAR) -> dict[str, Any]:
    """The commune workbook's data: ``{"info": {...}, "villages": [...], "registry": [...],
    "officials": [...], "awards": [...]}``, records keyed by `schema.Field.key`."""
    rng = _rng(seed, year, "commune")
    info = {
        "version": schema.COMMUNE_TEMPLATE_VERSION,
        "commune": COMMUNE,
        "province": PROVINCE,
        "year": year,
        "issuer": f"ỦY BAN NHÂN DÂN XÃ {COMMUNE.upper()}",
        "doc_number": "125/BC-UBND",
        "signing_authority": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer": "Phan Đình Lộc",
        "recipients": "\n".join((f"UBND tỉnh {PROVINCE} (b/c)", "Hội NCT tỉnh",
                                 "Đảng ủy, HĐND xã", "Lưu: VT, VHXH")),
    }
    villages = []
    over = rng.randrange(len(VILLAGES))  # one village counted more people than targeted
    for i, name in enumerate(VILLAGES):
        older = rng.randint(140, 420)
        target = older + rng.randint(40, 160)
        share = rng.uniform(0.80, 0.97) if i < len(PROFILES) else rng.uniform(0.55, 0.85)
        reached = target + rng.randint(5, 20) if i == over else round(target * share)
        villages.append({"name": name, "older_people": older, "outreach_target": target,
                         "outreach_reached": reached})
    registry = [{"club_id": p.club_id, "name": _club_name(p.village), "village": p.village,
                 "founded": _founded(seed, year, p)} for p in PROFILES]
    used: set[str] = set()
    officials = []
    for position, unit, female in (
        ("Phó Chủ tịch UBND xã", f"UBND xã {COMMUNE}", False),
        ("Chủ tịch Hội Người cao tuổi xã", "Hội Người cao tuổi xã", False),
        ("Phó Chủ tịch Hội Người cao tuổi xã", "Hội Người cao tuổi xã", True),
        ("Công chức Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội", True),
        ("Trưởng Trạm Y tế xã", "Trạm Y tế xã", False),
        ("Chủ tịch Hội Liên hiệp Phụ nữ xã", "Hội Liên hiệp Phụ nữ xã", True),
    ):
        rec: dict[str, Any] = {"name": _person_name(rng, female, False, used),
                               "position": position, "unit": unit}
        if unit != "Trạm Y tế xã":  # the head of the health station is new: not trained yet
            rec["trained"] = schema.YES_MARK
            rec["trained_on"] = _random_date(rng, dt.date(year - 1, 3, 1), dt.date(year, 6, 30))
        officials.append(rec)
    first_club = club_data(1, seed, year, mistakes=False)
    awards = [
        {"year": year - 1, "target": schema.AWARD_TARGETS[0],
         "name": first_club["info"]["name"], "form": "Giấy khen", "level": "xã"},
        {"year": year - 1, "target": schema.AWARD_TARGETS[1],
         "name": first_club["info"]["chair"], "form": "Giấy khen", "level": "xã"},
        {"year": year, "target": schema.AWARD_TARGETS[0],
         "name": f"Hội Người cao tuổi xã {COMMUNE}", "form": "Bằng khen", "level": "tỉnh"},
    ]
    return {"info": info, "villages": villages, "registry": registry, "officials": officials,
            "awards": awards}


# --- writing workbooks ----------------------------------------------------------------------

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_time(year: int) -> dt.datetime:
    return dt.datetime(year, 12, 1)


def _reproducible_bytes(wb: Workbook, when: dt.datetime) -> bytes:
    """The workbook's bytes, the same on every run for the same content.

    openpyxl stamps `docProps/core.xml` with the time of saving and each zip member with
    the local time; both are replaced by `when`.
    """
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    wb.save(raw)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    date_time = max(_ZIP_EPOCH, when.timetuple()[:6])
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(item.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return out.getvalue()


def _save(wb: Workbook, path: Path, year: int, saved: dt.datetime | None = None) -> Path:
    write_bytes_atomic(path, _reproducible_bytes(wb, saved or _fixed_time(year)))
    return path


def club_file_name(club_id: str, village: str | None = None) -> str:
    """'MH-01', 'Thôn Trung Hòa' → 'clb_mh-01_trung-hoa.xlsx' (ASCII)."""
    stem = f"clb_{club_id.lower()}"
    if village:
        stem += "_" + _ascii_slug(village)
    return stem + ".xlsx"


def commune_file_name(year: int) -> str:
    return f"xa_{_ascii_slug(COMMUNE)}_{year}.xlsx".replace("-", "_")


def _fill(wb: Workbook, book: schema.WorkbookSchema, data: Mapping[str, Any]) -> None:
    from clubtool.workbook import template

    for sheet in book.read_sheets:
        if sheet.key not in data:
            continue
        ws = wb[sheet.name]
        if sheet.layout is schema.Layout.LABELS:
            template.fill_labels(ws, sheet, data[sheet.key])
        else:
            rows = data[sheet.key]
            template.fill_table(ws, sheet, rows)  # a `{}` record leaves its row blank
            for header, values in data.get("extra_columns", {}).get(sheet.key, {}).items():
                col = len(sheet.fields) + 1
                ws.cell(row=1, column=col, value=header)
                for i, value in enumerate(values, start=2):
                    if value is not None:
                        ws.cell(row=i, column=col, value=value)


def write_club(data: Mapping[str, Any], path: Path | str,
               villages: Iterable[str] = (), saved: dt.datetime | None = None) -> Path:
    """Write one club workbook from `club_data`-shaped `data` (byte-reproducible)."""
    from clubtool.workbook import template

    info = data["info"]
    year = int(info["year"])
    wb = template.club_workbook(year=year, club_id=info["club_id"], club_name=info["name"],
                                village=info["village"], villages=tuple(villages),
                                commune=info.get("commune"), province=info.get("province"))
    _fill(wb, schema.CLUB, data)
    return _save(wb, Path(path), year, saved)


def write_commune(data: Mapping[str, Any], path: Path | str) -> Path:
    """Write the commune workbook from `commune_data`-shaped `data`."""
    from clubtool.workbook import template

    info = data["info"]
    year = int(info["year"])
    wb = template.commune_workbook(year=year, commune=info["commune"], province=info["province"])
    _fill(wb, schema.COMMUNE, data)
    return _save(wb, Path(path), year)


def write_sample_data(out_dir: Path | str, seed: int = DEFAULT_SEED,
                      year: int = DEFAULT_YEAR) -> list[Path]:
    """Write the Mai Hoa commune workbook and the workbook of every club that reports
    (MH-07 deliberately sends none). Returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [write_commune(commune_data(seed, year), out / commune_file_name(year))]
    for p in PROFILES:
        if not p.produced:
            continue
        data = club_data(p.index, seed, year)
        name = club_file_name(p.club_id, p.village)
        if p.index == RESENT.index:  # its first copy, superseded by the one saved after it
            paths.append(write_club(first_copy(data), out / name.replace(".xlsx", RESENT_SUFFIX),
                                    VILLAGES, saved=RESENT_FIRST_SAVED.replace(year=year)))
        paths.append(write_club(data, out / name, VILLAGES))
    neighbour = neighbour_club_data(seed, year)
    paths.append(write_club(neighbour, out / club_file_name(NEIGHBOUR_ID, NEIGHBOUR_VILLAGE),
                            VILLAGES))
    return paths


#: MH-02 sent a first copy on 20/11 (before its December meeting), then the full one: the
#: copy saved last counts, the first gets `superseded-submission` (docs/workbooks.md#across-files).
RESENT = PROFILES[1]
RESENT_SUFFIX = "_lan-1.xlsx"
RESENT_FIRST_SAVED = dt.datetime(DEFAULT_YEAR, 11, 20, 8, 30)

#: A club of the neighbouring commune Thạch Xuân, new this year, in a village whose name
#: Mai Hoa has too (with no club of its own): `wrong-commune`, never counted for Mai Hoa.
NEIGHBOUR_COMMUNE = "Thạch Xuân"
NEIGHBOUR_ID = "TX-03"
NEIGHBOUR_VILLAGE = VILLAGES[9]


def first_copy(data: Mapping[str, Any]) -> dict[str, Any]:
    """The club's data as sent on 20/11: what happened after that day not yet written."""
    cutoff = RESENT_FIRST_SAVED.date().replace(year=int(data["info"]["year"]))
    out = dict(data)
    for key in ("meetings", "trainings", "outreach", "fund"):
        out[key] = [r for r in data[key]
                    if not (isinstance(r.get("date"), dt.date) and r["date"] > cutoff)]
    return out


def neighbour_club_data(seed: int = DEFAULT_SEED, year: int = DEFAULT_YEAR) -> dict[str, Any]:
    """The Thạch Xuân club TX-03: valid in itself, of another commune."""
    p = replace(PROFILES[7], index=30, village=NEIGHBOUR_VILLAGE)
    data = _generate(p, seed, year, _founded(seed, year, p))
    data["info"].update(club_id=NEIGHBOUR_ID, commune=NEIGHBOUR_COMMUNE,
                        name=_club_name(NEIGHBOUR_VILLAGE))
    data["expected"] = {"workbook": True, "valid": False, "standard": False,
                        "criteria_failed": list(p.failed)}
    return data


# --- many valid workbooks for the benchmark -------------------------------------------------


def bench_club_data(number: int, seed: int = 1, year: int = DEFAULT_YEAR) -> dict[str, Any]:
    """Valid data of benchmark club `number` (id B-00001 …): ~70 members, no mistakes."""
    rng = _rng(seed, year, "bench", number)
    members = rng.randint(64, 70)
    fo = rng.uniform(0.46, 0.62)
    women = max(fo + 0.08, rng.uniform(0.62, 0.75))
    p = ClubProfile(
        index=number, village=rng.choice(VILLAGES), members=members,
        women=women, older=min(max(fo + 0.1, rng.uniform(0.6, 0.8)), 1 - women + fo - 0.03),
        female_older=fo, leavers_in_year=rng.randint(0, 2), joined_in_year=rng.randint(0, 3),
        missing_months=(rng.randint(1, 12),) if rng.random() < 0.2 else (),
        transformation=rng.random() < 0.6,
    )
    founded = _random_date(rng, dt.date(2016, 1, 1), dt.date(year - 1, 12, 31))
    data = _generate(p, seed, year, founded)
    club_id = f"B-{number:05d}"
    data["info"]["club_id"] = club_id
    data["info"]["name"] = f"CLB liên thế hệ tự giúp nhau số {number}"
    data["expected"] = {"workbook": True, "valid": True, "standard": None, "criteria_failed": []}
    return data


def _write_bench(args: tuple[int, int, int, str]) -> str:
    number, seed, year, out = args
    data = bench_club_data(number, seed, year)
    path = Path(out) / club_file_name(data["info"]["club_id"])
    return str(write_club(data, path))


def write_many(out_dir: Path | str, n: int, seed: int = 1, year: int = DEFAULT_YEAR,
               jobs: int = 1,
               on_progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write `n` valid club workbooks (`clb_b-00001.xlsx` …) of ~70 members into `out_dir`.

    With `jobs` > 1 the workbooks are written by a pool of processes. `on_progress(done,
    n)` is called after each workbook. Cost: ~35 ms a workbook on one idle core, ~18 ms
    with 2 jobs on 2 cores (the data takes ~1 ms; openpyxl building and saving the
    template takes the rest). The files are the same whatever `jobs` is.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tasks = [(i, seed, year, str(out)) for i in range(1, n + 1)]
    done: list[Path] = []
    if jobs > 1 and n > 1:
        import multiprocessing

        with multiprocessing.get_context().Pool(jobs) as pool:
            chunk = max(1, min(50, math.ceil(n / (jobs * 4))))
            for path in pool.imap(_write_bench, tasks, chunksize=chunk):
                done.append(Path(path))
                if on_progress:
                    on_progress(len(done), n)
    else:
        for task in tasks:
            done.append(Path(_write_bench(task)))
            if on_progress:
                on_progress(len(done), n)
    return done


__all__ = [
    "COMMUNE",
    "PROFILES",
    "PROVINCE",
    "VILLAGES",
    "ClubProfile",
    "bench_club_data",
    "club_data",
    "club_file_name",
    "commune_data",
    "commune_file_name",
    "profile",
    "write_club",
    "write_commune",
    "write_many",
    "write_sample_data",
]
