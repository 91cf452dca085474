"""The steps every command shares: validate the inputs, then compute the plan's indicators.

`indicators`, `merge`, `report` and `export` all take their figures from here, so that a
workbook with errors (a club's or the commune's) is left out the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .indicators import IndicatorResult, Plan, compute_indicators
from .validation import Progress, ValidationReport, validate


def indicators_for(report: ValidationReport, *, year: int, as_of: dt.date | None = None,
                   plan: Plan | None = None) -> IndicatorResult:
    """The indicators of the valid workbooks of `report`; the faulty ones listed as excluded."""
    return compute_indicators(report.valid_clubs(), report.usable_commune, year=year,
                              as_of=as_of, plan=plan, excluded=report.excluded())


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
    report = validate(paths, commune=commune, year=year, jobs=jobs, on_progress=on_progress)
    return Analysis(report, indicators_for(report, year=year, as_of=as_of, plan=plan))
