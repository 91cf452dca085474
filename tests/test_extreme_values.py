"""Absurd but valid numbers never crash a renderer (issue 18, point 4).

Every number and date field of the schema has plausible bounds: a value past them is a
`range` error at its cell whose message states the limit ("… đến 1.000.000.000.000").
Everything the validator lets through — values at those limits, long and odd texts, many
rows, sums past 2^53 — goes through merge (xlsx and csv), report (every format) and export
without an exception: exit codes 0 or 1, never 2.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import to_excel
from typer.testing import CliRunner

from clubtool import cli
from clubtool import model as M
from clubtool import schema as S
from clubtool.cli import app
from clubtool.indicators import compute_indicators
from clubtool.merge import _sheets as MS
from clubtool.merge import _writers as W
from clubtool.report import render_report
from clubtool.text import fold
from clubtool.validation import validate
from clubtool.workbook import template as T

from .factories import club_data, commune_data, write_club, write_commune

D = dt.date
Y = 2027
runner = CliRunner()
ALL_FORMATS = "docx,html,xlsx,md,json"
ENV = {"CLUBTOOL_JOBS": "1", "CLUBTOOL_FORMATS": ALL_FORMATS}

# The limits an officer expects (also read from the schema below, so that a drift shows).
MONEY_MAX = 10**12
MONEY_TEXT = "1.000.000.000.000"
AMOUNT_BOUND = f"lớn hơn 0 và không quá {MONEY_TEXT}"  # Số tiền (đồng): > 0
BALANCE_BOUND = f"từ 0 đến {MONEY_TEXT}"
ATTENDANCE_MAX = 10_000
PEOPLE_MAX = 1_000_000
STT_MAX = 100_000
DATE_MIN, DATE_MAX = D(1900, 1, 1), D(2099, 12, 31)
YEAR_MIN = 1990


def invoke(*args: object):
    cli.State.lang, cli.State.debug = None, False
    return runner.invoke(app, [str(a) for a in args], env=ENV)


def ran(result: Any, *codes: int) -> None:
    """The command ran to its end (no exception) and exited with one of `codes`."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.exception!r}\n{result.output}") from result.exception
    assert result.exit_code in codes, result.output


# --- the schema: every number and date has plausible bounds --------------------------------


def _fields() -> list[tuple[S.Sheet, S.Field]]:
    return [(sh, f) for ws in S.SCHEMAS for sh in ws.read_sheets for f in sh.fields]


def test_every_number_and_date_field_has_plausible_bounds():
    for sheet, f in _fields():
        where = f"{sheet.name}/{f.header}"
        if f.kind in (S.Kind.INTEGER, S.Kind.NUMBER, S.Kind.YEAR):
            assert f.minimum is not None and f.maximum is not None, where
            for bound in (f.minimum, f.maximum):
                assert bound == S.REPORT_YEAR or type(bound) in (int, float), where
        elif f.kind is S.Kind.DATE:
            assert (f.minimum, f.maximum) == (DATE_MIN, DATE_MAX), where
        else:
            assert f.minimum is None and f.maximum is None, where
    money = [S.CLUB_INFO.field("opening_activity"), S.CLUB_INFO.field("opening_income"),
             S.FUND.field("amount")]
    assert all(f.maximum == MONEY_MAX for f in money)
    assert S.MEETINGS.field("attendance").maximum == ATTENDANCE_MAX
    assert S.MEMBERS.field("stt").maximum == STT_MAX
    assert S.MEMBERS.field("birth_year").minimum == 1900  # SPEC §2, kept
    for f in (*S.VILLAGES.fields[1:], S.OUTREACH.field("reached")):
        assert (f.minimum, f.maximum) == (0, PEOPLE_MAX)
    # the template's date drop-downs warn past the same dates
    assert (T._FIRST_DATE, T._LAST_DATE) == (to_excel(S.DATE_MIN), to_excel(S.DATE_MAX))


# --- an absurd value is a `range` error at its cell, with the limit -----------------------

HUGE_GROUPED = "1" + ".000" * 134  # 10^402 written the Vietnamese way: past any float
HUGE_PLAIN = "1" + "0" * 400
HUGER_THAN_INT_PARSING = "1" + ".000" * 1500  # 4,501 digits: past Python's int() limit

