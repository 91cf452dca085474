"""XLSX: the roll-up as a workbook — the province's indicators, every commune (sortable:
autofilter, frozen panes, statuses coloured by conditional formats), each province (the
nation), the members, the communes missing and the files left out.

Laid out with the annual workbook's sheet helper and formats (`report.formats.xlsx`):
figures as numbers with number formats, every string written as a string (a name starting
with "=" stays text), A4 landscape pages. Deterministic: fixed properties and zip
timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from .. import schema as S
from ..report.formats import normalise_zip
from ..report.formats.xlsx import FONT, _formats, _Sheet, document_workbook
from .document import PlaceRow, RollupDocument

COMMUNE = S.CLUB_INFO.field("commune").header
PROVINCE = S.CLUB_INFO.field("province").header

#: Status words → fill and font colours of the conditional formats.
STATUS_COLOURS = {"Đạt": ("#C6EFCE", "#006100"), "Chưa đạt": ("#FFC7CE", "#9C0006"),
                  "Đang thực hiện": ("#DDEBF7", "#1F4E78"),
                  "Không có dữ liệu": ("#EEEEEE", "#595959")}


def render(doc: RollupDocument) -> bytes:
    buf = io.BytesIO()
    wb = document_workbook(buf, title=f"Báo cáo {doc.header.subject} - {doc.place}",
                           subject=doc.header.subject, issuer=doc.issuer_name, date=doc.date)
    f = _formats(wb)
    f["wrap"] = wb.add_format({"font_name": FONT, "font_size": 12, "text_wrap": True,
                               "valign": "top"})
    colours = {word: wb.add_format({"bg_color": bg, "font_color": fg})
               for word, (bg, fg) in STATUS_COLOURS.items()}
    _indicators(wb, f, doc)
    _places(wb, f, doc, doc.communes, "Từng xã", colours)
    if doc.provinces:
        _places(wb, f, doc, doc.provinces, "Từng tỉnh", colours)
    _general(wb, f, doc)
    _left_out(wb, f, doc)
    wb.close()
    return normalise_zip(buf.getvalue())


def _heading(sh: _Sheet, doc: RollupDocument, title: str, span: int) -> None:
    sh.title(title, span)
    sh.line(f"{doc.issuer_name} - năm {doc.result.year}; số liệu đến ngày {doc.as_of}",
            "italic")
    sh.gap()


def _indicators(wb: Any, f: dict[str, Any], doc: RollupDocument) -> None:
    r = doc.result
    sh = _Sheet(wb, "Chỉ tiêu", f, [5, 60, 18, 13, 12, 12, 12, 16])
    _heading(sh, doc, f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU - {doc.place.upper()}", 8)
    sh.header(["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tử số", "Mẫu số",
               "Số xã có số liệu", "Đánh giá"])
    for row, v in zip(doc.indicators, r.indicators, strict=True):
        sh.cells([row.no, row.name, row.plan, v.value, v.numerator, v.denominator, v.with_data,
                  row.status_text],
                 ["center", "cell", "center", "pct" if v.unit == "ratio" else "int", "int",
                  "int", "int", "center"])
    sh.gap()
    sh.line("Tỷ lệ: tổng tử số chia tổng mẫu số của các xã (không lấy trung bình các tỷ lệ); "
            "ô trống: không có số liệu.", "italic")
    sh.gap()
    _paragraph(sh, doc.indicator_summary, 8)


def _paragraph(sh: _Sheet, text: str, span: int) -> None:
    """A paragraph across `span` columns, its row as tall as its lines."""
    width = sum(sh.widths[:span])
    lines = max(1, -(-len(text) // max(1, int(width * 1.1))))
    sh.ws.set_row(sh.row, min(409, 16 * lines))
    sh.ws.merge_range(sh.row, 0, sh.row, span - 1, "", sh.f["wrap"])
    sh.ws.write_string(sh.row, 0, text, sh.f["wrap"])
    sh.row += 1


def _places(wb: Any, f: dict[str, Any], doc: RollupDocument, places: list[PlaceRow],
            name: str, colours: dict[str, Any]) -> None:
    """One row per commune (province): sortable with the autofilter; each indicator's
    figure and status side by side, statuses coloured."""
    r = doc.result
    n = len(r.indicators)
    province_rows = name == "Từng tỉnh"
    widths = [6, 20, 22, 13, 16, 10] + [11, 14] * n
    sh = _Sheet(wb, name, f, widths)
    title = "KẾT QUẢ TỪNG TỈNH, THÀNH PHỐ" if province_rows else "KẾT QUẢ TỪNG XÃ"
    _heading(sh, doc, title, min(len(widths), 12))
    heads = ["TT", PROVINCE, "Số xã" if province_rows else COMMUNE, "Ngày chốt số liệu",
             "Đánh giá chung", "Số chỉ tiêu đạt"]
    for head in doc.head_names:
        heads += [head, f"{head.split(' ', 1)[0]} Đánh giá"]
    first = sh.header(heads)
    sh.ws.set_row(first, 48)  # three lines: "(1) Cán bộ được tập huấn"
    sh.ws.freeze_panes(first + 1, 3)
    for p in places:
        as_of = _date(p.as_of)  # a date sorts as a date; a range stays text
        values: list[Any] = [p.no, p.province if not province_rows else p.name,
                             p.communes if province_rows else p.name, as_of or p.as_of,
                             p.status_text, p.met]
        fmts = ["center", "cell", "int" if province_rows else "cell",
                "date" if as_of else "center", "center", "center"]
        for v, status, ind in zip(p.values, p.statuses, r.indicators, strict=True):
            values += [v, doc.status_words.get(status, "")]
            fmts += ["pct" if ind.unit == "ratio" else "int", "center"]
        sh.cells(values, fmts)
    last = sh.row - 1
    sh.ws.autofilter(first, 0, max(first, last), len(heads) - 1)
    if last > first:
        for word, fmt in colours.items():
            for col in [4, *range(7, len(heads), 2)]:
                sh.ws.conditional_format(first + 1, col, last, col, {
                    "type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt})
    sh.gap()
    sh.line("Đánh giá: theo kế hoạch của từng xã" if not province_rows else
            "Đánh giá: theo kế hoạch của từng tỉnh (hoặc kế hoạch đã dùng khi tổng hợp từ "
            "các xã)", "italic")


def _date(text: str) -> dt.date | None:
    """The date of a "dd/mm/yyyy" text, else None."""
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def _general(wb: Any, f: dict[str, Any], doc: RollupDocument) -> None:
    sh = _Sheet(wb, "Tình hình chung", f, [50, 14, 12])
    _heading(sh, doc, "TÌNH HÌNH CHUNG", 3)
    for text in doc.general:
        _paragraph(sh, text, 3)
    sh.gap()
    if doc.member_rows:
        sh.header(["Thành viên các câu lạc bộ đã báo cáo", "Số người", "Tỷ lệ"])
        for row in doc.member_rows:
            sh.cells([row.label, row.raw, row.share],
                     ["bold_cell" if row.strong else "cell", "int", "center"])
    for note in doc.notes:
        sh.gap()
        _paragraph(sh, note, 3)


def _left_out(wb: Any, f: dict[str, Any], doc: RollupDocument) -> None:
    sh = _Sheet(wb, "Thiếu, bị loại", f, [6, 24, 30, 90])
    _heading(sh, doc, "XÃ CHƯA BÁO CÁO, TỆP BỊ LOẠI", 4)
    for text in doc.left_out_text:
        sh.line(text, "text")
    sh.gap()
    sh.line("Các xã chưa có báo cáo hợp lệ", "bold")
    sh.header(["TT", PROVINCE, COMMUNE, "Lý do"])
    for i, (province, commune, why) in enumerate(doc.missing, start=1):
        sh.cells([i, province, commune, why], ["center", "cell", "cell", "cell"])
    sh.gap()
    sh.line("Các tệp bị loại", "bold")
    sh.cells(["TT", "Tệp", "Xã / tỉnh", "Lý do"], ["head"] * 4)
    for i, (file, who, why) in enumerate(doc.excluded, start=1):
        sh.cells([i, file, who, why], ["center", "cell", "cell", "cell"])
    if doc.not_counted:
        sh.gap()
        sh.line("Các tệp không tính (xã đã gửi tệp khác)", "bold")
        sh.cells(["TT", "Tệp", "", "Lý do"], ["head"] * 4)
        for i, (file, why) in enumerate(doc.not_counted, start=1):
            sh.cells([i, file, "", why], ["center", "cell", "cell", "cell"])
    sh.ws.freeze_panes(0, 0)
