"""What every section builder reads: the typed indicator result and what the caller gave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .common import PER_CLUB_LIMIT
from .files import (
    FileNote,
    ValidatedFiles,
    excluded_codes,
    excluded_files,
    not_counted_files,
)
from .totals import CommuneTotals

if TYPE_CHECKING:
    from ...indicators import IndicatorResult, Phase, Plan
    from ...indicators.figures import ClubFigures
    from ...model import Commune, CommuneInfo
    from ...validation import ValidationReport


@dataclass(slots=True)
class Source:
    result: IndicatorResult
    #: The commune workbook given: the document's head and signature (it may be a faulty
    #: one, left out of the figures: see `has_commune`).
    commune: Commune | None
    validation: ValidationReport | None
    year: int
    today: dt.date
    limit: int  # the per-club limit
    commune_name: str
    province: str
    #: Each reported club's figures by code (a code reported twice: the last, as in the
    #: JSON's `club_figures`).
    figures: dict[str, ClubFigures]
    totals: CommuneTotals
    excluded: list[FileNote]
    not_counted: list[FileNote]
    excluded_codes: set[str]  # clubs whose workbook was left out for errors
    #: The same commune's result for the year before (section II's "So với năm trước").
    previous: IndicatorResult | None = None

    @property
    def info(self) -> CommuneInfo | None:
        return self.commune.info if self.commune is not None else None

    @property
    def plan(self) -> Plan:
        return self.result.plan

    @property
    def phase(self) -> Phase:
        return self.result.phase

    @property
    def as_of(self) -> dt.date:
        return self.result.as_of

    @property
    def has_commune(self) -> bool:
        """The indicators had a usable commune workbook (a faulty one is passed for the
        document's head only)."""
        return self.result.has_commune


def read_source(result: IndicatorResult, commune: Commune | None, year: int | None,
                validation: ValidationReport | None, per_club_limit: int | None,
                today: dt.date | None, previous: IndicatorResult | None = None) -> Source:
    """Check the request (ValueError: a negative limit, a year other than the result's, a
    `previous` result of another year than the one before) and gather what the sections
    read."""
    limit = PER_CLUB_LIMIT if per_club_limit is None else per_club_limit
    if limit < 0:
        raise ValueError(f"per_club_limit phải là số không âm (nhận {limit})")
    year = result.year if year is None else year
    if year != result.year:
        raise ValueError(f"năm báo cáo {year} khác năm của số liệu {result.year}")
    if previous is not None and previous.year != year - 1:
        raise ValueError(f"số liệu năm trước là của năm {previous.year}, không phải năm "
                         f"{year - 1}")
    info = commune.info if commune is not None else None
    if today is None:
        from ...indicators.compute import clock_today  # looked up late: tests replace it

        today = clock_today()
    files = ValidatedFiles(validation)
    return Source(
        result=result, commune=commune, validation=validation, year=year, today=today,
        limit=limit,
        commune_name=(info.commune if info and info.commune else None) or result.commune,
        province=(info.province if info and info.province else None)
        or result.plan.province or "",
        figures={c.club_id: c.figures for c in result.clubs},
        totals=CommuneTotals.of(result),
        excluded=excluded_files(result, files), not_counted=not_counted_files(result),
        excluded_codes=excluded_codes(result, files), previous=previous,
    )