CLUB_CASES = [
    # (sheet key, record index or None for the info sheet, field key, value, cell, limit)
    ("fund", 0, "amount", 10**20, "E2", AMOUNT_BOUND),
    ("fund", 0, "amount", "100.000.000.000.000.000.000đ", "E2", AMOUNT_BOUND),
    ("fund", 0, "amount", HUGE_GROUPED, "E2", AMOUNT_BOUND),
    ("fund", 0, "amount", HUGE_PLAIN, "E2", AMOUNT_BOUND),
    ("fund", 0, "amount", HUGER_THAN_INT_PARSING, "E2", AMOUNT_BOUND),
    ("fund", 0, "amount", 1e308, "E2", AMOUNT_BOUND),
    ("fund", 0, "amount", 1_000_000_000_000.5, "E2", AMOUNT_BOUND),
    ("fund", 0, "amount", 0, "E2", AMOUNT_BOUND),  # never "từ 0 đến …" for a 0 refused
    ("info", None, "opening_activity", 10**13, "B9", BALANCE_BOUND),
    ("info", None, "opening_income", "-" + HUGE_GROUPED, "B10", BALANCE_BOUND),
    ("info", None, "recognised_year", 3000, "B11", f"từ {YEAR_MIN} đến {Y}"),
    ("info", None, "founded", "01/01/0001", "B6", "từ 01/01/1900 đến 31/12/2099"),
    ("info", None, "prepared_on", D(9999, 12, 31), "B13", "từ 01/01/1900 đến 31/12/2099"),
    ("members", 0, "stt", 10**6, "A2", "từ 0 đến 100.000"),
    ("members", 0, "joined", "1899-12-31", "F2", "từ 01/01/1900 đến 31/12/2099"),
    ("members", 1, "left", 2958465, "G3", "từ 01/01/1900 đến 31/12/2099"),  # Excel's last date
    ("members", 0, "initial_training_year", 20270, "I2", f"từ {YEAR_MIN} đến {Y}"),
    ("meetings", 0, "attendance", 10**6, "B2", "từ 1 đến 10.000"),
    ("meetings", 0, "date", "15.06.1066", "A2", "từ 01/01/1900 đến 31/12/2099"),
    ("outreach", 0, "reached", 10**7, "D2", "từ 0 đến 1.000.000"),
    ("trainings", 0, "date", "31/12/9999", "A2", "từ 01/01/1900 đến 31/12/2099"),
]


def _put(data: dict[str, Any], sheet: str, index: int | None, key: str, value: Any) -> None:
    (data[sheet] if index is None else data[sheet][index])[key] = value


def _range_errors(report: Any) -> list[tuple[str | None, str | None, str]]:
    return [(i.sheet, i.cell, i.code) for f in report.files for i in f.issues if i.is_error]


@pytest.mark.parametrize(("sheet", "index", "key", "value", "cell", "limit"), CLUB_CASES,
                         ids=[f"{c[0]}-{c[2]}-{str(c[3])[:12]}" for c in CLUB_CASES])
def test_an_absurd_club_value_is_a_range_error_at_its_cell(tmp_path, sheet, index, key, value,
                                                          cell, limit):
    data = club_data()
    _put(data, sheet, index, key, value)
    report = validate([write_club(tmp_path / "clb.xlsx", data)], jobs=1)
    name = S.CLUB.sheet(sheet).name
    assert _range_errors(report) == [(name, cell, "range")]
    issue = next(i for i in report.files[0].issues if i.is_error)
    message = issue.message("vi")
    assert limit in message, message
    assert issue.column in message or issue.column[1:] in message


