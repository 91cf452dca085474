"""Plain-text forms of indicator figures, the Vietnamese way (81,9%; 1.234).

No rich, no I/O: the CLI and the report renderers share these so that every output shows
a figure the same way.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compute import IndicatorResult, IndicatorValue
    from .figures import ClubFigures
    from .plan import Target

STATUS_WORDS = {
    "dat": "đạt",
    "chua_dat": "chưa đạt",
    "khong_co_du_lieu": "không có dữ liệu",
    "khong_co_chi_tieu": "không có chỉ tiêu",
}
NO_VALUE = "—"


def number(x: float | int, decimals: int = 0) -> str:
    """1234567 → "1.234.567"; 2.5 with decimals=1 → "2,5"."""
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(x: float | int, decimals: int = 1) -> str:
    """0.819 → "81,9%", 0.8 → "80%", 1 → "100%".

    A share below 100% is never shown as 100% (nor one above 0% as 0%): an officer reads
    "100%" as met.
    """
    text = number(x * 100, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    if text == "100" and x < 1:
        text = "99," + "9" * max(1, decimals)
    elif text == "0" and x > 0:
        text = "0," + "0" * (max(1, decimals) - 1) + "1"
    return text + "%"


def value_text(v: IndicatorValue) -> str:
    if v.value is None:
        return NO_VALUE
    return percent(v.value) if v.unit == "ratio" else number(v.value)


def fraction_text(v: IndicatorValue) -> str:
    """"1.234/1.500" for a ratio; "" for a count or no data."""
    if v.unit != "ratio" or v.numerator is None or v.denominator is None:
        return ""
    return f"{number(v.numerator)}/{number(v.denominator)}"


def target_text(target: Target | None, unit: str) -> str:
    """"≥ 80%", "100%", "≥ 1 (kế hoạch: 1–2)" or "—" (no target)."""
    if target is None:
        return NO_VALUE
    if unit == "ratio":
        text = "100%" if target.min >= 1 else f"≥ {percent(target.min)}"
        if target.shown_max is not None:
            text += f" (kế hoạch: {percent(target.min)}–{percent(target.shown_max)})"
        return text
    text = f"≥ {number(target.min)}"
    if target.shown_max is not None:
        text += f" (kế hoạch: {number(target.min)}–{number(target.shown_max)})"
    return text


def bar(v: IndicatorValue, width: int = 10) -> str:
    """Progress toward the target: "███████░░░" (full when met); "" without value."""
    if v.value is None:
        return ""
    if v.target is not None and v.target.min > 0:
        filled = min(1.0, float(v.value) / float(v.target.min))
    elif v.unit == "ratio":
        filled = min(1.0, float(v.value))
    else:
        return ""
    n = int(filled * width + 1e-9)
    if filled < 1 and n == width:
        n = width - 1
    return "█" * n + "░" * (width - n)


#: What makes a spreadsheet run a CSV cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = ("id", "name", "unit", "numerator", "denominator", "value", "target_min",
               "target_shown_max", "status", "status_text")


def to_csv(result: IndicatorResult) -> str:
    """One row per indicator (unrounded values; empty cell = no value)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for v in result.indicators:
        w.writerow([
            v.id, csv_text(v.name), v.unit, _cell(v.numerator), _cell(v.denominator),
            _cell(v.value),
            _cell(v.target.min if v.target else None),
            _cell(v.target.shown_max if v.target else None), v.status, STATUS_WORDS[v.status],
        ])
    return buf.getvalue()


def csv_text(text: str) -> str:
    """Text a spreadsheet will not run as a formula: "=1+1" → "'=1+1" (names come from the
    plan file, which another commune may write)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(x: float | int | None) -> str:
    return "" if x is None else repr(x)


def criterion_detail(figures: ClubFigures, criterion_id: str) -> str:
    """What a club's figures show for a failed criterion, e.g. "thiếu tháng 3, 7"."""
    c, p = figures, figures.people
    if criterion_id == "so_thanh_vien":
        return f"đang có {number(p.total)}"
    if criterion_id in ("nct", "nu", "nu_nct"):
        share = {"nct": c.older_share, "nu": c.women_share, "nu_nct": c.female_older_share}[criterion_id]
        return "chưa có thành viên" if share is None else f"đang {percent(share)}"
    if criterion_id == "sinh_hoat_hang_thang":
        met = set(c.months_met)
        gaps = [str(m) for m in c.months_required if m not in met]
        return "thiếu tháng " + ", ".join(gaps)
    if criterion_id == "du_8_noi_dung":
        from ..schema import CONTENT_CODES

        gaps = [f"ND{i}" for i, code in enumerate(CONTENT_CODES, start=1)
                if code not in c.contents_held]
        return "thiếu " + ", ".join(gaps)
    if criterion_id == "bcn_tap_huan":
        if not p.board:
            return "chưa có Ban chủ nhiệm"
        return f"{p.board_trained}/{p.board} người đạt"
    if criterion_id == "quy":
        return "; ".join(f"quỹ {fund.lower()} {number(f.closing)} đồng"
                         for fund, f in c.funds.items())
    return ""
