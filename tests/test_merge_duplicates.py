"""`Nghi trùng`: `find_duplicates` against a naive pairwise reference, on generated clubs.

The search hashes rows first and checks exact keys only for the candidates; the reference
below compares every pair of rows, with the rule of docs/outputs.md#merge written plainly:
one person = same (province, commune) as compared, same normalised name, same birth year,
in two clubs or more (distinct (province, commune, code)).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from array import array
from itertools import combinations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clubtool.merge import _sheets as M
from clubtool.model import Club, ClubInfo, Member
from clubtool.text import fold, person_key
from clubtool.validation._across import place_key

# Writings that compare alike (case, spaces, NFD, a leading "Xã") and some that do not.
COMMUNES = ["Mai Hoa", "Xã Mai Hoa", "mai  hoa", "Kỳ Sơn", "ky son", None]
PROVINCES = ["Hà Tĩnh", "Tỉnh Hà Tĩnh", "Nghệ An", None]
NAMES = ["Nguyễn Thị Hoà", unicodedata.normalize("NFD", "nguyễn  thị HOÀ"), "Nguyễn Thị Hòa",
         "Lê Văn Tư", "LÊ VĂN TƯ", "Lê Văn Tu", "", None]
VILLAGES = ["Thôn Đông", "thôn đông", "Thon Dong", "Thôn Tây", "", None]
GENDERS = ["Nam", "Nữ", None]
YEARS = [1950, 1951, None]

days = st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31))
members = st.lists(st.builds(
    lambda name, year, gender, village, row, joined, left: Member(
        row=row, name=name, birth_year=year, gender=gender, village=village, joined=joined,
        left=left),
    st.sampled_from(NAMES), st.sampled_from(YEARS), st.sampled_from(GENDERS),
    st.sampled_from(VILLAGES), st.integers(2, 40), days, days), max_size=8)
clubs = st.lists(st.tuples(st.sampled_from(["MH-01", "MH-02", "KS-01", ""]),
                           st.sampled_from(COMMUNES), st.sampled_from(PROVINCES), members),
                 max_size=7)


def sources_of(specs: list[tuple[str, str | None, str | None, list[Member]]]) -> list[M.Source]:
    """One merged source per spec, in the order given (not sorted: the search must not rely
    on merge's order). A repeated (code, commune, province) is one club in two files."""
    out = []
    for n, (code, commune, province, people) in enumerate(specs):
        path = f"d/f{n}.xlsx"
        club = Club(path=path, info=ClubInfo(club_id=code or None, name=f"CLB {n}",
                                              commune=commune, province=province),
                    members=people)
        out.append(M.Source(path=path, display=f"f{n}.xlsx", kind="club", sha256="",
                            errors=0, warnings=0, club_id=code or None, year=2027,
                            status=M.MERGED, club=club))
    return out


def reference(sources: list[M.Source]) -> list[tuple[Any, ...]]:
    """Every pair of rows compared: what `find_duplicates` must give, as plain tuples."""
    rows = [(src, m) for src in sources for m in src.club.members  # type: ignore[union-attr]
            if m.name and m.birth_year is not None]

    def where(src: M.Source) -> tuple[str, str]:
        info = src.club.info  # type: ignore[union-attr]
        return place_key(info.province), place_key(info.commune)

    def club(src: M.Source) -> tuple[str, str, str]:
        return (*where(src), src.club.info.club_id or src.path)  # type: ignore[union-attr]

    def same(a: tuple[M.Source, Member], b: tuple[M.Source, Member]) -> bool:
        return (where(a[0]) == where(b[0]) and a[1].birth_year == b[1].birth_year
                and person_key(a[1].name or "") == person_key(b[1].name or ""))

    groups: list[list[tuple[M.Source, Member]]] = []
    for row in rows:
        home = next((g for g in groups if same(g[0], row)), None)
        if home is None:
            groups.append([row])
        else:
            home.append(row)
    out = []
    for g in groups:
        if len({club(s) for s, _ in g}) < 2:
            continue
        g.sort(key=lambda p: (p[0].club.info.club_id or "", p[0].display, p[1].row))  # type: ignore[union-attr]
        pairs = [(a, b) for a, b in combinations(g, 2) if club(a[0]) != club(b[0])]
        village = any(a[1].village and b[1].village and fold(a[1].village) == fold(b[1].village)
                      for a, b in pairs)
        gender = any(a[1].gender and a[1].gender == b[1].gender for a, b in pairs)
        first = g[0][0].club.info  # type: ignore[union-attr]
        key = (*where(g[0][0]), person_key(g[0][1].name or ""), g[0][1].birth_year)
        out.append(((key[0], key[1], -(int(village) + int(gender)), key[2], key[3]),
                    key, first.province, first.commune,
                    [place(s, m) for s, m in g], len({club(s) for s, _ in g}),
                    village, gender))
    out.sort(key=lambda t: t[0])
    return [t[1:] for t in out]


def place(src: M.Source, m: Member) -> tuple[Any, ...]:
    """A member row as a group lists it: file, row, and what the sheet shows of it."""
    return (src.path, m.row, m.name, m.birth_year, m.gender, m.village, m.joined, m.left)


def found(sources: list[M.Source], *, given: bool = False) -> list[tuple[Any, ...]]:
    """What `find_duplicates` finds, as plain tuples (`given`: each club's people passed in,
    as from the cache, rather than made from its members when asked: `MemberPeople`)."""
    people = [M.people_of(s.club.members) for s in sources] if given else None  # type: ignore[union-attr]
    return [(g.key, g.province, g.commune,
             [(s.path, p[M.P_ROW], p[M.P_NAME], p[M.P_YEAR], p[M.P_GENDER], p[M.P_VILLAGE],
               M._day(p[M.P_JOINED]), M._day(p[M.P_LEFT]))
              for s, p in ((s, M.place_person(ref)) for s, ref in g.places)],
             g.clubs, g.same_village, g.same_gender)
            for g in M.find_duplicates(sources, people)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clubs)
def test_find_duplicates_equals_the_pairwise_reference(specs: Any) -> None:
    sources = sources_of(specs)
    assert found(sources) == reference(sources)
    assert found(sources, given=True) == reference(sources)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(clubs)
def test_the_nations_path_equals_the_pairwise_reference(monkeypatch: pytest.MonkeyPatch,
                                                         specs: Any) -> None:
    """Past `SMALL` member rows the candidates are found in numpy arrays, not a dict."""
    monkeypatch.setattr(M, "SMALL", -1)
    sources = sources_of(specs)
    assert found(sources) == reference(sources)
    assert found(sources, given=True) == reference(sources)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(clubs)
def test_every_hash_colliding_gives_the_same_groups(monkeypatch: pytest.MonkeyPatch,
                                                    specs: Any) -> None:
    """The hashes only pick candidates: with every keyed row on one hash, the exact keys
    still decide (the collision path)."""
    real = M._hashes
    monkeypatch.setattr(M, "_hashes", lambda clubs: array("q", [7] * len(real(clubs))))
    sources = sources_of(specs)
    assert found(sources) == reference(sources)


def test_a_concrete_case_of_the_reference() -> None:
    """The reference itself can fail: two clubs of Mai Hoa share Hoà (written two ways), a
    third club of Kỳ Sơn has her too, and one club lists Tư twice (not a group)."""
    hoa = Member(row=5, name="Nguyễn Thị Hoà", birth_year=1950, gender="Nữ", village="Thôn Đông")
    hoa2 = Member(row=3, name="nguyễn thị HOÀ", birth_year=1950, gender="Nữ", village="thon dong")
    hoa3 = Member(row=4, name="Nguyễn Thị Hoà", birth_year=1950, gender="Nữ")
    tu = [Member(row=r, name="Lê Văn Tư", birth_year=1948) for r in (7, 8)]
    sources = sources_of([("MH-02", "Mai Hoa", "Hà Tĩnh", [hoa2]),
                          ("MH-01", "Xã Mai Hoa", "Hà Tĩnh", [hoa, *tu]),
                          ("KS-01", "Kỳ Sơn", "Hà Tĩnh", [hoa3])])
    got = found(sources)
    assert got == reference(sources)
    assert got == [(("ha tinh", "mai hoa", "nguyễn thị hoà", 1950), "Hà Tĩnh", "Xã Mai Hoa",
                    [place(sources[1], hoa), place(sources[0], hoa2)], 2, True, True)]
    assert M.find_duplicates([]) == [] and M.find_duplicates(sources[:1]) == []
