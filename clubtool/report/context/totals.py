"""The commune's totals the report shows, read from the typed result.

`IndicatorResult.commune_figures()` gives these only as a JSON dict (its `to_dict()`
shape); the report reads typed values, so this holds the same sums over the reported
clubs' `ClubFigures`, added in the same order (the same floats).
`tests/test_report_context.py` checks them against `commune_figures()` so that the two
never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import schema as S

if TYPE_CHECKING:
    from ...indicators import IndicatorResult
    from ...indicators.figures import MemberCounts


@dataclass(frozen=True, slots=True)
class FundTotals:
    """One fund over the reported clubs (the closing is the sum of the clubs' closings)."""

    opening: float
    receipts: float
    payments: float
    closing: float


@dataclass(frozen=True, slots=True)
class CommuneTotals:
    """Counts of clubs and sums over the reported clubs (`commune_figures()`, typed)."""

    reported: int  # clubs counted
    known: int  # reported or in the registry
    expected: int  # known clubs that owe a report (founded, not dissolved, by the as-of date)
    standard: int  # clubs meeting the standard
    new_in_phase: list[str]  # codes of clubs founded in the phase
    new_in_year: list[str]  # … in the report's year
    people: MemberCounts  # members of all reported clubs, pooled
    sessions: int
    average_attendance: float | None
    clubs_monthly: int
    clubs_all_contents: int
    clubs_transformation: int
    trainings: dict[str, int]  # by S.TRAINING_KINDS
    outreach_sessions: int
    outreach_reached: int
    funds: dict[str, FundTotals]  # by S.FUNDS
    receipts_by_source: dict[str, float]  # S.FUND_SOURCES order, then "" (no source)

    @classmethod
    def of(cls, result: IndicatorResult) -> CommuneTotals:
        ctx = result.context
        clubs = ctx.clubs
        attended = sum(c.attendance_sessions for c in clubs)
        return cls(
            reported=len(clubs), known=len(ctx.known), expected=len(ctx.expected),
            standard=sum(c.meets_standard for c in clubs),
            new_in_phase=[k.club_id for k in ctx.new_clubs],
            new_in_year=[k.club_id for k in ctx.new_clubs
                         if k.founded and k.founded.year == result.year],
            people=ctx.people,
            sessions=sum(c.sessions for c in clubs),
            average_attendance=(sum(c.attendance_total for c in clubs) / attended
                                if attended else None),
            clubs_monthly=sum(c.monthly for c in clubs),
            clubs_all_contents=sum(c.all_contents for c in clubs),
            clubs_transformation=sum(c.transformation for c in clubs),
            trainings={k: sum(c.trainings.get(k, 0) for c in clubs) for k in S.TRAINING_KINDS},
            outreach_sessions=sum(c.outreach_sessions for c in clubs),
            outreach_reached=sum(c.outreach_reached for c in clubs),
            funds={fund: FundTotals(
                opening=sum(c.funds[fund].opening for c in clubs),
                receipts=sum(c.funds[fund].receipts for c in clubs),
                payments=sum(c.funds[fund].payments for c in clubs),
                closing=sum(c.funds[fund].closing for c in clubs)) for fund in S.FUNDS},
            receipts_by_source=_by_source(result),
        )


def _by_source(result: IndicatorResult) -> dict[str, float]:
    by_source: dict[str, float] = {}
    for c in result.context.clubs:
        for src, amount in c.receipts_by_source.items():
            by_source[src] = by_source.get(src, 0) + amount
    return {s: by_source[s] for s in (*S.FUND_SOURCES, "") if s in by_source}