@pytest.mark.parametrize(("sheet", "key", "value", "cell", "limit"), [
    ("villages", "older_people", 10**7, "B2", "từ 0 đến 1.000.000"),
    ("villages", "outreach_target", HUGE_PLAIN, "C2", "từ 0 đến 1.000.000"),
    ("villages", "outreach_reached", PEOPLE_MAX + 1, "D2", "từ 0 đến 1.000.000"),
    ("officials", "trained_on", D(2100, 1, 1), "E2", "từ 01/01/1900 đến 31/12/2099"),
    ("registry", "founded", "01.01.1800", "D2", "từ 01/01/1900 đến 31/12/2099"),
    ("awards", "year", 2999, "A2", f"từ {YEAR_MIN} đến {Y}"),
])
def test_an_absurd_commune_value_is_a_range_error_at_its_cell(tmp_path, sheet, key, value,
                                                             cell, limit):
    data = commune_data()
    if sheet == "awards":
        data["awards"] = [{"year": 2026, "target": "Tập thể", "name": "CLB Thôn Đông"}]
    data[sheet][0][key] = value
    report = validate([write_commune(tmp_path / "xa.xlsx", data)], jobs=1)
    assert _range_errors(report) == [(S.COMMUNE.sheet(sheet).name, cell, "range")]
    message = next(i for i in report.files[0].issues if i.is_error).message("vi")
    assert limit in message, message


def test_the_range_message_in_english_groups_the_limit_the_english_way(tmp_path):
    data = club_data()
    data["fund"][0]["amount"] = 10**20
    report = validate([write_club(tmp_path / "clb.xlsx", data)], jobs=1)
    issue = next(i for i in report.files[0].issues if i.is_error)
    assert "greater than 0 and at most 1,000,000,000,000" in issue.message("en")
    assert "'100000000000000000000'" in issue.message("vi")  # the value as written


