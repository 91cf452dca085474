"""The one rule of an active member (SPEC §4): `Member.active`, used by the checks
(attendance against members) and the indicators (every member count)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clubtool import model as M
from clubtool.indicators import default_plan
from clubtool.indicators.figures import Period, member_counts
from clubtool.validation.checks import active_members

D = dt.date
Y = 2027
START, AS_OF = D(Y, 1, 1), D(Y, 6, 30)


@pytest.mark.parametrize(("joined", "left", "active"), [
    (None, None, True),
    (None, D(Y - 1, 12, 31), False),  # left the day before 01/01
    (None, D(Y, 1, 1), True),  # left on 01/01: active in the year
    (None, D(Y, 3, 1), True),
    (None, D(Y + 1, 1, 1), True),
    (D(Y, 7, 1), None, False),  # joined the day after the as-of date
    (D(Y, 6, 30), None, True),  # joined on the as-of date
    (D(Y - 3, 1, 1), None, True),
    (D(Y, 1, 1), D(Y, 1, 1), True),
    (D(Y, 7, 1), D(Y - 1, 12, 31), False),  # both outside (a faulty row)
])
def test_member_active_at_the_boundaries(joined: dt.date | None, left: dt.date | None,
                                         active: bool) -> None:
    assert M.Member(row=2, joined=joined, left=left).active(START, AS_OF) is active


def _club(members: list[M.Member], year: int | None = Y) -> M.Club:
    return M.Club("MH-01.xlsx", M.ClubInfo(year=year), members)


def test_checks_use_the_year_and_as_of() -> None:
    ms = [M.Member(row=2, left=D(Y - 1, 12, 31)), M.Member(row=3, left=D(Y, 1, 1)),
          M.Member(row=4, joined=D(Y, 7, 1)), M.Member(row=5, joined=D(Y, 12, 31)),
          M.Member(row=6, joined=D(Y + 1, 1, 1))]
    assert [m.row for m in active_members(_club(ms), AS_OF)] == [3]
    assert [m.row for m in active_members(_club(ms))] == [3, 4, 5]  # as of 31/12
    assert active_members(_club(ms, year=None)) == ms  # no year: no rule to apply


days = st.one_of(st.none(), st.dates(min_value=D(Y - 2, 1, 1), max_value=D(Y + 1, 12, 31)))


@given(st.lists(st.tuples(days, days), max_size=12),
       st.dates(min_value=D(Y, 1, 1), max_value=D(Y, 12, 31)))
def test_checks_and_indicators_count_the_same_members(dates: list[tuple[dt.date | None, dt.date | None]],
                                                       as_of: dt.date) -> None:
    club = _club([M.Member(row=i + 2, joined=j, left=lf) for i, (j, lf) in enumerate(dates)])
    counted = member_counts(club, Period(Y, as_of), default_plan()).total
    assert len(active_members(club, as_of)) == counted
    assert counted == sum(m.active(D(Y, 1, 1), as_of) for m in club.members)
