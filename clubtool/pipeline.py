"""The steps every command shares: validate the inputs, then compute the plan's indicators.

`indicators`, `merge`, `report` and `export` all take their figures from here, so that a
workbook with errors (a club's or the commune's) is left out the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .indicators import (
    ClubSummary,
    FiguresFor,
    IndicatorResult,
    Plan,
    compute_indicators,
    resolve_period,
)
from .validation import Progress, ValidationReport, validate


def figures_for(*, year: int, as_of: dt.date | None = None, plan: Plan | None = None) -> FiguresFor:
    """What to pass as `validate(..., summarise=…)` so that each club's figures are computed
    where it is read, in parallel (`indicators_for` then uses them). ValueError as
    `compute_indicators` for an as-of date outside the year."""
    return FiguresFor(*resolve_period(year, as_of, plan))


def indicators_for(report: ValidationReport, *, year: int, as_of: dt.date | None = None,
                   plan: Plan | None = None) -> IndicatorResult:
    """The indicators of the valid workbooks of `report`; the faulty ones listed as excluded.

    Figures computed while validating (`figures_for`) are used when they are for this same
    period and plan; any other club's are computed here."""
    period, plan_ = resolve_period(year, as_of, plan)
    known = {}
    for f in report.checked:
        s = f.loaded.summary if f.loaded is not None else None
        if isinstance(s, ClubSummary) and s.period == period and s.plan == plan_:
            known[f.path] = s.figures
    result = compute_indicators(report.valid_clubs(), report.usable_commune, year=year,
                                as_of=period.as_of, plan=plan_, excluded=report.excluded(),
                                figures=known)
    result.not_counted = report.not_counted()
    result.warnings[:0] = report.notices  # what every output must say about the inputs
    faulty = report.commune if report.usable_commune is None else None
    if faulty is not None:  # excluded for errors: still the commune these figures are of
        result.commune = faulty.info.commune or result.commune
        result.province = faulty.info.province
    return result


def per_commune(report: ValidationReport) -> list[ValidationReport]:
    """The report seen from each commune of the inputs (SPEC §2.3): each commune is computed
    against its own commune workbook. One view (the report itself) when the inputs hold at
    most one commune workbook."""
    if len(report.communes) <= 1:
        return [report]
    return [report.for_commune(g) for g in report.communes]


def communes_found(report: ValidationReport) -> list[str]:
    """One line per commune found in the inputs, for every command to say what it used."""
    lines = []
    for g in report.communes:
        n = len([r for r in g.clubs if not r.errors and not r.superseded_by])
        path = Path(g.result.path).name if g.result is not None else "—"
        lines.append(f"Xã {g.label}: mẫu của xã {path}; {n} câu lạc bộ hợp lệ.")
    return lines


@dataclass(slots=True)
class Analysis:
    report: ValidationReport
    indicators: IndicatorResult

    @property
    def complete(self) -> bool:
        """Every input was used (exit code 0 rather than 1)."""
        return not self.report.excluded() and not self.report.has_errors


def analyse(paths: Iterable[Path | str], *, year: int, commune: Path | str | None = None,
            as_of: dt.date | None = None, plan: Plan | None = None, jobs: int | None = None,
            on_progress: Progress | None = None) -> Analysis:
    """validate() the inputs of `year`, then compute the indicators of the valid ones."""
    summarise = figures_for(year=year, as_of=as_of, plan=plan)
    report = validate(paths, commune=commune, year=year, jobs=jobs, on_progress=on_progress,
                      summarise=summarise)
    return Analysis(report, indicators_for(report, year=year, as_of=as_of, plan=plan))
