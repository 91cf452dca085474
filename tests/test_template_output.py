"""The blank workbooks as their reader sees them (issue 16): each hint gives one example, and
every date column of both templates shows dd/mm/yyyy, read back from the saved file."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from clubtool import schema
from clubtool.schema import Kind, Layout
from clubtool.workbook import template as T

YEAR = 2027
DATE_FORMAT = "dd/mm/yyyy"  # written out: a change of T.DATE_FORMAT must fail here


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    club = T.club_workbook(year=YEAR, club_id="MH-01", club_name="CLB thôn Đông",
                           village="Thôn Đông", villages=["Thôn Đông", "Thôn Tây"])
    commune = T.commune_workbook(year=YEAR, commune="Mai Hoa", province="Hà Tĩnh")
    return {"club": T.save_workbook(club, folder / "club.xlsx"),
            "commune": T.save_workbook(commune, folder / "xa.xlsx")}


def _texts(path: Path) -> list[tuple[str, str]]:
    """Every text a person filling the workbook reads: cells, input messages, error
    messages of the drop-downs and date rules."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            out += [(f"{ws.title}!{c.coordinate}", c.value) for c in row
                    if isinstance(c.value, str)]
        for dv in ws.data_validations.dataValidation:
            out += [(f"{ws.title} {dv.sqref} {what}", text)
                    for what, text in (("prompt", dv.prompt), ("error", dv.error)) if text]
    return out


@pytest.mark.parametrize("kind", ["club", "commune"])
def test_no_text_of_a_template_gives_two_examples(saved: dict[str, Path], kind: str) -> None:
    texts = _texts(saved[kind])
    assert len(texts) > 50  # the reading found the hints
    twice = [(where, text) for where, text in texts
             if len(re.findall(r"ví dụ", text, re.IGNORECASE)) > 1]
    assert twice == []


def test_a_date_hint_gives_the_fields_own_example(saved: dict[str, Path]) -> None:
    info = schema.CLUB.sheet("info")
    founded = info.field("founded")
    assert founded.example and founded.example not in (founded.help or "")  # the case at hand
    hint = openpyxl.load_workbook(saved["club"])[info.name].cell(
        T.label_row(info, "founded"), 3).value
    assert hint.endswith(f"ví dụ {founded.example}.")
    assert hint.lower().count("ví dụ") == 1


def test_a_hint_without_an_example_gets_one_appended() -> None:
    name = schema.CLUB.sheet("members").field("name")
    assert T._hint(name) == f"{name.help} Ví dụ: {name.example}."
    village = schema.COMMUNE.sheet("villages").field("name")  # no example: help as it is
    assert T._hint(village) == village.help


def _date_fields() -> list[tuple[str, schema.Sheet, int, schema.Field]]:
    out = []
    for kind, wschema in (("club", schema.CLUB), ("commune", schema.COMMUNE)):
        for sheet in wschema.sheets:
            for i, f in enumerate(sheet.fields, start=1):
                if f.kind is Kind.DATE:
                    out.append((kind, sheet, i, f))
    return out


DATE_FIELDS = _date_fields()


def test_the_schema_has_date_columns_in_lists_and_labels() -> None:
    layouts = {sheet.layout for _, sheet, _, _ in DATE_FIELDS}
    assert layouts == {Layout.TABLE, Layout.LABELS} and len(DATE_FIELDS) >= 9


@pytest.mark.parametrize(("kind", "sheet", "index", "field"), DATE_FIELDS,
                         ids=[f"{s.name}-{f.header}" for _, s, _, f in DATE_FIELDS])
def test_every_date_column_shows_day_month_year(saved: dict[str, Path], kind: str,
                                                sheet: schema.Sheet, index: int,
                                                field: schema.Field) -> None:
    ws = openpyxl.load_workbook(saved[kind])[sheet.name]
    if sheet.layout is Layout.LABELS:
        assert ws.cell(index, 2).number_format == DATE_FORMAT
        return
    # The column's style: what Excel and LibreOffice give a date typed into any empty cell
    # of the column, below the template's rows too.
    dim = ws.column_dimensions[get_column_letter(index)]
    assert dim.number_format == DATE_FORMAT
    assert dim.min <= index <= dim.max


def test_the_same_template_is_the_same_bytes(tmp_path: Path) -> None:
    """openpyxl's save stamps the clock (document date, zip entries): a template is dated
    1 January of its year instead, so writing it again gives the same file."""
    import time
    import zipfile

    first = T.save_workbook(T.club_workbook(year=2027, club_id="MH-01"), tmp_path / "a.xlsx")
    time.sleep(1.1)  # a second later: another stamp, if the clock were written
    second = T.save_workbook(T.club_workbook(year=2027, club_id="MH-01"), tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    props = openpyxl.load_workbook(first).properties
    assert (props.created.year, props.modified.month, props.modified.day) == (2027, 1, 1)
    with zipfile.ZipFile(first) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
