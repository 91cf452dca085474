"""The clubs: a row per reported club (section III and the annexes), the criteria a club
failed with its own figure, the club list of section I and the annex of funds.

Each row reads the club's typed `ClubFigures`; its `raw` keeps the same figures
unformatted for spreadsheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ... import schema as S
from ...indicators.figures import age_labels
from ...vnformat import NO_VALUE, money, short_date
from .common import (
    FAULTY,
    HELD,
    MISSED,
    NO_SOURCE,
    NOT_SENT,
    REPORTED,
    age_head,
    content_heads,
    content_name,
    count,
    criteria,
    mark,
    one_decimal,
    pct,
)
from .model import ClubRow, ClubSummary, FundLine, ListedClub
from .source import Source
from .summary import club_summary

if TYPE_CHECKING:
    from ...indicators import ClubResult
    from ...indicators.figures import ClubFigures

@dataclass(frozen=True, slots=True)
class ClubSection:
    """Every per-club table, and what replaces them above the per-club limit."""

    rows: list[ClubRow]  # every reported club
    listed: list[ListedClub]  # every club expected to report (the club list)
    summary: ClubSummary | None  # above the per-club limit: counts of clubs instead
    fund_lines: list[FundLine]  # the annex of funds (empty above the limit)
    age_heads: list[str]
    content_heads: list[str]
    content_legend: list[str]
    criterion_heads: list[str]
    criterion_legend: list[str]
    source_heads: list[str]

    @property
    def detailed(self) -> bool:
        return self.summary is None


def club_section(src: Source) -> ClubSection:
    rows = club_rows(src)
    listed = club_list(src, rows)
    # The club list holds every reported club and every missing one: past the limit, the
    # documents show counts instead of a row per club.
    detailed = len(listed) <= src.limit
    crit = criteria(src.plan)
    return ClubSection(
        rows=rows, listed=listed,
        summary=None if detailed else club_summary(src, listed, rows),
        fund_lines=fund_lines(rows) if detailed else [],
        age_heads=[age_head(a) for a in age_labels(src.plan.age_bands)],
        content_heads=content_heads(),
        content_legend=[f"ND{i}: {content_name(h)}" for i, (_, h, _) in
                        enumerate(S.CONTENTS, start=1)],
        criterion_heads=[f"({i})" for i in range(1, len(crit) + 1)],
        criterion_legend=[f"({i}) {desc}" for i, (_, desc) in enumerate(crit, start=1)],
        source_heads=[s or NO_SOURCE for s in source_keys(src.figures.values())],
    )


def source_keys(figures: Iterable[ClubFigures]) -> list[str]:
    """The fund sources in the schema's order, plus "" (no source written) when any."""
    blank = any(f.receipts_by_source.get("") for f in figures)
    return [*S.FUND_SOURCES, *([""] if blank else [])]


def club_rows(src: Source) -> list[ClubRow]:
    """A row per reported club, in the result's order (by club code)."""
    crit = criteria(src.plan)
    sources = source_keys(src.figures.values())
    labels = age_labels(src.plan.age_bands)
    return [_club_row(no, club, src.figures[club.club_id], crit, sources, labels)
            for no, club in enumerate(src.result.clubs, start=1)]


def _received(f: ClubFigures, source: str) -> float:
    return f.receipts_by_source.get(source) or 0


def _raw(f: ClubFigures, sources: list[str], labels: tuple[str, ...]) -> dict[str, Any]:
    """The club's figures unformatted, keyed as the row's fields."""
    p = f.people
    return {
        "founded": f.founded,
        "members": p.total, "men": p.by_sex.get("Nam", 0), "women": p.by_sex.get("Nữ", 0),
        "ages": [p.by_age.get(label, 0) for label in labels], "older": p.older,
        "female_older": p.female_older, "female_older_share": f.female_older_share,
        "poor": p.hardship.get("Nghèo", 0), "near_poor": p.hardship.get("Cận nghèo", 0),
        "disability": p.disability, "lonely": p.lonely, "board": p.board,
        "board_trained": p.board_trained, "sessions": f.sessions,
        "average_attendance": f.average_attendance,
        "trainings_initial": f.trainings.get(S.TRAINING_INITIAL, 0),
        "trainings_refresher": f.trainings.get(S.TRAINING_REFRESHER, 0),
        "outreach_sessions": f.outreach_sessions, "outreach_reached": f.outreach_reached,
        "funds": [[fund, f.funds[fund].opening, f.funds[fund].receipts,
                   f.funds[fund].payments, f.funds[fund].closing] for fund in S.FUNDS],
        "receipts": sum(f.funds[fund].receipts for fund in S.FUNDS),
        "contribution": _received(f, S.MEMBER_CONTRIBUTION),
        "by_source": [_received(f, s) for s in sources],
    }


