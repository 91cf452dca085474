"""The report context's section builders (`clubtool/report/context/`): each reads the typed
indicator result, never its JSON.

Built from model objects (no workbooks): a commune with a registry, villages and
officials; clubs from `tests.factories.club_data`, varied so that every branch has a case.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Any

import pytest

from clubtool import model as M
from clubtool import schema as S
from clubtool import vnformat
from clubtool.indicators import IndicatorValue, Target, compute_indicators
from clubtool.report import vn
from clubtool.report.context import (
    LIST_LIMIT,
    PER_CLUB_LIMIT,
    ReportContext,
    age_head,
    age_words,
    build_context,
    signing_date,
)
from clubtool.report.context.clubs import criterion_detail, source_keys
from clubtool.report.context.funds import fund_section
from clubtool.report.context.indicators import indicator_rows
from clubtool.report.context.members import members_sentence
from clubtool.report.context.source import read_source
from clubtool.report.context.totals import CommuneTotals
from tests.factories import club_data

D = dt.date
Y = 2027
TODAY = D(Y, 12, 5)


def _club(code: str, village: str, **kw: Any) -> M.Club:
    d = club_data(Y, code, village, **kw)

    def rows(cls: type, recs: list[dict[str, Any]]) -> list[Any]:
        return [cls(row=i + 2, **r) for i, r in enumerate(recs)]

    return M.Club(f"/du_lieu/clb_{code}.xlsx", M.ClubInfo(**d["info"]),
                  rows(M.Member, d["members"]), rows(M.Meeting, d["meetings"]),
                  rows(M.Training, d["trainings"]), rows(M.Outreach, d["outreach"]),
                  rows(M.FundEntry, d["fund"]))


def _commune(codes: list[str]) -> M.Commune:
    registry = [M.RegistryClub(row=i + 2, club_id=code, name=f"CLB {code}",
                               village=f"Thôn {i % 3}", founded=D(2020, 1, 1))
                for i, code in enumerate(codes)]
    villages = [M.Village(row=i + 2, name=f"Thôn {i}", older_people=100, outreach_target=50,
                          outreach_reached=40) for i in range(4)]
    officials = [M.Official(row=i + 2, name=f"Cán bộ {i}", trained=i % 2 == 0)
                 for i in range(3)]
    return M.Commune("xa.xlsx", M.CommuneInfo(commune="Mai Hoa", year=Y), villages=villages,
                     registry=registry, officials=officials)


@pytest.fixture(scope="module")
def result() -> Any:
    clubs = [_club("MH-01", "Thôn 0"), _club("MH-02", "Thôn 1", members=48),
             _club("MH-04", "Thôn 2")]
    clubs[1].meetings = [m for m in clubs[1].meetings if m.date.month != 7]
    for e in clubs[2].fund:
        e.source = None  # receipts without a source
    commune = _commune(["MH-01", "MH-02", "MH-03", "MH-04"])
    return compute_indicators(clubs, commune, year=Y, as_of=D(Y, 12, 31), today=TODAY,
                              excluded=[("/du_lieu/loi.xlsx", "2 lỗi")])


def test_names_imported_from_the_context_package_still_exist():
    assert PER_CLUB_LIMIT == 60 and LIST_LIMIT == 20
    assert age_words("60-69") == "Từ 60 đến 69 tuổi" and age_head(">=80") == "Từ 80"
    assert signing_date(Y, None, D(Y, 12, 31), D(2026, 6, 1))[0] == D(Y, 12, 31)
    assert not hasattr(ReportContext, "has_clubs")  # unused: removed


def test_vn_takes_numbers_and_dates_from_vnformat():
    for name in ("whole", "number", "percent", "money", "short_date"):
        assert getattr(vn, name) is getattr(vnformat, name), name


def test_totals_are_the_commune_figures_typed(result):
    """`CommuneTotals` holds the sums of `IndicatorResult.commune_figures()`, the same."""
    t, cf = CommuneTotals.of(result), result.commune_figures()
    clubs = cf["clubs"]
    assert (t.reported, t.known, t.expected, t.standard) == (
        clubs["reported"], clubs["known"], clubs["expected"], clubs["standard"])
    assert (t.new_in_phase, t.new_in_year) == (clubs["new_in_phase"], clubs["new_in_year"])
    assert t.people.to_dict(result.plan) == cf["members"]
    assert {"sessions": t.sessions, "average_attendance": t.average_attendance,
            "clubs_monthly": t.clubs_monthly, "clubs_all_contents": t.clubs_all_contents,
            "clubs_transformation": t.clubs_transformation} == cf["meetings"]
    assert t.trainings == cf["trainings"]
    assert {"sessions": t.outreach_sessions, "reached": t.outreach_reached} == cf["outreach"]
    assert {k: dataclasses.asdict(v) for k, v in t.funds.items()} == cf["funds"]["by_fund"]
    assert t.receipts_by_source == cf["funds"]["receipts_by_source"]
    assert "" in t.receipts_by_source  # the case of receipts without a source is covered


def test_the_display_never_reads_the_json(result, monkeypatch):
    """The sections read the typed result: a doctored `to_dict()` changes the JSON the
    report carries, and nothing the documents show."""
    plain = build_context(result, None, Y, TODAY, today=TODAY)
    payload = result.to_dict()
    for ind in payload["indicators"]:
        ind.update(value=0.5, numerator=1, denominator=2, status="chua_dat")
    payload["commune_figures"]["members"]["total"] = 4242
    payload["club_figures"]["MH-01"]["months_met"] = []
    monkeypatch.setattr(type(result), "to_dict", lambda self: copy.deepcopy(payload))
    ctx = build_context(result, None, Y, TODAY, today=TODAY)
    assert ctx.to_dict() == plain.to_dict()
    assert ctx.payload["commune_figures"]["members"]["total"] == 4242


def test_indicator_rows_word_each_kind_of_value(result):
    values = [
        IndicatorValue("tuyen_truyen", "Tuyên truyền", "ratio", 4112, 4823, 4112 / 4823,
                       Target(0.8), "dat"),
        IndicatorValue("clb_thanh_lap_moi", "Thành lập mới", "count", 1, None, 1,
                       Target(1, 2), "dang_thuc_hien", cumulative=True),
        IndicatorValue("thon_co_clb", "Thôn", "ratio", None, None, None, None,
                       "khong_co_chi_tieu", commune_level=True),
        IndicatorValue("clb_nu_nct", "Nữ NCT", "ratio", 0, 3, 0.0, Target(0.5, 0.6),
                       "chua_dat"),
    ]
    rows = indicator_rows(values, result.phase)
    assert [(r.no, r.plan, r.actual, r.detail) for r in rows] == [
        (1, "80%", "85,3%", "4.112/4.823 người, theo báo cáo các thôn"),
        (2, "Từ 1 đến 2 CLB (cả giai đoạn)", "1 CLB", ""),
        (3, "—", "—", ""),
        (4, "50% - 60%", "0%", "0/3 CLB"),
    ]
    assert rows[1].status_note == "đã đủ mức; đánh giá năm 2030" and rows[1].cumulative
    assert rows[1].progress.startswith("đã có 1 CLB, đủ mức kế hoạch giai đoạn 2026 - 2030")
    assert rows[2].commune_level and rows[2].target is None
    assert [r.status_text for r in rows] == ["Đạt", "Đang thực hiện", "Không có chỉ tiêu",
                                             "Chưa đạt"]


def test_criterion_detail_gives_the_club_own_figure(result):
    f = copy.deepcopy(result.clubs[1].figures)  # MH-02: 48 members, no meeting in July
    assert criterion_detail("so_thanh_vien", f) == " (có 48 thành viên)"
    assert criterion_detail("sinh_hoat_hang_thang", f) == " (không sinh hoạt tháng 7)"
    assert criterion_detail("nu_nct", f).startswith(" (đạt ")
    assert criterion_detail("du_8_noi_dung", f) == (  # ND7 was held in July only
        f" (chưa thực hiện ND7 {S.CONTENTS[6][1].split(' ', 1)[1]})")
    f.people.board = 0
    assert criterion_detail("bcn_tap_huan", f) == " (chưa có Ban chủ nhiệm)"
    assert criterion_detail("quy", f).startswith(" (số dư cuối kỳ: quỹ hoạt động ")
    assert criterion_detail("dong_gop", f) == ""


def test_club_sections_read_each_club_figures(result):
    c = build_context(result, None, Y, TODAY, today=TODAY)
    assert [r.code for r in c.clubs] == ["MH-01", "MH-02", "MH-04"]
    mh02 = c.clubs[1]
    assert mh02.members == "48" and mh02.months[6] == "–" and mh02.months_text == "11/12"
    assert mh02.raw["members"] == 48 and mh02.raw["funds"][0][0] == S.FUND_ACTIVITY
    assert source_keys(f.figures for f in result.clubs) == [*S.FUND_SOURCES, ""]
    assert c.source_heads[-1] == "Không ghi nguồn"
    assert c.clubs[2].by_source[-1] != "0" and c.clubs[2].raw["by_source"][-1] > 0
    assert [lc.state for lc in c.club_list] == ["Đã báo cáo", "Đã báo cáo", "Chưa gửi báo cáo",
                                                 "Đã báo cáo"]


def test_the_summary_replaces_per_club_tables_past_the_limit(result):
    c = build_context(result, None, Y, TODAY, today=TODAY, per_club_limit=3)
    s = c.club_summary
    assert s is not None and not c.detailed and c.clubs == [] and len(c.clubs_all) == 3
    assert [r.raw for r in s.states] == [3, 1, 0, 4]
    assert s.months[6].raw == [2, 1, 3]  # July: MH-02 missed it
    assert s.criteria[-1].raw[2] == 3
    assert any("câu lạc bộ chưa đạt chuẩn" in line for line in c.shortcomings)


def test_sentences_without_members_or_funds(result):
    empty = compute_indicators([], None, year=Y, as_of=D(Y, 12, 31), today=TODAY)
    totals = CommuneTotals.of(empty)
    assert members_sentence(totals.people).startswith("Chưa có số liệu thành viên")
    funds = fund_section(totals)
    assert funds.text == ["Chưa có số liệu quỹ."]
    assert [r[0] for r in funds.rows] == ["Quỹ hoạt động", "Quỹ tăng thu nhập", "Cộng"]
    src = read_source(empty, None, None, None, None, TODAY)
    assert (src.year, src.commune_name, src.limit, src.has_commune) == (Y, "Mai Hoa", 60, False)


def test_the_request_is_checked(result):
    with pytest.raises(ValueError, match="không âm"):
        build_context(result, None, Y, TODAY, per_club_limit=-1)
    with pytest.raises(ValueError, match="khác năm"):
        build_context(result, None, Y + 1, TODAY)


def test_the_json_names_files_only(result):
    c = build_context(result, None, Y, TODAY, today=TODAY)
    assert c.payload["excluded"] == [{"path": "loi.xlsx", "reason": "2 lỗi"}]
    assert {f["path"] for f in c.payload["club_figures"].values()} == {
        "clb_MH-01.xlsx", "clb_MH-02.xlsx", "clb_MH-04.xlsx"}
    assert c.excluded_count == 1
    assert any("loi.xlsx có 2 lỗi" in line for line in c.shortcomings)
