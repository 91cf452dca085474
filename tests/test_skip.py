"""`validate(skip=...)`: the checks across rows and sheets can be left out, by name."""

from __future__ import annotations

import datetime as dt
import inspect
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from clubtool.validation import CHECK_NAMES, validate
from clubtool.validation.checks import CLUB_CHECKS, COMMUNE_CHECKS, village_known

from .factories import changed, club_data, commune_data, write_club, write_commune

#: The check, and the issue code it makes in the folder below.
PLANTED = {
    "chair_matches": "chair-mismatch",
    "dates_in_year": "date-outside-year",
    "village_known": "unknown-village",
    "reached_within_target": "reached-exceeds-target",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("skip")
    club = changed(club_data(), "info", chair="Người Khác Hẳn", village="Thôn Xa")
    club = changed(club, "meetings", 0, date=dt.date(2026, 1, 10))
    write_club(d / "clb_mh-01.xlsx", club)
    commune = changed(commune_data(), "villages", 1, outreach_reached=400)
    write_commune(d / "xa_mai_hoa.xlsx", commune)
    return d


def codes(folder: Path, **kw: Any) -> Counter[str]:
    report = validate([folder], year=2027, **kw)
    return Counter(i.code for f in report.files for i in f.issues)


def test_the_folder_holds_each_planted_issue(folder: Path) -> None:
    found = codes(folder)
    assert all(found[code] == 1 for code in PLANTED.values()), found


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_skipped_check_says_nothing_and_the_others_stay(folder: Path, name: str) -> None:
    everything = codes(folder)
    without = codes(folder, skip=[name])
    assert without == everything - Counter({PLANTED[name]: 1})


def test_several_skipped_at_once_and_in_any_number_of_workers(folder: Path) -> None:
    everything = codes(folder)
    for jobs in (1, 2):
        left = codes(folder, skip=set(PLANTED), jobs=jobs)
        assert left == everything - Counter(PLANTED.values())
        assert not set(left) & set(PLANTED.values())


def test_one_name_alone_is_one_name(folder: Path) -> None:
    assert codes(folder, skip="chair_matches") == codes(folder, skip=["chair_matches"])


def test_an_unknown_name_raises_before_any_file_is_read(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as err:
        validate([tmp_path / "khong_co"], skip=["balances", "chair-mismatch", "nothing"])
    message = str(err.value)
    assert "'chair-mismatch'" in message and "'nothing'" in message
    assert "'balances'" not in message.split(" in skip")[0]  # a valid name is not unknown
    assert all(name in message for name in CHECK_NAMES)


def test_the_names_are_the_checks_and_validate_documents_each() -> None:
    checks = (*CLUB_CHECKS, *COMMUNE_CHECKS, village_known)
    assert CHECK_NAMES == tuple(c.__name__ for c in checks)
    assert len(set(CHECK_NAMES)) == len(CHECK_NAMES)
    doc = inspect.getdoc(validate) or ""
    assert all(f"\n    {name} " in doc for name in CHECK_NAMES), doc