def _club_row(no: int, club: ClubResult, f: ClubFigures, crit: list[tuple[str, str]],
              sources: list[str], labels: tuple[str, ...]) -> ClubRow:
    raw = _raw(f, sources, labels)
    required, met = set(f.months_required), set(f.months_met)
    held = set(f.contents_held)
    return ClubRow(
        no=no, code=club.club_id, name=club.name or "", village=club.village or "",
        founded=short_date(f.founded), members=count(raw["members"]), men=count(raw["men"]),
        women=count(raw["women"]), ages=[count(n) for n in raw["ages"]],
        older=count(raw["older"]), female_older=count(raw["female_older"]),
        female_older_share=pct(raw["female_older_share"]), poor=count(raw["poor"]),
        near_poor=count(raw["near_poor"]), disability=count(raw["disability"]),
        lonely=count(raw["lonely"]), board=count(raw["board"]),
        board_trained=count(raw["board_trained"]),
        months=[HELD if mo in met else (MISSED if mo in required else "")
                for mo in range(1, 13)],
        months_text=f"{len(met & required)}/{len(required)}",
        sessions=count(raw["sessions"]),
        average_attendance=one_decimal(raw["average_attendance"]),
        contents=[mark(c in held) for c in S.CONTENT_CODES],
        contents_text=f"{len(held)}/{len(S.CONTENT_CODES)}",
        transformation=mark(f.transformation),
        trainings_initial=count(raw["trainings_initial"]),
        trainings_refresher=count(raw["trainings_refresher"]),
        outreach_sessions=count(raw["outreach_sessions"]),
        outreach_reached=count(raw["outreach_reached"]),
        funds=[[name, *(money(x) for x in amounts)] for name, *amounts in raw["funds"]],
        closing_activity=money(f.funds[S.FUND_ACTIVITY].closing),
        closing_income=money(f.funds[S.FUND_INCOME].closing),
        receipts=money(raw["receipts"]), contribution=money(raw["contribution"]),
        by_source=[money(x) for x in raw["by_source"]],
        criteria=[HELD if f.criteria.get(cid) else MISSED for cid, _ in crit],
        standard="Đạt" if club.dat_chuan else "Chưa đạt",
        failed=[f"{desc}{criterion_detail(cid, f)}" for cid, desc in crit
                if f.criteria.get(cid) is False],
        raw=raw,
    )


def criterion_detail(cid: str, f: ClubFigures) -> str:
    """The club's own figure beside a failed criterion: "(45,1%)", "(thiếu tháng 10)"."""
    p = f.people
    if cid == "so_thanh_vien":
        return f" (có {count(p.total)} thành viên)"
    if cid in ("nct", "nu", "nu_nct"):
        value = {"nct": f.older_share, "nu": f.women_share, "nu_nct": f.female_older_share}[cid]
        return f" (đạt {pct(value)})" if value is not None else ""
    if cid == "sinh_hoat_hang_thang":
        met = set(f.months_met)
        missed = [m for m in f.months_required if m not in met]
        return f" (không sinh hoạt tháng {', '.join(map(str, missed))})" if missed else ""
    if cid == "du_8_noi_dung":
        held = set(f.contents_held)
        missing = [f"ND{i} {content_name(h)}" for i, (code, h, _) in
                   enumerate(S.CONTENTS, start=1) if code not in held]
        return f" (chưa thực hiện {', '.join(missing)})" if missing else ""
    if cid == "bcn_tap_huan":
        if not p.board:
            return " (chưa có Ban chủ nhiệm)"
        return f" ({p.board_trained}/{p.board} thành viên Ban chủ nhiệm)"
    if cid == "quy":
        parts = [f"quỹ {fund.lower()} {money(f.funds[fund].closing)} đồng" for fund in S.FUNDS]
        return f" (số dư cuối kỳ: {'; '.join(parts)})"
    return ""


def club_list(src: Source, rows: list[ClubRow]) -> list[ListedClub]:
    """Section I's club list: the reported clubs and the missing ones, by code."""
    listed: dict[str, ListedClub] = {}
    for c in rows:
        listed[c.code] = ListedClub(0, c.code, c.name, c.village, c.founded, c.members,
                                    REPORTED, founded_date=c.raw["founded"])
    for code in src.result.missing:
        k = src.result.known_club(code)
        listed[code] = ListedClub(
            0, code, (k.name if k is not None and k.name else ""),
            (k.village if k is not None and k.village else ""),
            short_date(k.founded) if k is not None and k.founded else "", NO_VALUE,
            FAULTY if code in src.excluded_codes else NOT_SENT,
            founded_date=k.founded if k is not None else None)
    out = [listed[k] for k in sorted(listed)]
    for i, r in enumerate(out, start=1):
        r.no = i
    return out


def fund_lines(rows: list[ClubRow]) -> list[FundLine]:
    """The annex of funds: a line per fund of each club, the code on the first only."""
    return [FundLine(c.code, f[0], f[1], f[2], f[3], f[4], first=(i == 0))
            for c in rows for i, f in enumerate(c.funds)]
