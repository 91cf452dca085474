"""The process pool reads exactly what one process reads: same records, same issues, same
order, whatever the number of jobs (the parent reads batches too, workers send records
pickled in their compact form)."""

from __future__ import annotations

import gc
import shutil
from concurrent.futures import ProcessPoolExecutor

import pytest

from clubtool import sample
from clubtool.indicators import compute_indicators
from clubtool.validation import _WORKER_GC_THRESHOLD, POOL_THRESHOLD, _worker_init, validate

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
    assert {"enum", "type", "formula-no-value", "file-format", "duplicate-submission"} <= codes
    assert len(one.checked) == N + 2


def _threshold() -> tuple[int, int, int]:
    return gc.get_threshold()


def test_workers_collect_garbage_less_often():
    with ProcessPoolExecutor(1, initializer=_worker_init) as pool:
        assert pool.submit(_threshold).result() == _WORKER_GC_THRESHOLD
    assert gc.get_threshold() != _WORKER_GC_THRESHOLD  # the caller's own GC is left alone
