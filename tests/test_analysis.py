"""pandas frames for analysts: the validated records, the indicators (clubtool.analysis)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from clubtool import schema as S
from clubtool.analysis import RECORD_KINDS, indicators_frame, records_frame
from clubtool.indicators import compute_indicators
from clubtool.validation import ValidationReport, validate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
YEAR = 2027


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    return validate([SAMPLE], year=YEAR)


def test_members_one_row_each_with_club_file_and_schema_keys(report: ValidationReport) -> None:
    frame = report.to_pandas("members")
    keys = [f.key for f in S.MEMBERS.fields]
    assert list(frame.columns) == ["file", "club_id", "row", *keys]
    clubs = report.valid_clubs()
    assert len(frame) == sum(len(c.members) for c in clubs)
    first, m = frame.iloc[0], clubs[0].members[0]
    assert (first["file"], first["club_id"], first["row"]) == (clubs[0].path, clubs[0].info.club_id,
                                                              m.row)
    assert first["name"] == m.name and first["birth_year"] == m.birth_year
    assert first["joined"] == pd.Timestamp(m.joined)
    assert frame.groupby("club_id", sort=False).size().to_dict() == {
        c.info.club_id: len(c.members) for c in clubs}


def test_columns_are_typed_by_the_schema(report: ValidationReport) -> None:
    members = report.to_pandas("members")
    assert str(members["row"].dtype) == "Int64" and str(members["birth_year"].dtype) == "Int64"
    assert members["joined"].dtype == "datetime64[ns]"
    assert members["left"].isna().any() and not members["left"].isna().all()  # empty: NaT
    assert members["health_check"].dtype == bool and members["name"].dtype == object
    fund = report.to_pandas("fund")
    assert fund["amount"].dtype == "float64" and fund["amount"].notna().all()
    clubs = report.to_pandas("clubs")
    assert str(clubs["year"].dtype) == "Int64" and (clubs["year"] == YEAR).all()


def test_clubs_and_commune_sheets(report: ValidationReport) -> None:
    clubs = report.to_pandas("clubs")
    assert list(clubs.columns) == ["file", *(f.key for f in S.CLUB_INFO.fields)]
    assert clubs["club_id"].tolist() == [c.info.club_id for c in report.valid_clubs()]
    communes = report.to_pandas("communes")
    assert communes["commune"].tolist() == ["Mai Hoa"]
    assert report.usable_commune is not None
    villages = report.to_pandas("villages")
    assert list(villages.columns) == ["file", "commune", "row", *(f.key for f in S.VILLAGES.fields)]
    assert villages["name"].tolist() == [v.name for v in report.usable_commune.villages]
    registry = report.to_pandas("registry")
    assert registry["club_id"].tolist() == [r.club_id for r in report.usable_commune.registry]


def test_every_kind_and_every_workbook(report: ValidationReport) -> None:
    for kind in RECORD_KINDS:
        counted = records_frame(report, kind)
        everything = records_frame(report, kind, valid_only=False)
        assert list(counted.columns) == list(everything.columns)
        assert len(counted) <= len(everything)
    files = set(report.to_pandas("clubs", valid_only=False)["file"])
    wrong = {f.path for f in report.checked if f.kind == "club" and (f.errors or f.superseded_by)}
    assert wrong and wrong <= files  # errors and superseded copies too
    assert not wrong & set(report.to_pandas("clubs")["file"])


def test_to_pandas_is_records_frame(report: ValidationReport) -> None:
    pd.testing.assert_frame_equal(report.to_pandas("meetings"), records_frame(report, "meetings"))


def test_an_unknown_kind_lists_the_kinds(report: ValidationReport) -> None:
    with pytest.raises(ValueError, match="members.*villages"):
        report.to_pandas("thanh_vien")


def test_an_empty_report_gives_empty_typed_frames() -> None:
    empty = ValidationReport(year=YEAR)
    frame = empty.to_pandas("meetings")
    assert frame.empty and list(frame.columns)[:3] == ["file", "club_id", "row"]
    assert frame["date"].dtype == "datetime64[ns]"


def test_rows_not_kept_are_never_an_empty_frame() -> None:
    light = validate([SAMPLE], year=YEAR, keep_records=False)
    assert len(light.to_pandas("clubs")) == len(light.valid_clubs())
    with pytest.raises(RuntimeError):
        light.to_pandas("members")


def test_indicators_one_row_each(report: ValidationReport) -> None:
    result = compute_indicators(report.valid_clubs(), report.usable_commune, year=YEAR,
                                excluded=report.excluded())
    frame = indicators_frame(result)
    assert list(frame.columns) == [
        "province", "commune", "year", "id", "name", "unit", "numerator", "denominator",
        "value", "target_min", "target_max", "status", "commune_level", "cumulative"]
    assert frame["id"].tolist() == [v.id for v in result.indicators]
    for (_, row), v in zip(frame.iterrows(), result.indicators, strict=True):
        assert row["status"] == v.status and row["unit"] == v.unit
        assert (row["value"] == v.value) if v.value is not None else math.isnan(row["value"])
        assert (row["numerator"] == v.numerator) if v.numerator is not None \
            else pd.isna(row["numerator"])
        assert (row["denominator"] == v.denominator) if v.denominator is not None \
            else pd.isna(row["denominator"])
        if v.target is None:
            assert math.isnan(row["target_min"]) and math.isnan(row["target_max"])
        else:
            assert row["target_min"] == v.target.min
    assert (frame["commune"] == "Mai Hoa").all() and (frame["year"] == YEAR).all()
    assert str(frame["numerator"].dtype) == "Int64"
    both = indicators_frame([result, result])
    assert len(both) == 2 * len(frame)


def test_the_cli_never_imports_pandas() -> None:
    code = ("import sys\n"
            "import clubtool.cli, clubtool.analysis, clubtool.validation\n"
            "assert 'pandas' not in sys.modules, 'pandas imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
