"""Section II against the previous year: the "So với năm trước" column and its sentence.

Given the same commune's result for the year before, each indicator gets its change,
computed from the typed values of both years, exactly: a ratio as
`Fraction(numerator, denominator)` (the change in percentage points), a count as the count.
Only the text is rounded (one decimal, half up, by `vnformat.number`): "+3,2 điểm %",
"−1,0 điểm %", "+2", "−1", "không đổi"; "—" when either year has no value (or the previous
year's plan has no such indicator, or counted it in another unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ...vnformat import NO_VALUE, number

if TYPE_CHECKING:
    from ...indicators import IndicatorResult, IndicatorValue

SAME = "không đổi"
POINTS = "điểm %"
PLUS, MINUS = "+", "\u2212"  # the minus sign, not a hyphen
COLUMN = "So với năm trước"


@dataclass(frozen=True, slots=True)
class Change:
    """One indicator against the previous year."""

    text: str  # "+3,2 điểm %", "−1", "không đổi", "—"
    #: This year's value minus the previous year's, exact, in the indicator's unit (a ratio
    #: as a share: 0.032 for 3,2 points); None when the two cannot be compared.
    delta: Fraction | None
    unit: str = "count"  # the indicator's: "ratio" | "count"

    @property
    def sign(self) -> int | None:
        """1 up, -1 down, 0 the same; None: not compared."""
        if self.delta is None:
            return None
        return (self.delta > 0) - (self.delta < 0)

    def plain(self) -> float | int | None:
        """The change for JSON: an int for a count, a float share for a ratio."""
        d = self.delta
        if d is None:
            return None
        return d.numerator if self.unit != "ratio" and d.denominator == 1 else float(d)


def exact_value(v: IndicatorValue) -> Fraction | None:
    """The indicator's value as an exact fraction: numerator/denominator for a ratio (the
    float `value` only when the counts are missing); None without a value."""
    if v.value is None:
        return None
    if (v.unit == "ratio" and type(v.numerator) is int and type(v.denominator) is int
            and v.denominator):
        return Fraction(v.numerator, v.denominator)
    return Fraction(v.value)


def change(now: IndicatorValue, before: IndicatorValue | None) -> Change:
    """`now` against `before` (the same indicator a year earlier; None: not in that plan)."""
    if before is None or before.unit != now.unit:
        return Change(NO_VALUE, None, now.unit)
    a, b = exact_value(now), exact_value(before)
    if a is None or b is None:
        return Change(NO_VALUE, None, now.unit)
    delta = a - b
    return Change(change_text(delta, now.unit), delta, now.unit)


def change_text(delta: Fraction, unit: str) -> str:
    """"+3,2 điểm %" (ratio, in points), "−1" (count), "không đổi" when exactly equal.

    A change that rounds to 0,0 points is written 0,1 (as `vnformat.percent` never writes
    a share above 0 as 0%): "không đổi" means exactly equal.
    """
    if delta == 0:
        return SAME
    sign = PLUS if delta > 0 else MINUS
    size = abs(delta)
    if unit == "ratio":
        text = number(float(size * 100), 1)
        if text == "0,0":
            text = "0,1"
        return f"{sign}{text} {POINTS}"
    text = number(size.numerator) if size.denominator == 1 else number(float(size), 1)
    return f"{sign}{text}"


def changes(values: list[IndicatorValue], previous: IndicatorResult) -> list[Change]:
    """One change per indicator of `values`, matched by id to the previous year's."""
    before = {v.id: v for v in previous.indicators}
    return [change(v, before.get(v.id)) for v in values]


def sentence(found: list[Change], previous_year: int) -> str:
    """"So với năm 2026: 3 chỉ tiêu tăng, 1 chỉ tiêu giảm, 3 chỉ tiêu không đổi." (and how
    many could not be compared, when any)."""
    signs = [c.sign for c in found]
    text = (f"So với năm {previous_year}: {signs.count(1)} chỉ tiêu tăng, "
            f"{signs.count(-1)} chỉ tiêu giảm, {signs.count(0)} chỉ tiêu không đổi")
    missing = signs.count(None)
    if missing:
        text += f"; {missing} chỉ tiêu không so sánh được do thiếu số liệu"
    return text + "."


def payload_with_changes(payload: dict[str, Any], previous_year: int,
                         found: list[Change], ids: list[str]) -> dict[str, Any]:
    """The JSON payload with `previous_year` (after `as_of`) and each indicator's `change`
    (`Change.plain`: the exact difference in the indicator's unit, null when not compared)."""
    by_id = dict(zip(ids, found, strict=True))
    out: dict[str, Any] = {}
    for key, value in payload.items():
        if key == "indicators":
            value = [{**ind, "change": by_id[ind["id"]].plain() if ind["id"] in by_id else None}
                     for ind in value]
        out[key] = value
        if key == "as_of":
            out["previous_year"] = previous_year
    if "previous_year" not in out:
        out["previous_year"] = previous_year
    return out