@pytest.mark.parametrize("amount", [10**20, HUGE_GROUPED], ids=["10^20", "10^402"])
def test_an_absurd_amount_leaves_one_club_out_and_every_command_still_writes(tmp_path, amount):
    """The issue's case: one club writes 10^20 đồng. Before, merge, report and export failed
    for everyone; now that club is left out for its `range` error (exit 1) and everything
    else is written."""
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    bad = club_data(club_id="MH-02", village="Thôn Tây")
    bad["fund"][2]["amount"] = amount
    write_club(d / "clb_tay.xlsx", bad)
    write_commune(d / "xa.xlsx", commune_data())

    res = invoke("validate", d, "--format", "json")
    ran(res, 1)
    payload = json.loads(res.output)
    issues = [i for f in payload["files"] for i in f["issues"] if i["severity"] == "error"]
    assert [(i["sheet"], i["cell"], i["code"]) for i in issues] == [("Quỹ", "E4", "range")]
    assert AMOUNT_BOUND in issues[0]["message"]

    merged = tmp_path / "tong_hop.xlsx"
    ran(invoke("merge", d, "--year", Y, "-o", merged), 1)
    wb = openpyxl.load_workbook(merged, read_only=True)
    clubs = [r[0] for r in wb["CLB"].iter_rows(min_row=2, values_only=True)]
    assert clubs == ["MH-01", MS.TOTAL_LABEL]
    ran(invoke("merge", d, "--year", Y, "-o", tmp_path / "csv", "--format", "csv"), 1)
    assert (tmp_path / "csv" / "CLB.csv").is_file()

    out = tmp_path / "bao_cao"
    ran(invoke("report", d, "--year", Y, "--format", ALL_FORMATS, "-o", out), 1)
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".html", ".json", ".json", ".md",
                                                       ".xlsx"]  # the report's and the summary
    report = json.loads((out / f"bao_cao_{Y}.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in report["excluded"]] == ["clb_tay.xlsx"]

    ran(invoke("export", "--data", d, "--out", tmp_path / "ket_qua", "--year", Y), 1)
    manifest = json.loads((tmp_path / "ket_qua" / str(Y) / "manifest.json").read_text("utf-8"))
    assert manifest["status"] == 1
    assert {f"bao_cao_{Y}.{ext}" for ext in ("docx", "html", "xlsx", "md", "json")} \
        <= set(manifest["outputs"])


# --- everything the validator lets through is rendered ---------------------------------------

LONG = 32_767  # Excel's limit of characters in a cell
ODD_TEXTS = [
    "=HYPERLINK(\"http://x\",\"bấm\")", "+84 912 345 678", "-", "@SUM(A1)", "=1+1",
    "a_x0001_b_x0007_c_x001B_d",  # control characters, as an .xlsx escapes them
    "👵🏽👴🏻 CLB 🎉", "نادي كبار السن", "מועדון", "x\u200by\u202ez", "Nữ\u0301",
    "{{ ctx }} {% if %} <b>&amp;</b> | ** _ #", "ÐÆng Thþ Lan",
]
_base_texts = st.one_of(
    st.sampled_from(ODD_TEXTS),
    st.sampled_from(ODD_TEXTS).map(lambda t: (t + " ") * (LONG // (len(t) + 1) - 1)),
    st.text(min_size=1, max_size=30).map(
        lambda s: "".join(ch for ch in s if ch >= " " and not 0xD800 <= ord(ch) < 0xE000) or "x"))
#: Most texts start with a control character (as an .xlsx escapes it), which XML forbids.
_texts = st.builds(lambda control, text: control + text,
                   st.sampled_from(["_x0001_", "_x001B_", "_x0000_", ""]), _base_texts)


def _label(text: str) -> str:
    """A label sheet's value the factory writes as text, not as a formula (the reader trims
    the space)."""
    return " " + text if text.startswith("=") else text


_label_texts = _texts.map(_label)
_money = st.one_of(st.sampled_from([MONEY_MAX, MONEY_MAX - 1, 1, 999_999_999_999]),
                   st.integers(1, MONEY_MAX))
_opening = st.one_of(st.sampled_from([MONEY_MAX, 5_000_000]), st.integers(5_000_000, MONEY_MAX))
_as_written = st.sampled_from(["number", "text"])


def _written(value: int, how: str) -> Any:
    return f"{value:,}".replace(",", ".") + "đ" if how == "text" else value


@st.composite
def extreme_club(draw: st.DrawFn, club_id: str, village: str) -> dict[str, Any]:
    """A valid club workbook with values at the limits of the schema (its income fund opens
    with at least the 5.000.000 đồng the factory's ledger lends out)."""
    data = club_data(club_id=club_id, village=village, members=draw(st.integers(5, 70)))
    info = data["info"]
    info.update(village=_label(village), name=draw(_label_texts), chair=data["members"][0]["name"],
                prepared_by=draw(_label_texts), founded=DATE_MIN, prepared_on=DATE_MAX,
                recognised_year=draw(st.sampled_from([YEAR_MIN, Y, None])),
                opening_activity=_written(draw(_opening), draw(_as_written)),
                opening_income=_written(draw(_opening), draw(_as_written)))
    for i, m in enumerate(data["members"]):
        m["stt"] = draw(st.sampled_from([STT_MAX, 0, i + 1]))
        m["joined"], m["left"] = DATE_MIN, draw(st.sampled_from([None, DATE_MAX]))
        m["birth_year"] = draw(st.sampled_from([1900, Y, m["birth_year"]]))
        if not m["role"]:
            m["name"] = f"{draw(_texts)[:200]} {i}"
        m["note"] = draw(st.none() | _texts)
        if m["role"]:
            m["initial_training_year"] = draw(st.sampled_from([YEAR_MIN, Y]))
    for mt in data["meetings"]:
        mt["attendance"] = draw(st.sampled_from([1, ATTENDANCE_MAX]))
        mt["summary"] = draw(_texts)
    data["meetings"][0]["date"], data["meetings"][-1]["date"] = D(Y, 1, 1), D(Y, 12, 31)
    for t in data["trainings"]:
        t["organiser"] = draw(_texts)
    data["outreach"] = [{"date": D(Y, 1, 1), "form": form, "content": draw(_texts),
                         "reached": draw(st.sampled_from([0, PEOPLE_MAX]))}
                        for form in S.OUTREACH_FORMS]
    receipts = draw(st.integers(0, 60))
    data["fund"] += [{"date": D(Y, 12, 31), "fund": S.FUNDS[n % 2], "direction": "Thu",
                      "source": S.FUND_SOURCES[n % len(S.FUND_SOURCES)],
                      "amount": _written(draw(_money), draw(_as_written)),
                      "description": draw(_texts)} for n in range(receipts)]
    return data


@st.composite
def extreme_folder(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    commune = commune_data()
    names = draw(st.lists(_texts.map(lambda t: t[:300]), min_size=2, max_size=2,
                          unique_by=fold))
    commune["villages"] = [{"name": n, "older_people": PEOPLE_MAX, "outreach_target": PEOPLE_MAX,
                            "outreach_reached": draw(st.sampled_from([0, PEOPLE_MAX]))}
                           for n in names]
    commune["registry"] = [{"club_id": f"MH-{n:02d}", "name": draw(_texts), "village": names[n % 2],
                            "founded": DATE_MIN, "dissolved": draw(st.sampled_from([None, DATE_MAX]))}
                           for n in range(1, 4)]
    commune["officials"][0].update(name=draw(_texts), trained_on=DATE_MIN)
    commune["awards"] = [{"year": draw(st.sampled_from([YEAR_MIN, Y])), "target": "Tập thể",
                          "name": draw(_texts), "form": draw(_texts), "level": "xã"}]
    commune["info"].update(issuer=draw(_label_texts), signer=draw(_label_texts),
                           signer_title=draw(_label_texts), doc_number=draw(_label_texts),
                           recipients=draw(_label_texts))
    clubs = [draw(extreme_club(f"MH-{n:02d}", names[n % 2])) for n in (1, 2)]
    return commune, clubs


def _run_everything(root: Path, commune: dict[str, Any], clubs: list[dict[str, Any]]) -> None:
    """validate (every workbook valid: the limits are inclusive), then every command."""
    d = root / "du_lieu"
    d.mkdir()
    write_commune(d / "xa.xlsx", commune)
    for c in clubs:
        write_club(d / f"clb_{c['info']['club_id']}.xlsx", c)
    ran(invoke("validate", d), 0)
    ran(invoke("indicators", d, "--year", Y, "--format", "json"), 0, 1)
    ran(invoke("merge", d, "--year", Y, "-o", root / "tong_hop.xlsx"), 0, 1)
    ran(invoke("merge", d, "--year", Y, "-o", root / "csv", "--format", "csv"), 0, 1)
    ran(invoke("report", d, "--year", Y, "--format", ALL_FORMATS, "-o", root / "bao_cao"), 0, 1)
    ran(invoke("export", "--data", d, "--out", root / "ket_qua", "--year", Y), 0, 1)
    assert (root / "ket_qua" / str(Y) / "manifest.json").is_file()


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(folder=extreme_folder())
def test_values_at_the_limits_never_crash_a_renderer(tmp_path_factory, folder):
    commune, clubs = folder
    _run_everything(tmp_path_factory.mktemp("limits"), commune, clubs)


def test_every_limit_at_once_in_a_long_ledger(tmp_path):
    """Both opening balances and 2,000 receipts at 10^12 đồng: a fund closes above 10^15
    (more digits than Excel keeps); every text as long as a cell holds; control characters."""
    commune = commune_data()
    commune["info"].update(issuer=ODD_TEXTS[5], recipients="\n".join(ODD_TEXTS[1:]))
    data = club_data()
    data["info"].update(opening_activity=MONEY_MAX, opening_income=MONEY_MAX,
                        name=" @" + "x" * (LONG - 2), founded=DATE_MIN, prepared_on=DATE_MAX)
    data["fund"] += [{"date": D(Y, 6, 1), "fund": S.FUNDS[n % 2], "direction": "Thu",
                      "source": "Xã hội hóa", "amount": MONEY_MAX - n % 7,
                      "description": ODD_TEXTS[n % len(ODD_TEXTS)]} for n in range(2000)]
    data["members"][7]["note"] = "\u202e" + "ع" * (LONG - 1)
    _run_everything(tmp_path, commune, [data])
    wb = openpyxl.load_workbook(tmp_path / "tong_hop.xlsx", read_only=True)
    rows = list(wb["CLB"].iter_rows(values_only=True))
    closing = rows[0].index(MS.CLOSING[S.FUND_ACTIVITY])
    # the factory's ledger: + 600.000 and − 300.000 in the activity fund
    exact = MONEY_MAX + sum(MONEY_MAX - n % 7 for n in range(0, 2000, 2)) + 600_000 - 300_000
    assert rows[1][closing] == f"{exact:,}".replace(",", ".")  # exact, as text: > 15 digits
    report = openpyxl.load_workbook(tmp_path / "bao_cao" / f"bao_cao_{Y}.xlsx")
    heights = [d.height for ws in report for d in ws.row_dimensions.values() if d.height]
    assert heights and max(heights) <= 409  # the tallest row Excel opens without a repair


# --- sums across many clubs stay exact -------------------------------------------------------


RECEIPTS = 5  # per club, each at the limit


def _club(n: int, amount: int) -> M.Club:
    info = M.ClubInfo(version=S.CLUB_TEMPLATE_VERSION, club_id=f"C-{n:05d}", name=f"CLB {n}",
                      village="Thôn Đông", year=Y, founded=D(2019, 5, 1), chair="A",
                      opening_activity=amount, opening_income=amount)
    members = [M.Member(row=2, name="A", gender="Nữ", birth_year=1950)]
    fund = [M.FundEntry(row=r, date=D(Y, 1, 5), fund=S.FUND_ACTIVITY, direction=S.RECEIPT,
                        source=S.MEMBER_CONTRIBUTION, amount=amount)
            for r in range(2, 2 + RECEIPTS)]
    return M.Club(f"c{n}.xlsx", info, members, [], [], [], fund)


def test_money_of_many_clubs_at_the_limit_adds_up_exactly(tmp_path):
    """2,000 clubs × 5 receipts of 999.999.999.999 đồng (+ 7): a sum of 17 digits, past 2^53
    (as 20,000 clubs × 10^12 would be) — where a float keeps 15 or 16. The JSON, the documents
    and the workbook show it exactly."""
    amount = MONEY_MAX - 1
    clubs = [_club(n, amount) for n in range(2_000)]
    clubs[0].fund[0].amount = amount + 7  # ...and not a round number
    result = compute_indicators(clubs, None, year=Y, as_of=D(Y, 12, 31))
    total = 2_000 * RECEIPTS * amount + 7
    assert total > 2**53
    funds = result.commune_figures()["funds"]
    assert funds["by_fund"][S.FUND_ACTIVITY]["receipts"] == total
    assert funds["receipts_by_source"] == {S.MEMBER_CONTRIBUTION: total}
    assert all(type(v) is int for v in funds["receipts_by_source"].values())

    paths = render_report(result, None, year=Y, formats=ALL_FORMATS, out_dir=tmp_path,
                          date=D(Y, 12, 31), per_club_limit=10)
    shown = f"{total:,}".replace(",", ".")  # 9.999.999.999.990.007
    for p in paths:
        if p.suffix in (".md", ".html"):
            assert shown in p.read_text(encoding="utf-8"), p.name
    payload = json.loads((tmp_path / f"bao_cao_{Y}.json").read_text(encoding="utf-8"))
    assert payload["commune_figures"]["funds"]["receipts_by_source"] == {S.MEMBER_CONTRIBUTION: total}
    wb = openpyxl.load_workbook(tmp_path / f"bao_cao_{Y}.xlsx", read_only=True)
    cells = {v for row in wb[S.FUND.name].iter_rows(values_only=True) for v in row}
    assert shown in cells  # as text: Excel would show 9,999,999,999,990,010
    assert RECEIPTS * amount in cells  # a club's receipts: an ordinary number


def test_merged_totals_past_excel_precision_are_exact_text(tmp_path):
    """The CLB sheet's totals row of 20,000 clubs: SUBTOTAL would compute in doubles (15
    digits): past 10^15 the exact total is written, as text."""
    cols = (MS.Column("Mã CLB"), MS.Column("Tiền", MS.Fmt.MONEY, total="sum"),
            MS.Column("Người", MS.Fmt.INT, total="sum"))
    amount = MONEY_MAX - 1
    rows = [[f"C{n}", amount + (7 if n == 0 else 0), 60] for n in range(20_000)]
    rows.append(["BIG", 2**63 + 1, 1])  # a cell past int64 and past 2^53
    out = tmp_path / "t.xlsx"
    sink = W.XlsxSink(out, created=dt.datetime(Y, 12, 31), title="t", row_limit=W.EXCEL_MAX_ROWS)
    sink.write(MS.SheetData("CLB", cols, iter(rows), totals=True))
    sink.close()
    wb = openpyxl.load_workbook(out, read_only=True)
    got = list(wb["CLB"].iter_rows(values_only=True))
    total = 20_000 * amount + 7 + 2**63 + 1
    assert got[1][1] == amount + 7  # an ordinary amount stays a number
    assert got[-2][1] == f"{2**63 + 1:,}".replace(",", ".")
    assert got[-1][:2] == (MS.TOTAL_LABEL, f"{total:,}".replace(",", "."))
    assert got[-1][2] == "=SUBTOTAL(9,C2:C20002)"  # a count that Excel adds exactly
