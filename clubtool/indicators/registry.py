"""The plan's indicators and the club standard's criteria, one small definition each.

An indicator is an id, a unit ("ratio" or "count"), a default Vietnamese name (the plan's
wording per phase wins) and a function of the `Context` returning (numerator, denominator)
for a ratio, the count for a count, or None when the data it needs is absent. Targets come
from the plan file, never from here. The report and the CLI iterate over `INDICATORS`.

A criterion of the standard (tiêu chí câu lạc bộ đạt chuẩn) is a stable id (used in
`criteria_failed`), a Vietnamese label (thresholds filled in from the plan) and a check of
one club's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..text import Matcher
from .context import Context
from .figures import ClubFigures, share_at_least, share_between
from .format import number, percent
from .plan import COUNT, RATIO, Standard, Unit

Computed = tuple[int, int] | int | None


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    unit: Unit
    name: str  # default name; the plan's `name` for the phase wins
    compute: Callable[[Context], Computed]
    commune_level: bool = False  # needs the commune workbook: null without it


INDICATORS: list[Indicator] = []


def indicator(id: str, unit: Unit, name: str, *, commune_level: bool = False
              ) -> Callable[[Callable[[Context], Computed]], Callable[[Context], Computed]]:
    def register(fn: Callable[[Context], Computed]) -> Callable[[Context], Computed]:
        INDICATORS.append(Indicator(id, unit, name, fn, commune_level))
        return fn
    return register


# The order is that of docs/indicators.md#indicators, which is the order of the plan's section II.3.

@indicator("can_bo_tap_huan", RATIO, "Cán bộ triển khai Kế hoạch được tập huấn",
           commune_level=True)
def _officials_trained(ctx: Context) -> Computed:
    assert ctx.commune is not None
    officials = ctx.commune.officials
    return sum(o.trained for o in officials), len(officials)


@indicator("tuyen_truyen", RATIO, "Hội viên, người cao tuổi và cộng đồng được tuyên truyền",
           commune_level=True)
def _outreach(ctx: Context) -> Computed:
    # Per village, people reached beyond the village's target do not count.
    assert ctx.commune is not None
    num = den = 0
    for v in ctx.commune.villages:
        target = v.outreach_target or 0
        num += min(v.outreach_reached or 0, target)
        den += target
    return num, den


@indicator("clb_thanh_lap_moi", COUNT, "Câu lạc bộ thành lập mới trong giai đoạn")
def _new_clubs(ctx: Context) -> Computed:
    return len(ctx.new_clubs)


@indicator("clb_nu_nct", RATIO, "Câu lạc bộ có tỷ lệ nữ người cao tuổi 50 - 60%")
def _female_older_band(ctx: Context) -> Computed:
    with_members = [c for c in ctx.clubs if c.members]
    return sum(female_older_in_band(c, ctx.plan.standard) for c in with_members), len(with_members)


@indicator("clb_dat_chuan", COUNT, "Câu lạc bộ hoạt động đạt chuẩn")
def _standard(ctx: Context) -> Computed:
    return sum(c.meets_standard for c in ctx.clubs)


@indicator("clb_du_8_noi_dung", RATIO, "Câu lạc bộ sinh hoạt đủ 08 nội dung, định kỳ hằng tháng")
def _eight_contents(ctx: Context) -> Computed:
    return sum(c.all_contents and c.monthly for c in ctx.clubs), len(ctx.clubs)


@indicator("clb_cds_xanh_khoi_nghiep", RATIO,
           "Câu lạc bộ có người cao tuổi tham gia chuyển đổi số, chuyển đổi xanh, khởi nghiệp, "
           "tạo việc làm")
def _transformation(ctx: Context) -> Computed:
    return sum(c.transformation for c in ctx.clubs), len(ctx.clubs)


@indicator("bcn_tap_huan", RATIO, "Thành viên Ban chủ nhiệm được tập huấn ban đầu và nhắc lại hằng năm")
def _board_trained(ctx: Context) -> Computed:
    return ctx.people.board_trained, ctx.people.board


@indicator("ho_tro_sinh_ke", RATIO, "Thành viên có nhu cầu được hỗ trợ vay vốn, tăng thu nhập")
def _livelihood(ctx: Context) -> Computed:
    return ctx.people.got_livelihood, ctx.people.needs_livelihood


@indicator("thon_co_clb", RATIO, "Thôn có câu lạc bộ liên thế hệ tự giúp nhau", commune_level=True)
def _villages_with_club(ctx: Context) -> Computed:
    assert ctx.commune is not None
    villages = [v for v in ctx.commune.villages if v.name]
    # Village names are matched as everywhere else: NFC, case, spaces, then diacritics.
    find = Matcher((v.name, i) for i, v in enumerate(villages) if v.name)
    with_club = {i for k in ctx.known
                 if k.village and k.exists_at(ctx.as_of) and (i := find.find(k.village)) is not None}
    return len(with_club), len(villages)


@indicator("ty_le_nop_bao_cao", RATIO, "Tỷ lệ câu lạc bộ nộp báo cáo", commune_level=True)
def _reporting_rate(ctx: Context) -> Computed:
    # Expected: known clubs founded ≤ A and not dissolved by A. A reported club that is not
    # expected (dissolved, or founded after A) is left out of both sides, so the rate ≤ 100%.
    return sum(k.reported for k in ctx.expected), len(ctx.expected)


#: Indicator id → unit (the plan loader checks targets with it).
UNITS: dict[str, Unit] = {i.id: i.unit for i in INDICATORS}
BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


# --- the standard ---------------------------------------------------------------------

def female_older_in_band(c: ClubFigures, s: Standard) -> bool:
    p = c.people
    return share_between(p.female_older, p.total, s.female_older_share_min, s.female_older_share_max)


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    label: str  # Vietnamese; {placeholders} are the standard's thresholds, formatted
    check: Callable[[ClubFigures, Standard], bool]
    applies: Callable[[Standard], bool] = lambda s: True

    def describe(self, s: Standard, lang: str = "vi") -> str:
        """The label with the standard's thresholds; in another language than Vietnamese
        the catalogue's (clubtool/locales/), the same placeholders."""
        from ..i18n import has, t

        key = f"criterion.{self.id}"
        label = t(key, lang) if lang != "vi" and has(key, lang) else self.label
        return label.format(
            members_min=s.members_min, members_max=s.members_max,
            older=percent(s.older_share_min), women=percent(s.women_share_min),
            fo_min=percent(s.female_older_share_min), fo_max=percent(s.female_older_share_max),
            fund=number(s.fund_balance_above))


