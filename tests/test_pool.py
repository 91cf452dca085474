"""The worker processes read exactly what one process reads: same records, same issues, same
order, whatever the number of jobs (workers send each file's records pickled in their compact
form; the process that runs validate() parses nothing: tests/test_isolation.py)."""

from __future__ import annotations

import gc
import shutil

import clubtool_sample as sample
import pytest

from clubtool.indicators import compute_indicators
from clubtool.validation import _WORKER_GC_THRESHOLD, POOL_THRESHOLD, _worker_init, validate
from clubtool.workbook.isolation import Failure, read_all

from .factories import set_cells

N = POOL_THRESHOLD + 13


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("pool")
    paths = sample.write_many(d, N, jobs=2)
    # a few faulty files among them, and one that is not a workbook at all
    set_cells(paths[3], {"Thành viên": {"C2": "Gái"}})
    set_cells(paths[17], {"Sinh hoạt": {"A2": "31/02/2027"}, "Thành viên": {"E3": "=1+1"}})
    (d / "clb_khong_phai.xlsx").write_bytes(b"not a zip")
    shutil.copy(paths[5], d / "clb_ban_sao.xlsx")  # a duplicate submission
    return d


def test_pool_and_one_process_agree(folder):
    one = validate([folder], jobs=1)
    for jobs in (2, 3):
        many = validate([folder], jobs=jobs)
        assert many.to_dict("vi") == one.to_dict("vi")
        assert [f.loaded.club for f in many.checked] == [f.loaded.club for f in one.checked]
        a = compute_indicators(one.valid_clubs(), None, year=2027).to_dict()
        b = compute_indicators(many.valid_clubs(), None, year=2027).to_dict()
        assert a == b
    codes = {i.code for f in one.checked for i in f.issues}
    assert {"enum", "type", "formula-no-value", "file-format", "duplicate-file"} <= codes
    assert len(one.checked) == N + 2


def _threshold(_: str) -> tuple[int, int, int]:
    return gc.get_threshold()


def _lost(_: str, why: Failure) -> Failure:
    return why


def test_workers_collect_garbage_less_often():
    got = read_all(_threshold, ["a.xlsx"], jobs=1, failed=_lost, init=_worker_init)
    assert got == [_WORKER_GC_THRESHOLD]
    assert gc.get_threshold() != _WORKER_GC_THRESHOLD  # the caller's own GC is left alone


# --- figures computed where the clubs are read; rows not kept --------------------------------


def test_figures_computed_while_reading_are_those_computed_after(folder):
    import datetime as dt

    from clubtool.job import figures_for, indicators_for

    as_of = dt.date(2027, 12, 31)
    full = validate([folder], jobs=1, year=2027)
    expected = indicators_for(full, year=2027, as_of=as_of).to_dict()
    for jobs in (1, 2):
        light = validate([folder], jobs=jobs, year=2027, keep_records=False,
                         summarise=figures_for(year=2027, as_of=as_of))
        assert light.to_dict("vi") == full.to_dict("vi")
        assert indicators_for(light, year=2027, as_of=as_of).to_dict() == expected


def test_figures_for_another_period_are_not_used(folder):
    import datetime as dt

    from clubtool.job import figures_for, indicators_for

    june, december = dt.date(2027, 6, 30), dt.date(2027, 12, 31)
    report = validate([folder], jobs=2, year=2027, summarise=figures_for(year=2027, as_of=june))
    got = indicators_for(report, year=2027, as_of=december).to_dict()
    assert got == indicators_for(validate([folder], jobs=1, year=2027), year=2027,
                                 as_of=december).to_dict()
    assert got != indicators_for(report, year=2027, as_of=june).to_dict()
    light = validate([folder], jobs=2, year=2027, keep_records=False,
                     summarise=figures_for(year=2027, as_of=june))
    with pytest.raises(RuntimeError, match="không được giữ lại"):
        indicators_for(light, year=2027, as_of=december)  # the rows would be needed: never zeros


def test_rows_not_kept_say_so_instead_of_counting_zero():
    from clubtool.model import Club, ClubInfo, RowsNotKept, SheetLayout, without_rows

    club = Club("a.xlsx", ClubInfo(club_id="MH-01"), layouts={"members": SheetLayout("Thành viên")})
    light = without_rows(club)
    assert light.info is club.info and light.layouts == club.layouts
    assert light.members == RowsNotKept("Thành viên")
    for use in (len, list, bool, lambda rows: rows[0]):
        with pytest.raises(RuntimeError, match="Thành viên"):
            use(light.members)
