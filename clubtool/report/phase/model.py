"""The phase review's context as data: display-ready rows, one dataclass per kind.

Every table of the review has one column per year of the phase (`PhaseContext.years`),
whether the year has data or not: a year without data shows "—" and says so in the
coverage table. Text fields hold what the documents print (`81,9%`, `1.500.000`); `raw`
fields keep the same figures unformatted for the spreadsheet and the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ..context.model import Header, Signature, _plain

__all__ = ["AwardRow", "ChartSeries", "CoverageRow", "GridRow", "Header", "IndicatorTrend",
           "PhaseContext", "Signature", "YearRow"]


@dataclass(slots=True)
class YearRow:
    """A labelled figure year by year: "Tổng số thành viên | 120 | 125 | — | — | —"."""

    label: str
    cells: list[str]  # one per year of the phase; "—" where the year has no figure
    raw: list[float | int | None]
    total: str = ""  # over the phase, where a sum means something ("Cộng giai đoạn")
    total_raw: float | int | None = None
    strong: bool = False  # a total row
    kind: str = "count"  # what the figures are: "count", "money" (đồng), "share" (0–1)


@dataclass(slots=True)
class IndicatorTrend:
    """One indicator of the plan year by year against its target."""

    no: int
    id: str
    name: str
    unit: str  # "ratio" | "count"
    plan: str  # the target: "80%", "Từ 1 đến 2 CLB (cả giai đoạn)"; by phase when they differ
    cells: list[str]  # per year: "83,3%", "2 CLB", "—"
    marks: list[str]  # per year: "đạt", "chưa đạt", "đang thực hiện" or "" (no target/data)
    statuses: list[str]  # per year: the result's status code; "" for a year without data
    values: list[float | int | None]
    targets: list[float | int | None]  # per year: that year's target minimum
    numerators: list[int | None]
    denominators: list[int | None]
    end_year: int | None  # the last year with data: where the review judges
    end_status: str  # the status in that year ("" when no year has data)
    end_text: str  # "Đạt", "Chưa đạt", "Đang thực hiện", "Không có chỉ tiêu", "—"


@dataclass(slots=True)
class ChartSeries:
    """One small line chart: an indicator year by year (percent for ratios)."""

    label: str  # "(1) Cán bộ được tập huấn"
    unit: str  # "ratio" (values in percent) | "count"
    values: list[float | None]  # per year of the phase
    targets: list[float | None]  # per year: that year's target (percent for ratios)
    statuses: list[str]  # per year: colours of the points


@dataclass(slots=True)
class GridRow:
    """One club's standard year by year."""

    no: int
    code: str
    name: str
    village: str
    cells: list[str]  # per year: "Đạt", "Chưa đạt", "—" (no report), "" (did not exist)
    met: str  # "2/3": years meeting the standard / years with a report
    raw: list[bool | None] = field(default_factory=list)  # True/False, None: no report


@dataclass(slots=True)
class AwardRow:
    """The awards of one year: counts, and the collective ones named (never a person)."""

    year: int
    collective: str
    individual: str
    details: str  # "CLB Thôn Đông: Giấy khen (cấp xã); 2 cá nhân: Giấy khen (cấp xã)"
    raw: list[int] = field(default_factory=list)  # [collective, individual]


@dataclass(slots=True)
class CoverageRow:
    """What the review has of one year."""

    year: int
    state: str  # "Có số liệu" / "Chưa có số liệu"
    commune: str  # the commune workbook: "Có" / "Không có" / "—"
    reported: str  # clubs with a valid report
    missing: str  # clubs expected that sent none
    excluded: str  # files left out for errors
    has_data: bool = True


@dataclass(slots=True)
class PhaseContext:
    """Everything a renderer of the phase review shows, display-ready."""

    kind: str  # "so_ket" (mid-term) | "tong_ket" (final)
    kind_word: str  # "Sơ kết" | "Tổng kết"
    phase_id: str  # "2026-2030"
    span: str  # "giai đoạn 2026–2030"
    years: list[int]  # every year of the phase
    data_years: list[int]  # the years with data
    date: str  # dd/mm/yyyy of the document
    commune: str
    province: str
    plan_title: str
    header: Header
    intro: str
    overview: list[str]  # section I: the data, and the phase's start against its end
    indicator_summary: str
    indicators: list[IndicatorTrend]
    end_head: str  # "Đánh giá (năm 2028)"
    chart: list[ChartSeries]
    chart_caption: str
    club_rows: list[YearRow]
    club_text: list[str]  # clubs founded and dissolved, by code
    member_rows: list[YearRow]
    grid: list[GridRow]  # the documents' grid (empty above the per-club limit)
    grid_counts: list[YearRow]  # clubs meeting the standard, not meeting it, not reporting
    grid_legend: str
    grid_note: str  # above the per-club limit: where the grid is
    fund_rows: list[YearRow]
    fund_text: list[str]
    awards: list[AwardRow]
    award_text: list[str]
    coverage: list[CoverageRow]
    missing_text: list[str]
    closing: str  # "Trên đây là báo cáo sơ kết …/."
    signature: Signature
    recipients: list[str]
    issuer_name: str
    #: The figures year by year as `clubtool indicators --years` gives them, plus
    #: each year's commune figures: the JSON's payload. Not part of `to_dict()`.
    payload: dict[str, Any] = field(default_factory=dict)
    grid_all: list[GridRow] = field(default_factory=list)  # every club (XLSX, JSON)
    #: What the officer must check; printed by the CLI, never in the documents.
    warnings: list[str] = field(default_factory=list)

    @property
    def year_heads(self) -> list[str]:
        return [str(y) for y in self.years]

    def to_dict(self) -> dict[str, Any]:
        """The display values (the JSON renderer adds them beside the payload)."""
        skip = {"payload", "grid_all", "warnings"}
        out = {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in skip}
        for key in ("club_rows", "member_rows", "fund_rows", "grid_counts"):
            for row in out[key]:
                row.pop("raw")
                row.pop("total_raw")
        for row in out["grid"] + out["awards"]:
            row.pop("raw")
        return out

