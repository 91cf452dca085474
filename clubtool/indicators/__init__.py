"""The plan's indicators (docs/indicators.md): a declarative registry, the plan file, the computation.

    from clubtool.indicators import compute_indicators, load_plan
    result = compute_indicators(report.valid_clubs(), report.commune, year=2027,
                                excluded=report.excluded())
    result.to_dict()  # the JSON of `clubtool indicators --format json`

No CLI or rich here; `format` holds the plain-text forms (81,9%) that renderers share.
"""

from __future__ import annotations

from .compute import (
    CHUA_DAT,
    DANG_THUC_HIEN,
    DAT,
    KHONG_CO_CHI_TIEU,
    KHONG_CO_DU_LIEU,
    STATUSES,
    ClubResult,
    ClubSummary,
    FiguresFor,
    IndicatorResult,
    IndicatorValue,
    compute_indicators,
    default_as_of,
    resolve_period,
)
from .plan import Phase, Plan, PlanError, Standard, Target, default_plan, load_plan
from .registry import CRITERIA, CRITERIA_BY_ID, INDICATORS, Criterion, Indicator

__all__ = [
    "CHUA_DAT", "CRITERIA", "CRITERIA_BY_ID", "DANG_THUC_HIEN", "DAT", "INDICATORS", "KHONG_CO_CHI_TIEU",
    "KHONG_CO_DU_LIEU", "STATUSES", "ClubResult", "ClubSummary", "Criterion", "FiguresFor", "Indicator", "IndicatorResult",
    "IndicatorValue", "Phase", "Plan", "PlanError", "Standard", "Target", "compute_indicators",
    "default_as_of", "default_plan", "load_plan", "resolve_period",
]