CRITERIA: tuple[Criterion, ...] = (
    Criterion("so_thanh_vien", "có từ {members_min} đến {members_max} thành viên",
              lambda c, s: s.members_min <= c.members <= s.members_max),
    Criterion("nct", "người cao tuổi chiếm từ {older} trở lên",
              lambda c, s: share_at_least(c.people.older, c.members, s.older_share_min)),
    Criterion("nu", "nữ chiếm từ {women} trở lên",
              lambda c, s: share_at_least(c.people.women, c.members, s.women_share_min)),
    Criterion("nu_nct", "nữ người cao tuổi chiếm từ {fo_min} đến {fo_max}", female_older_in_band),
    Criterion("sinh_hoat_hang_thang", "sinh hoạt định kỳ hằng tháng", lambda c, s: c.monthly),
    Criterion("du_8_noi_dung", "sinh hoạt đủ 08 nội dung", lambda c, s: c.all_contents),
    Criterion("bcn_tap_huan", "có Ban chủ nhiệm, được tập huấn ban đầu và nhắc lại hằng năm",
              lambda c, s: c.people.board > 0 and c.people.board_trained == c.people.board),
    Criterion("quy", "quỹ hoạt động và quỹ tăng thu nhập đều còn số dư (trên {fund} đồng)",
              lambda c, s: c.fund_positive(s)),
    Criterion("dong_gop", "có khoản thu thành viên đóng góp trong năm",
              lambda c, s: c.member_contribution,
              applies=lambda s: s.member_contribution_receipt),
)
CRITERIA_BY_ID: dict[str, Criterion] = {c.id: c for c in CRITERIA}


def assess(c: ClubFigures, s: Standard) -> None:
    """Fill `c.criteria` (criterion id → met), in the order of `CRITERIA`."""
    c.criteria = {cr.id: bool(cr.check(c, s)) for cr in CRITERIA if cr.applies(s)}
