"""Above the per-club limit: counts of clubs instead of a row per club.

Tables of a fixed size, whatever the number of clubs. Only counts of what the result says
of each club (months met, contents held, criteria met); the definitions stay in the
indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ... import schema as S
from .common import FAULTY, NOT_SENT, REPORTED, content_name, count, criteria, share
from .model import ClubRow, ClubSummary, ListedClub, Row, TallyRow
from .source import Source

if TYPE_CHECKING:
    from ...indicators.figures import ClubFigures


@dataclass(slots=True)
class _Tallies:
    """Clubs by month required / held, by content held, by criterion met / failed."""

    required: list[int] = field(default_factory=lambda: [0] * 13)
    held: list[int] = field(default_factory=lambda: [0] * 13)
    contents: dict[str, int] = field(default_factory=lambda: dict.fromkeys(S.CONTENT_CODES, 0))
    met: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)

    def add(self, f: ClubFigures, criterion_ids: list[str]) -> None:
        done = set(f.months_met)
        for mo in f.months_required:
            self.required[mo] += 1
            self.held[mo] += mo in done
        for code in f.contents_held:
            if code in self.contents:
                self.contents[code] += 1
        for cid in criterion_ids:
            v = f.criteria.get(cid)
            if v is True:
                self.met[cid] += 1
            elif v is False:
                self.failed[cid] += 1


def club_summary(src: Source, club_list: list[ListedClub], clubs: list[ClubRow]) -> ClubSummary:
    """Counts of clubs for the documents, in place of the club list and per-club tables."""
    crit = criteria(src.plan)
    ids = [cid for cid, _ in crit]
    t = _Tallies(met=dict.fromkeys(ids, 0), failed=dict.fromkeys(ids, 0))
    for club in src.result.clubs:
        t.add(src.figures[club.club_id], ids)
    reported, listed = len(clubs), len(club_list)
    tot = src.totals
    note = (f"Số liệu chi tiết của từng câu lạc bộ ({count(reported)} câu lạc bộ đã báo cáo: "
            "sinh hoạt từng tháng, 08 nội dung, tập huấn, quỹ, tiêu chí đạt chuẩn, thành viên) "
            "không in trong báo cáo này mà có trong tệp tổng hợp (lệnh clubtool merge) và "
            "trong báo cáo dạng XLSX; các bảng dưới đây tổng hợp số câu lạc bộ theo từng nội "
            "dung.")
    list_note = (f"Danh sách {count(listed)} câu lạc bộ và tình trạng báo cáo của từng câu lạc "
                 "bộ có trong báo cáo dạng XLSX và tệp tổng hợp.")
    return ClubSummary(
        limit=src.limit, clubs=listed, reported=reported, note=note, list_note=list_note,
        states=_state_rows(club_list),
        months=[*(_tally(f"Tháng {mo}", t.held[mo], t.required[mo]) for mo in range(1, 13)),
                _tally("Sinh hoạt đủ các tháng phải sinh hoạt", tot.clubs_monthly, reported,
                       strong=True)],
        contents=[*(_tally(f"ND{i} {content_name(h)}", t.contents[code], reported)
                    for i, (code, h, _) in enumerate(S.CONTENTS, start=1)),
                  _tally("Thực hiện đủ 08 nội dung", tot.clubs_all_contents, reported,
                         strong=True),
                  _tally("Có nội dung chuyển đổi số, chuyển đổi xanh, khởi nghiệp, tạo "
                         "việc làm", tot.clubs_transformation, reported, strong=True)],
        training=_training_rows(src),
        criteria=[*(_tally(f"({i}) {desc}", t.met[cid], t.met[cid] + t.failed[cid],
                           failed_share=True) for i, (cid, desc) in enumerate(crit, start=1)),
                  _tally("Câu lạc bộ đạt chuẩn (đạt tất cả các tiêu chí)", tot.standard,
                         reported, failed_share=True, strong=True)],
    )


def _tally(label: str, yes: int, total: int, *, failed_share: bool = False,
           strong: bool = False) -> TallyRow:
    no = total - yes
    return TallyRow(label, count(yes), count(no), count(total),
                    share(no if failed_share else yes, total), strong, [yes, no, total])


def _state_rows(club_list: list[ListedClub]) -> list[Row]:
    """Clubs by reporting state, and "Cộng"."""
    states: dict[str, int] = {REPORTED: 0, NOT_SENT: 0, FAULTY: 0}
    for lc in club_list:
        states[lc.state] = states.get(lc.state, 0) + 1
    listed = len(club_list)
    rows = [Row(label, count(n), share(n, listed), n) for label, n in states.items()]
    rows.append(Row("Cộng", count(listed), "100%" if listed else "", listed, True))
    return rows


def _training_rows(src: Source) -> list[Row]:
    """Board training and outreach, totals."""
    tot = src.totals
    p = tot.people

    def row(label: str, n: int, share_text: str = "") -> Row:
        return Row(label, count(n), share_text, n)

    return [row("Thành viên Ban chủ nhiệm", p.board),
            row("Trong đó: được tập huấn đủ theo yêu cầu", p.board_trained,
                share(p.board_trained, p.board)),
            row("Lượt tập huấn ban đầu", tot.trainings.get(S.TRAINING_INITIAL, 0)),
            row("Lượt tập huấn nhắc lại", tot.trainings.get(S.TRAINING_REFRESHER, 0)),
            row("Buổi tuyên truyền do câu lạc bộ tổ chức", tot.outreach_sessions),
            row("Lượt người được tiếp cận trong các buổi đó", tot.outreach_reached)]
