"""One report context: the indicator result turned into display-ready values.

`build_context()` is the only place where the report reads the indicator result. It never
recomputes a definition of the plan: every count, share and status comes from the typed
`IndicatorResult` (its `IndicatorValue`s, each club's `ClubFigures`, the pooled
`MemberCounts`, the plan); this package only picks, orders, labels, sums for a "Cộng" row
and formats the Vietnamese way (`81,9%`, `1.500.000`). Renderers (DOCX, HTML, XLSX,
Markdown, JSON) take the context and lay it out; none of them computes.

One module per part of the report: `header` (head, signature, recipients), `general`
(section I) with `members`, `indicators` (section II: table, summary, chart) with
`changes` (against the previous year, when given), `clubs`
(per-club rows, failed criteria, club list, annexes) with `summary` (counts of clubs
above the per-club limit), `results` (section III), `funds` (section IV),
`awards` (section V), `shortcomings` (section VI), `direction` (section VII), `no_commune`
(without a commune workbook). `source` gathers what they read; `files` names the files; `totals` holds the
commune's sums; `model` the dataclasses.

Reports sent upward hold figures, never members' names: nothing here reads a member's name,
and the reasons files were excluded (whose messages may quote a cell holding a name) are
reduced to counts and the catalogue's titles.

Scale: a commune has a handful of clubs, a province ~1,000, the nation ~20,000. The
documents meant to be signed (DOCX, HTML, Markdown) show per-club tables (the club list,
section III by club, the annexes) only up to `PER_CLUB_LIMIT` clubs; above it they carry
`club_summary` instead: a short note pointing to the merged workbook and the XLSX report,
and tables of counts that do not grow with the number of clubs. Lists in running text
(clubs missing, new clubs, excluded files) name at most `LIST_LIMIT` items and then
"và N … khác". The XLSX report (`clubs_all`, `club_list_all`: one row per club) and the
JSON payload keep everything.

Vocabulary: CLB = câu lạc bộ (club); NCT = người cao tuổi (older person); BCN = Ban chủ
nhiệm (a club's board); ND1…ND8 = the 8 activity contents; thôn = village; xã = commune.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...vnformat import NO_VALUE, short_date
from .awards import award_section
from .changes import payload_with_changes
from .clubs import club_section
from .common import HELD, LIST_LIMIT, MISSED, NO_SOURCE, PER_CLUB_LIMIT, age_head, age_words
from .direction import direction as direction_paragraphs
from .files import public_payload
from .funds import fund_section
from .general import general_paragraphs
from .header import DEFAULT_RECIPIENTS, SUBJECT, SUBJECT_LINES, frame, signing_date
from .indicators import CHART_LABELS, UNIT_WORDS, indicator_section
from .members import member_rows
from .model import (
    AwardLine,
    ChartBar,
    ClubRow,
    ClubSummary,
    FundLine,
    Header,
    IndicatorRow,
    ListedClub,
    ReportContext,
    Row,
    Signature,
    TallyRow,
)
from .no_commune import no_commune_texts
from .results import outreach_note, results_paragraphs
from .shortcomings import shortcomings
from .source import read_source

if TYPE_CHECKING:
    from ...indicators import IndicatorResult
    from ...model import Commune
    from ...validation import ValidationReport

__all__ = [
    "CHART_LABELS", "DEFAULT_RECIPIENTS", "HELD", "LIST_LIMIT", "MISSED", "NO_SOURCE", "NO_VALUE",
    "PER_CLUB_LIMIT", "SUBJECT", "SUBJECT_LINES", "UNIT_WORDS", "AwardLine", "ChartBar",
    "ClubRow",
    "ClubSummary", "FundLine", "Header", "IndicatorRow", "ListedClub", "ReportContext", "Row",
    "Signature", "TallyRow", "age_head", "age_words", "build_context", "signing_date",
]


# long: one keyword a field of ReportContext, and the docstring of every option
def build_context(result: IndicatorResult, commune: Commune | None, year: int | None = None,
                  date: dt.date | None = None, *, validation: ValidationReport | None = None,
                  direction: Sequence[str] | None = None,
                  per_club_limit: int | None = None,
                  today: dt.date | None = None,
                  previous: IndicatorResult | None = None,
                  payload: bool = True) -> ReportContext:
    """Turn the indicator result into display-ready values for every renderer.

    `commune` gives the document's head and signature (issuing body, number, signer,
    recipients); `date` is the report's signing date (default: see `signing_date`;
    `today` defaults to the clock); `validation`, when given,
    names the errors of excluded files (titles only); `direction` replaces the generated
    paragraphs of section VII (phương hướng). Above `per_club_limit` clubs (default
    `PER_CLUB_LIMIT`) the documents show `club_summary` instead of per-club tables.

    `previous`: the same commune's result for the year before (ValueError for another
    year). Section II's table then gets a "So với năm trước" column (`IndicatorRow.change`,
    `previous_year`), its summary a sentence, the JSON `previous_year` and each
    indicator's `change`; without it, the context is exactly as before.

    `payload=False` leaves `ReportContext.payload` empty: only the JSON and XLSX formats
    read it (every club's figures: for 1,000 clubs a tenth of a second to build, 2 MB to
    hand to the report worker).
    """
    src = read_source(result, commune, year, validation, per_club_limit, today, previous)
    date, date_warnings = signing_date(src.year, date, src.as_of, src.today)
    head = frame(src, date)
    ind = indicator_section(src)
    clubs = club_section(src)
    no_commune, no_commune_short = no_commune_texts(src, ind.rows)
    funds = fund_section(src.totals)
    awards = award_section(src)
    detailed = clubs.detailed
    data = public_payload(result, src.excluded, src.not_counted) if payload else {}
    if previous is not None and payload:
        data = payload_with_changes(data, previous.year, ind.changes,
                                    [v.id for v in result.indicators])
    return ReportContext(
        year=src.year, date=short_date(date), as_of=short_date(src.as_of),
        commune=src.commune_name, province=src.province, phase=src.phase.title,
        plan_title=src.plan.title, header=head.header, intro=head.intro,
        general=general_paragraphs(src, ind.rows, no_commune),
        club_list=clubs.listed if detailed else [],
        member_rows=member_rows(src.totals.people, src.plan), indicators=ind.rows,
        indicator_summary=ind.summary, chart=ind.chart, chart_caption=ind.chart_caption,
        clubs=clubs.rows if detailed else [], age_heads=clubs.age_heads,
        content_heads=clubs.content_heads, content_legend=clubs.content_legend,
        criterion_heads=clubs.criterion_heads, criterion_legend=clubs.criterion_legend,
        source_heads=clubs.source_heads, results_text=results_paragraphs(src, ind.rows),
        outreach_note=outreach_note(ind.rows),
        fund_rows=funds.rows, fund_raw=funds.raw, source_rows=funds.sources,
        fund_lines=clubs.fund_lines, funds_text=funds.text,
        awards=awards.lines, award_text=awards.text,
        shortcomings=shortcomings(src, ind.rows, clubs.rows, clubs.summary, no_commune_short),
        direction=list(direction) if direction else direction_paragraphs(src, ind.rows),
        signature=head.signature, recipients=head.recipients, annex_note=head.annex_note,
        issuer_name=head.issuer_name,
        payload=data,
        excluded_count=len(src.excluded), club_summary=clubs.summary, clubs_all=clubs.rows,
        club_list_all=clubs.listed, warnings=[*result.warnings, *date_warnings],
        previous_year=previous.year if previous is not None else None,
    )
