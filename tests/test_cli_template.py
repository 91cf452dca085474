"""`clubtool template club|commune` through the CLI."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from clubtool import schema
from clubtool.cli import app
from clubtool.workbook import template as T

runner = CliRunner()
YEAR = 2027


def run(*args: str) -> Any:
    return runner.invoke(app, ["template", *args])


def info_values(path: Path, wschema: schema.WorkbookSchema) -> dict[str, object]:
    sheet = wschema.sheet("info")
    ws = openpyxl.load_workbook(path)[sheet.name]
    return {f.key: ws.cell(r, 2).value for r, f in enumerate(sheet.fields, start=1)}


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_club_default_name_and_identity(in_tmp: Path) -> None:
    result = run("club", "--year", str(YEAR), "--club-id", "mh-01", "--club-name", "CLB thôn Đông",
                 "--village", "Thôn Đông")
    assert result.exit_code == 0, result.output
    path = in_tmp / f"mau_clb_MH-01_{YEAR}.xlsx"
    assert result.stdout.strip() == path.name
    values = info_values(path, schema.CLUB)
    assert values["club_id"] == "MH-01" and values["year"] == YEAR
    assert values["name"] == "CLB thôn Đông" and values["village"] == "Thôn Đông"
    assert values["version"] == schema.CLUB_TEMPLATE_VERSION
    assert openpyxl.load_workbook(path).sheetnames == [s.name for s in schema.CLUB.sheets]


def test_club_without_id_defaults_to_this_year(in_tmp: Path) -> None:
    year = dt.date.today().year
    if not schema.FIRST_PLAN_YEAR <= year <= schema.LAST_PLAN_YEAR:
        pytest.skip("today is outside the plan's years")
    result = run("club")
    assert result.exit_code == 0, result.output
    assert (in_tmp / f"mau_clb_moi_{year}.xlsx").is_file()


def test_commune_template(in_tmp: Path) -> None:
    result = run("commune", "--year", str(YEAR), "--commune", "Mai Hoa", "--province", "Hà Tĩnh")
    assert result.exit_code == 0, result.output
    path = in_tmp / f"mau_xa_{YEAR}.xlsx"
    assert result.stdout.strip() == path.name
    values = info_values(path, schema.COMMUNE)
    assert (values["commune"], values["province"], values["year"]) == ("Mai Hoa", "Hà Tĩnh", YEAR)
    assert openpyxl.load_workbook(path).sheetnames == [s.name for s in schema.COMMUNE.sheets]


def test_output_option_and_folder(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "mau.xlsx"
    result = run("club", "--year", str(YEAR), "-o", str(target))
    assert result.exit_code == 0 and target.is_file()
    result = run("commune", "--year", str(YEAR), "--output", str(tmp_path))
    assert result.exit_code == 0 and (tmp_path / f"mau_xa_{YEAR}.xlsx").is_file()


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "mau.xlsx"
    assert run("club", "--year", str(YEAR), "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    result = run("club", "--year", "2028", "-o", str(target))
    assert result.exit_code == 2
    assert "đã có" in result.stderr and "--force" in result.stderr
    assert result.stdout == ""
    assert target.read_bytes() == before
    result = run("club", "--year", "2028", "-o", str(target), "--force")
    assert result.exit_code == 0, result.output
    assert info_values(target, schema.CLUB)["year"] == 2028


def test_villages_from_commune_workbook(tmp_path: Path) -> None:
    commune = tmp_path / "xa.xlsx"
    wb = T.commune_workbook(year=YEAR)
    sheet = schema.COMMUNE.sheet("villages")
    T.fill_table(wb[sheet.name], sheet, [{"name": "Thôn Đông"}, {"name": "Thôn Tây"}])
    T.save_workbook(wb, commune)
    target = tmp_path / "clb.xlsx"
    result = run("club", "--year", str(YEAR), "--villages-from", str(commune), "-o", str(target))
    assert result.exit_code == 0, result.output
    info = schema.CLUB.sheet("info")
    ws = openpyxl.load_workbook(target)[info.name]
    coord = f"B{T.label_row(info, 'village')}"
    dv = next(dv for dv in ws.data_validations.dataValidation if coord in dv.sqref)
    assert dv.type == "list" and dv.formula1 == '"Thôn Đông,Thôn Tây"'


def test_villages_from_a_blank_commune_workbook_says_to_fill_its_village_sheet_first(
        in_tmp: Path) -> None:
    """The README's order: `template commune`, then `template club --villages-from` on the
    workbook just made, whose `Thôn` sheet is still empty."""
    made = run("commune", "--year", str(YEAR), "--commune", "Mai Hoa", "-o", "xa_mai_hoa.xlsx")
    assert made.exit_code == 0, made.output
    result = run("club", "--year", str(YEAR), "--club-id", "MH-01",
                 "--villages-from", "xa_mai_hoa.xlsx")
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "xa_mai_hoa.xlsx" in message
    assert "Hãy điền trang “Thôn” của tệp mẫu xã trước" in message
    assert "cột “Tên thôn”" in message and "chạy lại lệnh này" in message
    assert "Traceback" not in result.output
    assert not list(in_tmp.glob("mau_clb_*.xlsx"))


@pytest.mark.parametrize(("args", "message"), [
    (["--club-id", "MH 01"], "Mã CLB"),
    (["--year", "2040"], "2040"),
    (["--villages-from", "khong_co.xlsx"], "Không tìm thấy"),
    (["-o", "mau.xls"], ".xlsx"),
])
def test_bad_options_exit_2_with_a_vietnamese_message(in_tmp: Path, args: list[str],
                                                       message: str) -> None:
    result = run("club", "--year", str(YEAR), *args) if "--year" not in args else run("club", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not list(in_tmp.glob("*.xlsx"))


def test_help_is_vietnamese() -> None:
    assert "Làm mẫu" in run("--help").stdout
    assert "Ví dụ" in run("club", "--help").stdout
    assert "Ví dụ" in run("commune", "--help").stdout


def test_main_help_imports_neither_openpyxl_nor_pandas() -> None:
    code = ("import sys\n"
            "from typer.testing import CliRunner\n"
            "from clubtool.cli import app\n"
            "r = CliRunner().invoke(app, ['--help'])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in ('openpyxl', 'pandas') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_club_template_carries_the_commune_and_province_of_the_commune_workbook(tmp_path):
    # issue 12, point 1: a club identity is (province, commune, code); CLB-2027.1 has Xã, Tỉnh
    from clubtool import schema as S
    from clubtool.validation import validate

    from .factories import write_commune

    xa = write_commune(tmp_path / "xa.xlsx")
    out = tmp_path / "clb.xlsx"
    r = CliRunner().invoke(app, ["template", "club", "--year", "2027", "--club-id", "MH-09",
                                 "--villages-from", str(xa), "-o", str(out)])
    assert r.exit_code == 0, r.output
    loaded = validate([out]).files[0].loaded
    info = loaded.club.info
    assert (info.version, info.commune, info.province) == (S.CLUB_TEMPLATE_VERSION, "Mai Hoa",
                                                           "Hà Tĩnh")
    assert S.CLUB_TEMPLATE_VERSION == "CLB-2027.1"
