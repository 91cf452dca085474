"""Plain-text forms of indicator figures, the Vietnamese way (81,9%; 1.234).

No rich, no I/O: the CLI and the report renderers share these so that every output shows
a figure the same way.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from ..i18n import t
from ..vnformat import NO_VALUE, number, percent

if TYPE_CHECKING:
    from .compute import IndicatorResult, IndicatorValue
    from .figures import ClubFigures
    from .plan import Target

STATUS_WORDS = {
    "dat": "đạt",
    "chua_dat": "chưa đạt",
    "dang_thuc_hien": "đang thực hiện",  # a phase target before the phase's last year
    "khong_co_du_lieu": "không có dữ liệu",
    "khong_co_chi_tieu": "không có chỉ tiêu",
}
#: (in another language: `status.<status>` of the catalogue, clubtool/locales/)


def value_text(v: IndicatorValue) -> str:
    if v.value is None:
        return NO_VALUE
    return percent(v.value) if v.unit == "ratio" else number(v.value)


def fraction_text(v: IndicatorValue) -> str:
    """"1.234/1.500" for a ratio; "" for a count or no data."""
    if v.unit != "ratio" or v.numerator is None or v.denominator is None:
        return ""
    return f"{number(v.numerator)}/{number(v.denominator)}"


def target_text(target: Target | None, unit: str, lang: str = "vi") -> str:
    """"≥ 80%", "100%", "≥ 1 (kế hoạch: 1–2)" or "—" (no target)."""
    if target is None:
        return NO_VALUE
    plan = t("indicators.plan_range", lang)
    if unit == "ratio":
        text = "100%" if target.min >= 1 else f"≥ {percent(target.min)}"
        if target.shown_max is not None:
            text += f" ({plan}: {percent(target.min)}–{percent(target.shown_max)})"
        return text
    text = f"≥ {number(target.min)}"
    if target.shown_max is not None:
        text += f" ({plan}: {number(target.min)}–{number(target.shown_max)})"
    return text


def plan_words(unit: str, lo: float | int, hi: float | int | None = None, words: str = "",
               lang: str = "vi") -> str:
    """The plan's figure in running text: "từ 1 đến 2 CLB", "ít nhất 3 CLB", "80%",
    "từ 50% đến 60%"."""
    show = percent if unit == "ratio" else number
    unit_word = f" {words}" if words and unit != "ratio" else ""
    if hi is not None:
        return t("progress.from_to", lang, lo=show(lo), hi=show(hi), unit=unit_word)
    return f"{show(lo)}" if unit == "ratio" else t("progress.at_least", lang, lo=show(lo),
                                                   unit=unit_word)


def reaches(value: float | int | None, lo: float | int) -> bool:
    """The value (as shown, unrounded) is at least the plan's minimum, compared exactly."""
    from fractions import Fraction

    from .plan import exact

    return value is not None and Fraction(repr(value)) >= exact(lo)


def phase_progress(value: float | int | None, unit: str, lo: float | int,
                   hi: float | int | None, first_year: int, last_year: int,
                   words: str = "", phase: str | None = None, lang: str = "vi",
                   plan_unit: str | None = None) -> str:
    """What a phase-cumulative target (status `dang_thuc_hien`) has so far: "đã có 2 CLB,
    đủ mức kế hoạch giai đoạn 2026 - 2030 (từ 1 đến 2 CLB)" or "đã có 0 CLB, kế hoạch giai
    đoạn 2026 - 2030 là từ 1 đến 3 CLB". `phase`: how to name the phase (default "giai
    đoạn 2026 - 2030"). The words of `lang` (the report documents: Vietnamese);
    `plan_unit`: the unit's word for the plan's range when it differs ("1 club", "from 1 to
    2 clubs")."""
    phase = phase or t("progress.phase", lang, first=first_year, last=last_year)
    plan = plan_words(unit, lo, hi, words if plan_unit is None else plan_unit, lang)
    if value is None:
        return t("progress.no_data", lang, phase=phase, plan=plan)
    done = (t("progress.ratio_done", lang, value=percent(value)) if unit == "ratio"
            else t("progress.count_done", lang, value=number(value),
                   unit=f" {words}" if words else ""))
    if reaches(value, lo):
        return t("progress.enough", lang, done=done, phase=phase, plan=plan)
    return t("progress.not_enough", lang, done=done, phase=phase, plan=plan)


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


def to_csv(result: IndicatorResult, lang: str = "vi") -> str:
    """One row per indicator (unrounded values; empty cell = no value; `status_text` in
    `lang`)."""
    from ..i18n import LANGS

    labels = STATUS_WORDS if lang not in LANGS or lang == "vi" else {
        k: t(f"status.{k}", lang) for k in STATUS_WORDS}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for v in result.indicators:
        w.writerow([
            v.id, csv_text(v.name), v.unit, _cell(v.numerator), _cell(v.denominator),
            _cell(v.value),
            _cell(v.target.min if v.target else None),
            _cell(v.target.shown_max if v.target else None), v.status, labels[v.status],
        ])
    return buf.getvalue()


def csv_text(text: str) -> str:
    """Text a spreadsheet will not run as a formula: "=1+1" → "'=1+1" (names come from the
    plan file, which another commune may write)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(x: float | int | None) -> str:
    return "" if x is None else repr(x)


def criterion_detail(figures: ClubFigures, criterion_id: str, lang: str = "vi") -> str:
    """What a club's figures show for a failed criterion, e.g. "thiếu tháng 3, 7"."""
    c, p = figures, figures.people
    if criterion_id == "so_thanh_vien":
        return t("criterion_detail.members", lang, n=number(p.total))
    if criterion_id in ("nct", "nu", "nu_nct"):
        share = {"nct": c.older_share, "nu": c.women_share, "nu_nct": c.female_older_share}[criterion_id]
        return (t("criterion_detail.no_members", lang) if share is None
                else t("criterion_detail.share", lang, share=percent(share)))
    if criterion_id == "sinh_hoat_hang_thang":
        met = set(c.months_met)
        gaps = [str(m) for m in c.months_required if m not in met]
        return t("criterion_detail.months", lang, months=", ".join(gaps))
    if criterion_id == "du_8_noi_dung":
        from ..schema import CONTENT_CODES

        gaps = [f"ND{i}" for i, code in enumerate(CONTENT_CODES, start=1)
                if code not in c.contents_held]
        return t("criterion_detail.contents", lang, contents=", ".join(gaps))
    if criterion_id == "bcn_tap_huan":
        if not p.board:
            return t("criterion_detail.no_board", lang)
        return t("criterion_detail.board", lang, trained=p.board_trained, board=p.board)
    if criterion_id == "quy":
        return "; ".join(t("criterion_detail.fund", lang, fund=fund.lower(),
                           amount=number(f.closing)) for fund, f in c.funds.items())
    return ""
